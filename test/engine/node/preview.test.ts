/**
 * "Preview Only" for every irreversible operation, through n8n's engine against the emulator: the
 * emulator's request log proves nothing irreversible was sent, and the output says what would happen.
 */
import { emulatorAudit, plaidSuite } from '../../harness/plaidNode';

const PREVIEW = { options: { preview: true } };
const READS = new Set(['/user/items/get', '/item/get']);

const suite = plaidSuite({});
const sentOnlyReads = () => suite.emulator.requests.every((request) => READS.has(request.path));

function seedAlice() {
	suite.emulator.addUser({
		user_id: 'usr_alice',
		items: [
			{ item_id: 'item-a', access_token: 'access-sandbox-preview-a', institution_name: 'First Platypus Bank' },
			{ item_id: 'item-b', access_token: 'access-sandbox-preview-b' },
		],
	});
}

describe('User → Remove Items', () => {
	it('lists the Items that would be removed, and removes none', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemIds: 'item-a', ...PREVIEW });

		expect(run.output('Plaid')[0].json).toEqual({
			request_id: expect.any(String),
			preview: true,
			user_id: 'usr_alice',
			outcome: 'would_remove',
			removed: false,
			item_ids: ['item-a'],
			not_attached_item_ids: [],
			items: [{ item_id: 'item-a', institution_id: 'ins_109508', institution_name: 'First Platypus Bank' }],
			// The read is the audit record: nothing irreversible was sent.
			audit: emulatorAudit('/user/items/get', 'user.removeItems', expect.any(String), false),
		});
		expect(sentOnlyReads()).toBe(true);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['item-a', 'item-b']);
	});

	it('names IDs that are not the user’s, so the atomic call would fail (node version 1)', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemIds: 'item-a, item-x', ...PREVIEW });

		expect(run.output('Plaid')[0].json).toMatchObject({ outcome: 'would_be_not_attached', removed: false, item_ids: [], not_attached_item_ids: ['item-x'] });
		expect(sentOnlyReads()).toBe(true);
	});

	it('with Not Found Is Success (version 1.1): the attached ones would be removed, the others listed', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemIds: 'item-a, item-x', ...PREVIEW }, { typeVersion: 1.1 });

		expect(run.output('Plaid')[0].json).toMatchObject({ outcome: 'would_be_partial', removed: false, item_ids: ['item-a'], not_attached_item_ids: ['item-x'] });
	});

	it('All Items of the User: every Item, from one read', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_alice', itemSelection: 'all', ...PREVIEW });

		expect(run.output('Plaid')[0].json).toMatchObject({ preview: true, outcome: 'would_remove', item_ids: ['item-a', 'item-b'] });
		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/user/items/get']);
	});

	it('a user that is not there: would be not_found, whatever the option says (a preview fails nothing)', async () => {
		const v1 = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_nobody', itemIds: 'item-a', ...PREVIEW });
		const v11 = await suite.run({ resource: 'user', operation: 'removeItems', userId: 'usr_nobody', itemIds: 'item-a', ...PREVIEW }, { typeVersion: 1.1 });

		for (const run of [v1, v11]) {
			expect(run.output('Plaid')[0].json).toMatchObject({ preview: true, outcome: 'would_be_not_found', removed: false, plaid_answer: { error_code: 'USER_NOT_FOUND' } });
		}
		expect(sentOnlyReads()).toBe(true);
	});
});

describe('User → Remove and Terminate Products', () => {
	it('Remove: the Items that would go with the user', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'user', operation: 'remove', userId: 'usr_alice', ...PREVIEW });

		expect(run.output('Plaid')[0].json).toEqual({
			request_id: expect.any(String),
			preview: true,
			user_id: 'usr_alice',
			item_ids: ['item-a', 'item-b'],
			outcome: 'would_remove',
			removed: false,
			audit: emulatorAudit('/user/items/get', 'user.remove', expect.any(String), false),
		});
		expect(sentOnlyReads()).toBe(true);
		expect(suite.emulator.getUser('usr_alice')).toBeDefined();
	});

	it('Terminate Products: the user and the reason, and nothing terminated', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'user', operation: 'terminateProducts', userId: 'usr_alice', reasonCode: 'FRAUD_ABUSE', ...PREVIEW });

		expect(run.output('Plaid')[0].json).toMatchObject({ preview: true, user_id: 'usr_alice', outcome: 'would_remove', reason_code: 'FRAUD_ABUSE' });
		expect(sentOnlyReads()).toBe(true);
		expect(suite.emulator.getUser('usr_alice')?.products_terminated).toBeUndefined();
	});
});

describe.each([
	['remove', {}],
	['terminate', { reasonCode: 'USER_OFFBOARDING' }],
])('Item → %s', (operation, extra) => {
	it('the Item the access token opens, and the token still works afterwards', async () => {
		seedAlice();

		const run = await suite.run({ resource: 'item', operation, accessToken: 'access-sandbox-preview-a', ...extra, ...PREVIEW });

		expect(run.output('Plaid')[0].json).toMatchObject({
			preview: true,
			outcome: 'would_remove',
			item_id: 'item-a',
			institution_name: 'First Platypus Bank',
			products: expect.any(Array),
		});
		expect(sentOnlyReads()).toBe(true);
		expect(suite.emulator.accessTokenOf('item-a')).toBe('access-sandbox-preview-a');
		expect(JSON.stringify(run.output('Plaid'))).not.toContain('access-sandbox-preview-a');
	});

	it('an access token that is already invalid', async () => {
		const run = await suite.run({ resource: 'item', operation, accessToken: 'access-sandbox-long-gone', ...extra, ...PREVIEW }, { typeVersion: 1.1 });

		expect(run.output('Plaid')[0].json).toMatchObject({ preview: true, outcome: 'would_be_not_found', removed: false, plaid_answer: { error_code: 'INVALID_ACCESS_TOKEN' } });
		expect(sentOnlyReads()).toBe(true);
	});
});
