// @ts-check
'use strict';

// The algorithms a rate limit can have. Plaid documents its limits per minute and says nothing of
// the algorithm, so the emulator offers the common ones. Each keeps one counter per key (the
// client, or an Item) and answers three questions at a time `now` (milliseconds on the emulator's
// clock): would a request be admitted, count it, and how long until one would be. Asking changes
// nothing, so a question about any moment can be asked; counting assumes time goes forward.
// Arithmetic is in integers where the inputs are, so tests can check every boundary exactly.

/**
 * @typedef {object} Shape
 * @property {(key: string, now: number) => boolean} admits
 * @property {(key: string, now: number) => void} count records a request (an admitted one, or a
 *   refused one when the limit counts refusals)
 * @property {(key: string, now: number) => number} waitMs 0 when a request would be admitted now
 */

/**
 * A fixed window: at most `limit` requests per window. Windows either follow the clock
 * (`epoch`: every multiple of windowMs, as a counter keyed by `floor(now / window)` does) or start
 * at the first request after the last window ended (`first-request`, as a counter created with an
 * expiry does). Either lets up to 2 × limit through around a window boundary.
 * @implements {Shape}
 */
class FixedWindow {
	/** @param {{ limit?: number, windowMs?: number, anchor?: 'epoch' | 'first-request' }} spec */
	constructor({ limit = 1, windowMs = 1000, anchor = 'epoch' }) {
		this.limit = limit;
		this.windowMs = windowMs;
		this.anchor = anchor;
		/** @type {Map<string, { start: number, count: number }>} */
		this.windows = new Map();
	}

	/** The window `now` falls in; a fresh one (not stored yet) when the last has ended. @param {string} key @param {number} now */
	current(key, now) {
		const stored = this.windows.get(key);
		if (this.anchor === 'epoch') {
			const start = Math.floor(now / this.windowMs) * this.windowMs;
			return stored?.start === start ? stored : { start, count: 0 };
		}
		return stored && now < stored.start + this.windowMs ? stored : { start: now, count: 0 };
	}

	/** @param {string} key @param {number} now */
	admits(key, now) {
		return this.current(key, now).count < this.limit;
	}

	/** @param {string} key @param {number} now */
	count(key, now) {
		const window = this.current(key, now);
		window.count += 1;
		this.windows.set(key, window);
	}

	/** @param {string} key @param {number} now */
	waitMs(key, now) {
		const window = this.current(key, now);
		return window.count < this.limit ? 0 : window.start + this.windowMs - now;
	}
}

/**
 * A sliding log: at most `limit` requests in any span of windowMs, i.e. a request at `now` is
 * admitted when fewer than `limit` counted requests have times in (now − windowMs, now].
 * The exact sliding window; no burst at boundaries.
 * @implements {Shape}
 */
class SlidingLog {
	/** @param {{ limit?: number, windowMs?: number }} spec */
	constructor({ limit = 1, windowMs = 1000 }) {
		this.limit = limit;
		this.windowMs = windowMs;
		/** @type {Map<string, number[]>} times in order */
		this.logs = new Map();
	}

	/** The counted times still inside the window at `now` (does not change the log, so `now` may be any time). @param {string} key @param {number} now */
	live(key, now) {
		const times = this.logs.get(key) ?? [];
		let expired = 0;
		while (expired < times.length && times[expired] <= now - this.windowMs) expired += 1;
		return times.slice(expired);
	}

	/** @param {string} key @param {number} now */
	admits(key, now) {
		return this.live(key, now).length < this.limit;
	}

	/** @param {string} key @param {number} now */
	count(key, now) {
		const times = this.live(key, now);
		times.push(now);
		this.logs.set(key, times);
	}

	/** Until enough of the oldest entries have left the window. @param {string} key @param {number} now */
	waitMs(key, now) {
		const times = this.live(key, now);
		return times.length < this.limit ? 0 : times[times.length - this.limit] + this.windowMs - now;
	}
}

