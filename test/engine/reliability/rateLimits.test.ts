/**
 * Rate limits as Plaid might apply them, through n8n's engine against the emulator's limiters: Plaid
 * documents limits per minute and per client or endpoint but not the algorithm, so every shape is
 * tried (fixed and sliding windows, a token bucket, per Item, per endpoint, over all endpoints, with
 * and without Retry-After). In virtual time (harness/virtualTime.js): the waits are real to the
 * node and take no time here. At the default Options, no user may be lost: every removal happens and
 * is reported. How close each comes to the allowed rate is measured by `npm run bench`.
 */
import { benchWorkflow } from '../../../bench/workflows';
import { startEmulator } from '../../emulator';
import { loadPackage, runWorkflow } from '../../harness/engine';
import { removedJson, type Run } from '../../harness/plaidNode';
import { fixedAccessToken } from '../../harness/tokens';
import { inVirtualTime } from '../../harness/virtualTime';
import { emulatorCredentials, plaidWorkflow } from '../../harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type RateLimitSpec = NonNullable<Parameters<typeof startEmulator>[0]>['rateLimits'];

let loaded: Awaited<ReturnType<typeof loadPackage>>;
const emulators: Emulator[] = [];

beforeAll(async () => {
	loaded = await loadPackage();
});
afterEach(async () => {
	await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

/** A fresh emulator (so no pacing learned in another test carries over) with these limits. */
async function limitedEmulator(rateLimits: RateLimitSpec): Promise<Emulator> {
	const emulator = await startEmulator({ latencyMs: 20, jitter: 0.2, rateLimits });
	emulators.push(emulator);
	return emulator;
}

function seedUsers(emulator: Emulator, count: number) {
	return Array.from({ length: count }, (_, n) => {
		const userId = `usr_${n}`;
		emulator.addUser({ user_id: userId, items: [`item_${n}_a`, `item_${n}_b`] });
		return { userId, itemIds: [`item_${n}_a`, `item_${n}_b`] };
	});
}

const removeItems = (options: Record<string, unknown> = {}) =>
	plaidWorkflow(
		{ resource: 'user', operation: 'removeItems', userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}', options },
		{ onError: 'continueRegularOutput' },
	);

/** Runs `work` in virtual time, against every emulator of this test. */
const virtually = async <T>(work: () => Promise<T>): Promise<T> => await inVirtualTime(jest, emulators, work);

/** Every user removed and reported as such: no error item, nothing left at Plaid. */
function expectNoneLost(emulator: Emulator, users: Array<{ userId: string; itemIds: string[] }>, runs: Run[]) {
	const outputs = runs.flatMap((run) => run.output('Plaid').map((item: { json: Record<string, unknown> }) => item.json));
	expect(outputs.filter((json) => json.error !== undefined)).toEqual([]);
	expect(outputs).toEqual(users.map(({ userId, itemIds }) => removedJson({ item_ids: itemIds, not_attached_item_ids: [], user_id: userId }, '/user/items/remove', 'user.removeItems')));
	expect(users.filter(({ userId }) => emulator.itemIdsOf(userId).length > 0)).toEqual([]);
	// The limiter really refused some: this tested the shape, not an idle server.
	expect(emulator.requests.some((request) => request.response.status === 429)).toBe(true);
}

describe('one execution, many users, at the default Options (Concurrency 20)', () => {
	it.each<[string, RateLimitSpec]>([
		['a fixed window (10 per 500 ms)', [{ shape: 'fixed-window', limit: 10, windowMs: 500 }]],
		['a long fixed window (30 per 3 s): most of the run waits for the next windows', [{ shape: 'fixed-window', limit: 30, windowMs: 3000, anchor: 'first-request' }]],
		['a sliding log (10 per 500 ms)', [{ shape: 'sliding-log', limit: 10, windowMs: 500 }]],
		['a sliding-window counter (10 per 500 ms)', [{ shape: 'sliding-counter', limit: 10, windowMs: 500 }]],
		['a token bucket (20/s, burst 2)', [{ shape: 'token-bucket', ratePerSecond: 20, burst: 2 }]],
		['a fixed window with Retry-After in seconds (20 per 1 s)', [{ shape: 'fixed-window', limit: 20, windowMs: 1000, retryAfter: 'seconds' }]],
		['a token bucket with Retry-After as an HTTP date (20/s)', [{ shape: 'token-bucket', ratePerSecond: 20, burst: 5, retryAfter: 'date' }]],
		['a sliding log that counts refused requests too', [{ shape: 'sliding-log', limit: 10, windowMs: 500, countRefused: true }]],
		['a window anchored at the first request (15 per 1 s)', [{ shape: 'fixed-window', limit: 15, windowMs: 1000, anchor: 'first-request' }]],
		['a per-minute window, Plaid’s unit (30 a minute): most of the run waits out used-up minutes', [{ shape: 'fixed-window', limit: 30, windowMs: 60_000, anchor: 'first-request' }]],
	])('%s: no user lost', async (_name, rateLimits) => {
		const emulator = await limitedEmulator(rateLimits);
		const users = seedUsers(emulator, 80);

		const run = await virtually(async () => await runWorkflow(removeItems({ concurrency: 20 }), { credentials: emulatorCredentials(emulator), startItems: users, loaded }));

		expectNoneLost(emulator, users, [run]);
	});
});

it('one execution per user, 60 at once, all on one client’s limit: no user lost', async () => {
	const emulator = await limitedEmulator([{ shape: 'fixed-window', limit: 10, windowMs: 500 }]);
	const users = seedUsers(emulator, 60);

	const runs = await virtually(
		async () => await Promise.all(users.map((user) => runWorkflow(removeItems(), { credentials: emulatorCredentials(emulator), startItems: [user], loaded }))),
	);

	expectNoneLost(emulator, users, runs);
});

describe('the CRM recipe, one execution per user (Get Items → Remove Items), 60 at once', () => {
	const recipe = benchWorkflow('recipe', 5);
	it.each<[string, RateLimitSpec]>([
		['one token bucket over both endpoints (10/s, burst 1)', [{ shape: 'token-bucket', ratePerSecond: 10, burst: 1 }]],
		['a token bucket per endpoint (10/s, burst 1 each)', [{ shape: 'token-bucket', ratePerSecond: 10, burst: 1, scope: 'endpoint' }]],
		['one fixed window over both endpoints (10 a second)', [{ shape: 'fixed-window', limit: 10, windowMs: 1000 }]],
		['a fixed window per endpoint, and a per-minute one over both', [{ shape: 'fixed-window', limit: 10, windowMs: 1000, scope: 'endpoint' }, { shape: 'fixed-window', limit: 80, windowMs: 60_000, anchor: 'first-request' }]],
	])('%s: no user lost', async (_name, rateLimits) => {
		const emulator = await limitedEmulator(rateLimits);
		const users = seedUsers(emulator, 60);

		const runs = await virtually(
			async () => await Promise.all(users.map((user) => runWorkflow(recipe.workflow, { credentials: emulatorCredentials(emulator), startItems: [user], loaded }))),
		);

		const outputs = runs.map((run) => run.output(recipe.lastNode)[0].json);
		expect(outputs.filter((json) => json.error !== undefined)).toEqual([]);
		expect(outputs.map((json) => json.removed)).toEqual(users.map(() => true));
		expect(users.filter(({ userId }) => emulator.itemIdsOf(userId).length > 0)).toEqual([]);
		expect(emulator.requests.some((request) => request.response.status === 429)).toBe(true);
	});
});

it('a per-Item limit on /item/get: each read waits for its own Item, nothing lost', async () => {
	const emulator = await limitedEmulator([{ shape: 'fixed-window', limit: 2, windowMs: 500, scope: 'item', paths: ['/item/get'] }]);
	const [hot, cold] = [fixedAccessToken('hot item'), fixedAccessToken('cold item')];
	emulator.addUser({ user_id: 'usr_reads', items: [{ item_id: 'item-hot', access_token: hot }, { item_id: 'item-cold', access_token: cold }] });
	// Six reads of one Item, one of another, in one execution.
	const tokens = [...Array.from({ length: 6 }, () => hot), cold];

	const run = await virtually(
		async () =>
			await runWorkflow(
				plaidWorkflow({ resource: 'item', operation: 'get', accessToken: '={{ $json.token }}' }, { onError: 'continueRegularOutput' }),
				{ credentials: emulatorCredentials(emulator), startItems: tokens.map((token) => ({ token })), loaded },
			),
	);

	const outputs = run.output('Plaid').map((item: { json: { item?: { item_id: string }; error?: string } }) => item.json);
	expect(outputs.map((json) => json.error ?? json.item?.item_id)).toEqual([...Array(6).fill('item-hot'), 'item-cold']);
	expect(emulator.requests.filter((request) => request.response.status === 429).every((request) => request.body.access_token === tokens[0])).toBe(true);
	expect(emulator.requests.some((request) => request.response.status === 429)).toBe(true);
});

it('Max Rate-Limit Wait bounds the wait: past it, the item fails with a rate-limit error and the others go on', async () => {
	// The window starts at the first request, so it cannot reset during the test.
	const emulator = await limitedEmulator([{ shape: 'fixed-window', limit: 2, windowMs: 60_000, anchor: 'first-request' }]);
	const users = seedUsers(emulator, 4);

	const run = await virtually(
		async () => await runWorkflow(removeItems({ concurrency: 1, maxRateLimitWait: 1 }), { credentials: emulatorCredentials(emulator), startItems: users, loaded }),
	);

	const outputs = run.output('Plaid').map((item: { json: Record<string, unknown> }) => item.json);
	expect(outputs.slice(0, 2).map((json) => json.removed)).toEqual([true, true]);
	expect(outputs.slice(2).map((json) => json.error_code)).toEqual(['RATE_LIMIT', 'RATE_LIMIT']);
	expect(outputs[2].error).toMatch(/^RATE_LIMIT: .*\(after \d+ attempts\)$/);
	expect(users.slice(2).map(({ userId }) => emulator.itemIdsOf(userId).length)).toEqual([2, 2]);
});
