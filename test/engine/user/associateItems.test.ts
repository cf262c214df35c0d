/**
 * User → Associate Items (/user/items/associate) through n8n's engine against the emulator: Items
 * linked without a user become the user's, so the user operations reach them.
 */
import { describeOperation, expectPlaidError, itFailsBeforeAnyRequest, plaidFailureItem, plaidSuite } from '../../harness/plaidNode';

const suite = describeOperation('user', 'associateItems');

describe('linking Items to a user', () => {
	it('sends one POST /user/items/associate with the parsed IDs; outputs request_id, item_ids, user_id', async () => {
		suite.emulator.addUser({ user_id: 'usr_target' });
		const [a, b] = [suite.emulator.addItem(), suite.emulator.addItem()];

		const result = await suite.run({ userId: ' usr_target ', itemIds: `${a.item_id},\n ${b.item_id}  ${a.item_id}` });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.path, request.body]).toEqual(['/user/items/associate', { user_id: 'usr_target', item_ids: [a.item_id, b.item_id] }]);
		expect(result.output('Plaid')).toEqual([
			{ json: { request_id: request.response.body.request_id, item_ids: [a.item_id, b.item_id], user_id: 'usr_target' }, pairedItem: { item: 0 } },
		]);
		expect(suite.emulator.itemIdsOf('usr_target')).toEqual([a.item_id, b.item_id]);
	});

	it('takes 100 Items in one call, never split', async () => {
		suite.emulator.addUser({ user_id: 'usr_target' });
		const ids = Array.from({ length: 100 }, () => suite.emulator.addItem().item_id);

		const result = await suite.run({ userId: 'usr_target', itemIds: '={{ $json.ids }}' }, { startItems: [{ ids }] });

		expect(result.status).toBe('success');
		expect(suite.emulator.requests).toHaveLength(1);
		expect(suite.emulator.requests[0].body.item_ids).toEqual(ids);
		expect(suite.emulator.itemIdsOf('usr_target')).toHaveLength(100);
	});

	it('one call per input item, outputs paired; in node version 1.1 too', async () => {
		suite.emulator.addUser({ user_id: 'usr_a' });
		suite.emulator.addUser({ user_id: 'usr_b' });
		const [a, b] = [suite.emulator.addItem(), suite.emulator.addItem()];

		const result = await suite.run(
			{ userId: '={{ $json.user }}', itemIds: '={{ $json.items }}' },
			{ typeVersion: 1.1, startItems: [{ user: 'usr_a', items: [a.item_id] }, { user: 'usr_b', items: [b.item_id] }] },
		);

		expect(suite.emulator.requests.map((request) => request.body)).toEqual([
			{ user_id: 'usr_a', item_ids: [a.item_id] },
			{ user_id: 'usr_b', item_ids: [b.item_id] },
		]);
		expect(result.output('Plaid').map((item) => [item.json.user_id, item.pairedItem])).toEqual([
			['usr_a', { item: 0 }],
			['usr_b', { item: 1 }],
		]);
	});
});

describe('what associating makes possible', () => {
	const removal = plaidSuite({ resource: 'user', operation: 'removeItems', itemSelection: 'all' });

	it('Items linked without a user are invisible to User → Remove Items until associated', async () => {
		removal.emulator.addUser({ user_id: 'usr_alice' });
		const item = removal.emulator.addItem();

		const before = await removal.run({ userId: 'usr_alice' });
		expect(before.output('Plaid')[0].json).toMatchObject({ item_ids: [], user_id: 'usr_alice', outcome: 'nothing_to_remove', removed: false });

		await removal.run({ resource: 'user', operation: 'associateItems', userId: 'usr_alice', itemIds: item.item_id });
		const after = await removal.run({ userId: 'usr_alice' });

		expect(after.output('Plaid')[0].json).toMatchObject({ item_ids: [item.item_id], user_id: 'usr_alice', outcome: 'removed', removed: true });
		expect(removal.emulator.accessTokenOf(item.item_id)).toBeUndefined();
	});
});

describe('errors', () => {
	itFailsBeforeAnyRequest(
		suite,
		[
			['no Item IDs', { itemIds: ' , ' }, 'Item IDs: no Item ID given'],
			['a number among the IDs', { itemIds: '={{ ["item-1", 7] }}' }, 'Item IDs: entry 2 is a number'],
			['two IDs in one array entry', { itemIds: '={{ ["item-1 item-2"] }}' }, 'contains a comma or white space'],
			['a blank user ID from an expression', { userId: '={{ "  " }}' }, 'User ID: required'],
			['more than 100 Items', { itemIds: `={{ Array.from({ length: 101 }, (_, i) => "item-" + i) }}` }, 'Item IDs: Plaid links at most 100 Items in one call, got 101'],
		],
		{ userId: 'usr_target', itemIds: 'item-1' },
	);

	it('an unknown user is USER_NOT_FOUND; an unknown Item ITEM_NOT_FOUND, and nothing is linked', async () => {
		suite.emulator.addUser({ user_id: 'usr_target' });
		const item = suite.emulator.addItem();

		expectPlaidError(await suite.run({ userId: 'usr_nobody', itemIds: item.item_id }), 'USER_NOT_FOUND');
		expectPlaidError(await suite.run({ userId: 'usr_target', itemIds: `${item.item_id} item-nope` }), 'ITEM_NOT_FOUND');
		expect(suite.emulator.itemIdsOf('usr_target')).toEqual([]);
	});

	it('Continue On Fail: the failed user carries the Plaid fields and its pairedItem; the others go on', async () => {
		suite.emulator.addUser({ user_id: 'usr_target' });
		const item = suite.emulator.addItem();

		const result = await suite.run(
			{ userId: '={{ $json.user }}', itemIds: item.item_id },
			{ onError: 'continueRegularOutput', startItems: [{ user: 'usr_nobody' }, { user: 'usr_target' }] },
		);

		expect(result.output('Plaid')).toEqual([
			plaidFailureItem('USER_NOT_FOUND', 'USER_ERROR', 0, suite.emulator.requests[0].response.body.request_id),
			{ json: { request_id: expect.any(String), item_ids: [item.item_id], user_id: 'usr_target' }, pairedItem: { item: 1 } },
		]);
	});
});
