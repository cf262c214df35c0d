import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { keysInjectedByGateway, resolveBaseUrl } from './baseUrl';
import { isCancelled, waitUnlessCancelled } from './cancellation';
import { rememberAcceptance } from './acceptedEarlier';
import { attemptOnce, type Target } from './attempt';
import { type CallRecord, cancelledError, noteAttempts, type PlaidNodeApiError } from './errors';
import { executionScopeOf } from './executionScope';
import { pacerFor } from './pacers';
import type { PacedCall } from './ratePacer';
import { isRateLimited, mayHaveActed, planRetry, type RetryReason } from './retryPolicy';
import { secretsOf } from './scrub';
import { readRequestSettings, type RequestSettings } from './settings';

export { acceptedEarlier } from './acceptedEarlier';
export {
	type CallRecord,
	isCancellation,
	isPlaidErrorBody,
	plaidError,
	type PlaidErrorBody,
	type PlaidErrorDetails,
	type PlaidNodeApiError,
} from './errors';

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

/** Calls that cannot be undone: each one Plaid accepts is recorded for the execution's report. */
const IRREVERSIBLE_ENDPOINTS: ReadonlySet<string> = new Set([
	'/user/items/remove',
	'/user/remove',
	'/user/products/terminate',
	'/item/remove',
	'/item/products/terminate',
]);

export function isIrreversibleEndpoint(endpoint: string): boolean {
	return IRREVERSIBLE_ENDPOINTS.has(endpoint);
}

export interface PlaidRequestOptions {
	/** The input item being processed: its "Options" (retries, timeouts) apply. Default 0. */
	itemIndex?: number;
}

/** A Plaid answer with what an audit record needs. */
export interface PlaidAnswer {
	body: IDataObject;
	call: CallRecord;
	attempts: number;
}

/** Where one call stands in its retries (see retryPolicy.ts). */
interface CallProgress {
	attempt: number;
	transientRetries: number;
	transientWaitedMs: number;
	firstRateLimitedAt?: number;
	consecutiveRateLimits: number;
	/** An attempt failed in a way where Plaid may have carried it out anyway. */
	mayHaveActed: boolean;
}

function cancelSignalOf(context: PlaidContext): AbortSignal | undefined {
	const scope = executionScopeOf(context);
	if (scope) return scope.cancelSignal;
	const execute = context as Partial<IExecuteFunctions>;
	return typeof execute.getExecutionCancelSignal === 'function' ? execute.getExecutionCancelSignal() : undefined;
}

/**
 * The only function that talks to Plaid (plaidApiRequest gives just the body). The credential's
 * `authenticate` adds the keys (headers only) and the base URL; resolving the URL here first
 * refuses a bad one before any request, with a message for this item. Rate limits are waited out
 * (paced with every other call to this endpoint of this client, see pacers.ts) for up to the item's
 * "Max Rate-Limit Wait"; server errors, timeouts and dropped connections are tried again "Max
 * Retries" times. None of these endpoints takes an idempotency key, so an error after an attempt
 * that may have been carried out says so (`mayHaveActed`), for the operation to settle by Plaid's
 * state. A cancelled execution sends nothing more.
 */
export async function plaidApiCall(
	this: PlaidContext,
	endpoint: PlaidEndpoint,
	body: IDataObject,
	options: PlaidRequestOptions = {},
): Promise<PlaidAnswer> {
	const itemIndex = options.itemIndex ?? 0;
	const credentials = await this.getCredentials('plaidApi');
	const settings = readRequestSettings(this, itemIndex);
	const viaGateway = keysInjectedByGateway(credentials);
	const target: Target = {
		environment: String(credentials.environment ?? 'sandbox'),
		baseURL: resolveBaseUrl(credentials),
		endpoint,
		body,
		timeoutMs: settings.timeoutMs,
		viaGateway,
		secrets: secretsOf(credentials),
	};
	const scope = executionScopeOf(this);
	// Only executions are paced: a trigger answers Plaid within seconds and has its own budget.
	const pacer = scope ? pacerFor(target.baseURL, viaGateway ? 'gateway' : String(credentials.clientId ?? ''), endpoint, this) : undefined;
	try {
		const answer = await callUntilSettled.call(this, target, settings, pacer, cancelSignalOf(this));
		if (scope && isIrreversibleEndpoint(endpoint)) {
			const requestId = String(answer.body.request_id);
			scope.record({ itemIndex, endpoint, request_id: requestId, answered_at: answer.call.answeredAt });
			rememberAcceptance(this as IExecuteFunctions, endpoint, body, requestId, answer.call);
		}
		return answer;
	} finally {
		pacer?.leave();
	}
}

