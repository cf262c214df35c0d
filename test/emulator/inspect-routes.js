// @ts-check
'use strict';

// Test-only routes under /__emulator/ for a suite that runs the emulator in its own process
// (test/emulator/cli.js) and must read its state or have it sign a webhook from outside. They are
// not Plaid's API: off unless the emulator is started with `inspectRoutes: true`, answered only to
// loopback peers, and never recorded in `requests`.
//
//   GET  /__emulator/requests            every recorded Plaid request, in order
//   GET  /__emulator/users/<user_id>     { user_id, exists, item_ids }
//   POST /__emulator/reset  {"seed"?}    forget everything (then seed 'demo' when asked)
//   POST /__emulator/sign   {"rawBody", "options"?}   { verification } for a Plaid-Verification header
//   POST /__emulator/users  {"users": [NewUser, …]}   adds them all (bulk seeding for benchmarks): { added }
//   GET  /__emulator/stats               { request_count, statuses, by_path, rate_limited, connections,
//                                          in_flight, max_in_flight, first_received_at, last_received_at }
//   GET  /__emulator/rate-limits         { rate_limits: [spec + { admitted, refused }, …] }
//   POST /__emulator/rate-limits {"rateLimits": [RateLimitSpec, …]}   replaces them (counts forgotten)
//   GET  /__emulator/keys                { current_kid, keys: [JWK, …], key_fetches }
//   POST /__emulator/keys/rotate         { current_kid, previous_kid }: Plaid signs with a new key
//   POST /__emulator/keys/expire {"kid"?}   { key }: Plaid sets expired_at (default: on the current key)
//   GET  /__emulator/removals            { removals: [Removal, …] }: every irreversible call Plaid carried out
//   GET  /__emulator/removals/<item_id>  { item_id, removals }: those that removed or ended this Item
//   GET  /__emulator/shapes              { shapes }: the answers chosen where Plaid is silent (shapes.js)
//   POST /__emulator/shapes {"shapes": {…}}   switches some of them: { shapes }
//   GET  /__emulator/asset-reports       { asset_reports: [{ asset_report_id, user_id, items, audit_copies, … }] }

const { parseJson } = require('./http-io');
const { seedDemo } = require('./seed');

const INSPECT_PREFIX = '/__emulator/';
const LOOPBACK_PEERS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** @typedef {import('./http-io').Answer} Answer */

/**
 * The parts of the emulator these routes use.
 * @typedef {object} Inspectable
 * @property {import('./index').RecordedRequest[]} requests
 * @property {(userId: string) => unknown} getUser
 * @property {(userId: string) => string[]} itemIdsOf
 * @property {() => void} reset
 * @property {(spec: import('./state').NewUser) => import('./state').EmulatorUser} addUser
 * @property {(spec: import('./assetReports').NewAssetReport) => import('./assetReports').AssetReport} addAssetReport
 * @property {(reportToken: string, spec: { audit_copy_token?: string, auditor_id?: string | null }) => import('./assetReports').AuditCopy} addAuditCopy
 * @property {() => unknown[]} describeAssetReports
 * @property {readonly import('./removals').Removal[]} removals
 * @property {(itemId: string) => import('./removals').Removal[]} removalsOf
 * @property {Readonly<import('./shapes').Shapes>} shapes
 * @property {(shapes: Partial<import('./shapes').Shapes>) => void} setShapes
 * @property {(rawBody: string, options?: import('./webhooks').SignOptions) => string} signWebhook
 * @property {{ now: number, max: number }} inFlight
 * @property {string} currentKeyId
 * @property {import('./webhooks').JwkPublicKey[]} webhookKeys
 * @property {() => { current: string, previous: string }} rotateWebhookKey
 * @property {(kid?: string) => import('./webhooks').JwkPublicKey} expireWebhookKey
 * @property {(kid?: string) => number} keyFetchCount
 * @property {number} connections
 * @property {(specs: import('./rateLimits').RateLimitSpec[]) => void} setRateLimits
 * @property {{ describe: () => unknown[] }} rateLimits
 */

/** @param {string} pathname */
const isInspectPath = (pathname) => pathname.startsWith(INSPECT_PREFIX);

/** @param {number} status @param {unknown} body @returns {Answer} */
const inspectAnswer = (status, body) => ({
	status,
	headers: { 'Content-Type': 'application/json; charset=utf-8' },
	payload: JSON.stringify(body),
});

/** @param {Inspectable} emulator @param {unknown} body */
function reset(emulator, body) {
	const seed = /** @type {{ seed?: unknown }} */ (body ?? {}).seed;
	if (seed !== undefined && seed !== 'demo') return inspectAnswer(400, { error: `unknown seed ${String(seed)} (known: demo)` });
	emulator.reset();
	if (seed === 'demo') seedDemo(emulator);
	return inspectAnswer(200, { reset: true, seed: seed ?? null });
}

/** @param {Inspectable} emulator @param {unknown} body */
function sign(emulator, body) {
	const { rawBody, options } = /** @type {{ rawBody?: unknown, options?: import('./webhooks').SignOptions }} */ (body ?? {});
	if (typeof rawBody !== 'string') return inspectAnswer(400, { error: 'rawBody: a string is required' });
	return inspectAnswer(200, { verification: emulator.signWebhook(rawBody, options) });
}

/** @param {Inspectable} emulator @param {unknown} body */
function addUsers(emulator, body) {
	const { users } = /** @type {{ users?: unknown }} */ (body ?? {});
	if (!Array.isArray(users)) return inspectAnswer(400, { error: 'users: an array is required' });
	try {
		for (const user of users) emulator.addUser(user);
	} catch (error) {
		return inspectAnswer(400, { error: error instanceof Error ? error.message : String(error) });
	}
	return inspectAnswer(200, { added: users.length });
}

