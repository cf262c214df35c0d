import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { capText } from '../helpers/text';
import { keepN8nErrorName } from '../runtime/errorName';
import type { CallRecord, Target } from './types';

/** Plaid's error object (spec `PlaidError`), as far as we read it. */
export interface PlaidErrorBody {
	error_type: string;
	error_code: string;
	error_message?: string;
	display_message?: string | null;
	request_id?: string;
	error_code_reason?: string | null;
	suggested_action?: string | null;
	documentation_url?: string | null;
}

export function isPlaidErrorBody(body: unknown): body is PlaidErrorBody {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as IDataObject).error_code === 'string' &&
		typeof (body as IDataObject).error_type === 'string'
	);
}

/** The Plaid fields of a failed call, kept on the error for continue-on-fail output. */
export interface PlaidErrorDetails {
	error_code?: string;
	error_type?: string;
	request_id?: string;
	error_code_reason?: string;
	suggested_action?: string;
	documentation_url?: string;
}

/** What a failed attempt got back, as data: the error is built once, when the call is settled. */
export type FailedAnswer =
	| { kind: 'plaid'; status: number; body: PlaidErrorBody }
	| { kind: 'redirect'; status: number; origin?: string }
	| { kind: 'unexpected'; status: number }
	| { kind: 'network'; code?: string; reason?: string; timedOutAfterMs?: number };

/** How a call ended: its last answer, how many attempts it took, and whether Plaid may have acted. */
export interface SettledCall {
	answer: FailedAnswer;
	target: Pick<Target, 'endpoint' | 'baseURL' | 'viaGateway'>;
	call: CallRecord;
	attempts: number;
	/** An attempt failed in a way where Plaid may have carried it out anyway (a lost answer, a 500). */
	mayHaveActed: boolean;
	/** Why retrying stopped, when that is not simply "no retries left" or "not retryable". */
	notes?: Array<string | undefined>;
}

/** Where an operation's Continue On Fail fields are kept on an error. */
const ITEM_FIELDS = Symbol('itemFields');

const UNCERTAIN_NOTE = 'Plaid may have carried it out: an attempt got no answer, or a server error, after it was sent';

/**
 * A Plaid call that failed, once every retry is spent: its message leads with Plaid's error_code
 * when Plaid answered, its description says how many attempts were made and why retrying stopped,
 * and its fields are set here, once. An operation may add a note or the fields of its Continue On
 * Fail item (which stay off the stored copy: a removal of 100,000 IDs would store every one).
 */
export class PlaidApiError extends NodeApiError {
	readonly plaid?: PlaidErrorDetails;

	readonly mayHaveActed: boolean;

	readonly call: CallRecord;

	constructor(node: INode, settled: SettledCall) {
		const { message, description } = describeAnswer(settled.answer, settled.target);
		const httpCode = 'status' in settled.answer ? String(settled.answer.status) : undefined;
		const notes = [`attempts: ${settled.attempts}`, ...(settled.notes ?? []), settled.mayHaveActed ? UNCERTAIN_NOTE : undefined];
		const fullMessage = settled.attempts > 1 ? `${message} (after ${settled.attempts} attempts)` : message;
		const errorResponse = settled.answer.kind === 'plaid' ? (settled.answer.body as unknown as JsonObject) : { message, ...(httpCode ? { httpCode } : {}) };
		super(node, errorResponse, { message: fullMessage, description: [description, ...notes].filter(Boolean).join(' · '), ...(httpCode ? { httpCode } : {}) });
		// n8n swaps a message naming a common network code for its generic text; keep ours.
		this.message = fullMessage;
		keepN8nErrorName(this, NodeApiError);
		this.plaid = settled.answer.kind === 'plaid' ? detailsOf(settled.answer.body) : undefined;
		this.mayHaveActed = settled.mayHaveActed;
		this.call = settled.call;
	}

