/**
 * Irreversible work is accounted for, through n8n's engine against the emulator: a failed run says
 * what Plaid carried out, a re-run of an offboarding succeeds without removing anything twice, n8n's
 * Retry On Fail reports the removals of its earlier try, a create whose answer was lost says the user
 * may exist, and the error output carries Plaid's fields.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { describeOperation, emulatorAudit, plaidAnswerJson, plaidSuite, refusedJson, removedJson, type Run } from '../../harness/plaidNode';

type Report = {
	cancelled: boolean;
	completed: Array<{ item: number; request_ids: string[] }>;
	failed: Array<{ item: number; error: string; may_have_been_applied: boolean }>;
	not_attempted: number[];
};

const reportOf = (run: Run): Report => run.nodeError('Plaid').context.run_report as Report;
const V11 = { typeVersion: 1.1 };

describe('a failed run reports every item', () => {
	const suite = describeOperation('item', 'remove');

	function seedItems(count: number): string[] {
		const tokens = Array.from({ length: count }, (_, n) => `access-sandbox-accounting-${n}-${fakeTokens.itemRemove.accessToken.slice(-6)}`);
		suite.emulator.addUser({ user_id: 'usr_many', items: tokens.map((access_token, n) => ({ item_id: `item-${n}`, access_token })) });
		return tokens;
	}

	it('Item → Remove with Concurrency: the error names the failed item and lists those Plaid removed, with their request_ids', async () => {
		const tokens = seedItems(3);
		const input = [{ token: 'access-sandbox-not-an-item' }, ...tokens.map((token) => ({ token }))];

		const run = await suite.run({ accessToken: '={{ $json.token }}' }, { startItems: input });

		expect(run.status).toBe('error');
		const error = run.nodeError('Plaid');
		expect(error.message).toMatch(/^INVALID_ACCESS_TOKEN: /);
		expect(error.context.itemIndex).toBe(0);
		const removals = suite.emulator.requestsTo('/item/remove').filter((request) => request.response.status === 200);
		const report = reportOf(run);
		expect(report.completed.map(({ item }) => item)).toEqual([1, 2, 3]);
		expect(report.completed.flatMap(({ request_ids }) => request_ids).sort()).toEqual(
			removals.map((request) => (request.response.body as { request_id: string }).request_id).sort(),
		);
		expect(report.failed).toEqual([
			{ item: 0, outcome: 'not_found', error: expect.stringMatching(/^INVALID_ACCESS_TOKEN/), cancelled: false, may_have_been_applied: false, request_ids: [] },
		]);
		expect(report.not_attempted).toEqual([]);
		expect(error.description).toMatch(/Plaid carried out the irreversible call of items 1 \(request_id \w+\), 2 \(request_id \w+\), 3 \(request_id \w+\)/);
		// And exactly those are gone.
		expect(suite.emulator.itemIdsOf('usr_many')).toEqual([]);
	});

	it('items never started are listed as not attempted: exactly what to run again', async () => {
		const tokens = seedItems(6);
		const input = tokens.map((token, n) => ({ token: n === 1 ? 'not-a-token' : token }));

		const run = await suite.run({ accessToken: '={{ $json.token }}', options: { concurrency: 2 } }, { startItems: input });

		const report = reportOf(run);
		expect(run.nodeError('Plaid').message).toMatch(/^Access Token: /);
		expect(report.failed.map(({ item }) => item)).toEqual([1]);
		expect(report.completed.map(({ item }) => item)).toEqual([0]);
		expect(report.not_attempted).toEqual([2, 3, 4, 5]);
		expect(run.nodeError('Plaid').description).toContain('not attempted: items 2–5');
		expect(suite.emulator.itemIdsOf('usr_many')).toEqual(['item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
	});
});

describe('re-running an offboarding (node version 1.1): Plaid’s refusal proves only that it refused', () => {
	const suite = plaidSuite({ resource: 'user' });

	it('User → Remove Items: the second run is not_attached (on the success output), removed: false, and Plaid removes nothing more', async () => {
		suite.emulator.addUser({ user_id: 'usr_twice', items: ['item-a', 'item-b'] });
		const parameters = { operation: 'removeItems', userId: 'usr_twice', itemIds: 'item-a, item-b' };
		await suite.run(parameters, V11);
		suite.emulator.clearRequests();

		const again = await suite.run(parameters, V11);

		expect(again.status).toBe('success');
		expect(again.output('Plaid')[0].json).toEqual(
			refusedJson(
				'not_attached',
				{ item_ids: [], not_attached_item_ids: ['item-a', 'item-b'], attached_item_ids: [], user_id: 'usr_twice' },
				'/user/items/remove',
				'user.removeItems',
				'ITEM_NOT_FOUND',
			),
		);
		// One removal, which Plaid refused, and one read of what the user still has.
		expect(suite.emulator.requests.map((request) => [request.path, request.response.status])).toEqual([
			['/user/items/remove', 400],
			['/user/items/get', 200],
		]);
	});

	it('User → Remove Items with some Items already gone: removes the rest in one more call (partial), lists the others apart', async () => {
		suite.emulator.addUser({ user_id: 'usr_half', items: ['item-a', 'item-b', 'item-c'] });
		await suite.run({ operation: 'removeItems', userId: 'usr_half', itemIds: 'item-a' }, V11);
		suite.emulator.clearRequests();

		const run = await suite.run({ operation: 'removeItems', userId: 'usr_half', itemIds: 'item-a, item-b, item-c' }, V11);

		expect(run.output('Plaid')[0].json).toEqual({
			...removedJson({ item_ids: ['item-b', 'item-c'], not_attached_item_ids: ['item-a'], user_id: 'usr_half' }, '/user/items/remove', 'user.removeItems'),
			outcome: 'partial',
		});
		expect(suite.emulator.requests.map((request) => [request.path, request.body.item_ids ?? null])).toEqual([
			['/user/items/remove', ['item-a', 'item-b', 'item-c']],
			['/user/items/get', null],
			['/user/items/remove', ['item-b', 'item-c']],
		]);
		expect(suite.emulator.itemIdsOf('usr_half')).toEqual([]);
	});

	it('User → Remove Items, All Items, for a user Plaid does not know: not_found, nothing sent but the read', async () => {
		const v11 = await suite.run({ operation: 'removeItems', userId: 'usr_deleted_earlier', itemSelection: 'all' }, V11);
		const v1 = await suite.run({ operation: 'removeItems', userId: 'usr_deleted_earlier', itemSelection: 'all' });

		expect(v11.output('Plaid')[0].json).toEqual(
			// The read that showed it is the audit record: no removal was sent.
			refusedJson('not_found', { item_ids: [], not_attached_item_ids: [], user_id: 'usr_deleted_earlier' }, '/user/items/get', 'user.removeItems', 'USER_NOT_FOUND'),
		);
		expect(v1.nodeError('Plaid').message).toMatch(/^USER_NOT_FOUND: /);
		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/user/items/get', '/user/items/get']);
	});

	it('User → Remove: not_found, and what Plaid answered', async () => {
		suite.emulator.addUser({ user_id: 'usr_gone_twice' });
		await suite.run({ operation: 'remove', userId: 'usr_gone_twice' }, V11);

		const again = await suite.run({ operation: 'remove', userId: 'usr_gone_twice' }, V11);

		expect(again.output('Plaid')[0].json).toEqual(refusedJson('not_found', { user_id: 'usr_gone_twice' }, '/user/remove', 'user.remove', 'USER_NOT_FOUND'));
	});

	it('node version 1 keeps not_found an error unless the option says otherwise; the option never makes it a removal', async () => {
		suite.emulator.addUser({ user_id: 'usr_v1' });
		await suite.run({ operation: 'remove', userId: 'usr_v1' });

		const strict = await suite.run({ operation: 'remove', userId: 'usr_v1' });
		const lenient = await suite.run({ operation: 'remove', userId: 'usr_v1', options: { alreadyRemovedIsSuccess: true } });
		const strictV11 = await suite.run({ operation: 'remove', userId: 'usr_v1', options: { alreadyRemovedIsSuccess: false } }, V11);

		expect(strict.nodeError('Plaid').message).toMatch(/^USER_NOT_FOUND: /);
		expect(lenient.output('Plaid')[0].json).toMatchObject({ outcome: 'not_found', removed: false });
		expect(strictV11.nodeError('Plaid').message).toMatch(/^USER_NOT_FOUND: /);
	});
});

describe('n8n’s Retry On Fail on top of the node’s own retries', () => {
	const suite = describeOperation('user', 'removeItems');

	it('the second try reports the first try’s removal as it was, with its request_id, and finishes the rest', async () => {
		suite.emulator.addUser({ user_id: 'usr_first', items: ['item-1'] });
		suite.emulator.addUser({ user_id: 'usr_second', items: ['item-2'] });
		// The second user's removal fails beyond the node's own retries on the first try only.
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 500, bodyMatch: { user_id: 'usr_second' } });

		const run = await suite.run(
			{ userId: '={{ $json.user }}', itemIds: '={{ $json.item }}', options: { maxRetries: 0, concurrency: 1 } },
			{
				startItems: [
					{ user: 'usr_first', item: 'item-1' },
					{ user: 'usr_second', item: 'item-2' },
				],
				nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
			},
		);

		expect(run.status).toBe('success');
		const firstRemoval = suite.emulator.requestsTo('/user/items/remove')[0];
		expect(firstRemoval.body).toEqual({ user_id: 'usr_first', item_ids: ['item-1'] });
		const [first, second] = run.output('Plaid').map((item) => item.json);
		const firstRequestId = (firstRemoval.response.body as { request_id: string }).request_id;
		expect(first).toEqual({
			...removedJson({ item_ids: ['item-1'], not_attached_item_ids: [], user_id: 'usr_first' }, '/user/items/remove', 'user.removeItems'),
			request_id: firstRequestId,
			removed_on_earlier_try: true,
			earlier_request_ids: [firstRequestId],
			audit: emulatorAudit('/user/items/remove', 'user.removeItems', firstRequestId),
		});
		expect(second).toEqual(removedJson({ item_ids: ['item-2'], not_attached_item_ids: [], user_id: 'usr_second' }, '/user/items/remove', 'user.removeItems'));
		expect(suite.emulator.itemIdsOf('usr_first')).toEqual([]);
		expect(suite.emulator.itemIdsOf('usr_second')).toEqual([]);
	});
});

describe('User → Create whose first attempt went through and whose answer was lost', () => {
	const suite = describeOperation('user', 'create');
	const legacy = describeOperation('user', 'create', { userApi: 'legacy' });

	it('new user API: the retry returns the user the lost attempt created; one user, a success', async () => {
		suite.emulator.injectFaults({ path: '/user/create', drop: 'after' });

		const run = await suite.run({ clientUserId: 'crm-lost-answer', options: { retryDelay: 1 } });

		expect(suite.emulator.requestsTo('/user/create')).toHaveLength(2);
		const [user] = [...suite.emulator.state.users.values()].filter((candidate) => candidate.client_user_id === 'crm-lost-answer');
		expect(run.output('Plaid')[0].json).toEqual({ user_id: user.user_id, user_api: 'new', client_user_id: 'crm-lost-answer', request_id: expect.any(String) });
	});

	it('legacy user API: not a plain failure: the user exists, maybe made by the lost attempt, with its client_user_id', async () => {
		legacy.emulator.injectFaults({ path: '/user/create', drop: 'after' });

		const run = await legacy.run({ clientUserId: 'crm-lost-answer', options: { retryDelay: 1 } }, { onError: 'continueRegularOutput' });

		// Plaid created the user on the first attempt; the retry met the repeated client_user_id.
		expect(legacy.emulator.requestsTo('/user/create')).toHaveLength(2);
		expect(run.output('Plaid')[0].json).toMatchObject({
			error: expect.stringMatching(/^INVALID_FIELD: /),
			client_user_id: 'crm-lost-answer',
			user_exists: true,
			may_have_been_applied: true,
		});
	});

	it('legacy user API, without Continue On Fail: the error description says so', async () => {
		legacy.emulator.injectFaults({ path: '/user/create', drop: 'after' });

		const run = await legacy.run({ clientUserId: 'crm-lost-answer-2', options: { retryDelay: 1 } });

		expect(run.nodeError('Plaid').description).toContain('a Plaid user already exists for client_user_id "crm-lost-answer-2"');
		expect(run.nodeError('Plaid').description).toContain('an attempt of this very call whose answer was lost may have created it');
	});
});

describe('the error output carries Plaid’s fields', () => {
	const suite = describeOperation('user', 'remove');

	it('under details, where n8n keeps them, beside the input item’s own fields', async () => {
		const run = await suite.run({ userId: '={{ $json.id }}' }, { onError: 'continueErrorOutput', startItems: [{ id: 'usr_nobody', crm: 'c-1' }] });

		const [failed] = run.output('Plaid', 1);
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(failed.json).toEqual({
			id: 'usr_nobody',
			crm: 'c-1',
			error: expect.stringMatching(/^USER_NOT_FOUND: /),
			details: {
				error_code: 'USER_NOT_FOUND',
				error_type: 'USER_ERROR',
				request_id: expect.any(String),
				documentation_url: expect.stringMatching(/^https:\/\/plaid\.com\/docs\/errors\//),
				// The outcome, as the success output would have carried it.
				user_id: 'usr_nobody',
				outcome: 'not_found',
				removed: false,
				plaid_answer: plaidAnswerJson('USER_NOT_FOUND'),
				note: expect.any(String),
				audit: emulatorAudit('/user/remove', 'user.remove', expect.any(String), false),
			},
		});
	});
});

describe('safe defaults in the editor', () => {
	const suite = plaidSuite({ resource: 'user' });

	it('a new node (version 1.1) saved without an operation reads: Get Items', async () => {
		suite.emulator.addUser({ user_id: 'usr_default', items: ['item-1'] });

		const run = await suite.run({ userId: 'usr_default' }, V11);

		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/user/items/get']);
		expect(suite.emulator.itemIdsOf('usr_default')).toEqual(['item-1']);
		expect(run.status).toBe('success');
	});

	it('a version-1 workflow saved without an operation still removes, as it always did', async () => {
		suite.emulator.addUser({ user_id: 'usr_default', items: ['item-1'] });

		await suite.run({ userId: 'usr_default', itemIds: 'item-1' });

		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/user/items/remove']);
		expect(suite.emulator.itemIdsOf('usr_default')).toEqual([]);
	});
});