/**
 * A sliding-window counter: clock-aligned windows, the previous window's count weighted by how
 * much of it still overlaps the last windowMs. Admitted when
 * previous × (windowMs − elapsed) / windowMs + current + 1 ≤ limit.
 * Cheaper than a log, an approximation of it; what many gateways use.
 * @implements {Shape}
 */
class SlidingCounter {
	/** @param {{ limit?: number, windowMs?: number }} spec */
	constructor({ limit = 1, windowMs = 1000 }) {
		this.limit = limit;
		this.windowMs = windowMs;
		/** @type {Map<string, { start: number, current: number, previous: number }>} */
		this.counters = new Map();
	}

	/** @param {string} key @param {number} now */
	counter(key, now) {
		const start = Math.floor(now / this.windowMs) * this.windowMs;
		const stored = this.counters.get(key);
		if (stored?.start === start) return stored;
		const previous = stored?.start === start - this.windowMs ? stored.current : 0;
		return { start, current: 0, previous };
	}

	/** Whether `previous × (W − elapsed) + current × W ≤ (limit − 1) × W`, in integers. @param {string} key @param {number} now */
	admits(key, now) {
		const { start, current, previous } = this.counter(key, now);
		const W = this.windowMs;
		return previous * (W - (now - start)) + current * W <= (this.limit - 1) * W;
	}

	/** @param {string} key @param {number} now */
	count(key, now) {
		const counter = this.counter(key, now);
		counter.current += 1;
		this.counters.set(key, counter);
	}

	/**
	 * The first elapsed time e at which `previous × (W − e) ≤ room × W` holds (room: what is left
	 * under the limit after the current window's count), in this window or, if the current window
	 * alone is full, in the next one, where this window's count becomes the weighted one.
	 * @param {string} key @param {number} now
	 */
	waitMs(key, now) {
		if (this.admits(key, now)) return 0;
		const { start, current, previous } = this.counter(key, now);
		const W = this.windowMs;
		const firstElapsed = (/** @type {number} */ weighted, /** @type {number} */ room) =>
			weighted === 0 ? 0 : Math.max(0, Math.ceil(W - (room * W) / weighted));
		const room = this.limit - 1 - current;
		if (room >= 0) return start + firstElapsed(previous, room) - now;
		return start + W + firstElapsed(current, this.limit - 1) - now;
	}
}

/**
 * A token bucket: holds up to `burst` tokens, refilled at ratePerSecond; a request takes one.
 * Levels are kept in thousandths of a token per millisecond of refill (level += elapsed ×
 * ratePerSecond), so integer rates stay exact. A refusal counted against it (countRefused) takes a
 * token too, down to −burst: a client that keeps knocking waits longer, but not forever.
 * @implements {Shape}
 */
class TokenBucket {
	/** @param {{ ratePerSecond?: number, burst?: number }} spec */
	constructor({ ratePerSecond = 1, burst = 1 }) {
		this.ratePerSecond = ratePerSecond;
		this.capacity = burst * 1000;
		/** @type {Map<string, { level: number, at: number }>} */
		this.buckets = new Map();
	}

	/** @param {string} key @param {number} now */
	bucket(key, now) {
		const stored = this.buckets.get(key) ?? { level: this.capacity, at: now };
		const level = Math.min(this.capacity, stored.level + Math.max(0, now - stored.at) * this.ratePerSecond);
		return { level, at: now };
	}

	/** @param {string} key @param {number} now */
	admits(key, now) {
		return this.bucket(key, now).level >= 1000;
	}

	/** @param {string} key @param {number} now */
	count(key, now) {
		const bucket = this.bucket(key, now);
		bucket.level = Math.max(-this.capacity, bucket.level - 1000);
		this.buckets.set(key, bucket);
	}

	/** @param {string} key @param {number} now */
	waitMs(key, now) {
		const { level } = this.bucket(key, now);
		return level >= 1000 ? 0 : Math.ceil((1000 - level) / this.ratePerSecond);
	}
}

module.exports = { FixedWindow, SlidingLog, SlidingCounter, TokenBucket };
