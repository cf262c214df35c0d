/**
 * How many requests the trigger may send to /webhook_verification_key/get, counted in Plaid
 * requests (a retried 429 is two). Everything a forger controls is checked before the key lookup,
 * so without a budget each forged request with a new key id would spend one request of the
 * customer's Plaid rate limit: the limit their own Plaid node and genuine webhooks share.
 */
export interface KeyFetchBudgetSettings {
	/** Requests that may be sent at once after a quiet period. */
	capacity: number;
	/** One more request is allowed every this many milliseconds, up to `capacity`. */
	refillIntervalMs: number;
	/**
	 * Requests that lookups of key ids we have never seen may not spend: they are kept for
	 * re-checking keys Plaid already gave us, so a flood of forged ids cannot stop those checks.
	 */
	reservedForKnownKeys: number;
}

export const KEY_FETCH_BUDGET: KeyFetchBudgetSettings = {
	capacity: 20,
	refillIntervalMs: 10_000,
	reservedForKnownKeys: 4,
};

/** Who asks: re-checking a key Plaid gave us, or looking up a key id never seen before. */
export type KeyFetchPurpose = 'known key' | 'new key id';

/** A token bucket over a clock given by the caller. */
export class KeyFetchBudget {
	private available: number;
	private updatedAtMs: number | undefined;

	constructor(readonly settings: KeyFetchBudgetSettings = KEY_FETCH_BUDGET) {
		this.available = settings.capacity;
	}

	/** Takes `requests` from the budget if the purpose may have them now; false leaves it as it was. */
	take(requests: number, purpose: KeyFetchPurpose, nowMs: number): boolean {
		this.refill(nowMs);
		const floor = purpose === 'new key id' ? this.settings.reservedForKnownKeys : 0;
		if (this.available - requests < floor) return false;
		this.available -= requests;
		return true;
	}

	/** Requests available now (fractions count towards the next one). */
	availableAt(nowMs: number): number {
		this.refill(nowMs);
		return this.available;
	}

	private refill(nowMs: number): void {
		if (this.updatedAtMs !== undefined && nowMs > this.updatedAtMs) {
			const earned = (nowMs - this.updatedAtMs) / this.settings.refillIntervalMs;
			this.available = Math.min(this.settings.capacity, this.available + earned);
		}
		if (this.updatedAtMs === undefined || nowMs > this.updatedAtMs) this.updatedAtMs = nowMs;
	}
}
