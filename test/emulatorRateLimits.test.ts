/**
 * The emulator's rate limits: every shape admits exactly what its definition says, the Retry-After
 * it sends is the true wait, per-Item limits follow the Item, several limits apply at once, and a
 * refused request changes nothing. Shapes are checked on an injected clock, so every boundary is
 * exact; one test runs on the real clock with short windows.
 */
import fc from 'fast-check';
import { sleep } from 'n8n-workflow';

import { bareClient } from '../bench/clients';
import { startEmulatorProcess } from '../bench/emulatorProcess';
import { startEmulator, PlaidEmulator } from './emulator';
import { RateLimits, createShape, normaliseSpec, PER_ITEM_MESSAGE, type RateLimitSpec } from './emulator/rateLimits';

type Json = Record<string, unknown>;
interface Answer {
	status: number;
	body: Json;
	retryAfter: string | null;
}

/** A clock that moves only when told. */
class TestClock {
	time = 0;

	now(): number {
		return this.time;
	}
}

const emulators: PlaidEmulator[] = [];
afterAll(async () => await Promise.all(emulators.map(async (emulator) => await emulator.close())));

async function emulatorWith(rateLimits: RateLimitSpec[], clock: TestClock): Promise<PlaidEmulator> {
	const emulator = await startEmulator({ rateLimits, clock, inspectRoutes: true });
	emulators.push(emulator);
	return emulator;
}

async function post(emulator: PlaidEmulator, path: string, body: Json): Promise<Answer> {
	const response = await fetch(`${emulator.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Json, retryAfter: response.headers.get('retry-after') };
}

async function inspect(emulator: PlaidEmulator, method: 'GET' | 'POST', route: string, body?: unknown): Promise<{ status: number; body: Json }> {
	const response = await fetch(`${emulator.url}/__emulator/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: response.status, body: (await response.json()) as Json };
}

/** The statuses of `count` calls, one after the other. */
async function statusesOf(count: number, call: () => Promise<Answer>): Promise<number[]> {
	const statuses: number[] = [];
	for (let i = 0; i < count; i++) statuses.push((await call()).status);
	return statuses;
}

/** A user with one Item per name; returns the Items' access tokens by name. */
function seedUser(emulator: PlaidEmulator, userId: string, itemIds: string[]): Record<string, string> {
	emulator.addUser({ user_id: userId, items: itemIds });
	return Object.fromEntries(itemIds.map((itemId) => [itemId, emulator.accessTokenOf(itemId) as string]));
}

/**
 * What each window shape admits, straight from its definition, given the times of the requests it
 * counted so far. The token bucket has no such closed form; its examples and waits are below.
 */
function admittedByDefinition(spec: RateLimitSpec, counted: number[], now: number): boolean {
	const [limit, W] = [spec.limit ?? 0, spec.windowMs ?? 0];
	const inWindow = (index: number) => counted.filter((time) => Math.floor(time / W) === index).length;
	if (spec.shape === 'sliding-log') return counted.filter((time) => time > now - W).length < limit;
	if (spec.shape === 'sliding-counter') {
		const index = Math.floor(now / W);
		return inWindow(index - 1) * (W - (now - index * W)) + inWindow(index) * W <= (limit - 1) * W;
	}
	if (spec.anchor === 'epoch') return inWindow(Math.floor(now / W)) < limit;
	let start: number | undefined;
	for (const time of counted) if (start === undefined || time >= start + W) start = time;
	if (start === undefined || now >= start + W) return true;
	return counted.filter((time) => time >= (start as number)).length < limit;
}

const windowShape = fc.record({
	shape: fc.constantFrom('fixed-window' as const, 'sliding-log' as const, 'sliding-counter' as const),
	limit: fc.integer({ min: 1, max: 6 }),
	windowMs: fc.integer({ min: 1, max: 60 }),
	countRefused: fc.boolean(),
});
const anyShape = fc.oneof(
	windowShape,
	windowShape.map((spec) => ({ ...spec, shape: 'fixed-window' as const, anchor: 'first-request' as const })),
	fc.record({
		shape: fc.constant('token-bucket' as const),
		ratePerSecond: fc.integer({ min: 1, max: 400 }),
		burst: fc.integer({ min: 1, max: 6 }),
		countRefused: fc.boolean(),
	}),
);

