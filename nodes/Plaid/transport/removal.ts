import type { IDataObject } from 'n8n-workflow';

import { noteAttempts, type PlaidNodeApiError } from './errors';
import type { RetryDecision } from './retryPolicy';

/**
 * What a removal call (user/items/remove, user/remove, item/remove) tells the transport so that
 * a retry after an ambiguous failure is settled by Plaid's actual state, not guessed.
 */
export interface RemovalCheck {
	/** Plaid's answers meaning "not there": what a repeat of a removal that went through gets. */
	notFoundCodes: readonly string[];
	/** Reads Plaid's state now: true only when it shows that everything to remove is gone. */
	confirmRemoved: () => Promise<boolean>;
}

export const uncertainRemovalNote =
	'an earlier attempt may have reached Plaid and removed it: check the current state before running this again';

/** Why retrying stopped, when that is not simply "no retries left" or "not retryable". */
export function stopNote(reason: Extract<RetryDecision, { retry: false }>['reason']): string | undefined {
	if (reason === 'retry-after too long') return 'Plaid asked to wait longer before retrying than this node waits';
	if (reason === 'wait budget spent') return 'retrying stopped: the waits reached their time limit';
	return undefined;
}

/**
 * A retry answered "not found" after an earlier attempt may have gone through (timeout, dropped
 * connection, 5xx). Plaid offers no idempotency key, so the state decides: when it confirms the
 * removal, the call succeeded earlier and is reported with `already_removed`; otherwise the
 * "not found" stands. A first-attempt "not found" never gets here.
 */
export async function settleAmbiguousRemoval(
	removal: RemovalCheck,
	notFound: PlaidNodeApiError,
	attempts: number,
): Promise<IDataObject> {
	let confirmed: boolean;
	try {
		confirmed = await removal.confirmRemoved();
	} catch {
		throw noteAttempts(notFound, attempts, [
			'an earlier attempt may have removed it, but checking Plaid’s current state failed',
		]);
	}
	if (!confirmed) {
		throw noteAttempts(notFound, attempts, [
			'an earlier attempt may have reached Plaid, but Plaid’s current state does not show the removal',
		]);
	}
	// The request_id is that of the retry which found it gone: the call to quote to Plaid support.
	const requestId = notFound.plaid?.request_id;
	return { ...(requestId ? { request_id: requestId } : {}), already_removed: true };
}

/** The output field a removal adds when Plaid had already removed it (see settleAmbiguousRemoval). */
export function alreadyRemovedField(response: IDataObject): IDataObject {
	return response.already_removed === true ? { already_removed: true } : {};
}
