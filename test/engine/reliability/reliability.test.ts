/**
 * The fault matrix for User → Remove Items, through n8n's engine against the emulator's fault
 * injection: for each fault, the outcome, how many attempts Plaid saw, Plaid's final state, and
 * that nothing is reported as removed that was not. Waits are kept tiny with the node's own
 * "Retry Delay" option; nothing here asserts on timing.
 */
import { plaidError } from '../../emulator';
import { nextTurn } from '../../harness/eventLoop';
import { addUserWithItems } from '../../harness/fixtures';
import { describeOperation, expectInputError, refusedJson, removedJson, type Run } from '../../harness/plaidNode';

const suite = describeOperation('user', 'removeItems');
const FAST = { retryDelay: 1 };
const HTML_502 = { status: 502, rawBody: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' };

const seedAlice = (): string[] => addUserWithItems(suite.emulator, 'usr_alice', 2).itemIds;

async function removeAliceItems(itemIds: string[], options: Record<string, unknown> = {}): Promise<Run> {
	return await suite.run({ userId: 'usr_alice', itemIds: itemIds.join(','), options: { ...FAST, ...options } });
}

const removeAttempts = () => suite.emulator.requestsTo('/user/items/remove').length;

/** The emulator answers a delayed request after the run is over; wait for it before judging state. */
async function untilEveryRequestIsAnswered(): Promise<void> {
	while (suite.emulator.requests.some((request) => request.response.status === null && !request.response.dropped)) {
		await nextTurn();
	}
}

/** Success: Plaid accepted the removal, the Items are gone and the output says so. */
function expectRemoved(run: Run, itemIds: string[]): void {
	expect(run.status).toBe('success');
	const fields = { item_ids: itemIds, not_attached_item_ids: [], user_id: 'usr_alice' };
	expect(run.output('Plaid')).toEqual([{ json: removedJson(fields, '/user/items/remove', 'user.removeItems'), pairedItem: { item: 0 } }]);
	expect(suite.emulator.itemIdsOf('usr_alice')).toEqual([]);
}

/**
 * An attempt's answer was lost and the retry was refused: the node cannot know whether that attempt
 * removed the Items. Node version 1 fails the item, carrying the outcome; nothing says removed.
 */
function expectUncertain(run: Run, attempts: number): void {
	expectFailed(run, /^ITEM_NOT_FOUND: /, attempts);
	const error = run.nodeError('Plaid');
	expect(error.description).toContain('Plaid may have carried it out');
	expect(error.context.run_report).toMatchObject({ failed: [{ item: 0, outcome: 'uncertain', may_have_been_applied: true }] });
}

/** Failure: nothing flows downstream as removed, and the error says how many attempts were made. */
function expectFailed(run: Run, message: RegExp, attempts: number): void {
	expect(run.status).toBe('error');
	expect(run.output('Plaid')).toEqual([]);
	const error = run.nodeError('Plaid');
	expect(error.name).toBe('NodeApiError');
	expect(error.message).toMatch(message);
	if (attempts > 1) expect(error.message).toContain(`(after ${attempts} attempts)`);
	expect(error.description).toContain(`attempts: ${attempts}`);
	expect(error.context.itemIndex).toBe(0);
}

describe('faults that pass: retried, then removed once', () => {
	it.each([
		['429 once', [{ status: 429 }], 2],
		['500 twice', [{ status: 500, times: 2 }], 3],
		['503 once (planned maintenance)', [{ body: plaidError('PLANNED_MAINTENANCE') }], 2],
		['an HTML 502 from a proxy, once', [HTML_502], 2],
		['a connection dropped before the response', [{ drop: 'before' as const }], 2],
		['a rate limit named for the endpoint (another error_code, same error_type)', [{ status: 429, body: plaidError('ITEM_GET_LIMIT') }], 2],
		['429 with Retry-After: 0', [{ status: 429, headers: { 'Retry-After': '0' } }], 2],
	])('%s', async (_label, faults, attempts) => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults(...faults.map((fault) => ({ path: '/user/items/remove', ...fault })));

		const run = await removeAliceItems(itemIds);

		expectRemoved(run, itemIds);
		expect(removeAttempts()).toBe(attempts);
		// Every retry sent the same body: one user, the whole list, never split.
		expect(new Set(suite.emulator.requests.map((request) => request.rawBody)).size).toBe(1);
		expect(suite.emulator.requests.map((request) => request.path)).not.toContain('/user/items/get');
	});

	it('a response slower than the timeout: the retry removes them; the late first answer finds them gone', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', delayMs: 1600 });

		const run = await removeAliceItems(itemIds, { timeout: 1000 });
		await untilEveryRequestIsAnswered();

		expectRemoved(run, itemIds);
		expect(removeAttempts()).toBe(2);
		expect(suite.emulator.requests.map((request) => request.response.status).sort()).toEqual([200, 400]);
	});
});

