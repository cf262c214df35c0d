/**
 * The Plaid secret and user tokens appear nowhere: not in outputs, errors (message,
 * description, stack, any field, the live error n8n reports with its cause chain), run data,
 * or anything n8n or the node logged.
 */
import { inspect } from 'node:util';

import { startEmulator } from './emulator';
import { capturedLogs, loadPackage, reportedErrors, runWorkflow, testCredential } from './harness/engine';
import { emulatorCredentials, plaidWorkflow } from './harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const USER_TOKEN = 'user-sandbox-6b1d0f7e-secret-token';

let emulator: Emulator;
let loaded: Awaited<ReturnType<typeof loadPackage>>;

beforeAll(async () => {
	loaded = await loadPackage();
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());

/** Everything a run leaves behind, as text: run data, every node error with all its fields. */
function everythingIn(run: Awaited<ReturnType<typeof runWorkflow>>): string {
	const errors = Object.values(run.run.data.resultData.runData as Record<string, Array<{ error?: unknown }>>)
		.flat()
		.map((task) => task.error)
		.filter(Boolean);
	return [
		JSON.stringify(run.run),
		inspect(run.run, { depth: null }),
		...errors.map((error) => JSON.stringify(error, Object.getOwnPropertyNames(error))),
		...errors.map((error) => inspect(error, { depth: null, showHidden: true })),
	].join('\n');
}

const scenarios: Array<[string, () => Promise<string>]> = [
	[
		'a successful removal',
		async () => {
			emulator.addUser({ user_id: 'usr_s', items: ['item-1'] });
			return everythingIn(await removeItems({ userId: 'usr_s', itemIds: 'item-1' }));
		},
	],
	[
		'a removal by user token',
		async () => {
			emulator.addUser({ user_id: 'usr_t', user_token: USER_TOKEN, items: ['item-1'] });
			return everythingIn(await removeItems({ identifyBy: 'userToken', userToken: USER_TOKEN, itemIds: 'item-1' }));
		},
	],
	['a Plaid error that stops the workflow', async () => everythingIn(await removeItems({ userId: 'usr_none', itemIds: 'x' }))],
	[
		'a Plaid error with a user token, continuing',
		async () =>
			everythingIn(
				await removeItems({ identifyBy: 'userToken', userToken: USER_TOKEN, itemIds: 'x' }, { onError: 'continueRegularOutput' }),
			),
	],
	[
		'a Plaid error to the error output',
		async () => everythingIn(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { onError: 'continueErrorOutput' })),
	],
	[
		'an HTML 502 from a proxy',
		async () => {
			emulator.injectFaults({ status: 502, rawBody: '<html>Bad Gateway</html>', contentType: 'text/html' });
			return everythingIn(await removeItems({ userId: 'usr_none', itemIds: 'x' }));
		},
	],
	[
		'a dropped connection',
		async () => {
			emulator.injectFaults({ drop: 'before', times: Infinity });
			return everythingIn(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { options: { maxRetries: 0 } }));
		},
	],
	[
		'nothing listening at the Base URL',
		async () =>
			everythingIn(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { credentials: { baseUrl: 'http://127.0.0.1:9' } })),
	],
	[
		'wrong keys',
		async () =>
			everythingIn(await removeItems({ userId: 'usr_none', itemIds: 'x' }, { credentials: { secret: `${emulator.secret}-old` } })),
	],
	[
		'the credential test, failing',
		async () =>
			JSON.stringify(await testCredential({ ...emulatorCredentials(emulator).plaidApi, secret: `${emulator.secret}-old` }, { loaded })),
	],
];

async function removeItems(
	parameters: Record<string, unknown>,
	options: {
		onError?: 'continueRegularOutput' | 'continueErrorOutput';
		credentials?: Record<string, unknown>;
		options?: Record<string, unknown>;
	} = {},
) {
	return await runWorkflow(
		plaidWorkflow(
			{ resource: 'user', operation: 'removeItems', ...parameters, ...(options.options ? { options: options.options } : {}) },
			{ onError: options.onError },
		),
		{ credentials: emulatorCredentials(emulator, options.credentials), loaded },
	);
}

describe.each(scenarios)('%s', (_label, scenario) => {
	it('leaves no secret or user token in outputs, errors or logs', async () => {
		emulator.reset();
		capturedLogs.length = 0;
		reportedErrors.length = 0;

		const text = await scenario();
		const logs = inspect(capturedLogs, { depth: null });
		const reported = reportedErrors.map((error) => inspect(error, { depth: null, showHidden: true })).join('\n');

		for (const secret of [emulator.secret, USER_TOKEN]) {
			expect(text).not.toContain(secret);
			expect(logs).not.toContain(secret);
			expect(reported).not.toContain(secret);
		}
	});
});

it('the secret did reach Plaid, in a header (the hunt above looks for the right string)', async () => {
	emulator.reset();
	emulator.addUser({ user_id: 'usr_s', items: ['item-1'] });
	await removeItems({ userId: 'usr_s', itemIds: 'item-1' });
	expect(emulator.requests[0].headers['plaid-secret']).toBe(emulator.secret);
});