describe('rate-limit shapes, on an injected clock', () => {
	it('admit exactly what their definition admits, and a refusal’s wait is the true wait to the millisecond', () => {
		fc.assert(
			fc.property(anyShape, fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 80 }), (raw, gaps) => {
				const spec = normaliseSpec(raw);
				const clock = new TestClock();
				clock.time = 1_000_000;
				const limits = new RateLimits([spec], clock, () => undefined);
				const probe = createShape(spec);
				const counted: number[] = [];
				for (const gap of gaps) {
					clock.time += gap;
					const expected = spec.shape === 'token-bucket' ? probe.admits('client', clock.time) : admittedByDefinition(spec, counted, clock.time);
					const refusal = limits.check({ path: '/user/items/remove' });
					expect(refusal === undefined).toBe(expected);
					if (refusal === undefined || spec.countRefused) {
						counted.push(clock.time);
						probe.count('client', clock.time);
					}
					if (refusal) {
						expect(refusal.waitMs).toBeGreaterThanOrEqual(1);
						expect(probe.waitMs('client', clock.time)).toBe(refusal.waitMs);
						expect(probe.admits('client', clock.time + refusal.waitMs)).toBe(true);
						expect(probe.admits('client', clock.time + refusal.waitMs - 1)).toBe(false);
					}
				}
			}),
			{ numRuns: 400 },
		);
	});

	const admits = (spec: RateLimitSpec, clock: TestClock, times: number[]): Array<boolean | number> => {
		const limits = new RateLimits([spec], clock, () => undefined);
		return times.map((time) => {
			clock.time = time;
			return limits.check({ path: '/x' })?.waitMs ?? true;
		});
	};

	it('fixed window on the clock: a burst of 2 × limit around a boundary, then a wait to the next window', () => {
		const spec: RateLimitSpec = { shape: 'fixed-window', limit: 3, windowMs: 1000 };
		expect(admits(spec, new TestClock(), [10_998, 10_999, 10_999, 10_999, 11_000, 11_000, 11_000, 11_001, 11_700, 12_000])).toEqual([
			true, true, true, 1, true, true, true, 999, 300, true,
		]);
	});

	it('fixed window from the first request: the window starts when the first request comes', () => {
		const spec: RateLimitSpec = { shape: 'fixed-window', limit: 2, windowMs: 1000, anchor: 'first-request' };
		expect(admits(spec, new TestClock(), [10_500, 10_900, 11_000, 11_499, 11_500, 11_501, 12_400, 12_499, 12_500])).toEqual([
			true, true, 500, 1, true, true, 100, 1, true,
		]);
	});

	it('sliding log: never more than limit in any window; the wait is until the oldest counted one leaves', () => {
		const spec: RateLimitSpec = { shape: 'sliding-log', limit: 3, windowMs: 1000 };
		expect(admits(spec, new TestClock(), [0, 400, 800, 900, 999, 1000, 1001, 1400])).toEqual([true, true, true, 100, 1, true, 399, true]);
	});

	it('sliding-window counter: the previous window weighs by its overlap', () => {
		const spec: RateLimitSpec = { shape: 'sliding-counter', limit: 10, windowMs: 1000 };
		const clock = new TestClock();
		const full = Array.from({ length: 10 }, () => 500);
		// 10 in [0, 1000); at 1000 they still weigh 10; at 1099, 10 × 0.901 + 1 > 10; at 1100, 10 × 0.9 + 1 = 10.
		expect(admits(spec, clock, [...full, 999, 1000, 1099, 1100, 1100])).toEqual([...full.map(() => true), 101, 100, 1, true, 100]);
	});

	it('token bucket: a burst, then one per 1/rate; idle time refills it up to the burst only', () => {
		const spec: RateLimitSpec = { shape: 'token-bucket', ratePerSecond: 50, burst: 5 };
		const burst = [0, 0, 0, 0, 0];
		expect(admits(spec, new TestClock(), [...burst, 0, 19, 20, 21, 39, 40, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000])).toEqual([
			...burst.map(() => true), 20, 1, true, 19, 1, true, true, true, true, true, true, 20,
		]);
	});

	it('a limit that counts refusals punishes knocking: a token bucket down to −burst, a window full of refusals', () => {
		const bucket: RateLimitSpec = { shape: 'token-bucket', ratePerSecond: 100, burst: 2, countRefused: true };
		expect(admits(bucket, new TestClock(), [0, 0, 0, 0, 0, 0, 40])).toEqual([true, true, 20, 30, 30, 30, true]);
		// Knocking every 50 ms on a log of 2 per 100 ms never gets in; 150 ms of quiet does.
		const log: RateLimitSpec = { shape: 'sliding-log', limit: 2, windowMs: 100, countRefused: true };
		expect(admits(log, new TestClock(), [0, 50, 99, 100, 150, 199, 249, 400])).toEqual([true, true, 51, 99, 50, 51, 50, true]);
	});

	it('refuses a spec with a wrong or missing field, naming it', () => {
		expect(() => normaliseSpec({ shape: 'fixed-window', limit: 0, windowMs: 1000 })).toThrow(/limit must be a whole number/);
		expect(() => normaliseSpec({ shape: 'token-bucket', ratePerSecond: 5, burst: 2, windowMs: 1000 } as RateLimitSpec)).toThrow(/token-bucket takes no windowMs/);
		expect(() => normaliseSpec({ shape: 'leaky' } as unknown as RateLimitSpec)).toThrow(/shape must be one of/);
		expect(() => normaliseSpec({ shape: 'sliding-log', limit: 2, windowMs: 100, retryAfter: 'ms' } as unknown as RateLimitSpec)).toThrow(/retryAfter/);
		expect(() => normaliseSpec({ shape: 'sliding-log', limit: 2, windowMs: 100, paths: ['item/get'] })).toThrow(/paths/);
	});
});

