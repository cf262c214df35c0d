/**
 * The emulator's faults that change state: the real operation is applied, and the answer is lost
 * (a 5xx from Plaid or from a proxy, an answer later than the client waits, a dropped connection).
 * For each: Plaid's state changed, and what the client got is the fault.
 */
import { startEmulator } from '../index';
import { PROXY_PAGES } from '../faults';
import { until } from '../../harness/eventLoop';
import { emulatorPerFile } from '../../harness/fixtures';

type Json = Record<string, unknown>;

const emulator = emulatorPerFile({}, (emulator) => emulator.addUser({ user_id: 'usr_f', items: ['item_1', 'item_2'] }));

async function post(path: string, body: Json, signal?: AbortSignal): Promise<{ status: number; contentType: string | null; text: string }> {
	const response = await fetch(`${emulator.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
		body: JSON.stringify(body),
		signal,
	});
	return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

const removeBoth = (signal?: AbortSignal) => post('/user/items/remove', { user_id: 'usr_f', item_ids: ['item_1', 'item_2'] }, signal);

/** The last recorded response, once the emulator has settled it (a delayed one comes later). */
async function settledResponse(): Promise<Json> {
	const last = () => emulator.requests[emulator.requests.length - 1];
	await until(() => last() !== undefined && (last().response.status !== null || Boolean(last().response.dropped)), 20, 5000, 'the emulator’s settling of the request');
	return last().response as unknown as Json;
}

describe('faults applied before the answer is lost', () => {
	it('applies, then answers Plaid’s 500 INTERNAL_SERVER_ERROR', async () => {
		emulator.injectFaults({ path: '/user/items/remove', apply: true, status: 500 });
		const answer = await removeBoth();
		expect(answer.status).toBe(500);
		expect(JSON.parse(answer.text)).toMatchObject({ error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR' });
		expect(emulator.itemIdsOf('usr_f')).toEqual([]);
		expect(await settledResponse()).toMatchObject({ status: 500, applied: 200 });
	});

	it.each([502, 504])('applies, then answers a proxy’s HTML %i (the default body for that status)', async (status) => {
		emulator.injectFaults({ apply: true, status });
		const answer = await post('/user/remove', { user_id: 'usr_f' });
		expect(answer).toEqual({ status, contentType: 'text/html', text: PROXY_PAGES[status as 502 | 504] });
		expect(answer.text).toContain(`<title>${status} `);
		expect(emulator.getUser('usr_f')).toBeUndefined();
		expect(await settledResponse()).toMatchObject({ status, applied: 200 });
	});

	it('applies at once, then answers later than the client waits: the client gives up, the Items are gone', async () => {
		emulator.injectFaults({ path: '/user/items/remove', apply: true, delayMs: 400 });
		await expect(removeBoth(AbortSignal.timeout(100))).rejects.toThrow(/aborted|timeout/i);
		expect(emulator.itemIdsOf('usr_f')).toEqual([]);
		// The real answer (200) was ready after the delay, with nobody left to take it.
		expect(await settledResponse()).toMatchObject({ status: 200, clientGone: true });
		// A retry now meets the state the lost call left.
		const retry = await removeBoth();
		expect(JSON.parse(retry.text)).toMatchObject({ error_code: 'ITEM_NOT_FOUND' });
	});

	it('applies, waits, then drops the connection', async () => {
		emulator.injectFaults({ path: '/user/items/remove', apply: true, delayMs: 50, drop: 'after' });
		await expect(removeBoth()).rejects.toThrow();
		expect(emulator.itemIdsOf('usr_f')).toEqual([]);
		expect(await settledResponse()).toEqual({ status: 200, dropped: 'after' });
	});

	it('a late answer with nothing else set is the real one, once the delay has passed', async () => {
		emulator.injectFaults({ path: '/user/items/get', apply: true, delayMs: 30 });
		const answer = await post('/user/items/get', { user_id: 'usr_f' });
		expect(answer.status).toBe(200);
		expect((JSON.parse(answer.text) as { items: unknown[] }).items).toHaveLength(2);
	});

	it('what the rate limit refuses is not applied, even under an applying fault', async () => {
		const limited = await startEmulator({ rateLimits: [{ shape: 'fixed-window', limit: 1, windowMs: 60_000, anchor: 'first-request' }] });
		try {
			limited.addUser({ user_id: 'usr_f', items: ['item_1'] });
			limited.addUser({ user_id: 'usr_g', items: ['item_2'] });
			const call = (userId: string, itemId: string) =>
				fetch(`${limited.url}/user/items/remove`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': limited.clientId, 'PLAID-SECRET': limited.secret },
					body: JSON.stringify({ user_id: userId, item_ids: [itemId] }),
				}).then(async (response) => {
					await response.text();
					return response.status;
				});
			expect(await call('usr_f', 'item_1')).toBe(200);
			limited.injectFaults({ apply: true, status: 500 });
			expect(await call('usr_g', 'item_2')).toBe(500);
			expect(limited.itemIdsOf('usr_g')).toEqual(['item_2']);
			expect(limited.requests[1].response).toMatchObject({ status: 500, applied: 429 });
		} finally {
			await limited.close();
		}
	});

	it('refuses an applying fault that would drop before applying', () => {
		expect(() => emulator.injectFaults({ apply: true, drop: 'before' })).toThrow(/contradict/);
	});
});
