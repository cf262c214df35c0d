/**
 * The retry policy's pure decisions, with the randomness and the clock injected.
 */
import fc from 'fast-check';

import type { RetrySettings } from '../../../nodes/Plaid/transport';

import {
	type AttemptFailure,
	backoffDelayMs,
	isRetryable,
	mayHaveActed,
	parseRetryAfterMs,
	planRetry,
	rateLimitBackoffMs,
	type RetryProgress,
} from '../../../nodes/Plaid/transport/retryPolicy';

const settings: RetrySettings = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalWaitMs: 60_000, maxRateLimitWaitMs: 300_000 };
/** Where a call stands: first attempt failed, nothing spent yet, unless said otherwise. */
const at = (progress: Partial<RetryProgress> = {}): RetryProgress => ({
	attempt: 1,
	transientRetries: 0,
	transientWaitedMs: 0,
	consecutiveRateLimits: 1,
	...progress,
});
const clock = (random = 0.5, nowMs = Date.UTC(2026, 0, 1)) => ({ random: () => random, nowMs });
const http = (status: number, extra: Partial<Extract<AttemptFailure, { kind: 'http' }>> = {}): AttemptFailure => ({
	kind: 'http',
	status,
	...extra,
});

describe('what is retried', () => {
	it.each<[string, AttemptFailure]>([
		['429 RATE_LIMIT', http(429, { errorType: 'RATE_LIMIT_EXCEEDED' })],
		['429 without a Plaid body', http(429)],
		['ITEM_GET_LIMIT under any status', http(400, { errorType: 'RATE_LIMIT_EXCEEDED' })],
		['500 INTERNAL_SERVER_ERROR', http(500, { errorType: 'API_ERROR' })],
		['503 PLANNED_MAINTENANCE', http(503, { errorType: 'API_ERROR' })],
		['a proxy 502', http(502)],
		['a proxy 504', http(504)],
		['a dropped connection', { kind: 'network', code: 'ECONNRESET' }],
		['a timeout', { kind: 'network', code: 'ECONNABORTED' }],
		['a socket timeout', { kind: 'network', code: 'ETIMEDOUT' }],
	])('retries %s', (_label, failure) => {
		expect(isRetryable(failure)).toBe(true);
	});

	it.each<[string, AttemptFailure]>([
		['400 INVALID_FIELD', http(400, { errorType: 'INVALID_REQUEST' })],
		['400 ITEM_NOT_FOUND', http(400, { errorType: 'ITEM_ERROR' })],
		['401 from a gateway', http(401)],
		['404', http(404)],
		['501', http(501)],
		['a 200 that is not Plaid JSON', http(200)],
		['a refused connection (nothing listening)', { kind: 'network', code: 'ECONNREFUSED' }],
		['a cancelled execution', { kind: 'network', code: 'ERR_CANCELED' }],
		['an error without a code', { kind: 'network' }],
	])('never retries %s', (_label, failure) => {
		expect(isRetryable(failure)).toBe(false);
		expect(planRetry(failure, at(), settings, clock())).toEqual({ retry: false, reason: 'not retryable' });
	});

	it('any other 4xx is never retried', () => {
		fc.assert(
			fc.property(fc.integer({ min: 400, max: 499 }).filter((status) => status !== 429), fc.string(), (status, errorType) => {
				fc.pre(errorType !== 'RATE_LIMIT_EXCEEDED');
				expect(isRetryable(http(status, { errorType }))).toBe(false);
			}),
		);
	});
});

describe('whether Plaid may have acted', () => {
	it('after a timeout, a dropped connection or a 5xx that does not say it did nothing; not after a Plaid refusal, a 429, maintenance or a refused connection', () => {
		expect(mayHaveActed({ kind: 'network', code: 'ECONNABORTED' })).toBe(true);
		expect(mayHaveActed({ kind: 'network', code: 'ECONNRESET' })).toBe(true);
		expect(mayHaveActed(http(500))).toBe(true);
		expect(mayHaveActed(http(500, { errorType: 'API_ERROR', errorCode: 'INTERNAL_SERVER_ERROR' }))).toBe(true);
		expect(mayHaveActed(http(502))).toBe(true);
		// The API is down for maintenance: Plaid says it did nothing.
		expect(mayHaveActed(http(503, { errorType: 'API_ERROR', errorCode: 'PLANNED_MAINTENANCE' }))).toBe(false);
		// A 503 page that is not Plaid's says nothing either way.
		expect(mayHaveActed(http(503))).toBe(true);
		expect(mayHaveActed(http(400, { errorType: 'ITEM_ERROR', errorCode: 'ITEM_NOT_FOUND' }))).toBe(false);
		expect(mayHaveActed(http(429))).toBe(false);
		expect(mayHaveActed(http(400))).toBe(false);
		expect(mayHaveActed({ kind: 'network', code: 'ECONNREFUSED' })).toBe(false);
		// Aborted on its way: it may have arrived.
		expect(mayHaveActed({ kind: 'network', code: 'ERR_CANCELED' })).toBe(true);
	});
});