describe('faults that do not pass: an error with the attempt count, and the Items kept', () => {
	it.each([
		['an HTML 502 always', { ...HTML_502, times: Infinity }, /^Plaid request failed with HTTP 502 and a response that is not Plaid's JSON/, 4],
		['malformed JSON with 200', { status: 200, rawBody: '{"request_id": "abc", ' }, /^Plaid answered HTTP 200 without the expected JSON body$/, 1],
		['an empty body with 200', { status: 200, rawBody: '' }, /^Plaid answered HTTP 200 without the expected JSON body$/, 1],
		['a JSON array with 200', { status: 200, rawBody: '[]' }, /^Plaid answered HTTP 200 without the expected JSON body$/, 1],
		['JSON that is not Plaid’s (no request_id) with 200', { status: 200, rawBody: '{"ok":true}', contentType: 'application/json' }, /^Plaid answered HTTP 200 without the expected JSON body$/, 1],
		['400 INVALID_FIELD', { body: plaidError('INVALID_FIELD', 'item_ids is invalid') }, /^INVALID_FIELD: item_ids is invalid$/, 1],
	])('%s', async (_label, fault, message, attempts) => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', ...fault });

		const run = await removeAliceItems(itemIds);

		expectFailed(run, message, attempts);
		expect(removeAttempts()).toBe(attempts);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(itemIds);
		expect(JSON.stringify(run.nodeError('Plaid'))).not.toMatch(/Bad Gateway|<html/);
	});

	it('429 always: retried until Max Rate-Limit Wait is spent, then an error that says so', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 429, times: Infinity });

		const run = await removeAliceItems(itemIds, { maxRateLimitWait: 1, maxRetries: 0 });

		expect(run.status).toBe('error');
		const error = run.nodeError('Plaid');
		expect(error.message).toMatch(/^RATE_LIMIT: .* \(after \d+ attempts\)$/);
		expect(error.description).toMatch(/rate-limited for \d+ s: gave up at "Max Rate-Limit Wait"/);
		// Max Retries 0 does not stop rate-limit retries: they have their own, time-based limit.
		expect(removeAttempts()).toBeGreaterThan(1);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(itemIds);
	});

	it('Max Rate-Limit Wait 0: a 429 fails the item at once', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 429, times: Infinity });

		const run = await removeAliceItems(itemIds, { maxRateLimitWait: 0 });

		expectFailed(run, /^RATE_LIMIT: /, 1);
		expect(removeAttempts()).toBe(1);
	});

	it('Max Retries 0 turns retrying off', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 500 });

		const run = await removeAliceItems(itemIds, { maxRetries: 0 });

		expectFailed(run, /^INTERNAL_SERVER_ERROR: /, 1);
		expect(removeAttempts()).toBe(1);
	});

	it('Max Retries 10 makes 11 attempts', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 503, times: Infinity });

		const run = await removeAliceItems(itemIds, { maxRetries: 10, retryDelay: 0 });

		expectFailed(run, /^PLANNED_MAINTENANCE: /, 11);
		expect(removeAttempts()).toBe(11);
	});

	it('a Retry-After longer than the node waits stops at once, and says why', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 503, headers: { 'Retry-After': '3600' }, times: Infinity });

		const run = await removeAliceItems(itemIds);

		expectFailed(run, /^PLANNED_MAINTENANCE: /, 1);
		expect(run.nodeError('Plaid').description).toContain('Plaid asked to wait longer before retrying than this node waits');
		expect(removeAttempts()).toBe(1);
	});

	it('a response always slower than the timeout: an error that warns the removal may have happened', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', delayMs: 1400, times: Infinity });

		const run = await removeAliceItems(itemIds, { timeout: 1000, maxRetries: 1 });

		expectFailed(run, /^Plaid did not answer within 1000 ms/, 2);
		expect(run.nodeError('Plaid').description).toContain('Plaid may have carried it out: an attempt got no answer');
		// Plaid did act, late: the node reported no removal, and did not hide that one may have happened.
		await untilEveryRequestIsAnswered();
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual([]);
	});
});

