import type { IDataObject } from 'n8n-workflow';

import { keysInjectedByGateway, resolveBaseUrl } from '../../shared/baseUrl';
import { isCancelled, waitUnlessCancelled } from './cancellation';
import { attemptOnce } from './attempt';
import { PlaidApiError, PlaidCancelledError } from './errors';
import { executionScopeOf, type PlaidTarget } from './executionScope';
import { pacerFor } from './pacers';
import type { PacedCall } from './ratePacer';
import { DEFAULT_REQUEST_SETTINGS, isRateLimited, mayHaveActed, planRetry, type RetryReason } from './retryPolicy';
import { secretsOf, tokensOf } from '../../shared/scrub';
import type { CallRecord, PlaidAnswer, PlaidContext, PlaidEndpoint, PlaidRequestOptions, RequestSettings, Target } from './types';

export { type AcceptedCall, ExecutionScope, executionScopeOf, type PlaidTarget, withExecutionScope } from './executionScope';
export { waitUnlessCancelled } from './cancellation';
export type { CallRecord, PlaidAnswer, PlaidContext, PlaidEndpoint, PlaidRequestOptions, RequestSettings, RetrySettings } from './types';
export {
	DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
	DEFAULT_MAX_RETRIES,
	DEFAULT_RETRY_DELAY_MS,
	DEFAULT_TIMEOUT_MS,
	MAX_SINGLE_WAIT_MS,
	MAX_TOTAL_WAIT_MS,
} from './retryPolicy';
export {
	attempt,
	type Attempted,
	isCancellation,
	isPlaidErrorBody,
	isPlaidRefusal,
	itemFieldsOfError,
	mayHaveBeenApplied,
	PlaidApiError,
	type PlaidCallError,
	PlaidCancelledError,
	type PlaidErrorBody,
	type PlaidErrorDetails,
} from './errors';

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
	const scope = executionScopeOf(this);
	const settings = options.settings ?? scope?.settingsFor(itemIndex) ?? DEFAULT_REQUEST_SETTINGS;
	const viaGateway = keysInjectedByGateway(credentials);
	const target: Target = {
		environment: String(credentials.environment ?? 'sandbox'),
		baseURL: resolveBaseUrl(credentials),
		endpoint,
		body,
		timeoutMs: settings.timeoutMs,
		viaGateway,
		secrets: [...secretsOf(credentials), ...tokensOf(body)],
	};
	// Only executions are paced: a trigger answers Plaid within seconds and has its own budget.
	const pacer = scope ? pacerFor(target.baseURL, viaGateway ? 'gateway' : String(credentials.clientId ?? ''), endpoint, this) : undefined;
	try {
		const answer = await callUntilSettled.call(this, target, settings, pacer, scope?.cancelSignal);
		if (scope && options.irreversible === true) {
			const requestId = String(answer.body.request_id);
			scope.record({ itemIndex, endpoint, request_id: requestId, answered_at: answer.call.answeredAt });
		}
		return answer;
	} finally {
		pacer?.leave();
	}
}

/** Where the credential sends calls (environment and base URL), without calling: for audit records. */
export async function plaidTargetOf(context: PlaidContext): Promise<PlaidTarget> {
	const credentials = await context.getCredentials('plaidApi');
	return { environment: String(credentials.environment ?? 'sandbox'), baseURL: resolveBaseUrl(credentials) };
}

/** The credential's environment in this execution (sandbox, production or custom), for token checks. */
export function credentialEnvironmentOf(context: object): string | undefined {
	return executionScopeOf(context)?.target?.environment;
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
		if (!mayGo) throw new PlaidCancelledError(this.getNode(), target.endpoint, progress.attempt - 1, progress.mayHaveActed);
		const result = await attemptOnce.call(this, target);
		const refused = !result.ok && isRateLimited(result.failure);
		if (refused) pacer?.onRateLimited();
		else if (result.ok || result.failure.kind === 'http') pacer?.onAnswered();
		progress.mayHaveActed ||= !result.ok && mayHaveActed(result.failure);
		if (!result.ok && isCancelled(signal)) throw new PlaidCancelledError(this.getNode(), target.endpoint, progress.attempt, progress.mayHaveActed);
		const now = Date.now();
		const call: CallRecord = { endpoint: target.endpoint, environment: target.environment, baseURL: target.baseURL, answeredAt: new Date(now).toISOString() };
		if (result.ok) return { body: result.body, call, attempts: progress.attempt };

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
		if (!decision.retry) {
			const notes = [stopNote(decision.reason, refused, progress, now)];
			throw new PlaidApiError(this.getNode(), { answer: result.answer, target, call, attempts: progress.attempt, mayHaveActed: progress.mayHaveActed, notes });
		}
		if (!decision.rateLimited) {
			progress.transientRetries += 1;
			progress.transientWaitedMs += decision.delayMs;
		}
		// A refused call waits in the pacer's queue (no timer of its own); other retries wait here.
		if (pacer && decision.rateLimited) waitInQueueMs = decision.delayMs;
		else if (!(await waitUnlessCancelled(decision.delayMs, signal))) {
			throw new PlaidCancelledError(this.getNode(), target.endpoint, progress.attempt, progress.mayHaveActed);
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