describe('Retry-After', () => {
	const now = Date.UTC(2026, 0, 1, 12, 0, 0);

	it('reads delta-seconds', () => {
		expect(parseRetryAfterMs('0', now)).toBe(0);
		expect(parseRetryAfterMs(' 7 ', now)).toBe(7000);
	});

	it('reads an HTTP date, relative to the clock', () => {
		expect(parseRetryAfterMs(new Date(now + 4000).toUTCString(), now)).toBe(4000);
		expect(parseRetryAfterMs(new Date(now - 4000).toUTCString(), now)).toBe(0);
	});

	it('ignores what it cannot read', () => {
		for (const value of [undefined, '', 'soon', '-3', '1.5', 'NaN']) {
			expect(parseRetryAfterMs(value, now)).toBeUndefined();
		}
	});

	it('is obeyed exactly instead of the backoff', () => {
		expect(planRetry(http(429, { retryAfter: '2' }), at(), settings, clock(0.99))).toEqual({ retry: true, delayMs: 2000, rateLimited: true });
		expect(planRetry(http(503, { retryAfter: '2' }), at(), settings, clock(0.99))).toEqual({ retry: true, delayMs: 2000, rateLimited: false });
	});

	it('a rate limit may ask for long waits, up to Max Rate-Limit Wait', () => {
		expect(planRetry(http(429, { retryAfter: '60' }), at(), settings, clock())).toEqual({ retry: true, delayMs: 60_000, rateLimited: true });
		expect(planRetry(http(429, { retryAfter: '60' }), at({ rateLimitedForMs: 250_000 }), settings, clock())).toEqual({
			retry: false,
			reason: 'retry-after too long',
		});
	});

	it('stops retrying a server error when it asks for longer than one wait may last', () => {
		const decision = planRetry(http(503, { retryAfter: '3600' }), at(), settings, clock());
		expect(decision).toEqual({ retry: false, reason: 'retry-after too long' });
	});

	it('stops retrying a server error when it asks for longer than the budget has left', () => {
		const decision = planRetry(http(503, { retryAfter: '20' }), at({ attempt: 2, transientRetries: 1, transientWaitedMs: 50_000 }), settings, clock());
		expect(decision).toEqual({ retry: false, reason: 'retry-after too long' });
	});
});

describe('backoff with full jitter', () => {
	it('doubles the ceiling per retry and draws below it', () => {
		expect(backoffDelayMs(1, settings, () => 0.999999)).toBe(499);
		expect(backoffDelayMs(2, settings, () => 0.999999)).toBe(999);
		expect(backoffDelayMs(3, settings, () => 0.5)).toBe(1000);
		expect(backoffDelayMs(1, settings, () => 0)).toBe(0);
	});

	it('never exceeds the single-wait cap, whatever the retry number and randomness', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
				const delay = backoffDelayMs(retry, settings, () => r);
				expect(delay).toBeGreaterThanOrEqual(0);
				expect(delay).toBeLessThan(settings.maxDelayMs);
			}),
		);
	});

	it('a zero base delay retries at once', () => {
		expect(backoffDelayMs(5, { ...settings, baseDelayMs: 0 }, () => 0.9)).toBe(0);
	});
});

