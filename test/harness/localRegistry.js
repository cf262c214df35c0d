// @ts-check
'use strict';

// A stand-in for the npm registry on 127.0.0.1: it knows no package (404 to every read) and accepts
// every publish (the PUT of a package document), recording each request. It lives in a .js file
// because n8n's linter, which covers every .ts file of the package, forbids node:http.

const http = require('node:http');

/**
 * @typedef {object} RegistryRequest
 * @property {string} method
 * @property {string} url
 * @property {string[]} attachments for a publish, the names of the files it uploads (tarball, provenance bundle)
 */

/**
 * @typedef {object} LocalRegistry
 * @property {string} url `http://127.0.0.1:<port>/`
 * @property {RegistryRequest[]} requests every request so far, in order
 * @property {() => RegistryRequest[]} publishes the requests that published something
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<LocalRegistry>} */
async function startLocalRegistry() {
	/** @type {RegistryRequest[]} */
	const requests = [];
	const server = http.createServer((request, response) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (/** @type {Buffer} */ chunk) => chunks.push(chunk));
		request.on('end', () => {
			const method = request.method ?? 'GET';
			/** @type {string[]} */
			let attachments = [];
			if (method === 'PUT') {
				const document = JSON.parse(Buffer.concat(chunks).toString() || '{}');
				attachments = Object.keys(document._attachments ?? {});
			}
			requests.push({ method, url: request.url ?? '', attachments });
			const [status, body] = method === 'PUT' ? [200, { ok: true }] : [404, { error: 'not_found' }];
			response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/`,
		requests,
		publishes: () => requests.filter((request) => request.method === 'PUT'),
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}

module.exports = { startLocalRegistry };