/** The body of Plaid's answer; see plaidApiCall. */
export async function plaidApiRequest(
	this: PlaidContext,
	endpoint: PlaidEndpoint,
	body: IDataObject,
	options: PlaidRequestOptions = {},
): Promise<IDataObject> {
	return (await plaidApiCall.call(this, endpoint, body, options)).body;
}

async function callUntilSettled(
	this: PlaidContext,
	target: Target,
	settings: RequestSettings,
	pacer: PacedCall | undefined,
	signal: AbortSignal | undefined,
): Promise<PlaidAnswer> {
	const progress: CallProgress = { attempt: 0, transientRetries: 0, transientWaitedMs: 0, consecutiveRateLimits: 0, mayHaveActed: false };
	let waitInQueueMs = 0;
	for (;;) {
		progress.attempt += 1;
		const mayGo = pacer ? await pacer.acquire(progress.attempt > 1, signal, waitInQueueMs) : !isCancelled(signal);
		waitInQueueMs = 0;
		if (!mayGo) throw cancelledError(this, target.endpoint, progress.attempt - 1, progress.mayHaveActed);
		const result = await attemptOnce.call(this, target);
		const refused = !result.ok && isRateLimited(result.failure);
		if (refused) pacer?.onRateLimited();
		else if (result.ok || result.failure.kind === 'http') pacer?.onAnswered();
		progress.mayHaveActed ||= !result.ok && mayHaveActed(result.failure);
		if (!result.ok && isCancelled(signal)) throw cancelledError(this, target.endpoint, progress.attempt, progress.mayHaveActed);
		const now = Date.now();
		const call: CallRecord = { endpoint: target.endpoint, environment: target.environment, baseURL: target.baseURL, answeredAt: new Date(now).toISOString() };
		if (result.ok) return { body: result.body, call, attempts: progress.attempt };
		result.error.call = call;

		if (refused) {
			progress.firstRateLimitedAt ??= now;
			progress.consecutiveRateLimits += 1;
		} else {
			progress.consecutiveRateLimits = 0;
		}
		const decision = planRetry(
			result.failure,
			{ ...progress, rateLimitedForMs: progress.firstRateLimitedAt === undefined ? undefined : now - progress.firstRateLimitedAt },
			settings.retry,
			{ random: Math.random, nowMs: now },
		);
		if (!decision.retry) throw finalError(result.error, progress, stopNote(decision.reason, refused, progress, now));
		if (!decision.rateLimited) {
			progress.transientRetries += 1;
			progress.transientWaitedMs += decision.delayMs;
		}
		// A refused call waits in the pacer's queue (no timer of its own); other retries wait here.
		if (pacer && decision.rateLimited) waitInQueueMs = decision.delayMs;
		else if (!(await waitUnlessCancelled(decision.delayMs, signal))) {
			throw cancelledError(this, target.endpoint, progress.attempt, progress.mayHaveActed);
		}
	}
}

/** Why retrying stopped, when that is not simply "no retries left" or "not retryable". */
function stopNote(reason: RetryReason, rateLimited: boolean, progress: CallProgress, now: number): string | undefined {
	const waited = progress.firstRateLimitedAt === undefined ? 0 : Math.round((now - progress.firstRateLimitedAt) / 1000);
	if (reason === 'retry-after too long') {
		return rateLimited
			? 'Plaid asked to wait longer before retrying than is left of "Max Rate-Limit Wait" (Options)'
			: 'Plaid asked to wait longer before retrying than this node waits after a server error (30 s per wait, 60 s in all)';
	}
	if (reason === 'rate-limit wait spent') return `rate-limited for ${waited} s: gave up at "Max Rate-Limit Wait" (Options)`;
	if (reason === 'wait budget spent') return 'retrying stopped: the waits reached their time limit';
	return undefined;
}

const UNCERTAIN_NOTE = 'Plaid may have carried it out: an attempt got no answer, or a server error, after it was sent';

function finalError(error: PlaidNodeApiError, progress: CallProgress, note: string | undefined): PlaidNodeApiError {
	error.mayHaveActed = progress.mayHaveActed;
	return noteAttempts(error, progress.attempt, [note, progress.mayHaveActed ? UNCERTAIN_NOTE : undefined]);
}