describe('rate limits: bounded by time, not by a count', () => {
	const refused = http(429, { errorType: 'RATE_LIMIT_EXCEEDED' });

	it('waits a little at first, then at most 2 s between refused attempts, with at least half the ceiling each time', () => {
		expect(rateLimitBackoffMs(1, () => 0)).toBe(125);
		expect(rateLimitBackoffMs(1, () => 0.999)).toBe(249);
		expect(rateLimitBackoffMs(3, () => 0)).toBe(500);
		for (const consecutive of [4, 5, 20]) {
			expect(rateLimitBackoffMs(consecutive, () => 0)).toBe(1000);
			expect(rateLimitBackoffMs(consecutive, () => 0.999)).toBeLessThan(2000);
		}
	});

	it('keeps retrying however many attempts it takes, until the rate-limit wait is spent', () => {
		expect(planRetry(refused, at({ attempt: 200, consecutiveRateLimits: 200, rateLimitedForMs: 290_000 }), settings, clock()).retry).toBe(true);
		expect(planRetry(refused, at({ attempt: 200, consecutiveRateLimits: 200, rateLimitedForMs: 299_500 }), settings, clock())).toEqual({
			retry: false,
			reason: 'rate-limit wait spent',
		});
	});

	it('does not spend Max Retries: that budget is for server errors, timeouts and dropped connections', () => {
		const noRetries = { ...settings, maxRetries: 0 };
		expect(planRetry(refused, at({ attempt: 5, consecutiveRateLimits: 5, rateLimitedForMs: 3000 }), noRetries, clock()).retry).toBe(true);
		expect(planRetry(http(500), at(), noRetries, clock())).toEqual({ retry: false, reason: 'no retries left' });
	});

	it('Max Rate-Limit Wait 0: a 429 is final', () => {
		expect(planRetry(refused, at(), { ...settings, maxRateLimitWaitMs: 0 }, clock())).toEqual({ retry: false, reason: 'rate-limit wait spent' });
	});

	it('never plans a wait past Max Rate-Limit Wait, for any progress and randomness', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 1000 }),
				fc.integer({ min: 0, max: 400_000 }),
				fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				(consecutive, waited, retryAfter, random) => {
					const failure = http(429, retryAfter === undefined ? {} : { retryAfter: String(retryAfter) });
					const decision = planRetry(failure, at({ consecutiveRateLimits: consecutive, rateLimitedForMs: waited }), settings, clock(random));
					if (decision.retry) expect(waited + decision.delayMs).toBeLessThanOrEqual(settings.maxRateLimitWaitMs);
				},
			),
		);
	});
});

describe('bounds', () => {
	it('makes at most maxRetries + 1 attempts', () => {
		const failure = http(500);
		const attempts = (maxRetries: number) => {
			let attempt = 1;
			while (planRetry(failure, at({ attempt, transientRetries: attempt - 1 }), { ...settings, maxRetries }, clock()).retry) attempt++;
			return attempt;
		};
		expect(attempts(0)).toBe(1);
		expect(attempts(3)).toBe(4);
		expect(attempts(10)).toBe(11);
	});

	it('keeps the total of all waits within the budget, for any failures and randomness', () => {
		const failureArb = fc.oneof(
			fc.constant(http(500)),
			fc.constant<AttemptFailure>({ kind: 'network', code: 'ECONNRESET' }),
			fc.integer({ min: 0, max: 120 }).map((s) => http(503, { retryAfter: String(s) })),
		);
		fc.assert(
			fc.property(
				fc.array(failureArb, { minLength: 11, maxLength: 11 }),
				fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 11, maxLength: 11 }),
				fc.integer({ min: 0, max: 30_000 }),
				(failures, randoms, baseDelayMs) => {
					const policy = { ...settings, maxRetries: 10, baseDelayMs };
					let waitedMs = 0;
					let attempt = 1;
					for (; attempt <= failures.length; attempt++) {
						const progress = at({ attempt, transientRetries: attempt - 1, transientWaitedMs: waitedMs });
						const decision = planRetry(failures[attempt - 1], progress, policy, clock(randoms[attempt - 1]));
						if (!decision.retry) break;
						expect(decision.delayMs).toBeLessThanOrEqual(policy.maxDelayMs);
						waitedMs += decision.delayMs;
					}
					expect(waitedMs).toBeLessThanOrEqual(policy.maxTotalWaitMs);
					expect(attempt).toBeLessThanOrEqual(11);
				},
			),
		);
	});

	it('stops when the next backoff would overrun the budget', () => {
		const decision = planRetry(http(500), at({ attempt: 3, transientRetries: 2, transientWaitedMs: 59_990 }), settings, clock(0.5));
		expect(decision).toEqual({ retry: false, reason: 'wait budget spent' });
	});
});
