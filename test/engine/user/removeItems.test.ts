/**
 * User → Remove Items, run through n8n's real engine against the Plaid emulator.
 * Asserts what Plaid receives and what flows downstream.
 */
import { plaidError } from '../../emulator';
import fakeTokens from '../../fixtures/fakeTokens.json';
import { addUserWithItems } from '../../harness/fixtures';
import { describeOperation, emulatorAudit, plaidAnswerJson, removedJson } from '../../harness/plaidNode';

const suite = describeOperation('user', 'removeItems');
const run = suite.run;

const seedUser = (userId: string, itemCount: number, extra: Record<string, unknown> = {}) => addUserWithItems(suite.emulator, userId, itemCount, extra);

describe('removing specific Items by user_id', () => {
	it('sends one POST /user/items/remove with the keys in headers and the IDs in the body', async () => {
		const { itemIds } = seedUser('usr_alice', 3);

		const result = await run({ userId: 'usr_alice', itemIds: `${itemIds[0]}, ${itemIds[2]}` });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests).toHaveLength(1);
		const [request] = suite.emulator.requests;
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/user/items/remove');
		expect(request.headers['plaid-client-id']).toBe(suite.emulator.clientId);
		expect(request.headers['plaid-secret']).toBe(suite.emulator.secret);
		expect(request.headers['plaid-version']).toBe('2020-09-14');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
		expect(request.body).toEqual({ user_id: 'usr_alice', item_ids: [itemIds[0], itemIds[2]] });

		expect(result.output('Plaid')).toEqual([
			{
				json: removedJson({ item_ids: [itemIds[0], itemIds[2]], not_attached_item_ids: [], user_id: 'usr_alice' }, '/user/items/remove', 'user.removeItems'),
				pairedItem: { item: 0 },
			},
		]);
		expect(result.output('Plaid')[0].json.request_id).toBe(request.response.body.request_id);
		expect(result.output('Plaid')[0].json.audit.request_id).toBe(request.response.body.request_id);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual([itemIds[1]]);
	});

	it('normalises new lines, blanks and duplicates before sending', async () => {
		const { itemIds } = seedUser('usr_alice', 3);
		const [a, b, c] = itemIds;

		await run({ userId: '  usr_alice ', itemIds: `\n${b}\n\n ${a} ,${b}\r\n${c}\n` });

		expect(suite.emulator.requests[0].body).toEqual({ user_id: 'usr_alice', item_ids: [b, a, c] });
	});

	it('takes an array of IDs from an expression', async () => {
		const { itemIds } = seedUser('usr_alice', 2);

		const result = await run(
			{ userId: '={{ $json.plaidUserId }}', itemIds: '={{ $json.connections.map(c => c.itemId) }}' },
			{
				startItems: [
					{
						plaidUserId: 'usr_alice',
						connections: [{ itemId: itemIds[1] }, { itemId: ' ' }, { itemId: itemIds[0] }, { itemId: itemIds[1] }],
					},
				],
			},
		);

		expect(result.status).toBe('success');
		expect(suite.emulator.requests[0].body).toEqual({ user_id: 'usr_alice', item_ids: [itemIds[1], itemIds[0]] });
	});

	it('keeps a long list in one request, because Plaid removes all or nothing', async () => {
		const { itemIds } = seedUser('usr_big', 600);

		const result = await run({ userId: 'usr_big', itemIds: itemIds.join('\n') });

		expect(result.status).toBe('success');
		expect(suite.emulator.requestsTo('/user/items/remove')).toHaveLength(1);
		expect(suite.emulator.requests[0].body.item_ids).toHaveLength(600);
		expect(suite.emulator.itemIdsOf('usr_big')).toEqual([]);
	});

	it('handles several input items in order, one request each, each output paired to its input', async () => {
		const users = ['usr_a', 'usr_b', 'usr_c'].map((id) => ({ id, itemIds: seedUser(id, 2).itemIds }));

		const result = await run(
			{ userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}' },
			{ startItems: users.map(({ id, itemIds }) => ({ userId: id, itemIds })) },
		);

		expect(suite.emulator.requests.map((r) => r.body.user_id)).toEqual(['usr_a', 'usr_b', 'usr_c']);
		expect(result.output('Plaid').map((item) => [item.json.user_id, item.pairedItem])).toEqual([
			['usr_a', { item: 0 }],
			['usr_b', { item: 1 }],
			['usr_c', { item: 2 }],
		]);
	});
});