describe('ambiguous removals: only an accepted call proves a removal', () => {
	it('dropped after Plaid removed them: the retry is refused, the Items are not listed, and that proves nothing: uncertain', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });

		const run = await removeAliceItems(itemIds);

		expectUncertain(run, 2);
		expect(suite.emulator.requests.map((request) => [request.path, request.response.status])).toEqual([
			['/user/items/remove', 200],
			['/user/items/remove', 400],
			['/user/items/get', 200],
		]);
		expect(suite.emulator.requests[0].response.dropped).toBe('after');
		// Plaid did remove them: the node says it may have, never that it did.
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual([]);
	});

	it('node version 1.1 sends the same outcome to the success output, still removed: false', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });

		const run = await suite.run({ userId: 'usr_alice', itemIds: itemIds.join(','), options: FAST }, { typeVersion: 1.1 });

		expect(run.output('Plaid')).toEqual([
			{
				json: refusedJson('uncertain', { item_ids: [], not_attached_item_ids: [], uncertain_item_ids: itemIds, user_id: 'usr_alice' }, '/user/items/remove', 'user.removeItems', 'ITEM_NOT_FOUND'),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('a 500 after Plaid acted is just as ambiguous', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'after' }, { path: '/user/items/remove', status: 500 });

		const run = await removeAliceItems(itemIds);

		expectUncertain(run, 3);
		expect(removeAttempts()).toBe(3);
	});

	it('a 503 PLANNED_MAINTENANCE says Plaid did nothing: the refusal after it is a plain not_attached', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 503 });

		const run = await removeAliceItems([itemIds[0], 'not-alices-item']);

		expectFailed(run, /^ITEM_NOT_FOUND: /, 2);
		expect(run.nodeError('Plaid').description).not.toContain('may have carried it out');
		expect(run.nodeError('Plaid').context.run_report).toMatchObject({ failed: [{ item: 0, outcome: 'not_attached', may_have_been_applied: false }] });
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(itemIds);
	});

	it('a first-attempt refusal stays an error in node version 1, saying which Items are attached', async () => {
		const itemIds = seedAlice();

		const run = await removeAliceItems([itemIds[0], 'not-alices-item']);

		expectFailed(run, /^ITEM_NOT_FOUND: /, 1);
		expect(run.nodeError('Plaid').description).toContain(`listed as attached to the user: ${itemIds[0]}; not attached: not-alices-item`);
		expect(suite.emulator.requests.map((request) => request.path)).toEqual(['/user/items/remove', '/user/items/get']);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(itemIds);
	});

	it('a 429 before ITEM_NOT_FOUND is not ambiguous (Plaid refused before acting): not_attached', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 429 });

		const run = await removeAliceItems([itemIds[0], 'not-alices-item']);

		expectFailed(run, /^ITEM_NOT_FOUND: /, 2);
		expect(run.nodeError('Plaid').description).not.toContain('may have carried it out');
		expect(suite.emulator.requestsTo('/user/items/remove')).toHaveLength(2);
	});

	it('ambiguous, the user still has one of the Items: uncertain (a lagging read proves nothing), nothing reported removed', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'before' });

		const run = await removeAliceItems([itemIds[0], 'not-alices-item']);

		expectFailed(run, /^ITEM_NOT_FOUND: /, 2);
		expect(run.nodeError('Plaid').description).toContain(`listed as attached to the user: ${itemIds[0]}; not attached: not-alices-item`);
		expect(suite.emulator.requests.map((request) => request.path)).toEqual([
			'/user/items/remove',
			'/user/items/remove',
			'/user/items/get',
		]);
		expect(suite.emulator.itemIdsOf('usr_alice')).toEqual(itemIds);
	});

	it('ambiguous, and the read itself fails: the ITEM_NOT_FOUND stands, saying which are attached is unknown', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults(
			{ path: '/user/items/remove', drop: 'after' },
			{ path: '/user/items/get', body: plaidError('INVALID_FIELD', 'checking failed') },
		);

		const run = await removeAliceItems(itemIds);

		expectFailed(run, /^ITEM_NOT_FOUND: /, 2);
		expect(run.nodeError('Plaid').description).toContain('reading the user’s Items afterwards failed');
		expect(run.nodeError('Plaid').description).toContain('Plaid may have carried it out');
	});

	it('under Continue On Fail, an uncertain item and a failed one each keep their pairing', async () => {
		const itemIds = seedAlice();
		suite.emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });

		const run = await suite.run(
			{ userId: '={{ $json.user }}', itemIds: '={{ $json.ids }}', options: FAST },
			// The second item is refused before any request, so the injected drop can only meet Alice's.
			{ onError: 'continueRegularOutput', startItems: [{ user: 'usr_alice', ids: itemIds }, { user: 'usr_alice', ids: [42] }] },
		);

		expect(run.output('Plaid').map((item) => [item.json.outcome, item.json.removed, item.json.error, item.pairedItem])).toEqual([
			['uncertain', false, expect.stringMatching(/^ITEM_NOT_FOUND: /), { item: 0 }],
			[undefined, undefined, expect.stringMatching(/^Item IDs: /), { item: 1 }],
		]);
	});
});

