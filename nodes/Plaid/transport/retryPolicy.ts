/**
 * When a failed Plaid call is tried again, and how long to wait first. Pure: the randomness and
 * the clock come in as arguments, so every decision can be tested directly.
 */

/** How one attempt failed, as far as the retry decision needs to know. */
export type AttemptFailure =
	| { kind: 'http'; status: number; errorType?: string; retryAfter?: string }
	| { kind: 'network'; code?: string };

export interface RetrySettings {
	/** Further attempts after the first; 0 turns retrying off. */
	maxRetries: number;
	/** Ceiling of the first wait; each further wait doubles it (full jitter below it). */
	baseDelayMs: number;
	/** No single wait is longer than this. */
	maxDelayMs: number;
	/** All waits of one call together stay under this, so the total time is bounded. */
	maxTotalWaitMs: number;
}

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY_DELAY_MS = 500;
export const MAX_SINGLE_WAIT_MS = 30_000;
export const MAX_TOTAL_WAIT_MS = 60_000;

/** Axios codes for a request that ran out of time. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** Codes for a connection that broke after the request may have been sent. */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
/**
 * Plaid's own errors (500 INTERNAL_SERVER_ERROR, 503 PLANNED_MAINTENANCE) and the 502/504 a
 * proxy in front of it answers while Plaid is unreachable. 501 or 505 would never get better.
 */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

export function isTimeout(failure: AttemptFailure): boolean {
	return failure.kind === 'network' && failure.code !== undefined && TIMEOUT_CODES.has(failure.code);
}

/** Plaid refused the call for the rate limit: every such error_type is RATE_LIMIT_EXCEEDED, the error_code varies by endpoint. */
export function isRateLimited(failure: AttemptFailure): boolean {
	return failure.kind === 'http' && (failure.status === 429 || failure.errorType === 'RATE_LIMIT_EXCEEDED');
}

/** Whether trying again can give a different answer. Other 4xx are our input or Plaid's state: never. */
export function isRetryable(failure: AttemptFailure): boolean {
	if (failure.kind === 'network') {
		return failure.code !== undefined && (TIMEOUT_CODES.has(failure.code) || DROPPED_CODES.has(failure.code));
	}
	if (isRateLimited(failure)) return true;
	return TRANSIENT_STATUSES.has(failure.status);
}

/**
 * Whether Plaid may have carried out the call even though we saw a failure: the request was
 * sent and the answer got lost (timeout, dropped connection) or came from a failing server.
 * A 429 is a refusal before any work, so it is not.
 */
export function mayHaveActed(failure: AttemptFailure): boolean {
	if (failure.kind === 'network') return isRetryable(failure);
	return failure.status >= 500;
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
	return Math.max(0, date - nowMs);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(retry-1))). */
export function backoffDelayMs(retryNumber: number, settings: RetrySettings, random: () => number): number {
	const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retryNumber - 1));
	return Math.floor(random() * ceiling);
}

export type RetryDecision =
	| { retry: true; delayMs: number }
	| { retry: false; reason: 'not retryable' | 'no retries left' | 'retry-after too long' | 'wait budget spent' };

/**
 * Decides whether to try again after attempt number `attempt` failed, having waited `waitedMs`
 * so far. A `Retry-After` is obeyed as given; when it asks for longer than a single wait or the
 * rest of the budget allows, we stop rather than call again before Plaid is ready.
 */
export function planRetry(
	failure: AttemptFailure,
	progress: { attempt: number; waitedMs: number },
	settings: RetrySettings,
	clock: { random: () => number; nowMs: number },
): RetryDecision {
	if (!isRetryable(failure)) return { retry: false, reason: 'not retryable' };
	if (progress.attempt > settings.maxRetries) return { retry: false, reason: 'no retries left' };
	const budgetLeft = settings.maxTotalWaitMs - progress.waitedMs;

	const retryAfter =
		failure.kind === 'http' ? parseRetryAfterMs(failure.retryAfter, clock.nowMs) : undefined;
	if (retryAfter !== undefined) {
		if (retryAfter > settings.maxDelayMs || retryAfter > budgetLeft) {
			return { retry: false, reason: 'retry-after too long' };
		}
		return { retry: true, delayMs: retryAfter };
	}
	const delayMs = backoffDelayMs(progress.attempt, settings, clock.random);
	if (delayMs > budgetLeft) return { retry: false, reason: 'wait budget spent' };
	return { retry: true, delayMs };
}
