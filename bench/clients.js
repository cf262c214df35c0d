// @ts-check
'use strict';

// The reference clients the node is compared with. Each sends exactly what the node sends for a
// user: one POST /user/items/remove with that user's Item IDs.

const http = require('node:http');

/** @typedef {import('./emulatorProcess').EmulatorEndpoint} EmulatorEndpoint */
/** @typedef {{ userId: string, itemIds: string[] }} BenchUser */

/**
 * Runs `task` over `inputs` with at most `concurrency` running at once; resolves when all settled.
 * @template T
 * @param {T[]} inputs
 * @param {number} concurrency
 * @param {(input: T) => Promise<void>} task
 */
async function runPool(inputs, concurrency, task) {
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) await task(inputs[next++]);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
}

/**
 * Node's `http`. Without `keepAlive`, no connection reuse, like n8n's request helper (it builds a
 * new agent for every request): the floor any n8n node can reach. With it, one
 * `http.Agent({ keepAlive: true })` for the run: what a client that reuses connections can reach.
 * @param {EmulatorEndpoint} emulator
 * @param {{ keepAlive?: boolean }} [options]
 * @returns {(user: BenchUser) => Promise<boolean>} resolves true on HTTP 200
 */
function bareClient(emulator, { keepAlive = false } = {}) {
	const { hostname, port } = new URL(emulator.url);
	const agent = keepAlive ? new http.Agent({ keepAlive: true }) : false;
	return (user) =>
		new Promise((resolve, reject) => {
			const payload = JSON.stringify({ user_id: user.userId, item_ids: user.itemIds });
			const request = http.request(
				{
					hostname,
					port,
					path: '/user/items/remove',
					method: 'POST',
					agent,
					headers: {
						'Content-Type': 'application/json',
						'Content-Length': Buffer.byteLength(payload),
						'PLAID-CLIENT-ID': emulator.clientId,
						'PLAID-SECRET': emulator.secret,
						'Plaid-Version': '2020-09-14',
					},
				},
				(response) => {
					/** @type {Buffer[]} */
					const chunks = [];
					response.on('data', (chunk) => chunks.push(chunk));
					response.on('end', () => {
						JSON.parse(Buffer.concat(chunks).toString('utf8'));
						resolve(response.statusCode === 200);
					});
				},
			);
			request.on('error', reject);
			request.end(payload);
		});
}

/**
 * The official `plaid` SDK, as a Code node would use it: one client, one call per user.
 * @param {EmulatorEndpoint} emulator
 * @returns {(user: BenchUser) => Promise<boolean>}
 */
function sdkClient(emulator) {
	// Loaded only here: the SDK is large, and the bare client's memory should not include it.
	const { Configuration, PlaidApi } = require('plaid');
	const client = new PlaidApi(
		new Configuration({
			basePath: emulator.url,
			baseOptions: { headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret } },
		}),
	);
	return async (user) => {
		try {
			const response = await client.userItemsRemove({ user_id: user.userId, item_ids: user.itemIds });
			return response.status === 200;
		} catch {
			return false;
		}
	};
}

module.exports = { bareClient, runPool, sdkClient };
