/**
 * User → Remove (/user/remove) through n8n's engine against the emulator.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { addUserWithItems } from '../../harness/fixtures';
import { describeOperation, everythingLeftBy, expectPlaidError, itFailsBeforeAnyRequest, unprovenFailureItem, removedJson } from '../../harness/plaidNode';

const suite = describeOperation('user', 'remove');

const seedUser = (userId: string, itemCount: number, extra: Record<string, unknown> = {}) => addUserWithItems(suite.emulator, userId, itemCount, extra).itemIds;

describe('removing a user', () => {
	it('sends one POST /user/remove; the user and all of its Items are gone at Plaid', async () => {
		const itemIds = seedUser('usr_alice', 2);
		const tokens = itemIds.map((id) => suite.emulator.accessTokenOf(id));
		seedUser('usr_other', 1);

		const result = await suite.run({ userId: 'usr_alice' });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests.map((r) => [r.method, r.path, r.body])).toEqual([
			['POST', '/user/remove', { user_id: 'usr_alice' }],
		]);
		expect(suite.emulator.requests[0].headers['plaid-secret']).toBe(suite.emulator.secret);
		expect(result.output('Plaid')).toEqual([
			{
				json: { ...removedJson({ user_id: 'usr_alice' }, '/user/remove', 'user.remove'), request_id: suite.emulator.requests[0].response.body.request_id },
				pairedItem: { item: 0 },
			},
		]);
		expect(suite.emulator.getUser('usr_alice')).toBeUndefined();
		expect(itemIds.map((id, k) => [suite.emulator.accessTokenOf(id), tokens[k]])).toEqual([
			[undefined, expect.any(String)],
			[undefined, expect.any(String)],
		]);
		expect(suite.emulator.itemIdsOf('usr_other')).toHaveLength(1);
	});

	it('a second removal of the same user fails with USER_NOT_FOUND, as Plaid documents', async () => {
		seedUser('usr_alice', 1);
		await suite.run({ userId: 'usr_alice' });

		const again = await suite.run({ userId: 'usr_alice' });

		expectPlaidError(again, 'USER_NOT_FOUND');
	});

	it('removes several users in order, each output paired to its input', async () => {
		['usr_a', 'usr_b'].forEach((id) => seedUser(id, 1));

		const result = await suite.run({ userId: '={{ $json.id }}' }, { startItems: [{ id: 'usr_a' }, { id: 'usr_b' }] });

		expect(result.output('Plaid').map((item) => [item.json.user_id, item.pairedItem])).toEqual([
			['usr_a', { item: 0 }],
			['usr_b', { item: 1 }],
		]);
	});

	it('by user token: outputs only the request_id, and the token appears nowhere in the run', async () => {
		const token = fakeTokens.userRemove.userToken;
		seedUser('usr_legacy', 1, { user_token: token });

		const result = await suite.run({ identifyBy: 'userToken', userToken: token });

		expect(suite.emulator.requests[0].body).toEqual({ user_token: token });
		expect(result.output('Plaid')).toEqual([{ json: removedJson({}, '/user/remove', 'user.remove'), pairedItem: { item: 0 } }]);
		expect(suite.emulator.getUser('usr_legacy')).toBeUndefined();
		expect(everythingLeftBy(result)).not.toContain(token);
	});
});

describe('errors', () => {
	itFailsBeforeAnyRequest(suite, [
		['a blank user ID', { userId: ' ' }, 'User ID: required'],
		['a user ID object from an expression', { userId: '={{ { id: 1 } }}' }, 'User ID: must be text, got an object'],
		['a blank user token', { identifyBy: 'userToken', userToken: '  ' }, 'User Token: required'],
	]);

	it('Continue (regular output): the failed user carries the Plaid fields; the others are removed', async () => {
		seedUser('usr_ok', 1);

		const result = await suite.run(
			{ userId: '={{ $json.id }}' },
			{ onError: 'continueRegularOutput', startItems: [{ id: 'usr_gone' }, { id: 'usr_ok' }] },
		);

		expect(result.output('Plaid')).toEqual([
			unprovenFailureItem('not_found', 'USER_NOT_FOUND', 'USER_ERROR', 0, { endpoint: '/user/remove', operation: 'user.remove', fields: { user_id: 'usr_gone' } }, suite.emulator.requests[0].response.body.request_id),
			{ json: removedJson({ user_id: 'usr_ok' }, '/user/remove', 'user.remove'), pairedItem: { item: 1 } },
		]);
		expect(suite.emulator.getUser('usr_ok')).toBeUndefined();
	});

	it('Continue (using error output): the failed user goes to the error output', async () => {
		const result = await suite.run({ userId: 'usr_gone' }, { onError: 'continueErrorOutput' });

		expect(result.output('Plaid', 0)).toEqual([]);
		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([
			['USER_NOT_FOUND', { item: 0 }],
		]);
	});
});
