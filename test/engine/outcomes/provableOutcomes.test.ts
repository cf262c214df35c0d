/**
 * Only what Plaid proves (CONTRACT.md, "Outcomes"), through n8n's engine against the emulator, under
 * each of the emulator's shapes for what Plaid leaves unsaid: which code answers a not-attached Item,
 * whether that message names the IDs, and a read that lags a removal. Every case also holds the
 * emulator's state to the output: nothing claimed removed is still there, nothing still there is
 * claimed removed.
 */
import { plaidSuite } from '../../harness/plaidNode';
import { expectStateMatches, outputsOf } from '../../harness/truthfulness';
import { fixedAccessToken } from '../../harness/tokens';

const V11 = { typeVersion: 1.1 };
const FAST = { retryDelay: 1 };

type Shape = { notAttachedAnswer: 'ITEM_NOT_FOUND' | 'INVALID_FIELD' | 'INVALID_REQUEST'; notAttachedMessage: 'names-ids' | 'generic'; readLagMs: number };

/** Every answer to a not-attached Item, with and without the IDs named, with and without a lagging read. */
const SHAPES: Shape[] = (['ITEM_NOT_FOUND', 'INVALID_FIELD', 'INVALID_REQUEST'] as const).flatMap((notAttachedAnswer) =>
	(['names-ids', 'generic'] as const).flatMap((notAttachedMessage) => [0, 60_000].map((readLagMs) => ({ notAttachedAnswer, notAttachedMessage, readLagMs }))),
);
const shapeName = ({ notAttachedAnswer, notAttachedMessage, readLagMs }: Shape) => `${notAttachedAnswer}, ${notAttachedMessage}, read lag ${readLagMs} ms`;

