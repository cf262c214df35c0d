// @ts-check
'use strict';

// An HTTP server on 127.0.0.1 that takes the emulator's webhook deliveries and records them. It lives
// in a .js file because n8n's linter, which covers every .ts file of the package, forbids node:http.

const http = require('node:http');

/**
 * @typedef {object} ReceivedCall
 * @property {http.IncomingHttpHeaders} headers
 * @property {string} body the raw body, as received
 */

/**
 * @typedef {object} WebhookReceiver
 * @property {string} url `http://127.0.0.1:<port>`
 * @property {ReceivedCall[]} received every request so far, in order
 * @property {() => Promise<void>} close
 */

/**
 * Starts a receiver that answers every request 200 `{"ok":true}`.
 * @returns {Promise<WebhookReceiver>}
 */
async function startWebhookReceiver() {
	/** @type {ReceivedCall[]} */
	const received = [];
	const server = http.createServer((request, response) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
			response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

module.exports = { startWebhookReceiver };
