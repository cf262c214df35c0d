// @ts-check
'use strict';

/**
 * A simulation, in virtual time, of one client sending through the package's RatePacer to a server
 * with a given rate limiter shape. Plaid documents its limits per minute but not the algorithm, so
 * the pacer must find the allowed rate under each plausible one; this measures how close it comes
 * (against the best any client could do) without minutes of real waiting. The real transport, with
 * the same pacer, is tested against the emulator's limiters through n8n's engine elsewhere.
 */
const { VirtualClock } = require('./virtualTime');

/**
 * @typedef {{ admit: (now: number) => boolean, name: string, idealMs: (requests: number, clientRate: number) => number }} Limiter
 */

/** At most `limit` requests per fixed window of `windowMs`, windows aligned to time 0. @param {number} limit @param {number} windowMs @returns {Limiter} */
function fixedWindow(limit, windowMs) {
	let window = -1;
	let used = 0;
	return {
		name: `fixed window ${limit}/${windowMs} ms`,
		admit(now) {
			const current = Math.floor(now / windowMs);
			if (current !== window) [window, used] = [current, 0];
			if (used >= limit) return false;
			used += 1;
			return true;
		},
		// The best client sends a full quota at the start of each window, as fast as it can.
		idealMs: (requests, clientRate) => Math.floor((requests - 1) / limit) * windowMs + ((((requests - 1) % limit) + 1) * 1000) / clientRate,
	};
}

/** At most `limit` requests in any sliding `windowMs` (a log of admission times). @param {number} limit @param {number} windowMs @returns {Limiter} */
function slidingLog(limit, windowMs) {
	/** @type {number[]} */
	const admitted = [];
	return {
		name: `sliding window ${limit}/${windowMs} ms`,
		admit(now) {
			while (admitted.length > 0 && admitted[0] <= now - windowMs) admitted.shift();
			if (admitted.length >= limit) return false;
			admitted.push(now);
			return true;
		},
		idealMs: (requests, clientRate) => Math.floor((requests - 1) / limit) * windowMs + ((((requests - 1) % limit) + 1) * 1000) / clientRate,
	};
}

/** A token bucket: `ratePerSecond` tokens a second, at most `burst` stored. @param {number} ratePerSecond @param {number} burst @returns {Limiter} */
function tokenBucket(ratePerSecond, burst) {
	let tokens = burst;
	let at = 0;
	return {
		name: `token bucket ${ratePerSecond}/s, burst ${burst}`,
		admit(now) {
			tokens = Math.min(burst, tokens + ((now - at) * ratePerSecond) / 1000);
			at = now;
			if (tokens < 1) return false;
			tokens -= 1;
			return true;
		},
		idealMs: (requests) => (Math.max(0, requests - burst) * 1000) / ratePerSecond,
	};
}

/** A seeded random source, so every run is the same (mulberry32). @param {number} seed */
function seededRandom(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Sends `requests` requests, `concurrency` at a time, each retried after a 429 with the transport's
 * own backoff until the limiter admits it; every answer takes `latencyMs`.
 * @param {{ limiter: Limiter, requests: number, concurrency: number, latencyMs: number, jitter?: number, seed?: number, tuning?: object }} scenario
 * @param {{ RatePacer: any, rateLimitBackoffMs: (consecutive: number, random: () => number) => number }} pkg the package's own code
 */
async function simulate(scenario, pkg) {
	const clock = new VirtualClock();
	const pacer = new pkg.RatePacer(scenario.tuning, clock);
	const random = seededRandom(scenario.seed ?? 1);
	let started = 0;
	let done = 0;
	let refused = 0;
	let maxWaitMs = 0;
	const worker = async () => {
		while (started < scenario.requests) {
			started += 1;
			pacer.enter();
			let firstRefusedAt;
			for (let consecutive = 0, attempt = 1; ; attempt += 1) {
				await pacer.acquire(attempt > 1);
				const admitted = scenario.limiter.admit(clock.now());
				await clock.sleep(scenario.latencyMs * (1 + (scenario.jitter ?? 0) * (2 * random() - 1)));
				if (admitted) {
					pacer.onAnswered();
					if (firstRefusedAt !== undefined) maxWaitMs = Math.max(maxWaitMs, clock.now() - firstRefusedAt);
					break;
				}
				pacer.onRateLimited();
				refused += 1;
				firstRefusedAt ??= clock.now();
				consecutive += 1;
				await clock.sleep(pkg.rateLimitBackoffMs(consecutive, random));
			}
			pacer.leave();
			done += 1;
		}
	};
	const workers = Array.from({ length: scenario.concurrency }, worker);
	await clock.runUntil(() => done === scenario.requests);
	await Promise.all(workers);
	const elapsedMs = clock.now();
	const clientRate = (scenario.concurrency * 1000) / scenario.latencyMs;
	const idealMs = scenario.limiter.idealMs(scenario.requests, clientRate) + scenario.latencyMs;
	return { elapsedMs, idealMs, efficiency: idealMs / elapsedMs, refused, done, maxWaitMs };
}

module.exports = { fixedWindow, slidingLog, tokenBucket, simulate };
