import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	attempt,
	type Attempted,
	executionScopeOf,
	isPlaidRefusal,
	PlaidApiError,
	plaidApiCall,
	type PlaidAnswer,
	type PlaidEndpoint,
	waitUnlessCancelled,
} from '../transport';

/** The read that shows an accepted removal's target gone (Verify Removal). */
export interface VerifyRead {
	endpoint: PlaidEndpoint;
	body: IDataObject;
	/** Plaid's answers for a target it no longer knows. */
	goneCodes: readonly string[];
	/** For a read that answers: whether its answer no longer shows the target (e.g. no removed Item listed). */
	answerShowsGone?: (answer: IDataObject) => boolean;
}

export interface Verification {
	verified: boolean;
	/** The request_id of the read that showed it gone, or of the last read. */
	requestId: string | null;
	note?: string;
}

/** Waits between reads: Plaid's reads may lag behind a removal for a while (seen in its Sandbox). */
const READ_DELAYS_MS = [0, 250, 500, 1000, 2000, 4000];
const MAX_READ_DELAY_MS = 5000;

function readRequestId(read: Attempted<PlaidAnswer>): string | null {
	if (read.ok) return typeof read.value.body.request_id === 'string' ? read.value.body.request_id : null;
	return read.error instanceof PlaidApiError ? (read.error.plaid?.request_id ?? null) : null;
}

/**
 * After Plaid accepted a removal, reads the state back until the target no longer shows, for at most
 * `withinMs`. A read that fails for another reason ends it unverified, saying why: the removal
 * itself stands (its request_id proves it); this only corroborates it.
 */
export async function verifyRemoval(this: IExecuteFunctions, i: number, read: VerifyRead, withinMs: number): Promise<Verification> {
	const deadline = Date.now() + withinMs;
	const signal = executionScopeOf(this)?.cancelSignal;
	let requestId: string | null = null;
	for (let round = 0; ; round++) {
		const delay = READ_DELAYS_MS[round] ?? MAX_READ_DELAY_MS;
		if (round > 0 && Date.now() + delay > deadline) {
			return { verified: false, requestId, note: `still shown by ${read.endpoint} after ${Math.round(withinMs / 1000)} s (Verify Within)` };
		}
		if (!(await waitUnlessCancelled(delay, signal))) return { verified: false, requestId, note: 'the execution was cancelled while verifying' };
		const result = await attempt(plaidApiCall.call(this, read.endpoint, read.body, { itemIndex: i }));
		requestId = readRequestId(result);
		if (result.ok) {
			if (read.answerShowsGone?.(result.value.body)) return { verified: true, requestId };
			continue;
		}
		const { error } = result;
		if (isPlaidRefusal(error) && read.goneCodes.includes(error.plaid?.error_code ?? '')) return { verified: true, requestId };
		return { verified: false, requestId, note: `reading ${read.endpoint} back failed: ${(error as Error).message}` };
	}
}

/** The fields Verify Removal adds to an output (none when it did not run). */
export function verifiedFields(verification: Verification | undefined): IDataObject {
	if (!verification) return {};
	return { verified: verification.verified, ...(verification.note ? { verify_note: verification.note } : {}) };
}