describe.each(SHAPES)('User → Remove Items, %s', (shape) => {
	const suite = plaidSuite({ resource: 'user', operation: 'removeItems' }, shape);
	const label = shapeName(shape);

	beforeEach(() => {
		suite.emulator.addUser({ user_id: 'usr_alice', items: ['alice-1', 'alice-2'] });
		suite.emulator.addUser({ user_id: 'usr_bob', items: ['bob-1'] });
		suite.emulator.addItem({ item_id: 'no-user-1' });
	});

	it(`${label}: an Item linked without a user is not_attached, never removed, and stays live`, async () => {
		const run = await suite.run({ userId: 'usr_alice', itemIds: 'no-user-1' }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'not_attached', removed: false, item_ids: [], not_attached_item_ids: ['no-user-1'] })]);
		expect(suite.emulator.state.itemsById.has('no-user-1')).toBe(true);
		expectStateMatches(run, suite.emulator);
	});

	it(`${label}: another user's Item is not_attached, and that user keeps it`, async () => {
		const run = await suite.run({ userId: 'usr_alice', itemIds: 'bob-1' }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'not_attached', removed: false, not_attached_item_ids: ['bob-1'] })]);
		expect(suite.emulator.itemIdsOf('usr_bob')).toEqual(['bob-1']);
		expectStateMatches(run, suite.emulator);
	});

	it(`${label}: a mix is partial in 1.1 (her Items removed, the others named), and removes nothing in 1`, async () => {
		const v1 = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1, bob-1, no-user-1', options: FAST }, { onError: 'continueRegularOutput' });
		expect(outputsOf(v1)).toEqual([
			expect.objectContaining({ outcome: 'not_attached', removed: false, attached_item_ids: ['alice-1'], not_attached_item_ids: ['bob-1', 'no-user-1'] }),
		]);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['alice-1', 'alice-2']);
		expectStateMatches(v1, suite.emulator);

		const v11 = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1, bob-1, no-user-1', options: FAST }, V11);

		expect(outputsOf(v11)).toEqual([expect.objectContaining({ outcome: 'partial', removed: true, item_ids: ['alice-1'], not_attached_item_ids: ['bob-1', 'no-user-1'] })]);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['alice-2']);
		expect(suite.emulator.itemIdsOf('usr_bob')).toEqual(['bob-1']);
		expectStateMatches(v11, suite.emulator);
	});

	it(`${label}: a 503 PLANNED_MAINTENANCE, then a refusal: Plaid did nothing either time, not_attached`, async () => {
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 503 });

		const run = await suite.run({ userId: 'usr_alice', itemIds: 'bob-1', options: FAST }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'not_attached', removed: false })]);
		expect(suite.emulator.itemIdsOf('usr_bob')).toEqual(['bob-1']);
		expectStateMatches(run, suite.emulator);
	});

	it(`${label}: an answer lost after Plaid removed them, then a refusal: uncertain, never removed`, async () => {
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });

		const run = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1, alice-2', options: FAST }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'uncertain', removed: false, item_ids: [], uncertain_item_ids: ['alice-1', 'alice-2'] })]);
		// Plaid did act: the emulator logged the removal, its answer never delivered.
		expect(suite.emulator.removals).toEqual([expect.objectContaining({ item_ids: ['alice-1', 'alice-2'], delivered: false })]);
		expectStateMatches(run, suite.emulator);
	});

	it(`${label}: All Items of the User, an answer lost, then a refusal: uncertain, though the node read them attached before`, async () => {
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });

		const run = await suite.run({ userId: 'usr_alice', itemSelection: 'all', options: FAST }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'uncertain', removed: false, uncertain_item_ids: ['alice-1', 'alice-2'] })]);
		expectStateMatches(run, suite.emulator);
	});

	it(`${label}: a typo in an Item ID is not_attached, a typo in the user is not_found: never removed`, async () => {
		const items = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1-typo' }, V11);
		const user = await suite.run({ userId: 'usr_typo', itemIds: 'alice-1' }, V11);

		expect(outputsOf(items)).toEqual([expect.objectContaining({ outcome: 'not_attached', removed: false })]);
		expect(outputsOf(user)).toEqual([expect.objectContaining({ outcome: 'not_found', removed: false, plaid_answer: expect.objectContaining({ error_code: 'USER_NOT_FOUND' }) })]);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['alice-1', 'alice-2']);
	});

	it.each([1, 5])(`${label}: two identical input items at Concurrency %i: one removal, the second a duplicate of the first`, async (concurrency) => {
		const run = await suite.run(
			{ userId: '={{ $json.user }}', itemIds: '={{ $json.ids }}', options: { concurrency } },
			{ ...V11, startItems: [{ user: 'usr_alice', ids: 'alice-1, alice-2' }, { user: 'usr_alice', ids: 'alice-2,alice-1' }] },
		);

		const [first, second] = outputsOf(run);
		expect(first).toMatchObject({ outcome: 'removed', removed: true, item_ids: ['alice-1', 'alice-2'] });
		expect(second).toMatchObject({ outcome: 'duplicate', removed: false, duplicate_of: 0, audit: expect.objectContaining({ accepted: false, request_id: null }) });
		expect(second.request_id).toBeUndefined();
		expect(suite.emulator.requestsTo('/user/items/remove')).toHaveLength(1);
		expectStateMatches(run, suite.emulator);
	});
});