describe('the Options themselves', () => {
	it.each([
		['Max Retries', { maxRetries: '={{ "lots" }}' }, 'Max Retries: must be a whole number from 0 to 10'],
		['Max Retries', { maxRetries: '={{ 11 }}' }, 'Max Retries: must be a whole number from 0 to 10'],
		['Timeout', { timeout: '={{ 0 }}' }, 'Timeout: must be a whole number from 1000 to 600000'],
		['Max Rate-Limit Wait', { maxRateLimitWait: '={{ -1 }}' }, 'Max Rate-Limit Wait: must be a whole number from 0 to 3600'],
		['Retry Delay', { retryDelay: '={{ 2.5 }}' }, 'Retry Delay: must be a whole number from 0 to 30000'],
	])('a bad %s from an expression fails before any request', async (_name, options, message) => {
		const itemIds = seedAlice();

		const run = await suite.run({ userId: 'usr_alice', itemIds: itemIds.join(','), options });

		expectInputError(run, suite.emulator, new RegExp(`^${message}$`));
	});

	it('are read per item: the second item’s Max Retries 0 applies to it alone', async () => {
		suite.emulator.addUser({ user_id: 'usr_a', items: ['item-a'] });
		suite.emulator.addUser({ user_id: 'usr_b', items: ['item-b'] });
		suite.emulator.injectFaults({ path: '/user/items/remove', status: 500, times: 2 });

		const run = await suite.run(
			// One item at a time, so the two injected 500s meet each item's first attempt.
			{ userId: '={{ $json.user }}', itemIds: '={{ $json.id }}', options: { retryDelay: 1, concurrency: 1, maxRetries: '={{ $json.retries }}' } },
			{
				onError: 'continueRegularOutput',
				startItems: [
					{ user: 'usr_a', id: 'item-a', retries: 0 },
					{ user: 'usr_b', id: 'item-b', retries: 3 },
				],
			},
		);

		expect(run.output('Plaid').map((item) => item.json.error_code ?? item.json.item_ids)).toEqual([
			'INTERNAL_SERVER_ERROR',
			['item-b'],
		]);
		expect(suite.emulator.requests.map((request) => request.body.user_id)).toEqual(['usr_a', 'usr_b', 'usr_b']);
	});
});
