/**
 * User → Get Items (/user/items/get) through n8n's engine against the emulator.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { addUserWithItems } from '../../harness/fixtures';
import { describeOperation, everythingLeftBy, expectPlaidError, itFailsBeforeAnyRequest, plaidFailureItem } from '../../harness/plaidNode';

const suite = describeOperation('user', 'getItems');

const seedUser = (userId: string, itemCount: number, extra: Record<string, unknown> = {}) => addUserWithItems(suite.emulator, userId, itemCount, extra).itemIds;

/** The Items exactly as the emulator answered them. */
const answeredItems = (requestIndex = 0) => suite.emulator.requests[requestIndex].response.body.items;

describe('one output item per Plaid Item (the default)', () => {
	it('sends one POST /user/items/get and outputs the Items unchanged, each paired to its input', async () => {
		const itemIds = seedUser('usr_alice', 3);

		const result = await suite.run({ userId: 'usr_alice' });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests).toHaveLength(1);
		const [request] = suite.emulator.requests;
		expect([request.method, request.path]).toEqual(['POST', '/user/items/get']);
		expect(request.headers['plaid-client-id']).toBe(suite.emulator.clientId);
		expect(request.headers['plaid-secret']).toBe(suite.emulator.secret);
		expect(request.body).toEqual({ user_id: 'usr_alice' });

		const output = result.output('Plaid');
		expect(output.map((item) => item.json)).toEqual(answeredItems());
		expect(output.map((item) => item.json.item_id)).toEqual(itemIds);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(Object.keys(output[0].json)).toEqual(
			expect.arrayContaining(['item_id', 'institution_id', 'institution_name', 'products', 'billed_products', 'error']),
		);
	});

	it('passes an Item’s error state on as Plaid gives it', async () => {
		const error = { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'login details changed', display_message: null };
		suite.emulator.addUser({ user_id: 'usr_err', items: [{ item_id: 'item-broken', error }] });

		const result = await suite.run({ userId: 'usr_err' });

		expect(result.output('Plaid')[0].json).toMatchObject({ item_id: 'item-broken', error });
	});

	it('pairs each Item with the user it came from when several users go in', async () => {
		const aliceIds = seedUser('usr_a', 2);
		const bobIds = seedUser('usr_b', 1);

		const result = await suite.run({ userId: '={{ $json.userId }}' }, { startItems: [{ userId: 'usr_a' }, { userId: 'usr_b' }] });

		expect(suite.emulator.requests.map((r) => r.body.user_id)).toEqual(['usr_a', 'usr_b']);
		expect(result.output('Plaid').map((item) => [item.json.item_id, item.pairedItem])).toEqual([
			[aliceIds[0], { item: 0 }],
			[aliceIds[1], { item: 0 }],
			[bobIds[0], { item: 1 }],
		]);
	});

	it('outputs nothing for a user without Items, and the other users go on', async () => {
		seedUser('usr_none', 0);
		const bobIds = seedUser('usr_b', 1);

		const result = await suite.run({ userId: '={{ $json.userId }}' }, { startItems: [{ userId: 'usr_none' }, { userId: 'usr_b' }] });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests).toHaveLength(2);
		expect(result.output('Plaid')).toEqual([{ json: answeredItems(1)[0], pairedItem: { item: 1 } }]);
		expect(result.output('Plaid')[0].json.item_id).toBe(bobIds[0]);
	});

	it('with n8n’s "Always Output Data", a user without Items gives one empty item', async () => {
		seedUser('usr_none', 0);

		const result = await suite.run({ userId: 'usr_none' }, { alwaysOutputData: true });

		expect(result.output('Plaid').map((item) => item.json)).toEqual([{}]);
	});
});

describe('one output item with the whole list', () => {
	it('outputs { items, request_id } per input item, also for a user without Items', async () => {
		const itemIds = seedUser('usr_alice', 2);
		seedUser('usr_none', 0);

		const result = await suite.run(
			{ userId: '={{ $json.userId }}', splitIntoItems: false },
			{ startItems: [{ userId: 'usr_alice' }, { userId: 'usr_none' }] },
		);

		const [alice, none] = result.output('Plaid');
		expect(alice).toEqual({
			json: { items: answeredItems(0), request_id: suite.emulator.requests[0].response.body.request_id },
			pairedItem: { item: 0 },
		});
		expect(alice.json.items.map((item: { item_id: string }) => item.item_id)).toEqual(itemIds);
		expect(none).toEqual({ json: { items: [], request_id: expect.any(String) }, pairedItem: { item: 1 } });
	});
});

describe('user token', () => {
	it('sends user_token, and the token appears nowhere in the run', async () => {
		const token = fakeTokens.getItems.userToken;
		seedUser('usr_legacy', 1, { user_token: token });

		const result = await suite.run({ identifyBy: 'userToken', userToken: token });

		expect(suite.emulator.requests[0].body).toEqual({ user_token: token });
		expect(result.output('Plaid')).toHaveLength(1);
		expect(everythingLeftBy(result)).not.toContain(token);
	});

	it('a wrong token fails with INVALID_USER_TOKEN, without echoing it', async () => {
		const result = await suite.run({ identifyBy: 'userToken', userToken: fakeTokens.getItems.unknownUserToken });

		expectPlaidError(result, 'INVALID_USER_TOKEN');
		expect(everythingLeftBy(result)).not.toContain(fakeTokens.getItems.unknownUserToken);
	});
});

describe('errors', () => {
	itFailsBeforeAnyRequest(suite, [
		['a blank user ID', { userId: '  ' }, 'User ID: required'],
		['a user ID that is a number', { userId: '={{ 7 }}' }, 'User ID: must be text, got a number'],
		['Split Into Items as text from an expression', { userId: 'usr_1', splitIntoItems: '={{ "false" }}' }, 'Split Into Items: must be true or false, got a string'],
	]);

	it('an unknown user fails with USER_NOT_FOUND', async () => {
		expectPlaidError(await suite.run({ userId: 'usr_nobody' }), 'USER_NOT_FOUND');
	});

	it('Continue (regular output): the failed user carries the Plaid fields and its pairedItem', async () => {
		const itemIds = seedUser('usr_ok', 1);

		const result = await suite.run(
			{ userId: '={{ $json.userId }}' },
			{ onError: 'continueRegularOutput', startItems: [{ userId: 'usr_gone' }, { userId: 'usr_ok' }] },
		);

		expect(result.output('Plaid')).toEqual([
			plaidFailureItem('USER_NOT_FOUND', 'USER_ERROR', 0, suite.emulator.requests[0].response.body.request_id),
			{ json: expect.objectContaining({ item_id: itemIds[0] }), pairedItem: { item: 1 } },
		]);
	});

	it('Continue (using error output): the failed user goes to the error output', async () => {
		seedUser('usr_ok', 1);

		const result = await suite.run(
			{ userId: '={{ $json.userId }}' },
			{ onError: 'continueErrorOutput', startItems: [{ userId: 'usr_ok' }, { userId: 'usr_gone' }] },
		);

		expect(result.output('Plaid', 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		const errors = result.output('Plaid', 1);
		expect(errors.map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([['USER_NOT_FOUND', { item: 1 }]]);
	});
});
