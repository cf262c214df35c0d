import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { keysInjectedByGateway, resolveBaseUrl } from './baseUrl';
import {
	connectionError,
	isPlaidErrorBody,
	networkErrorCode,
	noteAttempts,
	plaidError,
	type PlaidNodeApiError,
	unexpectedResponseError,
} from './errors';
import { type RemovalCheck, settleAmbiguousRemoval, stopNote, uncertainRemovalNote } from './removal';
import { type RateLimiter, rateLimiterOf } from './rateLimiter';
import { type AttemptFailure, isRateLimited, isTimeout, mayHaveActed, planRetry } from './retryPolicy';
import { readRequestSettings } from './settings';

export {
	isPlaidErrorBody,
	plaidError,
	type PlaidErrorBody,
	type PlaidErrorDetails,
	type PlaidNodeApiError,
} from './errors';
export { alreadyRemovedField, type RemovalCheck } from './removal';

export type PlaidContext = IExecuteFunctions | IWebhookFunctions;

/** The Plaid endpoints this package calls (all POST with a JSON body). */
export type PlaidEndpoint =
	| '/user/items/remove'
	| '/user/items/get'
	| '/user/remove'
	| '/user/create'
	| '/user/products/terminate'
	| '/item/remove'
	| '/item/get'
	| '/item/products/terminate'
	| '/item/webhook/update'
	| '/user/items/associate'
	| '/user/get'
	| '/sandbox/public_token/create'
	| '/item/public_token/exchange'
	| '/sandbox/item/fire_webhook'
	| '/institutions/get'
	| '/webhook_verification_key/get';

export interface PlaidRequestOptions {
	/** The input item being processed: its "Options" (retries, timeout) apply. Default 0. */
	itemIndex?: number;
	/** For removals: how to tell, after an ambiguous failure, that Plaid already removed it. */
	removal?: RemovalCheck;
}

interface Target {
	baseURL: string;
	endpoint: PlaidEndpoint;
	body: IDataObject;
	timeoutMs: number;
	viaGateway: boolean;
}

type AttemptResult =
	| { ok: true; body: IDataObject }
	| { ok: false; failure: AttemptFailure; error: PlaidNodeApiError };

function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return Buffer.isBuffer(body) ? parseJsonBody(body.toString('utf8')) : body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/** Every Plaid success answer is a JSON object with a request_id; anything else is not Plaid's. */
function isPlaidSuccessBody(body: unknown): body is IDataObject {
	return (
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		typeof (body as IDataObject).request_id === 'string'
	);
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	const value = headers?.[name];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' ? value : undefined;
}

/** One HTTP exchange with Plaid, turned into a body or an error plus what the retry policy needs. */
async function attemptOnce(this: PlaidContext, target: Target): Promise<AttemptResult> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		baseURL: target.baseURL,
		url: target.endpoint,
		body: target.body,
		json: true,
		timeout: target.timeoutMs,
		// Plaid's answer decides success, not axios: every status comes back as a response.
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'plaidApi', options)) as IN8nHttpFullResponse;
	} catch (caught) {
		const failure: AttemptFailure = { kind: 'network', code: networkErrorCode(caught) };
		const timedOutAfter = isTimeout(failure) ? target.timeoutMs : undefined;
		return { ok: false, failure, error: connectionError(this, failure.code, target.baseURL, timedOutAfter) };
	}

	const { statusCode } = response;
	const parsed = parseJsonBody(response.body);
	const retryAfter = headerValue(response.headers, 'retry-after');
	if (statusCode >= 200 && statusCode < 300) {
		if (isPlaidSuccessBody(parsed)) return { ok: true, body: parsed };
		return { ok: false, failure: { kind: 'http', status: statusCode }, error: unexpectedResponseError(this, statusCode, target.baseURL, false) };
	}
	if (isPlaidErrorBody(parsed)) {
		const failure: AttemptFailure = { kind: 'http', status: statusCode, errorType: parsed.error_type, retryAfter };
		return { ok: false, failure, error: plaidError(this, parsed, statusCode) };
	}
	const error = unexpectedResponseError(this, statusCode, target.baseURL, target.viaGateway);
	return { ok: false, failure: { kind: 'http', status: statusCode, retryAfter }, error };
}

