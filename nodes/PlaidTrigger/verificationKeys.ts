import { createHash } from 'node:crypto';

import { ExpiringSet } from './expiringSet';
import { KEY_FETCH_BUDGET, KeyFetchBudget, type KeyFetchBudgetSettings, type KeyFetchPurpose } from './keyFetchBudget';

/** Plaid's public key for webhook signatures (spec `JWKPublicKey`). */
export interface PlaidVerificationKey {
	alg: string;
	crv: string;
	kid: string;
	kty: string;
	use: string;
	x: string;
	y: string;
	created_at: number;
	expired_at: number | null;
}

/**
 * What asking Plaid for a key id gave: the key; Plaid's answer that it has no such key; or no
 * usable answer at all (network, rate limit, a wrong credential).
 */
export type KeyLookup = { key: PlaidVerificationKey } | { unknownKeyId: true } | { unavailable: true };

/** Asks Plaid for the key with this id (POST /webhook_verification_key/get). A throw counts as unavailable. */
export type VerificationKeyFetcher = (keyId: string) => Promise<KeyLookup>;

export interface KeySource {
	fetchKey: VerificationKeyFetcher;
	/** The most Plaid requests one fetch can make (first attempt plus retries): what it costs the budget. */
	requestsPerFetch: number;
}

export type KeyResolution =
	| { ok: true; key: PlaidVerificationKey }
	| { ok: false; status: 401 | 500; reason: string };

export interface KeyStoreSettings {
	budget: KeyFetchBudgetSettings;
	/** A key Plaid gave us is asked for again once it is this old, to learn whether it has expired. */
	keyTtlMs: number;
	/** A key id we have not seen makes us re-check the keys we hold (Plaid's procedure), at most this often. */
	knownKeysRefreshIntervalMs: number;
	/** How long a key id Plaid said it does not know is refused without asking again. */
	unknownKeyIdTtlMs: number;
	maxKeys: number;
	maxUnknownKeyIds: number;
	maxScopes: number;
}

export const KEY_STORE_SETTINGS: KeyStoreSettings = {
	budget: KEY_FETCH_BUDGET,
	keyTtlMs: 5 * 60_000,
	knownKeysRefreshIntervalMs: 60_000,
	unknownKeyIdTtlMs: 10 * 60_000,
	maxKeys: 50,
	maxUnknownKeyIds: 1_000,
	maxScopes: 100,
};

export const KEY_REFUSALS = {
	unknown: 'unknown verification key',
	expired: 'verification key expired',
	unavailable: 'verification key unavailable',
	paused: 'verification key lookups paused',
} as const;

interface HeldKey {
	key: PlaidVerificationKey;
	checkedAtMs: number;
}

type FetchOutcome = KeyLookup | { budgetSpent: true };

const refuse = (reason: string): KeyResolution => ({ ok: false, status: 401, reason });
// 500, not 401: the webhook may well be genuine, and any non-200 answer makes Plaid retry it.
const cannotCheck = (reason: string): KeyResolution => ({ ok: false, status: 500, reason });

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUsableKey(key: unknown, keyId: string): key is PlaidVerificationKey {
	return (
		isRecord(key) &&
		key.kid === keyId &&
		key.alg === 'ES256' &&
		key.kty === 'EC' &&
		key.crv === 'P-256' &&
		typeof key.x === 'string' &&
		typeof key.y === 'string' &&
		(key.expired_at === null || typeof key.expired_at === 'number')
	);
}

/** A forger picks the key ids: keep a fixed-size digest of each, never the id itself. */
const digestOf = (keyId: string) => createHash('sha256').update(keyId).digest('base64');

/** The keys, remembered unknown ids, fetches in flight and budget of one Plaid environment and client. */
class ScopeKeys {
	private readonly keys = new Map<string, HeldKey>();
	private readonly unknownKeyIds: ExpiringSet;
	private readonly inFlight = new Map<string, Promise<FetchOutcome>>();
	private readonly budget: KeyFetchBudget;
	private lastRefreshMs = Number.NEGATIVE_INFINITY;

	constructor(private readonly settings: KeyStoreSettings) {
		this.unknownKeyIds = new ExpiringSet(settings.maxUnknownKeyIds);
		this.budget = new KeyFetchBudget(settings.budget);
	}

	async find(keyId: string, source: KeySource, nowMs: number): Promise<KeyResolution> {
		const held = this.keys.get(keyId);
		if (held) {
			// Plaid never revives an expired key: no need to ask again.
			if (held.key.expired_at !== null) return refuse(KEY_REFUSALS.expired);
			if (nowMs - held.checkedAtMs < this.settings.keyTtlMs) return { ok: true, key: held.key };
			const outcome = await this.fetchOnce(keyId, source, 'known key', nowMs);
			return this.resolve(keyId, outcome);
		}
		if (this.unknownKeyIds.has(digestOf(keyId), nowMs)) return refuse(KEY_REFUSALS.unknown);

		// The new id goes first for the budget; re-checking the others may use what is left.
		const lookup = this.fetchOnce(keyId, source, 'new key id', nowMs);
		const refresh = this.refreshKnownKeys(keyId, source, nowMs);
		const outcome = await lookup;
		await refresh;
		return this.resolve(keyId, outcome);
	}

