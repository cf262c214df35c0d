/**
 * The verification key store on its own, over a clock the test moves: Plaid's key lifecycle
 * (fetch, re-check on a time-to-live and on a new key id, expiry), the memory of unknown key ids,
 * one fetch per key id at a time, and the budget that bounds what a flood of forged ids costs.
 */
import { ExpiringSet } from '../../../nodes/PlaidTrigger/expiringSet';
import { KEY_FETCH_BUDGET, KeyFetchBudget } from '../../../nodes/PlaidTrigger/keyFetchBudget';
import { AcceptedWebhooks } from '../../../nodes/PlaidTrigger/replayGuard';
import {
	KEY_STORE_SETTINGS,
	type KeyLookup,
	type KeyResolution,
	type PlaidVerificationKey,
	VerificationKeyStore,
} from '../../../nodes/PlaidTrigger/verificationKeys';
import { WebhookSigner } from '../../emulator/webhooks';

const START_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const SCOPE = 'sandbox\nclient-a';
const { keyTtlMs, knownKeysRefreshIntervalMs, unknownKeyIdTtlMs } = KEY_STORE_SETTINGS;
const { capacity, refillIntervalMs, reservedForKnownKeys } = KEY_FETCH_BUDGET;

let signer: WebhookSigner;
let store: VerificationKeyStore;
let nowMs: number;
let fetched: string[];
/** What Plaid answers; a test may replace it. */
let plaid: (kid: string) => Promise<KeyLookup>;

beforeEach(() => {
	signer = new WebhookSigner();
	store = new VerificationKeyStore();
	nowMs = START_MS;
	fetched = [];
	plaid = async (kid) => {
		const key = signer.jwkFor(kid);
		return key ? { key } : { unknownKeyId: true };
	};
});

const source = (requestsPerFetch = 1) => ({
	requestsPerFetch,
	fetchKey: async (kid: string) => {
		fetched.push(kid);
		return await plaid(kid);
	},
});

async function find(kid: string, options: { scope?: string; requestsPerFetch?: number } = {}): Promise<KeyResolution> {
	return await store.find(options.scope ?? SCOPE, kid, source(options.requestsPerFetch), nowMs);
}

const okWith = (kid: string) => ({ ok: true, key: expect.objectContaining({ kid }) });
const refused = (reason: string) => ({ ok: false, status: 401, reason });
const paused = { ok: false, status: 500, reason: 'verification key lookups paused' };
const forgedKid = (n: number) => `forged-${n}`;

describe('Plaid’s key lifecycle', () => {
	it('fetches a key once and serves it from memory until it is keyTtlMs old', async () => {
		expect(await find(signer.current.kid)).toEqual(okWith(signer.current.kid));
		nowMs += keyTtlMs - 1;
		expect(await find(signer.current.kid)).toEqual(okWith(signer.current.kid));
		expect(fetched).toEqual([signer.current.kid]);
	});

	it('asks again once the key is keyTtlMs old, and refuses it from the answer that gives it an expired_at', async () => {
		await find(signer.current.kid);
		signer.expireKey(signer.current.kid);
		nowMs += keyTtlMs;

		expect(await find(signer.current.kid)).toEqual(refused('verification key expired'));
		nowMs += 24 * 60 * 60_000;
		expect(await find(signer.current.kid)).toEqual(refused('verification key expired'));
		expect(fetched).toEqual([signer.current.kid, signer.current.kid]);
	});

	it('refuses a key that comes back expired from its first fetch, and never asks for it again', async () => {
		expect(await find(signer.expired.kid)).toEqual(refused('verification key expired'));
		expect(await find(signer.expired.kid)).toEqual(refused('verification key expired'));
		expect(fetched).toEqual([signer.expired.kid]);
	});

	it('on a key id it does not hold, re-checks the keys it holds (rotation), at most once per interval', async () => {
		const oldKid = signer.current.kid;
		await find(oldKid);
		const { current: newKid } = signer.rotate();
		signer.expireKey(oldKid);

		expect(await find(newKid)).toEqual(okWith(newKid));
		expect(fetched).toEqual([oldKid, newKid, oldKid]);
		expect(await find(oldKid)).toEqual(refused('verification key expired'));

		// A second new id within the interval re-checks nothing; after it, the held valid key is re-checked.
		await find(forgedKid(1));
		expect(fetched).toEqual([oldKid, newKid, oldKid, forgedKid(1)]);
		nowMs += knownKeysRefreshIntervalMs;
		await find(forgedKid(2));
		expect(fetched.slice(4)).toEqual([forgedKid(2), newKid]);
	});

	it('forgets a held key that Plaid no longer knows', async () => {
		await find(signer.current.kid);
		plaid = async () => ({ unknownKeyId: true });
		nowMs += keyTtlMs;
		expect(await find(signer.current.kid)).toEqual(refused('unknown verification key'));
		expect(store.describe(SCOPE, nowMs)).toMatchObject({ heldKeys: 0, unknownKeyIds: 1 });
	});

	it('keeps using a held key while re-checking it is impossible (Plaid down): Plaid last said it was valid', async () => {
		await find(signer.current.kid);
		plaid = async () => ({ unavailable: true });
		nowMs += keyTtlMs;
		expect(await find(signer.current.kid)).toEqual(okWith(signer.current.kid));
		expect(fetched).toHaveLength(2);
	});
});

