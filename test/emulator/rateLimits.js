// @ts-check
'use strict';

// The emulator's rate limits. Plaid documents limits per minute, per client and per Item
// (/work/shared/plaid/errors.md), and nothing of the algorithm or of a Retry-After header, so each
// limit here names its shape (rateLimitShapes.js), its scope and whether it sends Retry-After.
// Several limits can apply to one request: it is admitted only when all of them admit it, and a
// refused request is counted by none of them (unless a limit counts refusals), so it changes
// nothing but that limit's refusal count.

const { FixedWindow, SlidingLog, SlidingCounter, TokenBucket } = require('./rateLimitShapes');

/**
 * @typedef {object} RateLimitSpec
 * @property {'fixed-window' | 'sliding-log' | 'sliding-counter' | 'token-bucket'} shape
 * @property {number} [limit] window shapes: requests per window
 * @property {number} [windowMs] window shapes: the window's length in milliseconds (any length)
 * @property {'epoch' | 'first-request'} [anchor] fixed-window: windows on multiples of windowMs of
 *   the clock (default), or each one starting at the first request after the last one ended
 * @property {number} [ratePerSecond] token-bucket: refill rate
 * @property {number} [burst] token-bucket: capacity (default 1); the bucket starts full
 * @property {'client' | 'endpoint' | 'item'} [scope] 'client' (default): one counter for the client,
 *   shared by every path the limit covers (a client-wide limit); 'endpoint': one counter per path (each
 *   endpoint its own limit of this size); 'item': one per Item behind the body's access_token
 *   (requests without one are not limited by it)
 * @property {string[]} [paths] only requests to these paths; default: all
 * @property {'none' | 'seconds' | 'date'} [retryAfter] a 429's Retry-After header: none (default,
 *   as Plaid documents none), delta-seconds rounded up, or an HTTP-date (rounded up to the second)
 * @property {boolean} [countRefused] refused requests count against the limit too (a limiter that
 *   punishes a client for knocking); default false
 * @property {string} [errorCode] default: Plaid's code for the path (ITEM_GET_LIMIT, …) or RATE_LIMIT
 */

/** @typedef {{ path: string, accessToken?: unknown }} LimitedCall */
/**
 * @typedef {object} Refusal
 * @property {string} errorCode
 * @property {string | undefined} message undefined: the catalogued one
 * @property {number} waitMs the true time until a request would be admitted by every limit
 * @property {Record<string, string>} headers
 */

const SHAPES = {
	'fixed-window': (/** @type {CheckedSpec} */ spec) => new FixedWindow(spec),
	'sliding-log': (/** @type {CheckedSpec} */ spec) => new SlidingLog(spec),
	'sliding-counter': (/** @type {CheckedSpec} */ spec) => new SlidingCounter(spec),
	'token-bucket': (/** @type {CheckedSpec} */ spec) => new TokenBucket(spec),
};
const WINDOW_FIELDS = ['limit', 'windowMs'];
const FIELDS_OF = {
	'fixed-window': [...WINDOW_FIELDS, 'anchor'],
	'sliding-log': WINDOW_FIELDS,
	'sliding-counter': WINDOW_FIELDS,
	'token-bucket': ['ratePerSecond', 'burst'],
};
const COMMON_FIELDS = ['shape', 'scope', 'paths', 'retryAfter', 'countRefused', 'errorCode'];

/** Plaid names the limit after the endpoint where it has one (errors.md). @param {string} path */
const errorCodeFor = (path) =>
	({ '/item/get': 'ITEM_GET_LIMIT', '/institutions/get': 'INSTITUTIONS_GET_LIMIT' })[path] ?? 'RATE_LIMIT';

/** Plaid's message for its per-Item limits (its rate-limit error page). */
const PER_ITEM_MESSAGE = 'rate limit exceeded for attempts to access this item. please try again later';

/** @param {unknown} value @param {string} name */
function positive(value, name) {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
		throw new TypeError(`rate limit: ${name} must be a number > 0 (got ${JSON.stringify(value)})`);
	}
	return value;
}