/** One attempt, within the execution's rate limiter when the router gave one: a 429 slows every item. */
async function attemptWithinLimit(
	this: PlaidContext,
	target: Target,
	limiter: RateLimiter | undefined,
	attempt: number,
): Promise<AttemptResult> {
	if (!limiter) return await attemptOnce.call(this, target);
	return await limiter.run(
		async () => await attemptOnce.call(this, target),
		(result) => !result.ok && isRateLimited(result.failure),
		attempt > 1,
	);
}

/**
 * The only function that talks to Plaid. The credential's `authenticate` adds the keys (headers
 * only) and the base URL; resolving the URL here first refuses a bad one before any request,
 * with a message for this item. Failures that may pass (rate limits, Plaid's 5xx, timeouts,
 * dropped connections) are tried again with backoff, within the item's "Options"; see
 * retryPolicy.ts. None of these endpoints takes an idempotency key, so a removal whose first
 * attempt may have gone through is settled by `options.removal` instead of being reported twice.
 */
export async function plaidApiRequest(
	this: PlaidContext,
	endpoint: PlaidEndpoint,
	body: IDataObject,
	options: PlaidRequestOptions = {},
): Promise<IDataObject> {
	const credentials = await this.getCredentials('plaidApi');
	const settings = readRequestSettings(this, options.itemIndex ?? 0);
	const target: Target = {
		baseURL: resolveBaseUrl(credentials),
		endpoint,
		body,
		timeoutMs: settings.timeoutMs,
		viaGateway: keysInjectedByGateway(credentials),
	};

	const limiter = rateLimiterOf(this);
	let waitedMs = 0;
	let earlierAttemptMayHaveActed = false;
	for (let attempt = 1; ; attempt++) {
		const result = await attemptWithinLimit.call(this, target, limiter, attempt);
		if (result.ok) return result.body;

		const { removal } = options;
		if (removal && earlierAttemptMayHaveActed && removal.notFoundCodes.includes(result.error.plaid?.error_code ?? '')) {
			return await settleAmbiguousRemoval(removal, result.error, attempt);
		}
		const decision = planRetry(result.failure, { attempt, waitedMs }, settings.retry, {
			random: Math.random,
			nowMs: Date.now(),
		});
		if (!decision.retry) {
			const uncertain = removal && (earlierAttemptMayHaveActed || mayHaveActed(result.failure));
			throw noteAttempts(result.error, attempt, [stopNote(decision.reason), uncertain ? uncertainRemovalNote : undefined]);
		}
		earlierAttemptMayHaveActed ||= mayHaveActed(result.failure);
		await sleep(decision.delayMs);
		waitedMs += decision.delayMs;
	}
}

/** Whether a call now answers one of `codes`; any other error is passed on, not a confirmation. */
async function answersOneOf(
	this: PlaidContext,
	codes: readonly string[],
	check: { endpoint: PlaidEndpoint; body: IDataObject },
	itemIndex: number,
): Promise<boolean> {
	try {
		await plaidApiRequest.call(this, check.endpoint, check.body, { itemIndex });
		return false;
	} catch (error) {
		if (codes.includes((error as PlaidNodeApiError).plaid?.error_code ?? '')) return true;
		// Already a NodeApiError in practice; wrapping one hands it back unchanged.
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/**
 * The removal check for something Plaid answers "not found" about once it is gone (a user, an
 * Item behind an access token): the retry answered one of `codes`, and a read of it now
 * (`check`) must answer one of them too.
 */
export function goneWhenNotFound(
	this: PlaidContext,
	codes: readonly string[],
	check: { endpoint: PlaidEndpoint; body: IDataObject },
	itemIndex: number,
): RemovalCheck {
	return {
		notFoundCodes: codes,
		confirmRemoved: async () => await answersOneOf.call(this, codes, check, itemIndex),
	};
}
