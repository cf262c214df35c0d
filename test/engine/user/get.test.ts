/**
 * User → Get (/user/get) through n8n's engine against the emulator.
 */
import { describeOperation, expectPlaidError, itFailsBeforeAnyRequest, plaidFailureItem } from '../../harness/plaidNode';

const suite = describeOperation('user', 'get');

describe('reading a user', () => {
	it('sends one POST /user/get { user_id } and outputs Plaid’s answer unchanged', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice', client_user_id: 'crm-1001', identity: { name: { given_name: 'Alice', family_name: 'Doe' } } });

		const result = await suite.run({ userId: 'usr_alice' });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.method, request.path, request.body]).toEqual(['POST', '/user/get', { user_id: 'usr_alice' }]);
		expect(result.output('Plaid')).toEqual([{ json: request.response.body, pairedItem: { item: 0 } }]);
		expect(result.output('Plaid')[0].json).toMatchObject({ user_id: 'usr_alice', client_user_id: 'crm-1001', request_id: expect.any(String) });
	});

	it('reads several users, outputs paired; in node version 1.1 too', async () => {
		suite.emulator.addUser({ user_id: 'usr_a' });
		suite.emulator.addUser({ user_id: 'usr_b' });

		const result = await suite.run({ userId: '={{ $json.id }}' }, { typeVersion: 1.1, startItems: [{ id: 'usr_b' }, { id: 'usr_a' }] });

		expect(result.output('Plaid').map((item) => [item.json.user_id, item.pairedItem])).toEqual([
			['usr_b', { item: 0 }],
			['usr_a', { item: 1 }],
		]);
	});
});

describe('errors', () => {
	itFailsBeforeAnyRequest(suite, [
		['a blank user ID from an expression', { userId: '={{ " " }}' }, 'User ID: required'],
		['a number', { userId: '={{ 42 }}' }, 'User ID: must be text, got a number'],
	]);

	it('an unknown user is USER_NOT_FOUND; a user of the legacy user-token API is refused by Plaid', async () => {
		suite.emulator.addUser({ user_id: 'usr_legacy', user_token: true });

		expectPlaidError(await suite.run({ userId: 'usr_nobody' }), 'USER_NOT_FOUND');
		expectPlaidError(await suite.run({ userId: 'usr_legacy' }), 'INVALID_USER_ID');
	});

	it('Continue (using error output): the failed user goes there, paired; the others to the main output', async () => {
		suite.emulator.addUser({ user_id: 'usr_a' });

		const result = await suite.run({ userId: '={{ $json.id }}' }, { onError: 'continueErrorOutput', startItems: [{ id: 'usr_nobody' }, { id: 'usr_a' }] });

		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([['USER_NOT_FOUND', { item: 0 }]]);
		expect(result.output('Plaid', 0).map((item) => [item.json.user_id, item.pairedItem])).toEqual([['usr_a', { item: 1 }]]);
	});

	it('Continue (regular output): the Plaid fields travel with the item', async () => {
		const result = await suite.run({ userId: 'usr_nobody' }, { onError: 'continueRegularOutput' });

		expect(result.output('Plaid')).toEqual([plaidFailureItem('USER_NOT_FOUND', 'USER_ERROR', 0, suite.emulator.requests[0].response.body.request_id)]);
	});
});