	/** What the store now knows about `keyId`, after a fetch (shared or not) ended as `outcome`. */
	private resolve(keyId: string, outcome: FetchOutcome): KeyResolution {
		const held = this.keys.get(keyId);
		// A held key stays usable when re-checking it was not possible: Plaid last said it was valid.
		if (held) return held.key.expired_at === null ? { ok: true, key: held.key } : refuse(KEY_REFUSALS.expired);
		if ('unknownKeyId' in outcome) return refuse(KEY_REFUSALS.unknown);
		if ('budgetSpent' in outcome) return cannotCheck(KEY_REFUSALS.paused);
		return cannotCheck(KEY_REFUSALS.unavailable);
	}

	/** One fetch per key id at a time: concurrent lookups of the same id share it. */
	private fetchOnce(keyId: string, source: KeySource, purpose: KeyFetchPurpose, nowMs: number): Promise<FetchOutcome> {
		const running = this.inFlight.get(keyId);
		if (running) return running;
		if (!this.budget.take(source.requestsPerFetch, purpose, nowMs)) return Promise.resolve({ budgetSpent: true });
		const fetching = this.fetchAndLearn(keyId, source, nowMs).finally(() => this.inFlight.delete(keyId));
		this.inFlight.set(keyId, fetching);
		return fetching;
	}

	private async fetchAndLearn(keyId: string, source: KeySource, nowMs: number): Promise<FetchOutcome> {
		let lookup: KeyLookup;
		try {
			lookup = await source.fetchKey(keyId);
		} catch {
			lookup = { unavailable: true };
		}
		if ('key' in lookup) {
			if (!isUsableKey(lookup.key, keyId)) return { unavailable: true };
			this.holdKey(keyId, { key: lookup.key, checkedAtMs: nowMs });
		} else if ('unknownKeyId' in lookup) {
			this.keys.delete(keyId);
			this.unknownKeyIds.add(digestOf(keyId), nowMs + this.settings.unknownKeyIdTtlMs, nowMs);
		}
		return lookup;
	}

	/**
	 * Plaid's procedure on a key id not in the cache: fetch the held keys that have not expired
	 * again, since a new key usually means an old one was rotated out. At most once per interval.
	 */
	private async refreshKnownKeys(newKeyId: string, source: KeySource, nowMs: number): Promise<void> {
		if (nowMs - this.lastRefreshMs < this.settings.knownKeysRefreshIntervalMs) return;
		const due = [...this.keys].filter(([id, held]) => id !== newKeyId && held.key.expired_at === null);
		if (due.length === 0) return;
		this.lastRefreshMs = nowMs;
		// Counted like the new id: a forger can cause this refresh, so it must not use the reserve.
		await Promise.all(due.map(async ([id]) => await this.fetchOnce(id, source, 'new key id', nowMs)));
	}

	private holdKey(keyId: string, held: HeldKey): void {
		this.keys.delete(keyId);
		this.keys.set(keyId, held);
		for (const oldest of this.keys.keys()) {
			if (this.keys.size <= this.settings.maxKeys) break;
			this.keys.delete(oldest);
		}
	}

	get heldKeyCount(): number {
		return this.keys.size;
	}

	get unknownKeyIdCount(): number {
		return this.unknownKeyIds.size;
	}

	budgetAvailableAt(nowMs: number): number {
		return this.budget.availableAt(nowMs);
	}
}

/**
 * Plaid's verification keys as Plaid documents their lifecycle, for every Plaid environment and
 * client this process receives webhooks for (a scope each): a key is fetched once, kept, asked
 * for again once it is `keyTtlMs` old and when a key id we do not hold arrives, and refused from
 * the answer on which Plaid gives it an `expired_at`. A key id Plaid does not know is remembered
 * for a while; all fetches of a scope share one budget.
 */
export class VerificationKeyStore {
	readonly settings: KeyStoreSettings;
	private readonly scopes = new Map<string, ScopeKeys>();

	constructor(settings: Partial<KeyStoreSettings> = {}) {
		this.settings = { ...KEY_STORE_SETTINGS, ...settings };
	}

	async find(scope: string, keyId: string, source: KeySource, nowMs: number): Promise<KeyResolution> {
		return await this.scopeKeys(scope).find(keyId, source, nowMs);
	}

	/** Counts for one scope, for tests and diagnostics. */
	describe(scope: string, nowMs: number): { heldKeys: number; unknownKeyIds: number; budgetAvailable: number } {
		const keys = this.scopeKeys(scope);
		return { heldKeys: keys.heldKeyCount, unknownKeyIds: keys.unknownKeyIdCount, budgetAvailable: keys.budgetAvailableAt(nowMs) };
	}

	private scopeKeys(scope: string): ScopeKeys {
		let keys = this.scopes.get(scope);
		if (!keys) {
			keys = new ScopeKeys(this.settings);
			this.scopes.set(scope, keys);
			// Scopes come from credentials, not from requests; the bound is a backstop.
			for (const oldest of this.scopes.keys()) {
				if (this.scopes.size <= this.settings.maxScopes) break;
				this.scopes.delete(oldest);
			}
		}
		return keys;
	}
}
