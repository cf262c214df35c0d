// @ts-check
'use strict';

/**
 * Virtual time for pure tests of time-driven code (the rate pacer): `now()` and `sleep()` that only
 * move when the test runs the clock, so minutes of pacing take milliseconds and every run is the same.
 */
class VirtualClock {
	constructor(start = 0) {
		this.time = start;
		/** @type {Array<{ at: number, seq: number, resolve: () => void }>} */
		this.timers = [];
		this.seq = 0;
		this.now = () => this.time;
		/** @param {number} ms @returns {Promise<void>} */
		this.sleep = (ms) =>
			new Promise((resolve) => {
				this.timers.push({ at: this.time + Math.max(0, ms), seq: this.seq++, resolve });
			});
	}

	/**
	 * Runs until `done()` says so or no timer is left: each step lets every pending promise settle,
	 * then moves time to the earliest timer and fires it.
	 * @param {() => boolean} done
	 * @param {number} [limitMs] stop there at the latest
	 */
	async runUntil(done, limitMs = Infinity) {
		for (;;) {
			await settle();
			if (done() || this.timers.length === 0) return;
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = /** @type {{ at: number, resolve: () => void }} */ (this.timers.shift());
			if (next.at > limitMs) {
				this.timers.unshift(/** @type {any} */ (next));
				return;
			}
			this.time = Math.max(this.time, next.at);
			next.resolve();
		}
	}
}

/** Lets every promise that can settle now do so (a macrotask runs after all microtasks). */
function settle() {
	return new Promise((resolve) => setImmediate(resolve));
}

module.exports = { VirtualClock };