describe('Verify Removal', () => {
	const suite = plaidSuite({ resource: 'user', operation: 'removeItems' });

	beforeEach(() => suite.emulator.addUser({ user_id: 'usr_alice', items: ['alice-1', 'alice-2'] }));

	it('without read lag: verified at the first read, whose request_id is in audit.verified_by', async () => {
		const run = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1', options: { verifyRemoval: true } }, V11);

		const [output] = outputsOf(run);
		const read = suite.emulator.requestsTo('/user/items/get').at(-1)!;
		expect(output).toMatchObject({ outcome: 'removed', verified: true, audit: { verified_by: read.response.body.request_id, accepted: true } });
		expect(suite.emulator.requestsTo('/user/items/get')).toHaveLength(1);
	});

	it('with a read that lags 0.6 s: read again until the Items no longer show, then verified', async () => {
		suite.emulator.setShapes({ readLagMs: 600 });
		try {
			const run = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1', options: { verifyRemoval: true } }, V11);

			expect(outputsOf(run)[0]).toMatchObject({ outcome: 'removed', verified: true });
			expect(suite.emulator.requestsTo('/user/items/get').length).toBeGreaterThan(1);
		} finally {
			suite.emulator.setShapes({ readLagMs: 0 });
		}
	});

	it('with a read that lags longer than Verify Within: removed (Plaid accepted it), verified: false, saying why', async () => {
		suite.emulator.setShapes({ readLagMs: 60_000 });
		try {
			const run = await suite.run({ userId: 'usr_alice', itemIds: 'alice-1', options: { verifyRemoval: true, verifyWithin: 1 } }, V11);

			expect(outputsOf(run)[0]).toMatchObject({ outcome: 'removed', removed: true, verified: false, verify_note: expect.stringContaining('still shown by /user/items/get') });
			expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['alice-2']);
		} finally {
			suite.emulator.setShapes({ readLagMs: 0 });
		}
	});
});

describe.each([false, true])('Item → Remove and Terminate, Verify Removal (/item/get lags: %s)', (readLagItemGet) => {
	const suite = plaidSuite({ resource: 'item' }, { readLagMs: 600, readLagItemGet });

	it.each(['remove', 'terminate'])('%s: verified once /item/get no longer knows the token', async (operation) => {
		const item = suite.emulator.addItem({ access_token: fixedAccessToken(`verify-${operation}`) });

		const run = await suite.run({ operation, accessToken: item.access_token, reasonCode: operation === 'terminate' ? 'USER_OFFBOARDING' : '', options: { verifyRemoval: true } }, V11);

		expect(outputsOf(run)[0]).toMatchObject({ outcome: 'removed', verified: true });
		const reads = suite.emulator.requestsTo('/item/get').length;
		if (readLagItemGet) expect(reads).toBeGreaterThan(1);
		else expect(reads).toBe(1);
		expectStateMatches(run, suite.emulator);
	});
});

describe('single targets: a refusal proves only that Plaid refused', () => {
	const suite = plaidSuite({});

	it('Item → Remove with a mistyped token: not_found (1.1), an error in 1; nothing removed', async () => {
		suite.emulator.addItem({ item_id: 'real', access_token: fixedAccessToken('real') });
		const typo = `${fixedAccessToken('real')}x`;

		const v11 = await suite.run({ resource: 'item', operation: 'remove', accessToken: typo }, V11);
		const v1 = await suite.run({ resource: 'item', operation: 'remove', accessToken: typo });

		expect(outputsOf(v11)).toEqual([expect.objectContaining({ outcome: 'not_found', removed: false, plaid_answer: expect.objectContaining({ error_code: 'INVALID_ACCESS_TOKEN' }) })]);
		expect(v1.nodeError('Plaid').message).toMatch(/^INVALID_ACCESS_TOKEN: /);
		expect(suite.emulator.state.itemsById.has('real')).toBe(true);
	});

	it('Item → Terminate, the same token twice in one run: terminated once, then a duplicate', async () => {
		const item = suite.emulator.addItem({ item_id: 'twice', access_token: fixedAccessToken('twice') });

		const run = await suite.run(
			{ resource: 'item', operation: 'terminate', accessToken: '={{ $json.token }}', reasonCode: 'USER_OFFBOARDING' },
			{ ...V11, startItems: [{ token: item.access_token }, { token: item.access_token }] },
		);

		expect(outputsOf(run).map((output) => [output.outcome, output.removed, output.duplicate_of])).toEqual([
			['removed', true, undefined],
			['duplicate', false, 0],
		]);
		expect(suite.emulator.requestsTo('/item/products/terminate')).toHaveLength(1);
	});

	it('User → Terminate Products for a user Plaid does not know: not_found, never "terminated"', async () => {
		const run = await suite.run({ resource: 'user', operation: 'terminateProducts', userId: 'usr_missing', reasonCode: 'USER_OFFBOARDING' }, V11);

		expect(outputsOf(run)).toEqual([
			expect.objectContaining({ outcome: 'not_found', removed: false, user_id: 'usr_missing', plaid_answer: expect.objectContaining({ error_code: 'USER_NOT_FOUND' }) }),
		]);
	});

	it('User → Remove with a mistyped user_id: not_found, with a hint for legacy users', async () => {
		suite.emulator.addUser({ user_id: 'usr_real' });

		const run = await suite.run({ resource: 'user', operation: 'remove', userId: 'usr_reel' }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'not_found', removed: false, note: expect.stringContaining('mistyped') })]);
		expect(suite.emulator.getUser('usr_real')).toBeDefined();
	});
});