describe('identifying the user by user_token', () => {
	it('sends user_token and never shows it downstream', async () => {
		const { user, itemIds } = seedUser('usr_legacy', 2, { user_token: fakeTokens.removeItems.legacyUserToken });

		const result = await run({ identifyBy: 'userToken', userToken: user.user_token, itemIds: itemIds[0] });

		expect(suite.emulator.requests[0].body).toEqual({ user_token: fakeTokens.removeItems.legacyUserToken, item_ids: [itemIds[0]] });
		expect(result.output('Plaid')).toEqual([
			{ json: removedJson({ item_ids: [itemIds[0]], not_attached_item_ids: [] }, '/user/items/remove', 'user.removeItems'), pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(result.run)).not.toContain(fakeTokens.removeItems.legacyUserToken);
	});
});

describe('removing all Items of a user', () => {
	it('reads the Items with /user/items/get, then removes them in one call', async () => {
		const { itemIds } = seedUser('usr_all', 3);
		seedUser('usr_other', 1);

		const result = await run({ userId: 'usr_all', itemSelection: 'all' });

		expect(suite.emulator.requests.map((r) => r.path)).toEqual(['/user/items/get', '/user/items/remove']);
		expect(suite.emulator.requests[0].body).toEqual({ user_id: 'usr_all' });
		expect(suite.emulator.requests[1].body).toEqual({ user_id: 'usr_all', item_ids: itemIds });
		expect(result.output('Plaid')[0].json).toEqual(removedJson({ item_ids: itemIds, not_attached_item_ids: [], user_id: 'usr_all' }, '/user/items/remove', 'user.removeItems'));
		expect(suite.emulator.itemIdsOf('usr_all')).toEqual([]);
		expect(suite.emulator.itemIdsOf('usr_other')).toHaveLength(1);
	});

	it('answers "no Items" for a user without Items, with no remove call', async () => {
		seedUser('usr_empty', 0);

		const result = await run({ userId: 'usr_empty', itemSelection: 'all' });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests.map((r) => r.path)).toEqual(['/user/items/get']);
		// Nothing needed removing; the read that showed it is the audit record.
		expect(result.output('Plaid')).toEqual([
			{
				json: {
					request_id: suite.emulator.requests[0].response.body.request_id,
					item_ids: [],
					user_id: 'usr_empty',
					outcome: 'nothing_to_remove',
					removed: false,
					audit: emulatorAudit('/user/items/get', 'user.removeItems', suite.emulator.requests[0].response.body.request_id, false),
				},
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('bad input fails before anything is sent', () => {
	it.each([
		['a blank user ID', { userId: '   ', itemIds: 'item-1' }, 'User ID: required'],
		['a user ID expression that resolves to nothing', { userId: '={{ $json.missing }}', itemIds: 'item-1' }, 'User ID: required'],
		['a user ID that is a number', { userId: '={{ 12345 }}', itemIds: 'item-1' }, 'User ID: must be text, got a number'],
		['a blank user token', { identifyBy: 'userToken', userToken: ' ', itemIds: 'item-1' }, 'User Token: required'],
		['an Item IDs expression that resolves to nothing', { userId: 'usr_1', itemIds: '={{ $json.missing }}' }, 'Item IDs: no Item ID given'],
		['only separators', { userId: 'usr_1', itemIds: ' ,\n ,' }, 'Item IDs: no Item ID given'],
		['a number from an expression', { userId: 'usr_1', itemIds: '={{ 42 }}' }, 'Item IDs: expected a list'],
		['an object from an expression', { userId: 'usr_1', itemIds: '={{ { id: "a" } }}' }, 'got an object'],
		['a number inside an array', { userId: 'usr_1', itemIds: '={{ ["item-1", 7] }}' }, 'entry 2 is a number'],
		['null inside an array', { userId: 'usr_1', itemIds: '={{ ["item-1", null] }}' }, 'entry 2 is null'],
	])('%s', async (_label, parameters, message) => {
		const result = await run(parameters);

		expect(result.status).toBe('error');
		const error = result.nodeError('Plaid');
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toContain(message);
		expect(error.context.itemIndex).toBe(0);
		expect(suite.emulator.requests).toHaveLength(0);
	});

	it.each([
		['User ID', { userId: '', itemIds: 'item-1' }],
		['User Token', { identifyBy: 'userToken', userToken: '', itemIds: 'item-1' }],
		['Item IDs', { userId: 'usr_1', itemIds: '' }],
	])('an empty required "%s" is refused by n8n itself before the run starts', async (name, parameters) => {
		await expect(run(parameters)).rejects.toThrow(`Parameter "${name}" is required`);
		expect(suite.emulator.requests).toHaveLength(0);
	});

	it('names the failing item, and sends nothing for it', async () => {
		const { itemIds } = seedUser('usr_ok', 1);

		const result = await run(
			{ userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}' },
			{ startItems: [{ userId: 'usr_ok', itemIds }, { userId: 'usr_ok', itemIds: [42] }] },
		);

		expect(result.nodeError('Plaid').context.itemIndex).toBe(1);
		expect(suite.emulator.requests).toHaveLength(1);
	});
});

describe('Plaid errors', () => {
	it('fail the item with the Plaid error_code first, and change nothing (all or nothing)', async () => {
		const { itemIds } = seedUser('usr_alice', 2);

		const result = await run({ userId: 'usr_alice', itemIds: `${itemIds[0]}, not-her-item` });

		const error = result.nodeError('Plaid');
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/^ITEM_NOT_FOUND: /);
		expect(error.description).toContain('error_type: ITEM_ERROR');
		expect(error.description).toContain(`request_id: ${suite.emulator.requests[0].response.body.request_id}`);
		expect(error.context.itemIndex).toBe(0);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(itemIds);
	});

	it('puts display_message in the description when Plaid sends one', async () => {
		seedUser('usr_1', 0, { items: ['item-1'] });
		suite.emulator.injectFaults({
			status: 400,
			body: { ...plaidError('INVALID_FIELD', 'item_ids must not be empty'), display_message: 'Something went wrong' },
		});

		const result = await run({ userId: 'usr_1', itemIds: 'item-1' });

		expect(result.nodeError('Plaid').description).toContain('display_message: Something went wrong');
	});

	it('reports an unknown user as USER_NOT_FOUND', async () => {
		const result = await run({ userId: 'usr_nobody', itemIds: 'item-1' });
		expect(result.nodeError('Plaid').message).toMatch(/^USER_NOT_FOUND: /);
	});

	it('reports wrong keys as INVALID_API_KEYS', async () => {
		const result = await run({ userId: 'usr_1', itemIds: 'item-1' }, { credentials: { secret: 'not-the-secret' } });
		expect(result.nodeError('Plaid').message).toMatch(/^INVALID_API_KEYS: /);
	});

	it('gives a short message, not the page, for an HTML error body from a proxy', async () => {
		suite.emulator.injectFaults({
			status: 502,
			rawBody: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
			contentType: 'text/html',
		});

		// A 502 is retried (test/engine/reliability/reliability.test.ts); here only its message is under test.
		const result = await run({ userId: 'usr_1', itemIds: 'item-1', options: { maxRetries: 0 } });

		const error = result.nodeError('Plaid');
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe("Plaid request failed with HTTP 502 and a response that is not Plaid's JSON");
		expect(JSON.stringify([error.message, error.description])).not.toMatch(/html|Bad Gateway/i);
	});

	it('refuses a plain-HTTP base URL that is not loopback, before any request', async () => {
		const result = await run({ userId: 'usr_1', itemIds: 'item-1' }, { credentials: { baseUrl: 'http://plaid-gateway.example.com' } });

		const error = result.nodeError('Plaid');
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toContain('Base URL: plain HTTP is only allowed to a loopback host');
		expect(suite.emulator.requests).toHaveLength(0);
	});
});

describe('Continue On Fail', () => {
	it('regular output: the failed item carries the Plaid fields and its pairedItem; the rest go on', async () => {
		const { itemIds } = seedUser('usr_ok', 1);

		const result = await run(
			{ userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}' },
			{
				onError: 'continueRegularOutput',
				startItems: [
					{ userId: 'usr_gone', itemIds: ['item-x'] },
					{ userId: 'usr_ok', itemIds: [42] },
					{ userId: 'usr_ok', itemIds },
				],
			},
		);

		expect(result.status).toBe('success');
		const [gone, bad, ok] = result.output('Plaid');
		expect(gone).toEqual({
			json: {
				error: expect.stringMatching(/^USER_NOT_FOUND: /),
				error_code: 'USER_NOT_FOUND',
				error_type: 'USER_ERROR',
				documentation_url: expect.any(String),
				request_id: suite.emulator.requests[0].response.body.request_id,
				// Node version 1 keeps not_found an error, carrying the outcome: nothing removed.
				user_id: 'usr_gone',
				outcome: 'not_found',
				removed: false,
				item_ids: [],
				not_attached_item_ids: ['item-x'],
				plaid_answer: plaidAnswerJson('USER_NOT_FOUND'),
				note: expect.stringContaining('Plaid does not know this user'),
				audit: emulatorAudit('/user/items/remove', 'user.removeItems', suite.emulator.requests[0].response.body.request_id, false),
			},
			pairedItem: { item: 0 },
		});
		expect(bad).toEqual({ json: { error: expect.stringContaining('Item IDs: entry 1 is a number') }, pairedItem: { item: 1 } });
		expect(ok.json).toEqual(removedJson({ item_ids: itemIds, not_attached_item_ids: [], user_id: 'usr_ok' }, '/user/items/remove', 'user.removeItems'));
		expect(ok.pairedItem).toEqual({ item: 2 });
	});

	it('error output: the failed item goes to the second output with the code leading `error`', async () => {
		const { itemIds } = seedUser('usr_ok', 1);

		const result = await run(
			{ userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}' },
			{ onError: 'continueErrorOutput', startItems: [{ userId: 'usr_ok', itemIds }, { userId: 'usr_gone', itemIds: ['x'] }] },
		);

		expect(result.output('Plaid', 0).map((item) => item.json.user_id)).toEqual(['usr_ok']);
		const errors = result.output('Plaid', 1);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/^USER_NOT_FOUND: /);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
	});
});
