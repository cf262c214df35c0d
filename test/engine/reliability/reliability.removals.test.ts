/**
 * Retries and ambiguous removals for the other operations, through n8n's engine against the
 * emulator: after User → Remove or Item → Remove lost an answer, Plaid's "not found" is `uncertain`
 * (never a removal, and no read can settle it: Plaid answers a removed target like one that never
 * was); every operation retries what passes, and the "Options" show for every resource and operation.
 */
import { NodeHelpers, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import fakeTokens from '../../fixtures/fakeTokens.json';
import { loadPackage } from '../../harness/engine';
import { describeOperation, expectPlaidError, refusedJson, removedJson, type Run } from '../../harness/plaidNode';

const FAST = { retryDelay: 1 };
const TOKEN = fakeTokens.reliabilityRemovals.accessToken;
const USER_TOKEN = fakeTokens.reliabilityRemovals.userToken;
const V11 = { typeVersion: 1.1 };

const paths = (suite: { emulator: { requests: Array<{ path: string }> } }) => suite.emulator.requests.map((r) => r.path);

/** Node version 1: an unproven outcome fails the item, carrying the outcome; nothing says removed. */
function expectUnproven(run: Run, code: string, outcome: string): void {
	expectPlaidError(run, code);
	expect(run.nodeError('Plaid').context.run_report).toMatchObject({ failed: [{ item: 0, outcome, may_have_been_applied: outcome === 'uncertain' }] });
	expect(run.output('Plaid')).toEqual([]);
}

describe('User → Remove', () => {
	const suite = describeOperation('user', 'remove');

	it('dropped after Plaid removed the user: the retry answers USER_NOT_FOUND: uncertain, with no read that could not settle it', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice', items: [{}] });
		suite.emulator.injectFaults({ path: '/user/remove', drop: 'after' });

		const run = await suite.run({ userId: 'usr_alice', options: FAST });

		expectUnproven(run, 'USER_NOT_FOUND', 'uncertain');
		expect(run.nodeError('Plaid').description).toContain('may have done the work, or there was nothing to do');
		expect(paths(suite)).toEqual(['/user/remove', '/user/remove']);
		expect(suite.emulator.getUser('usr_alice')).toBeUndefined();
	});

	it('node version 1.1 puts it on the success output: uncertain, removed: false', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice', items: [{}] });
		suite.emulator.injectFaults({ path: '/user/remove', drop: 'after' });

		const run = await suite.run({ userId: 'usr_alice', options: FAST }, V11);

		expect(run.output('Plaid')).toEqual([{ json: refusedJson('uncertain', { user_id: 'usr_alice' }, '/user/remove', 'user.remove', 'USER_NOT_FOUND'), pairedItem: { item: 0 } }]);
	});

	it('by user token: the retry answers INVALID_USER_TOKEN: uncertain, no token in the output', async () => {
		suite.emulator.addUser({ user_id: 'usr_legacy', user_token: USER_TOKEN });
		suite.emulator.injectFaults({ path: '/user/remove', drop: 'after' });

		const run = await suite.run({ identifyBy: 'userToken', userToken: USER_TOKEN, options: FAST }, V11);

		expect(run.output('Plaid')).toEqual([{ json: refusedJson('uncertain', {}, '/user/remove', 'user.remove', 'INVALID_USER_TOKEN'), pairedItem: { item: 0 } }]);
		expect(suite.emulator.requests.map((r) => r.response.body && (r.response.body as { error_code?: string }).error_code)).toEqual([undefined, 'INVALID_USER_TOKEN']);
	});

	it('a 500, then a removal whose answer is lost: uncertain', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice' });
		suite.emulator.injectFaults({ path: '/user/remove', status: 500 }, { path: '/user/remove', drop: 'after' });

		const run = await suite.run({ userId: 'usr_alice', options: FAST });

		expectUnproven(run, 'USER_NOT_FOUND', 'uncertain');
		expect(paths(suite)).toEqual(['/user/remove', '/user/remove', '/user/remove']);
	});

	it('a first-attempt USER_NOT_FOUND is not_found: nothing removed, with no read', async () => {
		const run = await suite.run({ userId: 'usr_nobody', options: FAST });

		expectUnproven(run, 'USER_NOT_FOUND', 'not_found');
		expect(paths(suite)).toEqual(['/user/remove']);
	});

	it('ambiguous, and the user is in fact still there: uncertain, nothing reported removed', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice' });
		suite.emulator.injectFaults(
			{ path: '/user/remove', drop: 'before' },
			{ path: '/user/remove', status: 400, body: { error_type: 'USER_ERROR', error_code: 'USER_NOT_FOUND', error_message: 'stale replica' } },
		);

		const run = await suite.run({ userId: 'usr_alice', options: FAST });

		expectUnproven(run, 'USER_NOT_FOUND', 'uncertain');
		expect(paths(suite)).toEqual(['/user/remove', '/user/remove']);
		expect(suite.emulator.getUser('usr_alice')).toBeDefined();
	});
});

