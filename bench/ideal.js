// @ts-check
'use strict';

// The best wall time any client could achieve for a run under a rate-limit shape: each request is
// sent at the earliest moment the limit admits it (so none is ever refused), at most `concurrency`
// in flight, each answered after the mean latency. Computed with the emulator's own shapes, so it
// is the same limit the run met. Sending as early as allowed is optimal for these shapes: none of
// them admits less later because a request came earlier.

const { normaliseSpec, createShape } = require('../test/emulator/rateLimits');

/**
 * @param {import('../test/emulator/rateLimits').RateLimitSpec} spec
 * @param {{ requests: number, concurrency: number, latencyMs: number, startMs: number }} run
 *   startMs: the clock time the run started (clock-aligned windows depend on it)
 * @returns {number} milliseconds from the start to the last answer
 */
function idealWallMs(spec, { requests, concurrency, latencyMs, startMs }) {
	const shape = createShape(normaliseSpec(spec));
	/** Times at which a slot frees, oldest first (sends are in order, so answers are too). */
	const slotsFree = /** @type {number[]} */ ([]);
	let lastSend = startMs;
	let lastAnswer = startMs;
	for (let i = 0; i < requests; i++) {
		let send = Math.max(lastSend, slotsFree.length < concurrency ? startMs : /** @type {number} */ (slotsFree.shift()));
		for (let wait = shape.waitMs('client', send); wait > 0; wait = shape.waitMs('client', send)) send += wait;
		shape.count('client', send);
		lastSend = send;
		lastAnswer = send + latencyMs;
		slotsFree.push(lastAnswer);
	}
	return lastAnswer - startMs;
}

module.exports = { idealWallMs };