/** Counts only, so a benchmark can read them without pulling every recorded request. @param {Inspectable} emulator */
function stats(emulator) {
	/** @type {Record<string, number>} */
	const statuses = {};
	/** @type {Record<string, Record<string, number>>} */
	const byPath = {};
	for (const { path, response } of emulator.requests) {
		const key = String(response.status ?? 'none');
		statuses[key] = (statuses[key] ?? 0) + 1;
		byPath[path] ??= {};
		byPath[path][key] = (byPath[path][key] ?? 0) + 1;
	}
	const { now, max } = emulator.inFlight;
	return inspectAnswer(200, {
		request_count: emulator.requests.length,
		statuses,
		by_path: byPath,
		rate_limited: statuses['429'] ?? 0,
		connections: emulator.connections,
		in_flight: now,
		max_in_flight: max,
		// Date.now() of the first and last recorded request (null when none): when a client's run reached Plaid.
		first_received_at: emulator.requests[0]?.receivedAt ?? null,
		last_received_at: emulator.requests[emulator.requests.length - 1]?.receivedAt ?? null,
	});
}

/** @param {Inspectable} emulator @param {unknown} body */
function setRateLimits(emulator, body) {
	const { rateLimits } = /** @type {{ rateLimits?: unknown }} */ (body ?? {});
	if (!Array.isArray(rateLimits)) return inspectAnswer(400, { error: 'rateLimits: an array is required ([] turns them off)' });
	try {
		emulator.setRateLimits(rateLimits);
	} catch (error) {
		return inspectAnswer(400, { error: error instanceof Error ? error.message : String(error) });
	}
	return inspectAnswer(200, { rate_limits: emulator.rateLimits.describe() });
}

/** @param {Inspectable} emulator @param {unknown} body */
function setShapes(emulator, body) {
	const { shapes } = /** @type {{ shapes?: unknown }} */ (body ?? {});
	if (typeof shapes !== 'object' || shapes === null || Array.isArray(shapes)) return inspectAnswer(400, { error: 'shapes: an object is required' });
	try {
		emulator.setShapes(shapes);
	} catch (error) {
		return inspectAnswer(400, { error: error instanceof Error ? error.message : String(error) });
	}
	return inspectAnswer(200, { shapes: emulator.shapes });
}

/** @param {Inspectable} emulator */
const keys = (emulator) =>
	inspectAnswer(200, { current_kid: emulator.currentKeyId, keys: emulator.webhookKeys, key_fetches: emulator.keyFetchCount() });

/** @param {Inspectable} emulator @param {unknown} body */
function expireKey(emulator, body) {
	const { kid } = /** @type {{ kid?: unknown }} */ (body ?? {});
	if (kid !== undefined && typeof kid !== 'string') return inspectAnswer(400, { error: 'kid: a string is required' });
	try {
		return inspectAnswer(200, { key: emulator.expireWebhookKey(kid) });
	} catch (error) {
		return inspectAnswer(404, { error: error instanceof Error ? error.message : String(error) });
	}
}

/** @typedef {{ method: string, pathname: string, rawBody: string, remoteAddress: string | undefined }} InspectCall */

/**
 * Answers a request to an /__emulator/ path.
 * @param {Inspectable} emulator
 * @param {InspectCall} call
 * @returns {Answer}
 */
function answerInspect(emulator, { method, pathname, rawBody, remoteAddress }) {
	if (!LOOPBACK_PEERS.has(remoteAddress ?? '')) return inspectAnswer(403, { error: 'loopback only' });
	const route = `${method} ${pathname.slice(INSPECT_PREFIX.length)}`;
	if (route === 'GET requests') return inspectAnswer(200, { requests: emulator.requests });
	if (route.startsWith('GET users/')) {
		const userId = decodeURIComponent(route.slice('GET users/'.length));
		return inspectAnswer(200, { user_id: userId, exists: emulator.getUser(userId) !== undefined, item_ids: emulator.itemIdsOf(userId) });
	}
	if (route === 'POST reset') return reset(emulator, parseJson(rawBody));
	if (route === 'POST sign') return sign(emulator, parseJson(rawBody));
	if (route === 'POST users') return addUsers(emulator, parseJson(rawBody));
	if (route === 'GET stats') return stats(emulator);
	if (route === 'GET keys') return keys(emulator);
	if (route === 'POST keys/rotate') {
		const { current, previous } = emulator.rotateWebhookKey();
		return inspectAnswer(200, { current_kid: current, previous_kid: previous });
	}
	if (route === 'POST keys/expire') return expireKey(emulator, parseJson(rawBody));
	if (route === 'GET rate-limits') return inspectAnswer(200, { rate_limits: emulator.rateLimits.describe() });
	if (route === 'POST rate-limits') return setRateLimits(emulator, parseJson(rawBody));
	if (route === 'GET removals') return inspectAnswer(200, { removals: emulator.removals });
	if (route.startsWith('GET removals/')) {
		const itemId = decodeURIComponent(route.slice('GET removals/'.length));
		return inspectAnswer(200, { item_id: itemId, removals: emulator.removalsOf(itemId) });
	}
	if (route === 'GET shapes') return inspectAnswer(200, { shapes: emulator.shapes });
	if (route === 'POST shapes') return setShapes(emulator, parseJson(rawBody));
	if (route === 'GET asset-reports') return inspectAnswer(200, { asset_reports: emulator.describeAssetReports() });
	return inspectAnswer(404, { error: `no inspect route ${route}` });
}

module.exports = { isInspectPath, answerInspect };
