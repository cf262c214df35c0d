// @ts-check
'use strict';

/**
 * Virtual time for tests of time-driven code, so minutes of pacing take milliseconds and every run
 * is the same:
 * - VirtualClock: `now()` and `sleep()` for pure code that takes a clock (the rate pacer).
 * - inVirtualTime: for workflows through n8n's engine against the emulator over real HTTP, with
 *   jest's fake timers standing in for `setTimeout` and `Date`. Fake time moves only when every
 *   request the client has in flight is waiting for its answer at the emulator (its latency, a fake
 *   timer): then nothing real is under way, and the clock jumps to the next timer.
 */
const diagnostics = require('node:diagnostics_channel');

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

/** HTTP requests this process has sent and not had an answer (or an error) for yet. */
let clientRequestsInFlight = 0;
diagnostics.subscribe('http.client.request.start', () => (clientRequestsInFlight += 1));
diagnostics.subscribe('http.client.response.finish', () => (clientRequestsInFlight -= 1));
diagnostics.subscribe('http.client.request.error', () => (clientRequestsInFlight -= 1));

/** What jest's fake timers must leave real: the turns of the event loop the driver waits on. */
const KEEP_REAL = /** @type {const} */ (['setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance']);

/** Turns in a row with nothing real under way before fake time moves (answers being read, promises settling). */
const QUIET_TURNS = 3;

/**
 * Runs `work` with jest's fake timers, moving fake time whenever every request in flight is waiting
 * at an emulator, until `work` settles.
 * @template T
 * @param {{ useFakeTimers: (config?: object) => unknown, useRealTimers: () => unknown, getTimerCount: () => number, advanceTimersToNextTimer: () => unknown }} jestApi the test's `jest`
 * @param {Array<{ timers: Set<unknown> }>} emulators whose pending answers are fake timers
 * @param {() => Promise<T>} work started once fake timers are in place
 * @returns {Promise<T>}
 */
async function inVirtualTime(jestApi, emulators, work) {
	jestApi.useFakeTimers({ doNotFake: KEEP_REAL });
	try {
		let done = false;
		const running = work();
		running.then(
			() => (done = true),
			() => (done = true),
		);
		const waitingAtEmulators = () => emulators.reduce((sum, emulator) => sum + emulator.timers.size, 0);
		for (let quiet = 0; !done; ) {
			await settle();
			quiet = clientRequestsInFlight === waitingAtEmulators() ? quiet + 1 : 0;
			if (quiet < QUIET_TURNS || jestApi.getTimerCount() === 0) continue;
			quiet = 0;
			jestApi.advanceTimersToNextTimer();
		}
		return await running;
	} finally {
		jestApi.useRealTimers();
	}
}

module.exports = { VirtualClock, inVirtualTime };