describe('rate limits through HTTP, on an injected clock', () => {
	it('a per-client limit on a list of paths: Plaid’s 429 for those paths only, and the stats count it by path', async () => {
		const clock = new TestClock();
		clock.time = 5_000;
		const emulator = await emulatorWith([{ shape: 'fixed-window', limit: 2, windowMs: 1000, paths: ['/user/items/get', '/item/get'] }], clock);
		emulator.addUser({ user_id: 'usr_a', items: ['item_a'] });
		const getItems = () => post(emulator, '/user/items/get', { user_id: 'usr_a' });

		expect(await statusesOf(2, getItems)).toEqual([200, 200]);
		const refused = await post(emulator, '/item/get', { access_token: 'x' });
		expect(refused.status).toBe(429);
		expect(refused.body).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'ITEM_GET_LIMIT', display_message: null });
		expect(refused.retryAfter).toBeNull();
		expect((await getItems()).body).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT' });
		expect((await post(emulator, '/user/remove', { user_id: 'usr_nobody' })).status).toBe(400);
		clock.time = 6_000;
		expect((await getItems()).status).toBe(200);

		const { body } = await inspect(emulator, 'GET', 'stats');
		expect(body).toMatchObject({ rate_limited: 2, by_path: { '/user/items/get': { '200': 3, '429': 1 }, '/item/get': { '429': 1 }, '/user/remove': { '400': 1 } } });
		const { body: limits } = await inspect(emulator, 'GET', 'rate-limits');
		expect(limits.rate_limits).toEqual([expect.objectContaining({ shape: 'fixed-window', limit: 2, admitted: 3, refused: 2 })]);
	});

	it('per Item: each Item has its own count per limit, and a refusal uses Plaid’s per-Item message', async () => {
		const clock = new TestClock();
		clock.time = 60_000;
		const emulator = await emulatorWith(
			[
				{ shape: 'fixed-window', limit: 2, windowMs: 60_000, scope: 'item', paths: ['/item/remove'] },
				{ shape: 'fixed-window', limit: 2, windowMs: 60_000, scope: 'item', paths: ['/item/get'] },
			],
			clock,
		);
		const tokens = seedUser(emulator, 'usr_p', ['item_a', 'item_b']);
		const getItem = (name: string) => post(emulator, '/item/get', { access_token: tokens[name] });

		expect(await statusesOf(3, async () => await getItem('item_a'))).toEqual([200, 200, 429]);
		const refused = await getItem('item_a');
		expect(refused.body).toMatchObject({ error_code: 'ITEM_GET_LIMIT', error_message: PER_ITEM_MESSAGE });
		expect(await statusesOf(2, async () => await getItem('item_b'))).toEqual([200, 200]);

		// /item/remove has its own per-Item count. Once the Item is gone its token names none, and is
		// counted on its own: two more removals get Plaid's INVALID_ACCESS_TOKEN, the third the limit.
		const removeB = () => post(emulator, '/item/remove', { access_token: tokens.item_b });
		expect(await statusesOf(1, removeB)).toEqual([200]);
		expect(emulator.itemIdsOf('usr_p')).toEqual(['item_a']);
		expect(await statusesOf(3, removeB)).toEqual([400, 400, 429]);
		const removeA = () => post(emulator, '/item/remove', { access_token: tokens.item_a });
		expect(await statusesOf(1, removeA)).toEqual([200]);
		expect(emulator.itemIdsOf('usr_p')).toEqual([]);
	});

	it('per Item and per client at once: a request one limit refuses counts against none of them', async () => {
		const clock = new TestClock();
		clock.time = 120_000;
		const emulator = await emulatorWith(
			[
				{ shape: 'sliding-log', limit: 1, windowMs: 60_000, scope: 'item', paths: ['/item/get'] },
				{ shape: 'sliding-log', limit: 3, windowMs: 60_000, scope: 'client' },
			],
			clock,
		);
		const tokens = seedUser(emulator, 'usr_q', ['item_a', 'item_b', 'item_c', 'item_d']);
		const getItem = (name: string) => post(emulator, '/item/get', { access_token: tokens[name] });

		expect((await getItem('item_a')).status).toBe(200);
		// Refused by the per-Item limit, ten times: the client's count stays at 1.
		expect(new Set(await statusesOf(10, async () => await getItem('item_a')))).toEqual(new Set([429]));
		expect([(await getItem('item_b')).status, (await getItem('item_c')).status]).toEqual([200, 200]);
		// Now the client limit is full (3); item_d would pass its own limit.
		const refused = await getItem('item_d');
		expect(refused.body).toMatchObject({ error_code: 'ITEM_GET_LIMIT' });
		expect(refused.body.error_message).not.toBe(PER_ITEM_MESSAGE);
		clock.time += 60_000;
		expect((await getItem('item_d')).status).toBe(200);
	});

	it('a refused removal changes nothing: the user keeps every Item, and the next window removes them once', async () => {
		const clock = new TestClock();
		clock.time = 1_000;
		const emulator = await emulatorWith([{ shape: 'token-bucket', ratePerSecond: 1, burst: 1, paths: ['/user/items/remove'] }], clock);
		emulator.addUser({ user_id: 'usr_r', items: ['item_1', 'item_2'] });
		emulator.addUser({ user_id: 'usr_s', items: ['item_3'] });
		expect((await post(emulator, '/user/items/remove', { user_id: 'usr_s', item_ids: ['item_3'] })).status).toBe(200);

		const removeR = () => post(emulator, '/user/items/remove', { user_id: 'usr_r', item_ids: ['item_1', 'item_2'] });
		expect(await statusesOf(3, removeR)).toEqual([429, 429, 429]);
		expect(emulator.itemIdsOf('usr_r')).toEqual(['item_1', 'item_2']);
		clock.time += 1_000;
		expect((await removeR()).status).toBe(200);
		expect(emulator.itemIdsOf('usr_r')).toEqual([]);
		expect(emulator.requestsTo('/user/items/remove').map((request) => request.response.status)).toEqual([200, 429, 429, 429, 200]);
	});

	it('Retry-After: the true wait as delta-seconds rounded up, or an HTTP-date rounded up to the second; the longest wait of all limits', async () => {
		const clock = new TestClock();
		clock.time = Date.UTC(2026, 0, 5, 10, 0, 0, 250);
		const emulator = await emulatorWith([{ shape: 'fixed-window', limit: 1, windowMs: 1000, retryAfter: 'seconds' }], clock);
		const call = () => post(emulator, '/user/items/get', { user_id: 'usr_nobody' });

		await call();
		expect((await call()).retryAfter).toBe('1'); // 750 ms
		emulator.setRateLimits([{ shape: 'fixed-window', limit: 1, windowMs: 10_000, anchor: 'first-request', retryAfter: 'seconds' }]);
		await call();
		clock.time += 1;
		expect((await call()).retryAfter).toBe('10'); // 9,999 ms
		clock.time += 8_999;
		expect((await call()).retryAfter).toBe('1'); // exactly 1,000 ms

		emulator.setRateLimits([
			{ shape: 'token-bucket', ratePerSecond: 2, burst: 1, retryAfter: 'date' },
			{ shape: 'sliding-log', limit: 1, windowMs: 3_000 },
		]);
		clock.time = Date.UTC(2026, 0, 5, 10, 0, 0, 250);
		await call();
		clock.time += 100;
		// Bucket: 400 ms more; log: 2,900 ms more, the longer; 10:00:00.350 + 2.9 s = 10:00:03.250, rounded up.
		const refused = await call();
		expect(refused.retryAfter).toBe('Mon, 05 Jan 2026 10:00:04 GMT');
		emulator.setRateLimits([{ shape: 'sliding-counter', limit: 2, windowMs: 1000 }]);
		await call();
		await call();
		expect((await call()).retryAfter).toBeNull();
	});

	it('rate limits switched at runtime through the inspect route; a bad spec is refused with its reason; reset keeps the limits', async () => {
		const clock = new TestClock();
		const emulator = await emulatorWith([], clock);
		const call = () => post(emulator, '/user/items/get', { user_id: 'usr_nobody' });
		expect(await statusesOf(3, call)).toEqual([400, 400, 400]);

		const set = await inspect(emulator, 'POST', 'rate-limits', { rateLimits: [{ shape: 'token-bucket', ratePerSecond: 10, burst: 2 }] });
		expect(set.status).toBe(200);
		expect(set.body.rate_limits).toEqual([expect.objectContaining({ shape: 'token-bucket', ratePerSecond: 10, burst: 2, scope: 'client', retryAfter: 'none' })]);
		expect(await statusesOf(3, call)).toEqual([400, 400, 429]);
		emulator.reset();
		expect(await statusesOf(3, call)).toEqual([400, 400, 429]);

		const bad = await inspect(emulator, 'POST', 'rate-limits', { rateLimits: [{ shape: 'token-bucket', ratePerSecond: -1 }] });
		expect(bad).toEqual({ status: 400, body: { error: 'rate limit: ratePerSecond must be a number > 0 (got -1)' } });
		expect((await inspect(emulator, 'POST', 'rate-limits', { rateLimits: 'none' })).status).toBe(400);
		expect((await inspect(emulator, 'POST', 'rate-limits', { rateLimits: [] })).body).toEqual({ rate_limits: [] });
		expect(await statusesOf(2, call)).toEqual([400, 400]);
	});

	it('rateLimitPerSecond is the fixed one-second window on the clock, beside any other limit', async () => {
		const clock = new TestClock();
		clock.time = 7_900;
		const emulator = await startEmulator({ clock, rateLimitPerSecond: 2, rateLimits: [{ shape: 'sliding-log', limit: 3, windowMs: 10_000 }] });
		emulators.push(emulator);
		const call = () => post(emulator, '/user/items/get', { user_id: 'usr_nobody' });
		expect(await statusesOf(3, call)).toEqual([400, 400, 429]);
		clock.time = 8_000;
		expect(await statusesOf(2, call)).toEqual([400, 429]);
	});
});

