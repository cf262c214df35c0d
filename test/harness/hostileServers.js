// @ts-check
/**
 * Servers on 127.0.0.1 that answer the way a misconfigured or hostile host in front of Plaid can,
 * for the tests that prove the Plaid keys go nowhere but the credential's own URL:
 * - startRecorder: records whatever reaches it and answers like Plaid (200, a request_id), so a
 *   request that should never arrive there would be taken as Plaid's answer. It also records the
 *   absolute URLs a forward proxy is asked for, so it stands in for HTTP_PROXY too.
 * - startRedirector: answers every call with a redirect, its status and Location set per test.
 * - startEchoServer: writes the request's headers back into its answer (a Plaid-shaped error, a
 *   2xx body or an HTML page), as debugging gateways and some error pages do, or its body (the
 *   call's own tokens among it) into a Plaid-shaped error.
 */
const crypto = require('node:crypto');
const http = require('node:http');

const HOST = '127.0.0.1';

/** @typedef {{ method: string, url: string, headers: http.IncomingHttpHeaders, rawBody: string }} ReceivedRequest */
/** @typedef {(request: ReceivedRequest) => { status: number, headers?: http.OutgoingHttpHeaders, body?: string }} Answerer */

/**
 * An HTTP server on a free loopback port that records each request and answers with `answer`.
 * @param {Answerer} answer
 */
async function startRecordingServer(answer) {
	/** @type {ReceivedRequest[]} */
	const requests = [];
	/** Every TCP connection accepted, requests or not: what a refused request must not open. */
	const stats = { connections: 0 };
	const server = http.createServer((request, response) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const received = {
				method: request.method ?? '',
				url: request.url ?? '/',
				headers: { ...request.headers },
				rawBody: Buffer.concat(chunks).toString('utf8'),
			};
			requests.push(received);
			const { status, headers = {}, body = '' } = answer(received);
			response.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
			response.end(body);
		});
	});
	// A proxy is asked to CONNECT for an https URL: recorded, then refused (no tunnel is opened).
	server.on('connect', (request, socket) => {
		requests.push({ method: 'CONNECT', url: request.url ?? '', headers: { ...request.headers }, rawBody: '' });
		socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
	});
	server.on('connection', () => (stats.connections += 1));
	await new Promise((resolve) => server.listen(0, HOST, () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		port,
		url: `http://${HOST}:${port}`,
		requests,
		stats,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

/** @param {number} status @param {unknown} payload */
const json = (status, payload) => ({ status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });

/**
 * Where requests must never arrive: records them and answers 200 with a body that reads as a
 * Plaid success to every operation and to the credential test.
 */
async function startRecorder() {
	return await startRecordingServer(() =>
		json(200, { request_id: 'answered-by-recorder', institutions: [], items: [], item_ids: [], user_id: 'usr_recorder' }),
	);
}

/**
 * Answers every request with `status` and a Location; `location` may depend on the request (a
 * redirect that embeds what it received, for instance).
 */
async function startRedirector() {
	/** @type {{ status: number, location: string | ((request: ReceivedRequest) => string) }} */
	const setting = { status: 302, location: '/' };
	const server = await startRecordingServer((request) => {
		const location = typeof setting.location === 'function' ? setting.location(request) : setting.location;
		return { status: setting.status, headers: { Location: location, 'Content-Type': 'text/html' }, body: `<a href="${location}">moved</a>` };
	});
	return {
		...server,
		/** @param {number} status @param {string | ((request: ReceivedRequest) => string)} location */
		redirect(status, location) {
			setting.status = status;
			setting.location = location;
			server.requests.length = 0;
		},
	};
}

/** @typedef {'plaidError' | 'success' | 'html' | 'html200' | 'bodyError'} EchoMode */

/**
 * The request's body in every text field of a Plaid error, as a server that quotes the request
 * it refuses does. Sandbox → Create Test Item's first call is answered with a public token, so
 * that its second call (the exchange) carries one to echo.
 * @param {ReceivedRequest} request
 */
function bodyEchoAnswer(request) {
	if (request.url.endsWith('/sandbox/public_token/create')) {
		return json(200, { public_token: `public-sandbox-${crypto.randomUUID()}`, request_id: 'echo-public-token' });
	}
	return echoedPlaidError('body was', request.rawBody, { echoed_body: JSON.parse(request.rawBody || 'null') });
}

/**
 * A Plaid error with `echoed` in every text field, as a server that quotes what it refuses.
 * @param {string} what how the message names it @param {string} echoed @param {Record<string, unknown>} extra
 */
function echoedPlaidError(what, echoed, extra) {
	return json(400, {
		error_type: 'INVALID_REQUEST',
		error_code: 'INVALID_FIELD',
		error_message: `request ${what} ${echoed}`,
		display_message: echoed,
		request_id: `echo ${echoed}`,
		error_code_reason: echoed,
		suggested_action: echoed,
		documentation_url: `https://plaid.com/docs/errors/?q=${encodeURIComponent(echoed)}#${echoed}`,
		...extra,
	});
}

/**
 * The request's headers as text, in the places a node might pass on: a Plaid error's message
 * fields, a success body's request_id and ID fields and object keys, or an HTML page.
 * @param {EchoMode} mode @param {ReceivedRequest} request
 */
function echoAnswer(mode, request) {
	if (mode === 'bodyError') return bodyEchoAnswer(request);
	const echoed = JSON.stringify(request.headers);
	const headerValues = Object.values(request.headers).map(String);
	if (mode === 'plaidError') return echoedPlaidError('headers were', echoed, { echoed_headers: request.headers });
	if (mode === 'success') {
		const item = { item_id: echoed, institution_id: echoed, webhook: echoed, error: null, products: [echoed] };
		return json(200, {
			request_id: `echo ${echoed}`,
			echoed_headers: request.headers,
			...Object.fromEntries(headerValues.map((value) => [value, 'a header value as a key'])),
			item_ids: headerValues,
			items: [item],
			item,
			user_id: echoed,
			removed: echoed,
			public_token: echoed,
			access_token: echoed,
			item_id: echoed,
			key: { kid: echoed, alg: echoed },
		});
	}
	const page = `<html><body><h1>Bad gateway</h1><pre>${echoed}</pre></body></html>`;
	return { status: mode === 'html' ? 502 : 200, headers: { 'Content-Type': 'text/html' }, body: page };
}

/** Echoes each request's headers back in the way `mode` says (settable per test). */
async function startEchoServer() {
	/** @type {{ mode: EchoMode }} */
	const setting = { mode: 'plaidError' };
	const server = await startRecordingServer((request) => echoAnswer(setting.mode, request));
	return {
		...server,
		/** @param {EchoMode} mode */
		echo(mode) {
			setting.mode = mode;
			server.requests.length = 0;
		},
	};
}

module.exports = { startRecorder, startRedirector, startEchoServer };