/** @param {unknown} value @param {string} name */
function count(value, name) {
	if (!Number.isInteger(value) || /** @type {number} */ (value) < 1) {
		throw new TypeError(`rate limit: ${name} must be a whole number ≥ 1 (got ${JSON.stringify(value)})`);
	}
	return /** @type {number} */ (value);
}

/** @param {unknown} value @param {string} name @param {readonly string[]} allowed */
function oneOf(value, name, allowed) {
	if (!allowed.includes(/** @type {string} */ (value))) {
		throw new TypeError(`rate limit: ${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
	}
	return /** @type {string} */ (value);
}

/**
 * A checked spec: the common fields filled in, and the shape's own (FIELDS_OF) present.
 * @typedef {RateLimitSpec & Required<Pick<RateLimitSpec, 'scope' | 'paths' | 'retryAfter' | 'countRefused'>>} CheckedSpec
 */

/**
 * Checks a spec and fills in its defaults; throws a TypeError naming the bad field.
 * @param {RateLimitSpec} spec @returns {CheckedSpec}
 */
function normaliseSpec(spec) {
	if (typeof spec !== 'object' || spec === null) throw new TypeError('rate limit: each limit must be an object');
	const shape = /** @type {keyof typeof SHAPES} */ (oneOf(spec.shape, 'shape', Object.keys(SHAPES)));
	const unknown = Object.keys(spec).filter((field) => !COMMON_FIELDS.includes(field) && !FIELDS_OF[shape].includes(field));
	if (unknown.length > 0) throw new TypeError(`rate limit: ${shape} takes no ${unknown.join(', ')}`);
	const paths = spec.paths ?? [];
	if (!Array.isArray(paths) || paths.some((path) => typeof path !== 'string' || !path.startsWith('/'))) {
		throw new TypeError('rate limit: paths must be an array of paths such as "/item/remove"');
	}
	if (spec.countRefused !== undefined && typeof spec.countRefused !== 'boolean') throw new TypeError('rate limit: countRefused must be true or false');
	if (spec.errorCode !== undefined && typeof spec.errorCode !== 'string') throw new TypeError('rate limit: errorCode must be a string');
	const common = {
		shape,
		scope: /** @type {'client' | 'endpoint' | 'item'} */ (oneOf(spec.scope ?? 'client', 'scope', ['client', 'endpoint', 'item'])),
		paths: [...paths],
		retryAfter: /** @type {'none' | 'seconds' | 'date'} */ (oneOf(spec.retryAfter ?? 'none', 'retryAfter', ['none', 'seconds', 'date'])),
		countRefused: spec.countRefused ?? false,
		...(spec.errorCode === undefined ? {} : { errorCode: spec.errorCode }),
	};
	if (shape === 'token-bucket') {
		return { ...common, ratePerSecond: positive(spec.ratePerSecond, 'ratePerSecond'), burst: count(spec.burst ?? 1, 'burst') };
	}
	const window = { ...common, limit: count(spec.limit, 'limit'), windowMs: positive(spec.windowMs, 'windowMs') };
	if (shape !== 'fixed-window') return window;
	return { ...window, anchor: /** @type {'epoch' | 'first-request'} */ (oneOf(spec.anchor ?? 'epoch', 'anchor', ['epoch', 'first-request'])) };
}

/** The counting part of a limit, for a checked spec. @param {CheckedSpec} spec */
const createShape = (spec) => SHAPES[spec.shape](spec);

/** What a spec in the fields of the older `rateLimitPerSecond` option means. @param {number} perSecond */
const perSecondSpec = (perSecond) => /** @type {RateLimitSpec} */ ({ shape: 'fixed-window', limit: perSecond, windowMs: 1000 });

/**
 * @param {'none' | 'seconds' | 'date'} form @param {number} now @param {number} waitMs
 * @returns {Record<string, string>}
 */
function retryAfterHeader(form, now, waitMs) {
	if (form === 'seconds') return { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) };
	// An HTTP-date has whole seconds: round up, so a client that waits until then is admitted.
	if (form === 'date') return { 'Retry-After': new Date(Math.ceil((now + waitMs) / 1000) * 1000).toUTCString() };
	return {};
}

class RateLimits {
	/**
	 * @param {RateLimitSpec[]} specs
	 * @param {{ now: () => number }} clock
	 * @param {(accessToken: string) => string | undefined} itemIdOf the Item behind a live token
	 */
	constructor(specs, clock, itemIdOf) {
		this.clock = clock;
		this.itemIdOf = itemIdOf;
		/** @type {Array<{ spec: CheckedSpec, shape: import('./rateLimitShapes').Shape, admitted: number, refused: number }>} */
		this.limits = [];
		this.set(specs);
	}

	/** Replaces every limit (and so forgets all counts). @param {RateLimitSpec[]} specs */
	set(specs) {
		if (!Array.isArray(specs)) throw new TypeError('rate limits: an array of limits is required');
		const normalised = specs.map(normaliseSpec);
		this.limits = normalised.map((spec) => ({ spec, shape: createShape(spec), admitted: 0, refused: 0 }));
	}

	/** Forgets the counts, keeping the limits. */
	reset() {
		this.set(this.limits.map(({ spec }) => spec));
	}

	/** The limits with their counts, for the stats route. */
	describe() {
		return this.limits.map(({ spec, admitted, refused }) => ({ ...spec, admitted, refused }));
	}

	/**
	 * The counter a limit keeps for this call, or undefined when the limit does not apply to it.
	 * A per-endpoint counter is the path's; a per-Item counter follows the Item; a token that names no
	 * live Item gets its own.
	 * @param {CheckedSpec} spec @param {LimitedCall} call
	 */
	keyOf(spec, call) {
		if (spec.paths.length > 0 && !spec.paths.includes(call.path)) return undefined;
		if (spec.scope === 'client') return 'client';
		if (spec.scope === 'endpoint') return `path:${call.path}`;
		if (typeof call.accessToken !== 'string') return undefined;
		const itemId = this.itemIdOf(call.accessToken);
		return itemId === undefined ? `token:${call.accessToken}` : `item:${itemId}`;
	}

	/**
	 * How long from now until every limit would admit the call (0: now); asking counts nothing.
	 * @param {LimitedCall} call @returns {number}
	 */
	waitMs(call) {
		const now = this.clock.now();
		return Math.max(0, ...this.limits.map((limit) => {
			const key = this.keyOf(limit.spec, call);
			return key === undefined ? 0 : limit.shape.waitMs(key, now);
		}));
	}

	/** Admits and counts the call, or refuses it. @param {LimitedCall} call @returns {Refusal | undefined} */
	check(call) {
		const now = this.clock.now();
		const applicable = this.limits.flatMap((limit) => {
			const key = this.keyOf(limit.spec, call);
			return key === undefined ? [] : [{ limit, key }];
		});
		const refusing = applicable.filter(({ limit, key }) => !limit.shape.admits(key, now));
		for (const { limit, key } of applicable) {
			if (refusing.length === 0 || limit.spec.countRefused) limit.shape.count(key, now);
		}
		if (refusing.length === 0) {
			for (const { limit } of applicable) limit.admitted += 1;
			return undefined;
		}
		for (const { limit } of refusing) limit.refused += 1;
		const waitMs = Math.max(...applicable.map(({ limit, key }) => limit.shape.waitMs(key, now)));
		const first = refusing[0].limit.spec;
		const form = refusing.find(({ limit }) => limit.spec.retryAfter !== 'none')?.limit.spec.retryAfter ?? 'none';
		return {
			errorCode: first.errorCode ?? errorCodeFor(call.path),
			message: first.scope === 'item' ? PER_ITEM_MESSAGE : undefined,
			waitMs,
			headers: retryAfterHeader(form, now, waitMs),
		};
	}
}

module.exports = { RateLimits, normaliseSpec, createShape, perSecondSpec, errorCodeFor, PER_ITEM_MESSAGE };
