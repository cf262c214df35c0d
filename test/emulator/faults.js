// @ts-check
'use strict';

// Injected faults: queued, matched by path, consumed one per matching request in queue order.

const { plaidError, httpStatusOf } = require('./errors');
const { jsonAnswer } = require('./http-io');

/**
 * @typedef {object} Fault
 * @property {string} [path] only requests to this path; default: any request
 * @property {Record<string, unknown>} [bodyMatch] only requests whose JSON body has these top-level fields, equal
 * @property {number} [times] how many requests it applies to; default 1; Infinity allowed
 * @property {number} [status] HTTP status; default: the catalogued status of body.error_code, else 200.
 *   With no body: 429, 503 and other 4xx/5xx get a Plaid error body; 502 and 504 get the HTML page
 *   of a proxy in front of Plaid (a gateway's answer is never Plaid's JSON)
 * @property {Record<string, unknown>} [body] a JSON body (its request_id is replaced by a fresh one)
 * @property {string} [rawBody] sent byte for byte instead of a JSON body (HTML, broken JSON, empty)
 * @property {string} [contentType] Content-Type of the answer
 * @property {Record<string, string>} [headers] extra answer headers, e.g. Retry-After
 * @property {number} [delayMs] wait this long first; with nothing else set, then answer normally.
 *   With `apply`, the wait comes after the operation instead: longer than the client's timeout, the
 *   change is made and the client never hears of it
 * @property {'before' | 'after'} [drop] destroy the socket without answering: 'before' doing nothing,
 *   'after' doing the real operation (state changes) first
 * @property {boolean} [apply] do the real operation first (state changes as for a normal request;
 *   rate limits count it), then wait delayMs, then send this fault's answer (status/body/rawBody),
 *   or the real answer when the fault gives none, or drop the connection ('after'). The worst faults:
 *   `{ apply: true, status: 500 }`, `{ apply: true, status: 502 }`, `{ apply: true, delayMs: 40000 }`.
 *   The recorded response then carries `applied`, the status the real operation answered.
 */

/** @typedef {{ fault: Fault, remaining: number }} QueuedFault */

/** @param {Fault} fault */
function assertValidFault(fault) {
	const times = fault.times ?? 1;
	if (!(times >= 1)) throw new TypeError(`injectFaults: times must be >= 1 (got ${fault.times})`);
	if (fault.drop !== undefined && fault.drop !== 'before' && fault.drop !== 'after') {
		throw new TypeError(`injectFaults: drop must be 'before' or 'after' (got ${String(fault.drop)})`);
	}
	if (fault.body !== undefined && fault.rawBody !== undefined) throw new TypeError('injectFaults: give body or rawBody, not both');
	if (fault.apply !== undefined && typeof fault.apply !== 'boolean') throw new TypeError('injectFaults: apply must be true or false');
	if (fault.apply && fault.drop === 'before') throw new TypeError("injectFaults: apply and drop 'before' contradict each other");
}

class FaultQueue {
	constructor() {
		/** @type {QueuedFault[]} */
		this.queued = [];
	}

	/** @param {Fault[]} faults */
	add(faults) {
		faults.forEach(assertValidFault);
		for (const fault of faults) this.queued.push({ fault: { ...fault }, remaining: fault.times ?? 1 });
	}

	/** The first queued fault for this request, used up by one. @param {string} path @param {unknown} [body] */
	take(path, body) {
		const index = this.queued.findIndex(({ fault }) => (fault.path === undefined || fault.path === path) && bodyMatches(fault, body));
		if (index < 0) return undefined;
		const entry = this.queued[index];
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.queued.splice(index, 1);
		return entry.fault;
	}

	/** How many faults are still waiting (Infinity-times faults count once). */
	get size() {
		return this.queued.length;
	}

	clear() {
		this.queued.length = 0;
	}
}

/** @param {Fault} fault @param {unknown} body */
function bodyMatches(fault, body) {
	if (!fault.bodyMatch) return true;
	const fields = /** @type {Record<string, unknown>} */ (body && typeof body === 'object' ? body : {});
	return Object.entries(fault.bodyMatch).every(([key, value]) => JSON.stringify(fields[key]) === JSON.stringify(value));
}

/** Whether the fault replaces the answer (as opposed to only delaying or dropping). @param {Fault} fault */
const replacesAnswer = (fault) => fault.status !== undefined || fault.body !== undefined || fault.rawBody !== undefined;

/** What a proxy in front of Plaid answers while Plaid is unreachable or slow (nginx's pages). */
const PROXY_PAGES = {
	502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	504: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};

/** A Plaid-shaped body for a fault that gives only a status. @param {number} status */
function defaultBodyFor(status) {
	if (status === 429) return plaidError('RATE_LIMIT');
	if (status === 503) return plaidError('PLANNED_MAINTENANCE');
	if (status >= 400) return plaidError('INTERNAL_SERVER_ERROR');
	return {};
}

/** @param {Fault} fault @returns {import('./http-io').Answer} */
function faultAnswer(fault) {
	const errorCode = typeof fault.body?.error_code === 'string' ? fault.body.error_code : undefined;
	const status = fault.status ?? httpStatusOf(errorCode) ?? 200;
	const headers = { ...fault.headers, ...(fault.contentType ? { 'Content-Type': fault.contentType } : {}) };
	if (fault.rawBody !== undefined) {
		return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, payload: fault.rawBody };
	}
	const proxyPage = fault.body === undefined ? PROXY_PAGES[/** @type {502 | 504} */ (status)] : undefined;
	if (proxyPage !== undefined) return { status, headers: { 'Content-Type': 'text/html', ...headers }, payload: proxyPage };
	return jsonAnswer(status, fault.body ?? defaultBodyFor(status), headers);
}

module.exports = { FaultQueue, faultAnswer, replacesAnswer, PROXY_PAGES };