describe('key ids Plaid does not know', () => {
	it('are refused without asking again for unknownKeyIdTtlMs, then asked about once more', async () => {
		expect(await find('no-such-kid')).toEqual(refused('unknown verification key'));
		nowMs += unknownKeyIdTtlMs - 1;
		expect(await find('no-such-kid')).toEqual(refused('unknown verification key'));
		expect(fetched).toEqual(['no-such-kid']);
		nowMs += 1;
		await find('no-such-kid');
		expect(fetched).toEqual(['no-such-kid', 'no-such-kid']);
	});

	it('are remembered as fixed-size digests, at most maxUnknownKeyIds of them', async () => {
		const small = new VerificationKeyStore({ maxUnknownKeyIds: 3, budget: { ...KEY_FETCH_BUDGET, capacity: 100 } });
		for (let n = 0; n < 10; n++) await small.find(SCOPE, `${'x'.repeat(5_000)}${n}`, source(), nowMs);
		expect(small.describe(SCOPE, nowMs).unknownKeyIds).toBe(3);
	});
});

describe('one fetch per key id at a time', () => {
	it('shares one fetch between concurrent lookups of the same id, known or unknown', async () => {
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const answer = plaid;
		plaid = async (kid) => {
			await gate;
			return await answer(kid);
		};
		const lookups = [
			...Array.from({ length: 50 }, async () => await find(signer.current.kid)),
			...Array.from({ length: 50 }, async () => await find('no-such-kid')),
		];
		release();
		const results = await Promise.all(lookups);

		expect(fetched.sort()).toEqual([signer.current.kid, 'no-such-kid'].sort());
		expect(results.slice(0, 50)).toEqual(Array(50).fill(okWith(signer.current.kid)));
		expect(results.slice(50)).toEqual(Array(50).fill(refused('unknown verification key')));
	});
});

