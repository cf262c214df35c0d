import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isUserToken } from '../../shared/tokens';
import { capText } from '../helpers/text';
import type { CallRecord, PlaidContext, Target } from './types';

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

export type PlaidNodeApiError = NodeApiError & {
	plaid?: PlaidErrorDetails;
	/** This call (or an earlier attempt of it) failed in a way where Plaid may have carried it out. */
	mayHaveActed?: boolean;
	call?: CallRecord;
	/** Fields an operation adds to the item that "Continue On Fail" outputs for this error. */
	itemFields?: IDataObject;
};

/**
 * The node n8n attaches to an error and keeps with it (run data, logs, error reports), without a
 * user token given as User ID, which Plaid's migration path accepts there. The router hides the
 * password fields.
 */
function errorNode(context: PlaidContext): INode {
	const node = context.getNode();
	if (!isUserToken(node.parameters.userId)) return node;
	return { ...node, parameters: { ...node.parameters, userId: '[hidden]' } };
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
function boundedErrorBody(body: PlaidErrorBody): PlaidErrorBody {
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

/** Builds the error for a Plaid error object: the message starts with Plaid's `error_code`. */
export function plaidError(context: PlaidContext, answer: PlaidErrorBody, httpCode: number): PlaidNodeApiError {
	const body = boundedErrorBody(answer);
	const message = body.error_message ? `${body.error_code}: ${body.error_message}` : body.error_code;
	const error: PlaidNodeApiError = new NodeApiError(errorNode(context), body as unknown as JsonObject, {
		message,
		description: describePlaidError(body),
		httpCode: String(httpCode),
	});
	error.plaid = {
		error_code: body.error_code,
		error_type: body.error_type,
		...(body.request_id ? { request_id: body.request_id } : {}),
	};
	for (const field of OPTIONAL_DETAILS) {
		const value = body[field];
		if (typeof value === 'string' && value !== '') error.plaid[field] = value;
	}
	return error;
}

/**
 * A 3xx answer. Plaid never redirects, so one comes from something in between (a proxy, a moved
 * gateway, a captive portal); following it would send the keys there. Only the target's origin is
 * named: its path and query may carry anything.
 */
export function redirectError(context: PlaidContext, statusCode: number, target: Target, origin: string | undefined): NodeApiError {
	const where = origin ? `to ${origin}` : 'without a readable location';
	const message = `The Plaid request to ${target.endpoint} was redirected (HTTP ${statusCode}) ${where}; redirects are not followed`;
	const description = `The keys were not sent on. Plaid does not redirect: check the Base URL of the credential (${target.baseURL}) and any proxy or gateway in front of Plaid.`;
	return new NodeApiError(
		errorNode(context),
		{ message, httpCode: String(statusCode) },
		{ message, description, httpCode: String(statusCode) },
	);
}

/** The execution was cancelled while this call waited to be sent or retried. */
export function cancelledError(context: PlaidContext, endpoint: string, attempts: number, mayHaveActed: boolean): NodeOperationError {
	const sent = attempts === 0 ? 'before it was sent' : `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
	const error = new NodeOperationError(
		errorNode(context),
		`The execution was cancelled while ${endpoint} waited ${sent}; nothing more was sent`,
		{
			description: mayHaveActed
				? 'An earlier attempt may have reached Plaid and been carried out: check Plaid’s current state before running it again.'
				: 'Plaid did not carry out this call.',
		},
	);
	Object.assign(error, { cancelled: true, mayHaveActed });
	return error;
}

/** Whether an error is the cancellation of the execution (see cancelledError). */
export function isCancellation(error: unknown): boolean {
	return (error as { cancelled?: unknown } | null)?.cancelled === true;
}

/**
 * An answer that is not Plaid's JSON (an HTML page from a proxy, an empty body): a short
 * message with the status, never the page itself. A 401/403 from a gateway is the gateway
 * refusing n8n, not Plaid refusing the keys, and is said so.
 */
export function unexpectedResponseError(
	context: PlaidContext,
	statusCode: number,
	baseURL: string,
	viaGateway: boolean,
): NodeApiError {
	let message: string;
	let description: string;
	if (statusCode >= 200 && statusCode < 300) {
		message = `Plaid answered HTTP ${statusCode} without the expected JSON body`;
		description = 'The response was not the JSON object Plaid sends, so the outcome is unknown.';
	} else if (viaGateway && (statusCode === 401 || statusCode === 403)) {
		message = `The gateway at ${baseURL} refused the call (HTTP ${statusCode}); Plaid was not reached`;
		description =
			'Check the Gateway Token in the Plaid credential, and that the gateway accepts calls from this n8n instance.';
	} else {
		message = `Plaid request failed with HTTP ${statusCode} and a response that is not Plaid's JSON`;
		description =
			'The response did not come from the Plaid API (for example a proxy or gateway error page). Check the Environment or Base URL, or try again later.';
	}
	return new NodeApiError(
		errorNode(context),
		{ message, httpCode: String(statusCode) },
		{ message, description, httpCode: String(statusCode) },
	);
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

/**
 * A request that got no HTTP answer at all. The original error is not attached: axios errors
 * carry the request configuration, and with it the PLAID-SECRET header.
 */
export function connectionError(
	context: PlaidContext,
	code: string | undefined,
	baseURL: string,
	timedOutAfterMs?: number,
): NodeApiError {
	const message =
		timedOutAfterMs !== undefined
			? `Plaid did not answer within ${timedOutAfterMs} ms (${baseURL})`
			: `Could not reach Plaid at ${baseURL} (${code ?? 'no response'})`;
	const description =
		timedOutAfterMs !== undefined
			? 'The request timed out. Plaid may still have carried it out. Raise "Timeout" under Options if Plaid is slow to answer.'
			: 'The request got no HTTP answer. Check the Environment or Base URL and the network.';
	const error = new NodeApiError(errorNode(context), { message, ...(code ? { code } : {}) }, { message, description });
	// n8n swaps a message naming a common network code for its generic text; keep ours.
	error.message = message;
	return error;
}

/**
 * Says on the final error how many attempts were made (and why retrying stopped early). The
 * message keeps Plaid's error_code first; the count is added to it only after a retry.
 */
export function noteAttempts<E extends NodeApiError>(error: E, attempts: number, notes: Array<string | undefined> = []): E {
	const parts = [error.description, `attempts: ${attempts}`, ...notes].filter(Boolean);
	error.description = parts.join(' · ');
	if (attempts > 1) error.message = `${error.message} (after ${attempts} attempts)`;
	return error;
}

/** A Plaid error answer of the 4xx kind other than a rate limit: Plaid looked at the call and refused it. */
export function isPlaidRefusal(error: unknown): error is PlaidNodeApiError {
	const plaid = (error as PlaidNodeApiError | null)?.plaid;
	const status = Number((error as PlaidNodeApiError | null)?.httpCode);
	return plaid !== undefined && status >= 400 && status < 500 && plaid.error_type !== 'RATE_LIMIT_EXCEEDED';
}

/** Adds to an error's description; the message keeps Plaid's error_code first. */
export function addNote<E extends Error & { description?: string | null }>(error: E, note: string | undefined): E {
	if (note) error.description = [error.description, note].filter(Boolean).join(' · ');
	return error;
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

/**
 * Adds fields to the item "Continue On Fail" outputs for this error (which Items are attached, the
 * outcome). They stay off the error's stored copy, which n8n keeps with the execution and logs: a
 * removal of 100,000 IDs would otherwise store every one of them; the description names a few.
 */
export function addItemFields<E extends Error>(error: E, fields: IDataObject): E {
	const current = (error as { itemFields?: IDataObject }).itemFields;
	Object.defineProperty(error, 'itemFields', { value: { ...current, ...fields }, enumerable: false, writable: true, configurable: true });
	return error;
}