describe('a token of the other environment is refused before anything is sent', () => {
	const suite = plaidSuite({});
	const sandboxToken = fixedAccessToken('environment');
	const productionToken = sandboxToken.replace('access-sandbox-', 'access-production-');
	const userToken = (environment: string) => `user-${environment}-${sandboxToken.slice('access-sandbox-'.length)}`;

	it.each([
		['Item → Remove, a Sandbox access token, Production keys', 'production', { resource: 'item', operation: 'remove', accessToken: sandboxToken }, /^Access Token: a Sandbox access token/],
		['Item → Terminate, a Production access token, Sandbox keys', 'sandbox', { resource: 'item', operation: 'terminate', accessToken: productionToken, reasonCode: 'USER_OFFBOARDING' }, /^Access Token: a Production access token/],
		['Item → Get, a Sandbox access token, Production keys', 'production', { resource: 'item', operation: 'get', accessToken: sandboxToken }, /^Access Token: a Sandbox access token/],
		['User → Remove Items by a Production user token, Sandbox keys', 'sandbox', { resource: 'user', operation: 'removeItems', identifyBy: 'userToken', userToken: userToken('production'), itemIds: 'a' }, /^User Token: a Production user token/],
		['User → Remove by a Sandbox user token given as User ID, Production keys', 'production', { resource: 'user', operation: 'remove', userId: userToken('sandbox') }, /^User ID: a Sandbox user token/],
	])('%s', async (_label, environment, parameters, message) => {
		const run = await suite.run(parameters, { ...V11, credentials: { environment } });

		expect(run.status).toBe('error');
		const error = run.nodeError('Plaid');
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(message);
		expect(error.message).toContain('Nothing was sent');
		expect(suite.emulator.requests).toHaveLength(0);
	});

	it('a custom URL (an emulator, a gateway) accepts either environment', async () => {
		const run = await suite.run({ resource: 'item', operation: 'remove', accessToken: productionToken }, V11);

		expect(outputsOf(run)).toEqual([expect.objectContaining({ outcome: 'not_found' })]);
	});

	it('a user token given as User ID is never echoed: not in the output, the audit record or the error', async () => {
		const token = userToken('sandbox');
		suite.emulator.addUser({ user_id: 'legacy0000000000000000000000', user_token: token, migrated: true, items: ['legacy-item'] });

		const removed = await suite.run({ resource: 'user', operation: 'removeItems', userId: token, itemIds: 'legacy-item' }, V11);
		const again = await suite.run({ resource: 'user', operation: 'remove', userId: token });

		expect(outputsOf(removed)).toEqual([expect.objectContaining({ outcome: 'removed', item_ids: ['legacy-item'] })]);
		expect(outputsOf(removed)[0].user_id).toBeUndefined();
		expect(JSON.stringify(removed.run)).not.toContain(token);
		expect(JSON.stringify(again.run.data.resultData)).not.toContain(token);
	});
});
