// @ts-check
'use strict';

// The best wall time any client could achieve for a run under rate limits: each job (a user) makes its
// calls in order, each call only after the previous one's answer (Get Items, then Remove Items), every
// call is sent at the earliest moment every limit admits it (so none is ever refused), at most
// `concurrency` in flight, each answered after the mean latency. Computed with the emulator's own
// limits, so it is the limit the run met. Of the calls that could go next, the one admitted first goes
// first, and on a tie the later step (a started job finishes). Sending as early as admitted is optimal
// for these shapes: none admits less later because a request came earlier.

const { RateLimits } = require('../test/emulator/rateLimits');

/**
 * @param {import('../test/emulator/rateLimits').RateLimitSpec[]} specs every limit that applies
 * @param {{ jobs?: number, steps?: string[], concurrency?: number, workloads?: Array<{ jobs: number, steps: string[], concurrency?: number }>, latencyMs: number, startMs: number }} run
 *   `jobs` users each calling `steps` in order (default one /user/items/remove) with at most
 *   `concurrency` calls in flight, or several such `workloads` at once, each with its own
 *   concurrency; startMs: the clock time the run started (clock-aligned windows depend on it)
 * @returns {number} milliseconds from the start to the last answer
 */
function idealWallMs(specs, { jobs = 0, steps = ['/user/items/remove'], concurrency = Infinity, workloads = [{ jobs, steps, concurrency }], latencyMs, startMs }) {
	let time = startMs;
	const limits = new RateLimits(specs, { now: () => time }, () => undefined);
	/** One queue per workload and step: when each waiting call may go (its job's previous answer), in order. */
	const queues = workloads.flatMap((workload, w) =>
		workload.steps.map((path, step) => ({ w, step, path, ready: step === 0 ? Array(workload.jobs).fill(startMs) : /** @type {number[]} */ ([]) })),
	);
	/** Per workload, answer times of its calls sent, in order (sends are in time order and latency is fixed). */
	const answers = workloads.map(() => /** @type {number[]} */ ([]));
	let lastAnswer = startMs;
	const total = workloads.reduce((sum, workload) => sum + workload.jobs * workload.steps.length, 0);
	for (let left = total; left > 0; left--) {
		const slotFreeAt = workloads.map(({ concurrency: inFlight = Infinity }, w) => {
			const sent = answers[w];
			while (sent.length > 0 && sent[0] <= time) sent.shift();
			return sent.length >= inFlight ? sent[sent.length - inFlight] : -Infinity;
		});
		let best = { queue: queues[0], at: Infinity };
		for (const queue of queues) {
			if (queue.ready.length === 0) continue;
			const at = admittedFrom(limits, queue.path, Math.max(time, queue.ready[0], slotFreeAt[queue.w]), (value) => (time = value));
			if (at < best.at || (at === best.at && queue.step > best.queue.step)) best = { queue, at };
		}
		time = best.at;
		limits.check({ path: best.queue.path });
		best.queue.ready.shift();
		lastAnswer = Math.max(lastAnswer, time + latencyMs);
		answers[best.queue.w].push(time + latencyMs);
		const next = queues.find((queue) => queue.w === best.queue.w && queue.step === best.queue.step + 1);
		next?.ready.push(time + latencyMs);
	}
	return lastAnswer - startMs;
}

/**
 * The first moment from `from` on when every limit admits a call to `path`; moves the limits' clock
 * (through `setTime`) while asking, and leaves it where it started.
 * @param {RateLimits} limits @param {string} path @param {number} from @param {(time: number) => void} setTime
 */
function admittedFrom(limits, path, from, setTime) {
	const start = limits.clock.now();
	let at = from;
	for (setTime(at); limits.waitMs({ path }) > 0; setTime(at)) at += limits.waitMs({ path });
	setTime(start);
	return at;
}

module.exports = { idealWallMs };
