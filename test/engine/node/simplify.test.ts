/**
 * "Simplify" on Item → Get and User → Get Items, through n8n's engine against the emulator: off by
 * default in node version 1 (a saved version-1 workflow keeps Plaid's full objects), on by default
 * from version 1.1; either way it can be set.
 */
import { describeOperation, expectInputError, plaidSuite } from '../../harness/plaidNode';

const LOGIN_REQUIRED = { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'login details changed', display_message: null };

const SIMPLIFIED_ITEM_FIELDS = [
	'item_id',
	'institution_name',
	'institution_id',
	'products',
	'billed_products',
	'error_code',
	'update_type',
	'consent_expiration_time',
	'webhook',
];

describe('Item → Get', () => {
	const suite = describeOperation('item', 'get');

	function seedItem() {
		return suite.emulator.addItem({ item_id: 'item-1', error: LOGIN_REQUIRED, webhook: 'https://n8n.example.com/webhook/plaid' });
	}

	it('version 1 by default: Plaid’s { item, status, request_id } unchanged', async () => {
		const item = seedItem();

		const result = await suite.run({ accessToken: item.access_token });

		expect(result.output('Plaid')[0].json).toEqual(suite.emulator.requests[0].response.body);
	});

	it('version 1.1 by default: the Item in at most 10 fields, the error flattened to its code, with the request_id', async () => {
		const item = seedItem();

		const result = await suite.run({ accessToken: item.access_token }, { typeVersion: 1.1 });

		const { request_id } = suite.emulator.requests[0].response.body;
		expect(result.output('Plaid')).toEqual([
			{
				json: {
					item_id: 'item-1',
					institution_name: 'First Platypus Bank',
					institution_id: 'ins_109508',
					products: ['auth', 'transactions'],
					billed_products: ['auth', 'transactions'],
					error_code: 'ITEM_LOGIN_REQUIRED',
					update_type: 'background',
					consent_expiration_time: null,
					webhook: 'https://n8n.example.com/webhook/plaid',
					request_id,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(Object.keys(result.output('Plaid')[0].json).length).toBeLessThanOrEqual(10);
	});

	it.each([
		[1, true, 'simplified'],
		[1.1, false, 'full'],
	])('version %s with Simplify %s: %s', async (typeVersion, simplify, shape) => {
		const item = seedItem();

		const result = await suite.run({ accessToken: item.access_token, simplify }, { typeVersion });

		const keys = Object.keys(result.output('Plaid')[0].json);
		expect(keys).toEqual(shape === 'full' ? ['item', 'status', 'request_id'] : [...SIMPLIFIED_ITEM_FIELDS, 'request_id']);
	});

	it('a Simplify that is not true or false fails before any request', async () => {
		const item = seedItem();
		expectInputError(await suite.run({ accessToken: item.access_token, simplify: '={{ "yes" }}' }, { typeVersion: 1.1 }), suite.emulator, 'Simplify: must be true or false, got a string');
	});
});

describe('User → Get Items', () => {
	const suite = plaidSuite({ resource: 'user', operation: 'getItems', userId: 'usr_alice' });

	beforeEach(() => suite.emulator.addUser({ user_id: 'usr_alice', items: [{ item_id: 'item-ok' }, { item_id: 'item-broken', error: LOGIN_REQUIRED }] }));

	it('version 1 by default: Plaid’s Items unchanged', async () => {
		const result = await suite.run({});

		expect(result.output('Plaid').map((item) => item.json)).toEqual(suite.emulator.requests[0].response.body.items);
	});

	it('version 1.1 by default: each Item simplified, paired to the user', async () => {
		const result = await suite.run({}, { typeVersion: 1.1 });

		expect(result.output('Plaid').map((item) => Object.keys(item.json))).toEqual([SIMPLIFIED_ITEM_FIELDS, SIMPLIFIED_ITEM_FIELDS]);
		expect(result.output('Plaid').map((item) => [item.json.item_id, item.json.error_code, item.pairedItem])).toEqual([
			['item-ok', null, { item: 0 }],
			['item-broken', 'ITEM_LOGIN_REQUIRED', { item: 0 }],
		]);
	});

	it('Split Into Items off: { items, request_id } with the Items simplified, or not', async () => {
		const simplified = await suite.run({ splitIntoItems: false }, { typeVersion: 1.1 });
		const full = await suite.run({ splitIntoItems: false, simplify: false }, { typeVersion: 1.1 });

		expect(simplified.output('Plaid')[0].json).toEqual({
			items: [expect.objectContaining({ item_id: 'item-ok', error_code: null }), expect.objectContaining({ item_id: 'item-broken', error_code: 'ITEM_LOGIN_REQUIRED' })],
			request_id: suite.emulator.requests[0].response.body.request_id,
		});
		expect(full.output('Plaid')[0].json).toEqual(suite.emulator.requests[1].response.body);
	});

	it('version 1 with Simplify on', async () => {
		const result = await suite.run({ simplify: true });

		expect(result.output('Plaid').map((item) => Object.keys(item.json))).toEqual([SIMPLIFIED_ITEM_FIELDS, SIMPLIFIED_ITEM_FIELDS]);
	});
});