describe('the budget of key fetches', () => {
	const newIdFetches = (requestsPerFetch: number) => Math.floor((capacity - reservedForKnownKeys) / requestsPerFetch);

	it.each([1, 2])('stops fetching new key ids once spent (%i Plaid request(s) per fetch), and answers 500', async (requestsPerFetch) => {
		const results = [];
		for (let n = 0; n < 1_000; n++) results.push(await find(forgedKid(n), { requestsPerFetch }));

		expect(fetched).toHaveLength(newIdFetches(requestsPerFetch));
		expect(results.filter((result) => !result.ok && result.status === 500)).toHaveLength(1_000 - fetched.length);
		expect(results[999]).toEqual(paused);
	});

	it('earns one request back every refillIntervalMs', async () => {
		for (let n = 0; n < 100; n++) await find(forgedKid(n));
		const spent = fetched.length;
		nowMs += refillIntervalMs;
		for (let n = 100; n < 200; n++) await find(forgedKid(n));
		expect(fetched).toHaveLength(spent + 1);
	});

	it('during a sustained flood, verifies with a held key and still learns when Plaid expires it', async () => {
		const floodFor = async (seconds: number) => {
			for (let second = 0; second < seconds; second++) {
				nowMs += 1_000;
				for (let n = 0; n < 10; n++) await find(forgedKid(fetched.length * 1_000 + n), { requestsPerFetch: 2 });
			}
		};
		await find(signer.current.kid);
		await floodFor(60);
		expect(await find(signer.current.kid, { requestsPerFetch: 2 })).toEqual(okWith(signer.current.kid));

		signer.expireKey(signer.current.kid);
		await floodFor(keyTtlMs / 1_000);
		expect(await find(signer.current.kid, { requestsPerFetch: 2 })).toEqual(refused('verification key expired'));

		const requestsSent = 1 + (fetched.length - 1) * 2;
		expect(requestsSent).toBeLessThanOrEqual(1 + capacity + (nowMs - START_MS) / refillIntervalMs);
	});

	it('a genuine key id not yet held during a flood: 500 (Plaid redelivers), then verifies once the budget refills', async () => {
		for (let n = 0; n < 1_000; n++) await find(forgedKid(n));
		expect(await find(signer.current.kid)).toEqual(paused);

		nowMs += refillIntervalMs;
		expect(await find(signer.current.kid)).toEqual(okWith(signer.current.kid));
	});

	it('is kept per scope: a flood through one credential leaves another’s budget whole', async () => {
		for (let n = 0; n < 100; n++) await find(forgedKid(n), { scope: 'production\nclient-a' });
		expect(await find(signer.current.kid)).toEqual(okWith(signer.current.kid));
	});

	it('never lets new ids spend the reserve, nor anyone go below zero', () => {
		const budget = new KeyFetchBudget({ capacity: 4, refillIntervalMs: 1_000, reservedForKnownKeys: 2 });
		expect([budget.take(1, 'new key id', 0), budget.take(1, 'new key id', 0), budget.take(1, 'new key id', 0)]).toEqual([true, true, false]);
		expect([budget.take(2, 'known key', 0), budget.take(1, 'known key', 0)]).toEqual([true, false]);
		expect(budget.take(1, 'known key', 999)).toBe(false);
		expect(budget.take(1, 'known key', 1_000)).toBe(true);
		expect(budget.availableAt(100_000)).toBe(4);
	});
});

describe('bounded memory', () => {
	it('holds at most maxKeys keys, dropping the one stored first', async () => {
		const small = new VerificationKeyStore({ maxKeys: 3 });
		const keyFor = (kid: string): PlaidVerificationKey => ({ ...signer.current.jwk, kid });
		plaid = async (kid) => ({ key: keyFor(kid) });
		for (const kid of ['a', 'b', 'c', 'd', 'e']) await small.find(SCOPE, kid, source(), nowMs);
		expect(small.describe(SCOPE, nowMs).heldKeys).toBe(3);
	});

	it('an expiring set forgets by time and by size', () => {
		const set = new ExpiringSet(2);
		set.add('a', 100, 0);
		set.add('b', 200, 0);
		expect([set.has('a', 99), set.has('a', 100)]).toEqual([true, false]);
		set.add('c', 300, 0);
		set.add('d', 300, 0);
		expect([set.has('b', 0), set.has('c', 0), set.has('d', 0), set.size]).toEqual([false, true, true, 2]);
	});
});

describe('replays', () => {
	const delivery = { scope: SCOPE, keyId: 'kid-1', bodySha256: 'ab'.repeat(32), issuedAt: START_MS / 1000 };

	it('accepts a delivery once while its token could verify, and again only after', () => {
		const accepted = new AcceptedWebhooks();
		expect(accepted.accept(delivery, START_MS)).toBe(true);
		expect(accepted.accept(delivery, START_MS + 300_000)).toBe(false);
		expect(accepted.accept({ ...delivery, issuedAt: delivery.issuedAt + 1 }, START_MS)).toBe(true);
		expect(accepted.accept({ ...delivery, bodySha256: 'cd'.repeat(32) }, START_MS)).toBe(true);
		expect(accepted.accept({ ...delivery, scope: 'production\nclient-a' }, START_MS)).toBe(true);
		expect(accepted.accept(delivery, START_MS + 301_000)).toBe(true);
	});

	it('remembers at most its bound', () => {
		const accepted = new AcceptedWebhooks(100);
		for (let n = 0; n < 1_000; n++) accepted.accept({ ...delivery, bodySha256: String(n) }, START_MS);
		expect(accepted.size).toBe(100);
	});
});
