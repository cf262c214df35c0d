import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseBoolean } from '../../helpers/fields';
import {
	acceptedEarlier,
	type CallRecord,
	plaidApiCall,
	type PlaidAnswer,
	type PlaidEndpoint,
	type PlaidNodeApiError,
} from '../../transport';

/** The panel's warning on an operation that cannot be undone; `what` says what is lost. */
export function irreversibleNotice(show: IDisplayOptions['show'], what: string): INodeProperties {
	return {
		displayName: `This cannot be undone: ${what} Turn on "Preview Only" under Options to see first what it would do.`,
		name: 'irreversibleNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	};
}

/** How an irreversible operation runs for one item, from its Options. */
export interface IrreversibleOptions {
	/** Send nothing irreversible: read, and say what would happen. */
	preview: boolean;
	/** Work Plaid shows is already done counts as success (already_removed). */
	alreadyRemovedIsSuccess: boolean;
}

/**
 * Node version 1 keeps "already removed" a failure when the option is not set, so that workflows
 * saved with it keep their meaning; from 1.1 on the goal of an offboarding, the end state, decides.
 */
export function readIrreversibleOptions(this: IExecuteFunctions, i: number): IrreversibleOptions {
	const options = (this.getNodeParameter('options', i, {}) as IDataObject | null) ?? {};
	const fromVersion11 = this.getNode().typeVersion >= 1.1;
	return {
		preview: parseBoolean(options.preview, 'Preview Only', false),
		alreadyRemovedIsSuccess: parseBoolean(options.alreadyRemovedIsSuccess, 'Already Removed Is Success', fromVersion11),
	};
}

/** The audit record of an irreversible output: where the call went, Plaid's request_id, when it answered. */
export function auditOf(call: CallRecord, requestId: unknown, operation: string): IDataObject {
	return {
		operation,
		environment: call.environment,
		// Only a custom URL says more than the environment; it never holds credentials (baseUrl.ts).
		...(call.environment === 'custom' ? { base_url: call.baseURL } : {}),
		endpoint: call.endpoint,
		request_id: typeof requestId === 'string' ? requestId : null,
		answered_at: call.answeredAt,
	};
}

/** The output of an irreversible call Plaid accepted. */
export function removedOutput(fields: IDataObject, answer: PlaidAnswer, operation: string): IDataObject {
	return {
		request_id: answer.body.request_id,
		...fields,
		removed: true,
		audit: auditOf(answer.call, answer.body.request_id, operation),
	};
}

/**
 * The output for a call that an earlier try of this node, in this same execution, got through (n8n's
 * "Retry On Fail" runs the node again with the same input): Plaid now refuses it as not found, and
 * only this record still knows its request_id. Undefined when there was no such try.
 */
export function removedOnEarlierTry(
	this: IExecuteFunctions,
	endpoint: PlaidEndpoint,
	body: IDataObject,
	fields: IDataObject,
	operation: string,
): IDataObject | undefined {
	const earlier = acceptedEarlier(this, endpoint, body);
	if (!earlier) return undefined;
	const answer: PlaidAnswer = { body: { request_id: earlier.requestId }, call: earlier.call, attempts: 0 };
	return { ...removedOutput(fields, answer, operation), removed_on_earlier_try: true };
}

/** What Plaid answered when it refused a call: the evidence behind `already_removed`. */
export function plaidAnswerOf(error: PlaidNodeApiError): IDataObject {
	const { error_code, error_type, request_id } = error.plaid ?? {};
	return { error_code, error_type, error_message: error.message.replace(/ \(after \d+ attempts\)$/, ''), request_id };
}

/** The output when Plaid's state shows the work was already done. */
export function alreadyRemovedOutput(fields: IDataObject, refusal: PlaidNodeApiError, operation: string): IDataObject {
	const requestId = refusal.plaid?.request_id;
	return {
		...(requestId ? { request_id: requestId } : {}),
		...fields,
		already_removed: true,
		plaid_answer: plaidAnswerOf(refusal),
		...(refusal.call ? { audit: auditOf(refusal.call, requestId, operation) } : {}),
	};
}

/** A Plaid error answer of the 4xx kind other than a rate limit: Plaid looked at the call and refused it. */
export function isPlaidRefusal(error: unknown): error is PlaidNodeApiError {
	const plaid = (error as PlaidNodeApiError | null)?.plaid;
	const status = Number((error as PlaidNodeApiError).httpCode);
	return plaid !== undefined && status >= 400 && status < 500 && plaid.error_type !== 'RATE_LIMIT_EXCEEDED';
}

/** A read that tells whether the target of a removal is gone: Plaid answers it with one of `goneCodes`. */
export interface GoneCheck {
	endpoint: PlaidEndpoint;
	body: IDataObject;
	/** Plaid's answers for something that does not exist (any more). */
	goneCodes: readonly string[];
}

export type CheckResult = { gone: true; refusal: PlaidNodeApiError } | { gone: false; answer: PlaidAnswer };

/** A Plaid call's answer or its error, for code that decides what an error means. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Errors from the transport are n8n errors already; this only lets a caller look before passing one on. */
export async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

/** Reads Plaid's current state. A failure other than a "gone" answer is thrown: it proves nothing. */
export async function checkGone(this: IExecuteFunctions, check: GoneCheck, i: number): Promise<CheckResult> {
	const read = await settle(plaidApiCall.call(this, check.endpoint, check.body, { itemIndex: i }));
	if (read.ok) return { gone: false, answer: read.value };
	const { error } = read;
	if (isPlaidRefusal(error) && check.goneCodes.includes(error.plaid?.error_code ?? '')) return { gone: true, refusal: error };
	throw error;
}

/** Adds to an error's description; the message keeps Plaid's error_code first. */
export function addNote<E extends Error & { description?: string | null }>(error: E, note: string): E {
	error.description = [error.description, note].filter(Boolean).join(' · ');
	return error;
}

export interface SingleTargetRemoval {
	/** For the audit record, e.g. "item.remove". */
	operation: string;
	endpoint: PlaidEndpoint;
	body: IDataObject;
	/** Output fields besides request_id / removed / audit (never a token). */
	fields: IDataObject;
	/** How to tell the target is gone, and what to read for a preview. */
	check: GoneCheck;
	/** The preview's description of the target, from the check's answer. */
	describe: (read: IDataObject) => IDataObject;
}

/**
 * One irreversible call on one target (an Item by its access token, a user), with the preview,
 * and "already removed" settled by Plaid's state: after Plaid refused the call (any 4xx), a read
 * must show the target gone. That counts as success when the option says so, or when an earlier
 * attempt of this very call may have done it (its answer was lost); otherwise Plaid's error stands.
 */
export async function removeSingleTarget(this: IExecuteFunctions, i: number, removal: SingleTargetRemoval): Promise<IDataObject> {
	const options = readIrreversibleOptions.call(this, i);
	if (options.preview) return await previewSingleTarget.call(this, i, removal, options);
	const call = await settle(plaidApiCall.call(this, removal.endpoint, removal.body, { itemIndex: i }));
	if (call.ok) return removedOutput(removal.fields, call.value, removal.operation);
	const { error } = call;
	if (!isPlaidRefusal(error)) throw error;
	const earlier = () => removedOnEarlierTry.call(this, removal.endpoint, removal.body, removal.fields, removal.operation);
	if (!(options.alreadyRemovedIsSuccess || error.mayHaveActed || acceptedEarlier(this, removal.endpoint, removal.body))) throw error;
	const state = await readStateAfter.call(this, error, removal.check, i);
	if (state.gone) return earlier() ?? alreadyRemovedOutput(removal.fields, error, removal.operation);
	throw addNote(error, 'Plaid’s current state does not show it removed');
}

/**
 * Plaid's state after it refused `refusal`. If reading it fails with the same error (wrong keys,
 * say), the refusal is passed on as it is; any other failure leaves the state unknown, and says so.
 */
export async function readStateAfter(this: IExecuteFunctions, refusal: PlaidNodeApiError, check: GoneCheck, i: number): Promise<CheckResult> {
	const read = await settle(checkGone.call(this, check, i));
	if (read.ok) return read.value;
	if ((read.error as PlaidNodeApiError).plaid?.error_code === refusal.plaid?.error_code) throw refusal;
	throw addNote(refusal, 'reading Plaid’s current state afterwards failed, so it is unknown whether the work was already done');
}

async function previewSingleTarget(
	this: IExecuteFunctions,
	i: number,
	removal: SingleTargetRemoval,
	options: IrreversibleOptions,
): Promise<IDataObject> {
	const state = await checkGone.call(this, removal.check, i);
	if (!state.gone) {
		return { preview: true, ...removal.fields, outcome: 'would_remove', ...removal.describe(state.answer.body), request_id: state.answer.body.request_id };
	}
	return {
		preview: true,
		...removal.fields,
		outcome: options.alreadyRemovedIsSuccess ? 'already_removed' : 'would_fail',
		plaid_answer: plaidAnswerOf(state.refusal),
	};
}
