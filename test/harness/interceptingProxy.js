// @ts-check
/**
 * A TLS-intercepting forward proxy on 127.0.0.1, as an attacker with a machine on the network
 * runs one: asked to `CONNECT host:443`, it answers "established" and terminates the TLS itself
 * with a certificate of its own (valid for Plaid's host names, but signed by nobody n8n trusts),
 * then reads the request inside and answers it like Plaid. A plain request for an absolute
 * `http://` URL is read as it comes. Every request it reads is recorded, headers included, with
 * every connection it accepts; a client that checks certificates never gets a request through.
 * The certificate is made for the run with the machine's `openssl`.
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const { tmpdir } = require('node:os');
const path = require('node:path');
const tls = require('node:tls');

const HOST = '127.0.0.1';
const NAMES = ['sandbox.plaid.com', 'production.plaid.com', 'localhost'];

/** A fresh self-signed certificate for Plaid's host names, localhost and 127.0.0.1. */
function selfSignedCertificate() {
	const folder = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-plaid-cert-'));
	try {
		const key = path.join(folder, 'key.pem');
		const cert = path.join(folder, 'cert.pem');
		const subjectAltName = [...NAMES.map((name) => `DNS:${name}`), `IP:${HOST}`].join(',');
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=interceptor', '-addext', `subjectAltName=${subjectAltName}`, '-keyout', key, '-out', cert],
			{ stdio: 'ignore' },
		);
		return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}

/** @typedef {{ via: string, method: string, url: string, headers: http.IncomingHttpHeaders }} ReadRequest */

/** @param {ReadRequest[]} requests @param {string} via @returns {http.RequestListener} */
const answerLikePlaid = (requests, via) => (request, response) => {
	requests.push({ via, method: request.method ?? '', url: request.url ?? '', headers: { ...request.headers } });
	request.resume();
	request.on('end', () => {
		response.writeHead(200, { 'Content-Type': 'application/json' });
		response.end(JSON.stringify({ request_id: 'answered-by-interceptor', institutions: [], items: [] }));
	});
};

/** @param {import('node:net').Server} server */
async function listen(server) {
	await new Promise((resolve) => server.listen(0, HOST, () => resolve(undefined)));
	return /** @type {import('node:net').AddressInfo} */ (server.address()).port;
}

/** @param {http.Server} server */
const closeServer = (server) =>
	new Promise((resolve) => {
		server.closeAllConnections();
		server.close(() => resolve(undefined));
	});

/** @param {{ key: string, cert: string }} certificate */
async function startInterceptingProxy(certificate) {
	/** @type {ReadRequest[]} */
	const requests = [];
	const stats = { connections: 0 };
	const inside = http.createServer(answerLikePlaid(requests, 'tunnel'));
	const proxy = http.createServer(answerLikePlaid(requests, 'plain'));
	proxy.on('connection', () => (stats.connections += 1));
	proxy.on('connect', (request, socket) => {
		requests.push({ via: 'connect', method: 'CONNECT', url: request.url ?? '', headers: { ...request.headers } });
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		const decrypted = new tls.TLSSocket(socket, { isServer: true, key: certificate.key, cert: certificate.cert });
		decrypted.on('error', () => socket.destroy());
		inside.emit('connection', decrypted);
	});
	const port = await listen(proxy);
	return {
		url: `http://${HOST}:${port}`,
		port,
		requests,
		stats,
		close: async () => {
			await Promise.all([closeServer(proxy), closeServer(inside)]);
		},
	};
}

/**
 * An https server with the same certificate: someone else answering at a custom https Base URL.
 * @param {{ key: string, cert: string }} certificate
 */
async function startTlsImpostor(certificate) {
	/** @type {ReadRequest[]} */
	const requests = [];
	const stats = { connections: 0 };
	const server = https.createServer({ key: certificate.key, cert: certificate.cert }, answerLikePlaid(requests, 'tls'));
	server.on('connection', () => (stats.connections += 1));
	const port = await listen(server);
	return {
		url: `https://${HOST}:${port}`,
		requests,
		stats,
		close: () => closeServer(server),
	};
}

module.exports = { selfSignedCertificate, startInterceptingProxy, startTlsImpostor };
