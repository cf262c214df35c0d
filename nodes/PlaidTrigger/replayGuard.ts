import { ExpiringSet } from './expiringSet';
import { MAX_TOKEN_AGE_SECONDS } from './verifyWebhook';

/** Enough for a webhook a second per Plaid environment and more; about 200 bytes each. */
export const MAX_REMEMBERED_DELIVERIES = 10_000;

/** What names one signed delivery: the key that signed it, the body it signed and when. */
export interface SignedDelivery {
	scope: string;
	keyId: string;
	bodySha256: string;
	issuedAt: number;
}

/**
 * The webhooks this process has started a run for, remembered for as long as their token could
 * still verify (its `iat` plus 5 minutes): within that window a captured webhook sent again would
 * pass every check, so it is recognised here instead. Plaid's own redeliveries carry a new token
 * and are not affected.
 */
export class AcceptedWebhooks {
	private readonly seen: ExpiringSet;

	constructor(maxSize = MAX_REMEMBERED_DELIVERIES) {
		this.seen = new ExpiringSet(maxSize);
	}

	/** True the first time a delivery is seen within its window; false for a replay. Records it. */
	accept(delivery: SignedDelivery, nowMs: number): boolean {
		const id = [delivery.scope, delivery.keyId, delivery.bodySha256, String(delivery.issuedAt)].join('\n');
		if (this.seen.has(id, nowMs)) return false;
		// One second past the last moment the token is accepted (age > 5 minutes is refused).
		this.seen.add(id, (delivery.issuedAt + MAX_TOKEN_AGE_SECONDS + 1) * 1000, nowMs);
		return true;
	}

	get size(): number {
		return this.seen.size;
	}
}
