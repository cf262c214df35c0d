/**
 * The Plaid secret and user tokens appear nowhere: not in outputs, errors (message,
 * description, stack, any field, the live error n8n reports with its cause chain), run data,
 * or anything n8n or the node logged.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { capturedLogs, reportedErrors, testCredential } from '../../harness/engine';
import { describeOperation, everythingLeftBy } from '../../harness/plaidNode';
import { emulatorCredentials } from '../../harness/workflows';

const USER_TOKEN = fakeTokens.secrets.userToken;

const suite = describeOperation('user', 'removeItems');
const removeItems = suite.run;

const scenarios: Array<[string, () => Promise<string>]> = [
	[
		'a successful removal',
		async () => {
			suite.emulator.addUser({ user_id: 'usr_s', items: ['item-1'] });
			return everythingLeftBy(await removeItems({ userId: 'usr_s', itemIds: 'item-1' }));
		},
	],
	[
		'a removal by user token',
		async () => {
			suite.emulator.addUser({ user_id: 'usr_t', user_token: USER_TOKEN, items: ['item-1'] });
			return everythingLeftBy(await removeItems({ identifyBy: 'userToken', userToken: USER_TOKEN, itemIds: 'item-1' }));
		},
	],
	['a Plaid error that stops the workflow', async () => everythingLeftBy(await removeItems({ userId: 'usr_none', itemIds: 'x' }))],
	[
		'a Plaid error that stops the workflow, the user token typed into the node',
		async () => {
			const run = await removeItems({ identifyBy: 'userToken', userToken: USER_TOKEN, itemIds: 'x' });
			expect(run.nodeError('Plaid').node.parameters.userToken).toBe('[hidden]');
			return everythingLeftBy(run);
		},
	],
	[
		'a Plaid error with a user token, continuing',
		async () =>
			everythingLeftBy(
				await removeItems({ identifyBy: 'userToken', userToken: USER_TOKEN, itemIds: 'x' }, { onError: 'continueRegularOutput' }),
			),
	],
	[
		'a Plaid error to the error output',
		async () => everythingLeftBy(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { onError: 'continueErrorOutput' })),
	],
	[
		'an HTML 502 from a proxy',
		async () => {
			suite.emulator.injectFaults({ status: 502, rawBody: '<html>Bad Gateway</html>', contentType: 'text/html' });
			return everythingLeftBy(await removeItems({ userId: 'usr_none', itemIds: 'x' }));
		},
	],
	[
		'a dropped connection',
		async () => {
			suite.emulator.injectFaults({ drop: 'before', times: Infinity });
			return everythingLeftBy(await removeItems({ userId: 'usr_none', itemIds: 'x', options: { maxRetries: 0 } }));
		},
	],
	[
		'nothing listening at the Base URL',
		async () =>
			everythingLeftBy(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { credentials: { baseUrl: 'http://127.0.0.1:9' } })),
	],
	[
		'wrong keys',
		async () =>
			everythingLeftBy(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { credentials: { secret: `${suite.emulator.secret}-old` } })),
	],
	[
		'the credential test, failing',
		async () =>
			JSON.stringify(await testCredential({ ...emulatorCredentials(suite.emulator).plaidApi, secret: `${suite.emulator.secret}-old` }, { loaded: suite.loaded })),
	],
];

describe.each(scenarios)('%s', (_label, scenario) => {
	it('leaves no secret or user token in outputs, errors or logs', async () => {
		suite.emulator.reset();
		capturedLogs.length = 0;
		reportedErrors.length = 0;

		const text = await scenario();

		for (const secret of [suite.emulator.secret, USER_TOKEN]) expect(text).not.toContain(secret);
	});
});

it('the secret did reach Plaid, in a header (the hunt above looks for the right string)', async () => {
	suite.emulator.reset();
	suite.emulator.addUser({ user_id: 'usr_s', items: ['item-1'] });
	await removeItems({ userId: 'usr_s', itemIds: 'item-1' });
	expect(suite.emulator.requests[0].headers['plaid-secret']).toBe(suite.emulator.secret);
});
