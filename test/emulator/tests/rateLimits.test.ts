/**
 * The emulator's rate limits through HTTP: per-Item limits follow the Item, several limits apply at
 * once, a refused request changes nothing, Retry-After is the true wait, limits switch at runtime
 * (inspect route, CLI), and the stats count what was refused. On an injected clock, so every
 * boundary is exact; one test runs on the real clock with a short window.
 */
import { sleep } from 'n8n-workflow';

import { bareClient } from '../../../bench/clients';
import { startEmulator, PlaidEmulator } from '../index';
import { startEmulatorCli } from '../../harness/emulatorProcess';
import { PER_ITEM_MESSAGE, type RateLimitSpec } from '../rateLimits';

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


	it('per endpoint: each path its own count of the same size; beside it, a client-wide limit counts every path together', async () => {
		const clock = new TestClock();
		clock.time = 5_000;
		const emulator = await emulatorWith([{ shape: 'fixed-window', limit: 2, windowMs: 1000, scope: 'endpoint' }], clock);
		emulator.addUser({ user_id: 'usr_a', items: ['item_a'] });
		const getItems = () => post(emulator, '/user/items/get', { user_id: 'usr_a' });
		const getUser = () => post(emulator, '/user/get', { user_id: 'usr_a' });

		expect(await statusesOf(3, getItems)).toEqual([200, 200, 429]);
		expect(await statusesOf(3, getUser)).toEqual([200, 200, 429]);
		clock.time = 6_000;
		expect(await statusesOf(1, getItems)).toEqual([200]);

		// The same two paths under a client-wide limit of 3 as well: the first path's two use up most of it.
		emulator.setRateLimits([
			{ shape: 'fixed-window', limit: 2, windowMs: 1000, scope: 'endpoint' },
			{ shape: 'fixed-window', limit: 3, windowMs: 1000 },
		]);
		clock.time = 7_000;
		expect(await statusesOf(2, getItems)).toEqual([200, 200]);
		expect(await statusesOf(2, getUser)).toEqual([200, 429]);
		const { body: limits } = await inspect(emulator, 'GET', 'rate-limits');
		expect(limits.rate_limits).toEqual([
			expect.objectContaining({ scope: 'endpoint', admitted: 3, refused: 0 }),
			expect.objectContaining({ scope: 'client', admitted: 3, refused: 1 }),
		]);
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
		const limits = [{ shape: 'sliding-log', limit: 1, windowMs: 60_000, retryAfter: 'seconds' }];
		const cli = startEmulatorCli(['--rate-limits', JSON.stringify(limits)]);
		try {
			const { url, clientId, secret } = JSON.parse(await cli.firstLine) as { url: string; clientId: string; secret: string };
			const { body } = await fetch(`${url}/__emulator/rate-limits`).then(async (response) => ({ body: (await response.json()) as Json }));
			expect(body.rate_limits).toEqual([expect.objectContaining({ shape: 'sliding-log', limit: 1, windowMs: 60_000 })]);
			const call = () =>
				fetch(`${url}/user/items/get`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': clientId, 'PLAID-SECRET': secret },
					body: '{"user_id":"usr_nobody"}',
				});
			expect((await call()).status).toBe(400);
			const refused = await call();
			expect(refused.status).toBe(429);
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
		} finally {
			cli.terminate();
		}
		expect(await cli.exited).toBe(0);
		// The refusal is read here, not printed into the test log.
		const bad = startEmulatorCli(['--rate-limits', JSON.stringify([{ shape: 'sliding-log', limit: 1 }])]);
		expect(await bad.exited).toBe(2);
		expect(bad.stderr()).toBe('plaid emulator: rate limit: windowMs must be a number > 0 (got undefined)\nRun it with --help for the usage.\n');
	});
});