describe('Item → Remove', () => {
	const suite = describeOperation('item', 'remove');

	beforeEach(() => suite.emulator.addUser({ user_id: 'usr_alice', items: [{ item_id: 'item-1', access_token: TOKEN }, 'item-2'] }));

	it('dropped after Plaid removed the Item: INVALID_ACCESS_TOKEN on retry: uncertain', async () => {
		suite.emulator.injectFaults({ path: '/item/remove', drop: 'after' });

		const run = await suite.run({ accessToken: TOKEN, options: FAST });

		expectUnproven(run, 'INVALID_ACCESS_TOKEN', 'uncertain');
		expect(paths(suite)).toEqual(['/item/remove', '/item/remove']);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['item-2']);
	});

	it('a first-attempt INVALID_ACCESS_TOKEN is not_found, with no read', async () => {
		const run = await suite.run({ accessToken: 'access-sandbox-unknown', options: FAST });

		expectUnproven(run, 'INVALID_ACCESS_TOKEN', 'not_found');
		expect(paths(suite)).toEqual(['/item/remove']);
	});

	it('a 503 PLANNED_MAINTENANCE did nothing: the refusal after it is not_found, though the Item is in fact there', async () => {
		suite.emulator.injectFaults(
			{ path: '/item/remove', status: 503 },
			{ path: '/item/remove', body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_ACCESS_TOKEN', error_message: 'stale' } },
		);

		const run = await suite.run({ accessToken: TOKEN, options: FAST });

		expectUnproven(run, 'INVALID_ACCESS_TOKEN', 'not_found');
		expect(paths(suite)).toEqual(['/item/remove', '/item/remove']);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(['item-1', 'item-2']);
	});

	it('429 once, then removed once', async () => {
		suite.emulator.injectFaults({ path: '/item/remove', status: 429 });

		const run = await suite.run({ accessToken: TOKEN, options: FAST });

		expect(run.output('Plaid')).toEqual([{ json: removedJson({}, '/item/remove', 'item.remove'), pairedItem: { item: 0 } }]);
		expect(paths(suite)).toEqual(['/item/remove', '/item/remove']);
	});
});

describe.each([
	['user', 'getItems', { userId: 'usr_alice' }, '/user/items/get'],
	['user', 'create', { clientUserId: 'crm-42' }, '/user/create'],
	['user', 'terminateProducts', { userId: 'usr_alice', reasonCode: 'BILLING_TERMINATION' }, '/user/products/terminate'],
	['item', 'get', { accessToken: TOKEN }, '/item/get'],
])('%s → %s retries too', (resource, operation, parameters, path) => {
	const suite = describeOperation(resource, operation);

	beforeEach(() => suite.emulator.addUser({ user_id: 'usr_alice', items: [{ item_id: 'item-1', access_token: TOKEN }] }));

	it('a 500 and a 429, then success', async () => {
		suite.emulator.injectFaults({ path, status: 500 }, { path, status: 429 });

		const run = await suite.run({ ...parameters, options: FAST });

		expect(run.status).toBe('success');
		expect(paths(suite)).toEqual([path, path, path]);
	});

	it('Max Retries 0: the first failure is final', async () => {
		suite.emulator.injectFaults({ path, status: 503 });

		const run = await suite.run({ ...parameters, options: { maxRetries: 0 } });

		expectPlaidError(run, 'PLANNED_MAINTENANCE');
		expect(paths(suite)).toEqual([path]);
	});
});

describe('the Options collection', () => {
	let description: INodeTypeDescription;
	beforeAll(async () => {
		const loaded = await loadPackage();
		description = loaded.nodeTypes.getByNameAndVersion('n8n-nodes-plaid.plaid', 1).description;
	});

	/** Every resource / operation pair the node offers. */
	function operations(): Array<[string, string]> {
		const resources = (description.properties.find((p) => p.name === 'resource')!.options as Array<{ value: string }>).map((o) => o.value);
		return resources.flatMap((resource) =>
			description.properties
				.filter((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))
				.flatMap((p) => (p.options as Array<{ value: string }>).map((o): [string, string] => [resource, o.value])),
		);
	}

	it('is one property, shown for every resource and operation, with the contract’s defaults', () => {
		const candidates = description.properties.filter((p) => p.name === 'options');
		expect(candidates).toHaveLength(1);
		const [options] = candidates as INodeProperties[];
		const defaults = Object.fromEntries((options.options as INodeProperties[]).map((o) => [o.name, o.default]));
		expect(defaults).toMatchObject({ maxRetries: 3, timeout: 30000, maxRateLimitWait: 300, concurrency: 5, preview: false, alreadyRemovedIsSuccess: true });

		const pairs = operations();
		expect(pairs.length).toBeGreaterThanOrEqual(7);
		for (const [resource, operation] of pairs) {
			const node = { typeVersion: 1 };
			const values = NodeHelpers.getNodeParameters(description.properties, { resource, operation }, true, false, null, description)!;
			expect([resource, operation, NodeHelpers.displayParameter(values, options, node, description)]).toEqual([resource, operation, true]);
		}
	});
});
