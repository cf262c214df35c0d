import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { attempt, isPlaidRefusal, plaidApiCall, type PlaidEndpoint, type PlaidApiError } from '../transport';
import {
	accepted,
	acceptedOnEarlierTries,
	earlierAnswer,
	type IrreversibleWork,
	runIrreversible,
} from './irreversible';
import type { IrreversibleOptions } from './options';
import { refusalAnswer, type Settled } from './outcome';
import { type VerifyRead, verifyRemoval } from './verify';

/** One irreversible call on one target: an Item by its access token, a user, an Asset Report. */
export interface SingleTargetRemoval extends IrreversibleWork {
	body: IDataObject;
	/** Plaid's answers for a target it does not know under these keys (removed, never existed, mistyped…). */
	notFoundCodes: readonly string[];
	/** What the target is called in notes, e.g. "access token", "user". */
	targetName: string;
	/** The read a preview makes, and what it shows of the target. */
	previewRead: { endpoint: PlaidEndpoint; body: IDataObject; describe: (read: IDataObject) => IDataObject };
	/** The read Verify Removal makes; none where Plaid offers no read of the state. */
	verifyRead?: VerifyRead;
}

const UNCERTAIN_NOTE =
	'an attempt of this call got no answer (or a server error that does not say Plaid did nothing) after it was sent, and Plaid now answers that it does not know the target: that attempt may have done the work, or there was nothing to do';

function notFoundNote(targetName: string): string {
	return `Plaid does not know this ${targetName} under these keys: removed earlier, never existed, of another environment or mistyped; its answer does not say which. This call removed nothing.`;
}

/**
 * Sends the irreversible call once (the transport retries what may be retried) and says what Plaid's
 * answer proves: accepted is `removed`; "not found" is `not_found`, or `uncertain` when an attempt
 * whose answer was lost may have done it, or `removed` when an earlier try of this node in this
 * execution had it accepted. Any other refusal is Plaid's error as it is.
 */
export async function removeSingleTarget(
	this: IExecuteFunctions,
	i: number,
	removal: SingleTargetRemoval,
	options: IrreversibleOptions,
): Promise<IDataObject> {
	if (options.preview) return await runIrreversible.call(this, i, removal, options, async () => await previewSingleTarget.call(this, i, removal));
	return await runIrreversible.call(this, i, removal, options, async () => {
		const call = await attempt(plaidApiCall.call(this, removal.endpoint, removal.body, { itemIndex: i, irreversible: true }));
		if (call.ok) {
			const answer = accepted.call(this, removal, call.value);
			const verification = options.verify && removal.verifyRead ? await verifyRemoval.call(this, i, removal.verifyRead, options.verifyWithinMs) : undefined;
			return { outcome: 'removed', fields: removal.fields, answer, verification };
		}
		const { error } = call;
		if (!isPlaidRefusal(error) || !removal.notFoundCodes.includes(error.plaid?.error_code ?? '')) throw error;
		return settleNotFound.call(this, removal, error);
	});
}

function settleNotFound(this: IExecuteFunctions, removal: SingleTargetRemoval, refusal: PlaidApiError): Settled {
	const [earlier] = acceptedOnEarlierTries.call(this, removal).slice(-1);
	if (earlier) {
		return { outcome: 'removed', fields: { ...removal.fields, removed_on_earlier_try: true }, answer: earlierAnswer(earlier) };
	}
	if (refusal.mayHaveActed) {
		return { outcome: 'uncertain', fields: removal.fields, answer: refusalAnswer(refusal), refusal, note: UNCERTAIN_NOTE };
	}
	return { outcome: 'not_found', fields: removal.fields, answer: refusalAnswer(refusal), refusal, note: notFoundNote(removal.targetName) };
}

/** Preview: the read says whether Plaid knows the target now; nothing irreversible is sent. */
async function previewSingleTarget(this: IExecuteFunctions, i: number, removal: SingleTargetRemoval): Promise<Settled> {
	const { endpoint, body, describe } = removal.previewRead;
	const fields = { preview: true, ...removal.fields };
	const read = await attempt(plaidApiCall.call(this, endpoint, body, { itemIndex: i }));
	if (read.ok) {
		const answer = { requestId: String(read.value.body.request_id), call: read.value.call, accepted: false };
		return { outcome: 'would_remove', fields: { ...fields, ...describe(read.value.body) }, answer };
	}
	const { error } = read;
	if (!isPlaidRefusal(error) || !removal.notFoundCodes.includes(error.plaid?.error_code ?? '')) throw error;
	return { outcome: 'would_be_not_found', fields, answer: refusalAnswer(error), refusal: error, note: notFoundNote(removal.targetName) };
}
