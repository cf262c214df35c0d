/**
 * Cancelling an execution (n8n's Stop, or its execution timeout) while the node waits out a rate
 * limit or a retry: the wait ends at once, nothing more reaches Plaid, and the run still says what
 * was done. Through n8n's engine against the emulator.
 */
import { until } from '../../harness/eventLoop';
import { describeOperation, removedJson, type Run } from '../../harness/plaidNode';

const suite = describeOperation('user', 'removeItems');

/** Runs, cancelling as soon as `when` holds (checked every few milliseconds). */
async function runAndCancelWhen(parameters: Record<string, unknown>, startItems: Array<Record<string, unknown>>, when: () => boolean) {
	let cancelledAt = 0;
	let requestsAtCancel = 0;
	const run: Run = await suite.run(parameters, {
		startItems,
		onStarted: (cancel) => {
			void (async () => {
				await until(when, 5);
				requestsAtCancel = suite.emulator.requests.length;
				cancelledAt = Date.now();
				cancel();
			})();
		},
	});
	return { run, cancelledAt, endedAt: Date.now(), requestsAtCancel };
}

const users = ['usr_a', 'usr_b', 'usr_c'];
const input = users.map((user) => ({ user, item: `item-of-${user}` }));
const parameters = { userId: '={{ $json.user }}', itemIds: '={{ $json.item }}', options: { concurrency: 1, maxRateLimitWait: 120 } };

beforeEach(() => {
	for (const user of users) suite.emulator.addUser({ user_id: user, items: [`item-of-${user}`] });
});

it('during a rate-limit wait: the run ends within a moment, sends nothing more, and reports every item', async () => {
	// The first user is removed; then Plaid refuses, asking to come back in 30 s, as a used-up window does.
	suite.emulator.injectFaults({ path: '/user/items/remove', status: 429, headers: { 'Retry-After': '30' }, times: Infinity, bodyMatch: { user_id: 'usr_b' } });
	const refused = () => suite.emulator.requests.some((request) => request.response.status === 429);

	const { run, cancelledAt, endedAt, requestsAtCancel } = await runAndCancelWhen(parameters, input, refused);

	// The wait it was in would have lasted 30 s; it ends at the next check.
	expect(endedAt - cancelledAt).toBeLessThan(5_000);
	expect(suite.emulator.requests).toHaveLength(requestsAtCancel);
	const error = run.nodeError('Plaid');
	expect(error.message).toBe('The execution was cancelled after 1 of 3 items completed; nothing more was sent to Plaid');
	expect(error.context.run_report).toEqual({
		cancelled: true,
		completed: [{ item: 0, outcome: 'removed', request_ids: [expect.any(String)] }],
		failed: [{ item: 1, error: expect.stringMatching(/^The execution was cancelled while \/user\/items\/remove waited/), cancelled: true, may_have_been_applied: false, request_ids: [] }],
		not_attempted: [2],
	});
	expect(error.description).toContain('Plaid carried out the irreversible call of items 0 (request_id');
	expect(error.description).toContain('stopped by the cancellation before Plaid carried them out: items 1');
	expect(suite.emulator.itemIdsOf('usr_a')).toEqual([]);
	expect(suite.emulator.itemIdsOf('usr_b')).toEqual(['item-of-usr_b']);
	expect(suite.emulator.itemIdsOf('usr_c')).toEqual(['item-of-usr_c']);
});

it('a removal already on its way is seen through and reported, not abandoned', async () => {
	suite.emulator.injectFaults({ path: '/user/items/remove', delayMs: 1500, bodyMatch: { user_id: 'usr_b' } });
	const secondSent = () => suite.emulator.requests.length >= 2;

	const { run, requestsAtCancel } = await runAndCancelWhen(parameters, input, secondSent);

	expect(suite.emulator.requests).toHaveLength(requestsAtCancel);
	expect(suite.emulator.itemIdsOf('usr_b')).toEqual([]);
	expect(run.nodeError('Plaid').context.run_report).toEqual({
		cancelled: true,
		completed: [
			{ item: 0, outcome: 'removed', request_ids: [expect.any(String)] },
			{ item: 1, outcome: 'removed', request_ids: [(suite.emulator.requests[1].response.body as { request_id: string }).request_id] },
		],
		failed: [],
		not_attempted: [2],
	});
});

it('during the wait before a retry after a server error: the same', async () => {
	suite.emulator.injectFaults({ path: '/user/items/remove', status: 503, headers: { 'Retry-After': '20' }, bodyMatch: { user_id: 'usr_a' } });

	const { run, requestsAtCancel } = await runAndCancelWhen(parameters, input, () => suite.emulator.requests.length >= 1);

	expect(suite.emulator.requests).toHaveLength(requestsAtCancel);
	expect(run.nodeError('Plaid').context.run_report).toMatchObject({ cancelled: true, completed: [], not_attempted: [1, 2] });
});

it('a run that is not cancelled is untouched by all this', async () => {
	const run = await suite.run(parameters, { startItems: input });

	expect(run.output('Plaid').map((item) => item.json)).toEqual(
		users.map((user) => removedJson({ item_ids: [`item-of-${user}`], not_attached_item_ids: [], user_id: user }, '/user/items/remove', 'user.removeItems')),
	);
});