describe('stats', () => {
	it('count the TCP connections that carried Plaid requests: one per request without keep-alive, one in all with it', async () => {
		const emulator = await startEmulator({ inspectRoutes: true });
		emulators.push(emulator);
		const users = [0, 1, 2].map((n) => ({ userId: `usr_nobody_${n}`, itemIds: ['item_x'] }));
		for (const keepAlive of [false, true]) {
			emulator.reset();
			const call = bareClient(emulator, { keepAlive });
			for (const user of users) await call(user);
			const { body } = await inspect(emulator, 'GET', 'stats');
			expect(body).toMatchObject({ request_count: 3, connections: keepAlive ? 1 : 3 });
			expect(body.first_received_at).toBe(emulator.requests[0].receivedAt);
			expect(body.last_received_at).toBe(emulator.requests[2].receivedAt);
		}
	});
});

describe('rate limits on the real clock', () => {
	it('a 500 ms window refuses past its limit and admits again once the window has passed', async () => {
		const emulator = await startEmulator({ rateLimits: [{ shape: 'fixed-window', limit: 2, windowMs: 500, anchor: 'first-request', retryAfter: 'seconds' }] });
		emulators.push(emulator);
		const call = () => post(emulator, '/user/items/get', { user_id: 'usr_nobody' });
		const [first, second, third] = [await call(), await call(), await call()];
		expect([first.status, second.status, third.status]).toEqual([400, 400, 429]);
		expect(third.retryAfter).toBe('1');
		await sleep(520);
		expect((await call()).status).toBe(400);
	});

	it('the CLI takes --rate-limits as JSON and refuses a bad one before listening', async () => {
		const cli = await startEmulatorProcess({ latencyMs: 0, jitter: 0, rateLimits: [{ shape: 'sliding-log', limit: 1, windowMs: 60_000, retryAfter: 'seconds' }] });
		try {
			const { body } = await fetch(`${cli.url}/__emulator/rate-limits`).then(async (response) => ({ body: (await response.json()) as Json }));
			expect(body.rate_limits).toEqual([expect.objectContaining({ shape: 'sliding-log', limit: 1, windowMs: 60_000 })]);
			const call = () =>
				fetch(`${cli.url}/user/items/get`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': cli.clientId, 'PLAID-SECRET': cli.secret },
					body: '{"user_id":"usr_nobody"}',
				});
			expect((await call()).status).toBe(400);
			const refused = await call();
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
		} finally {
			await cli.stop();
		}
		await expect(startEmulatorProcess({ latencyMs: 0, jitter: 0, rateLimits: [{ shape: 'sliding-log', limit: 1 } as RateLimitSpec] })).rejects.toThrow(/exited early \(code 2\)/);
	});
});
