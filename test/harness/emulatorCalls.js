// @ts-check
'use strict';

// Calling the emulator over HTTP the way a Plaid client does, for the emulator's tests: the keys in
// headers, JSON in and out, and one expectation for Plaid's error bodies. A .js file so that answers
// can be typed `any` (tests read into them freely), which the linter forbids in .ts files.

/** @typedef {import('../emulator').PlaidEmulator} PlaidEmulator */
/** @typedef {{ status: number, body: any }} PlaidAnswer */

/**
 * POSTs `body` to `path` with the emulator's keys (and any extra headers).
 * @param {PlaidEmulator} emulator @param {string} path @param {Record<string, unknown>} body
 * @param {Record<string, string>} [headers] @returns {Promise<PlaidAnswer>}
 */
async function plaidCall(emulator, path, body, headers = {}) {
	const response = await fetch(`${emulator.url}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret, ...headers },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: await response.json() };
}

/**
 * A Plaid error body with this type and code (and HTTP status), with a request_id of its own.
 * @param {PlaidAnswer} answer @param {string} type @param {string} code @param {number} [status]
 */
function expectPlaidError(answer, type, code, status = 400) {
	expect([answer.status, answer.body.error_type, answer.body.error_code]).toEqual([status, type, code]);
	expect(answer.body.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
}

/**
 * Calls a test-only /__emulator/ route; `Body` types its answer where a test names it.
 * @template [Body=any]
 * @param {PlaidEmulator} emulator @param {'GET' | 'POST'} method @param {string} route @param {unknown} [body]
 * @returns {Promise<{ status: number, body: Body }>}
 */
async function inspectRoute(emulator, method, route, body) {
	const response = await fetch(`${emulator.url}/__emulator/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: response.status, body: /** @type {Body} */ (await response.json()) };
}

module.exports = { plaidCall, expectPlaidError, inspectRoute };