	/** Plaid looked at the call and refused it: a Plaid error answer of the 4xx kind other than a rate limit. */
	get refused(): boolean {
		const status = Number(this.httpCode);
		return this.plaid !== undefined && status >= 400 && status < 500 && this.plaid.error_type !== 'RATE_LIMIT_EXCEEDED';
	}

	addNote(note: string | undefined): this {
		if (note) this.description = [this.description, note].filter(Boolean).join(' · ');
		return this;
	}

	get itemFields(): IDataObject {
		return (this as { [ITEM_FIELDS]?: IDataObject })[ITEM_FIELDS] ?? {};
	}

	/** Kept under a symbol: not enumerable, so not in the copy n8n stores or logs. */
	addItemFields(fields: IDataObject): this {
		Object.defineProperty(this, ITEM_FIELDS, { value: { ...this.itemFields, ...fields }, enumerable: false, configurable: true });
		return this;
	}
}

/**
 * The execution was cancelled while a call waited to be sent or retried: nothing more is sent. It may
 * still have been carried out by an earlier attempt whose answer was lost.
 */
export class PlaidCancelledError extends NodeOperationError {
	readonly mayHaveActed: boolean;

	constructor(node: INode, endpoint: string, attempts: number, mayHaveActed: boolean) {
		const sent = attempts === 0 ? 'before it was sent' : `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
		super(node, `The execution was cancelled while ${endpoint} waited ${sent}; nothing more was sent`, {
			description: mayHaveActed
				? 'An earlier attempt may have reached Plaid and been carried out: check Plaid’s current state before running it again.'
				: 'Plaid did not carry out this call.',
		});
		keepN8nErrorName(this, NodeOperationError);
		this.mayHaveActed = mayHaveActed;
	}
}

/** Either error a Plaid call ends with. */
export type PlaidCallError = PlaidApiError | PlaidCancelledError;

export function isPlaidRefusal(error: unknown): error is PlaidApiError {
	return error instanceof PlaidApiError && error.refused;
}

/** Whether an error is the cancellation of the execution. */
export function isCancellation(error: unknown): error is PlaidCancelledError {
	return error instanceof PlaidCancelledError;
}

/** Whether Plaid may have carried out the call an error ended (its answer lost, a server error). */
export function mayHaveBeenApplied(error: unknown): boolean {
	return (error instanceof PlaidApiError || error instanceof PlaidCancelledError) && error.mayHaveActed;
}

/** The fields an operation added to an error for its Continue On Fail item (none for other errors). */
export function itemFieldsOfError(error: unknown): IDataObject {
	return error instanceof PlaidApiError ? error.itemFields : {};
}

function detailsOf(body: PlaidErrorBody): PlaidErrorDetails {
	const details: PlaidErrorDetails = {
		error_code: body.error_code,
		error_type: body.error_type,
		...(body.request_id ? { request_id: body.request_id } : {}),
	};
	for (const field of OPTIONAL_DETAILS) {
		const value = body[field];
		if (typeof value === 'string' && value !== '') details[field] = value;
	}
	return details;
}

/** Plaid's optional fields, passed on only when Plaid sent them as text. */
const OPTIONAL_DETAILS = ['error_code_reason', 'suggested_action', 'documentation_url'] as const;

function describePlaidError(body: PlaidErrorBody): string {
	const parts = [`error_type: ${body.error_type}`];
	if (body.display_message) parts.push(`display_message: ${body.display_message}`);
	if (body.request_id) parts.push(`request_id: ${body.request_id}`);
	return parts.join(' · ');
}

/** Plaid's error fields that are text (spec PlaidError). */
const TEXT_FIELDS = ['error_type', 'error_code', 'error_code_reason', 'error_message', 'display_message', 'request_id', 'documentation_url', 'suggested_action'] as const;

/**
 * What of Plaid's error object the node keeps: its text fields, each cut to MAX_SERVER_TEXT
 * characters, and its status. Anything else the answer carries (a gateway's echo of the request,
 * a list of every ID) stays out of the error n8n stores, logs and reports.
 */
export function boundedErrorBody(body: PlaidErrorBody): PlaidErrorBody {
	const fields = body as unknown as IDataObject;
	const bounded: IDataObject = {};
	for (const field of TEXT_FIELDS) {
		const value = fields[field];
		if (typeof value === 'string') bounded[field] = capText(value);
		else if (value === null) bounded[field] = null;
	}
	if (typeof fields.status === 'number') bounded.status = fields.status;
	return bounded as unknown as PlaidErrorBody;
}

/** A failed answer's message and description, as a person reads them. */
function describeAnswer(answer: FailedAnswer, target: SettledCall['target']): { message: string; description: string } {
	switch (answer.kind) {
		case 'plaid':
			return { message: answer.body.error_message ? `${answer.body.error_code}: ${answer.body.error_message}` : answer.body.error_code, description: describePlaidError(answer.body) };
		case 'redirect':
			// Plaid never redirects: only the target's origin is named, its path and query may carry anything.
			return {
				message: `The Plaid request to ${target.endpoint} was redirected (HTTP ${answer.status}) ${answer.origin ? `to ${answer.origin}` : 'without a readable location'}; redirects are not followed`,
				description: `The keys were not sent on. Plaid does not redirect: check the Base URL of the credential (${target.baseURL}) and any proxy or gateway in front of Plaid.`,
			};
		case 'unexpected':
			return describeUnexpected(answer.status, target);
		case 'network':
			return answer.timedOutAfterMs !== undefined
				? {
						message: `Plaid did not answer within ${answer.timedOutAfterMs} ms (${target.baseURL})`,
						description: 'The request timed out. Plaid may still have carried it out. Raise "Timeout" under Options if Plaid is slow to answer.',
					}
				: {
						message: `Could not reach Plaid at ${target.baseURL} (${answer.code ?? answer.reason ?? 'no response'})`,
						description: 'The request got no HTTP answer. Check the Environment or Base URL and the network.',
					};
	}
}

/**
 * An answer that is not Plaid's JSON (an HTML page from a proxy, an empty body): a short message
 * with the status, never the page itself. A 401/403 from a gateway is the gateway refusing n8n, not
 * Plaid refusing the keys, and is said so.
 */
function describeUnexpected(status: number, target: SettledCall['target']): { message: string; description: string } {
	if (status >= 200 && status < 300) {
		return { message: `Plaid answered HTTP ${status} without the expected JSON body`, description: 'The response was not the JSON object Plaid sends, so the outcome is unknown.' };
	}
	if (target.viaGateway && (status === 401 || status === 403)) {
		return {
			message: `The gateway at ${target.baseURL} refused the call (HTTP ${status}); Plaid was not reached`,
			description: 'Check the Gateway Token in the Plaid credential, and that the gateway accepts calls from this n8n instance.',
		};
	}
	return {
		message: `Plaid request failed with HTTP ${status} and a response that is not Plaid's JSON`,
		description: 'The response did not come from the Plaid API (for example a proxy or gateway error page). Check the Environment or Base URL, or try again later.',
	};
}

/**
 * The network error code (ECONNRESET, ECONNABORTED, …) of a request that got no answer. n8n
 * wraps the axios error in a NodeApiError, so the code sits on its `cause`.
 */
export function networkErrorCode(error: unknown): string | undefined {
	for (let current = error, depth = 0; current && depth < 3; depth++) {
		const code = (current as IDataObject).code;
		if (typeof code === 'string') return code;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** A call's answer or its error, for code that decides what an error means (errors are n8n's already). */
export type Attempted<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function attempt<T>(promise: Promise<T>): Promise<Attempted<T>> {
	try {
		return { ok: true, value: await promise };
	} catch (error) {
		return { ok: false, error };
	}
}

