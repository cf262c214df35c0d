import type { RequestSettings, RetrySettings } from './types';

/**
 * When a failed Plaid call is tried again, and how long to wait first. Pure: the randomness and
 * the clock come in as arguments, so every decision can be tested directly.
 */

/** How one attempt failed, as far as the retry decision needs to know. */
export type AttemptFailure =
	| { kind: 'http'; status: number; errorType?: string; errorCode?: string; retryAfter?: string }
	| { kind: 'network'; code?: string };

export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY_DELAY_MS = 500;
export const MAX_SINGLE_WAIT_MS = 30_000;
export const MAX_TOTAL_WAIT_MS = 60_000;
/** Five minutes: five of Plaid's per-minute windows, or a backlog of 10,000 calls at 2,000/min. */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 300_000;

/** The settings of a call that names none (the node's Options, when none is added, give the same). */
export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	retry: {
		maxRetries: DEFAULT_MAX_RETRIES,
		baseDelayMs: DEFAULT_RETRY_DELAY_MS,
		maxDelayMs: MAX_SINGLE_WAIT_MS,
		maxTotalWaitMs: MAX_TOTAL_WAIT_MS,
		maxRateLimitWaitMs: DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
	},
	timeoutMs: DEFAULT_TIMEOUT_MS,
};

/**
 * Waits between refused attempts of one call when Plaid gives no Retry-After: short at first (a
 * per-second limit frees up quickly), at most 2 s later, so a blocked call still asks again soon
 * after a per-minute window resets. The pacer (ratePacer.ts) spaces requests on top of this.
 */
export const RATE_LIMIT_BACKOFF = { firstMs: 250, maxMs: 2_000 } as const;

/** Axios codes for a request that ran out of time. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
/** Codes for a connection that broke after the request may have been sent. */
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
/** A request aborted on its way (the execution was cancelled): never retried, but it may have arrived. */
const ABORTED_CODE = 'ERR_CANCELED';
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
 * Plaid's error codes that say the API did nothing: it is down for planned maintenance (errors.md,
 * API errors). Every other Plaid error body on a 5xx (INTERNAL_SERVER_ERROR) leaves it open.
 */
const NOTHING_DONE_CODES = new Set(['PLANNED_MAINTENANCE']);

/**
 * Whether Plaid may have carried out the call even though we saw a failure. A Plaid error body on a
 * 4xx (a refusal, a 429) or a 503 PLANNED_MAINTENANCE says it did nothing. A lost answer (timeout,
 * dropped or aborted connection) or a 5xx that does not say so (500 INTERNAL_SERVER_ERROR, a proxy's
 * page instead of Plaid's JSON) may have acted. A refused connection never reached anyone.
 */
export function mayHaveActed(failure: AttemptFailure): boolean {
	if (failure.kind === 'network') return isRetryable(failure) || failure.code === ABORTED_CODE;
	if (failure.status < 500) return false;
	return failure.errorCode === undefined || !NOTHING_DONE_CODES.has(failure.errorCode);
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

/** Where one call stands in its retries. */
export interface RetryProgress {
	/** Attempts made so far, including the one that just failed. */
	attempt: number;
	/** Retries already spent on server errors, timeouts and dropped connections. */
	transientRetries: number;
	/** Time waited so far after such failures. */
	transientWaitedMs: number;
	/** Milliseconds since this call's first 429, or undefined before any. */
	rateLimitedForMs?: number;
	/** 429s in a row, including the one that just came. */
	consecutiveRateLimits: number;
}

export type RetryReason =
	| 'not retryable'
	| 'no retries left'
	| 'retry-after too long'
	| 'wait budget spent'
	| 'rate-limit wait spent';

export type RetryDecision =
	| { retry: true; delayMs: number; rateLimited: boolean }
	| { retry: false; reason: RetryReason };

/** Equal jitter: at least half the ceiling, so refused attempts of one call stay spaced. */
export function rateLimitBackoffMs(consecutive: number, random: () => number): number {
	const ceiling = Math.min(RATE_LIMIT_BACKOFF.maxMs, RATE_LIMIT_BACKOFF.firstMs * 2 ** (consecutive - 1));
	return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Decides whether to try again after an attempt failed. A rate limit is retried while the call's
 * rate-limit wait (since its first 429) stays within `maxRateLimitWaitMs`; other retryable failures
 * have their own count and wait budget. A `Retry-After` is obeyed as given; when it asks for longer
 * than the budget allows, we stop rather than call again before Plaid is ready.
 */
export function planRetry(
	failure: AttemptFailure,
	progress: RetryProgress,
	settings: RetrySettings,
	clock: { random: () => number; nowMs: number },
): RetryDecision {
	if (!isRetryable(failure)) return { retry: false, reason: 'not retryable' };
	const retryAfter = failure.kind === 'http' ? parseRetryAfterMs(failure.retryAfter, clock.nowMs) : undefined;

	if (isRateLimited(failure)) {
		const waited = progress.rateLimitedForMs ?? 0;
		const delayMs = retryAfter ?? rateLimitBackoffMs(progress.consecutiveRateLimits, clock.random);
		if (waited + delayMs <= settings.maxRateLimitWaitMs && settings.maxRateLimitWaitMs > 0) {
			return { retry: true, delayMs, rateLimited: true };
		}
		return { retry: false, reason: retryAfter !== undefined ? 'retry-after too long' : 'rate-limit wait spent' };
	}

	if (progress.transientRetries >= settings.maxRetries) return { retry: false, reason: 'no retries left' };
	const budgetLeft = settings.maxTotalWaitMs - progress.transientWaitedMs;
	if (retryAfter !== undefined) {
		if (retryAfter > settings.maxDelayMs || retryAfter > budgetLeft) {
			return { retry: false, reason: 'retry-after too long' };
		}
		return { retry: true, delayMs: retryAfter, rateLimited: false };
	}
	const delayMs = backoffDelayMs(progress.transientRetries + 1, settings, clock.random);
	if (delayMs > budgetLeft) return { retry: false, reason: 'wait budget spent' };
	return { retry: true, delayMs, rateLimited: false };
}
