// @ts-check
/**
 * A small credential-injecting gateway, like the ones regulated teams put in front of Plaid: it
 * checks a bearer token, adds the Plaid keys it holds, and forwards to Plaid (here, the emulator)
 * from under a path prefix. With `injectKeys: false` it is a plain prefixing proxy that passes
 * the caller's keys through. Loopback only.
 */
const http = require('node:http');

/**
 * @typedef {{ method: string, path: string, headers: http.IncomingHttpHeaders, rawBody: string }} GatewayRecord
 * @param {{
 *   upstream: string,
 *   prefix?: string,
 *   token?: string,
 *   injectKeys?: { clientId: string, secret: string } | false,
 * }} options
 */
async function startGateway({ upstream, prefix = '/plaid', token, injectKeys = false }) {
	/** @type {GatewayRecord[]} */
	const requests = [];
	const upstreamUrl = new URL(upstream);

	const server = http.createServer((request, response) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const path = request.url ?? '/';
			requests.push({ method: request.method ?? '', path, headers: { ...request.headers }, rawBody });

			// The gateway's own refusals are not Plaid errors: a different body shape on purpose.
			if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) {
				response.writeHead(401, { 'Content-Type': 'application/json' });
				response.end(JSON.stringify({ message: 'invalid or missing gateway token' }));
				return;
			}
			if (!path.startsWith(`${prefix}/`)) {
				response.writeHead(404, { 'Content-Type': 'text/plain' });
				response.end('no route');
				return;
			}

			/** @type {http.OutgoingHttpHeaders} */
			const headers = {
				'content-type': request.headers['content-type'],
				'plaid-version': request.headers['plaid-version'],
				'content-length': Buffer.byteLength(rawBody),
			};
			if (injectKeys) {
				headers['plaid-client-id'] = injectKeys.clientId;
				headers['plaid-secret'] = injectKeys.secret;
			} else {
				headers['plaid-client-id'] = request.headers['plaid-client-id'];
				headers['plaid-secret'] = request.headers['plaid-secret'];
			}
			const forward = http.request(
				{
					host: upstreamUrl.hostname,
					port: upstreamUrl.port,
					method: request.method,
					path: path.slice(prefix.length),
					headers,
				},
				(upstreamResponse) => {
					response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
					upstreamResponse.pipe(response);
				},
			);
			forward.on('error', () => {
				response.writeHead(502, { 'Content-Type': 'text/plain' });
				response.end('upstream unreachable');
			});
			forward.end(rawBody);
		});
	});

	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${address.port}${prefix}`,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = { startGateway };
