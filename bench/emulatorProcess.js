// @ts-check
'use strict';

// The Plaid emulator in its own process (test/emulator/cli.js), so its work does not share a CPU
// budget with what is being measured, and a client for its test-only /__emulator/ routes.

const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');

const CLI = path.resolve(__dirname, '..', 'test', 'emulator', 'cli.js');

/**
 * @typedef {object} EmulatorEndpoint
 * @property {string} url
 * @property {string} clientId
 * @property {string} secret
 */

/**
 * Calls an /__emulator/ route of an emulator running elsewhere.
 * @param {string} url the emulator's base URL
 * @param {'GET' | 'POST'} method
 * @param {string} route e.g. 'users', 'stats', 'reset'
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
async function inspect(url, method, route, body) {
	const response = await fetch(`${url}/__emulator/${route}`, {
		method,
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const answer = await response.json();
	if (!response.ok) throw new Error(`emulator ${method} ${route}: HTTP ${response.status} ${JSON.stringify(answer)}`);
	return answer;
}

/**
 * @typedef {object} EmulatorSettings
 * @property {number} latencyMs
 * @property {number} jitter
 * @property {number} [rateLimitPerSecond]
 * @property {import('../test/emulator/rateLimits').RateLimitSpec[]} [rateLimits]
 */

/**
 * Starts `node test/emulator/cli.js` with these flags and waits for its JSON line.
 * @param {EmulatorSettings} settings
 * @returns {Promise<EmulatorEndpoint & { settings: EmulatorSettings, stop: () => Promise<void> }>}
 */
function startEmulatorProcess(settings) {
	const args = [CLI, '--quiet', '--latency-ms', String(settings.latencyMs), '--jitter', String(settings.jitter)];
	if (settings.rateLimitPerSecond !== undefined) args.push('--rate-limit', String(settings.rateLimitPerSecond));
	if (settings.rateLimits !== undefined) args.push('--rate-limits', JSON.stringify(settings.rateLimits));
	const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
	const exited = new Promise((resolve) => child.once('exit', resolve));
	const stop = async () => {
		if (child.exitCode === null) child.kill('SIGTERM');
		await exited;
	};
	return new Promise((resolve, reject) => {
		child.once('exit', (code) => reject(new Error(`emulator exited early (code ${code})`)));
		readline.createInterface({ input: /** @type {NodeJS.ReadableStream} */ (child.stdout) }).once('line', (line) => {
			const endpoint = /** @type {EmulatorEndpoint} */ (JSON.parse(line));
			resolve({ ...endpoint, settings, stop });
		});
	});
}

module.exports = { inspect, startEmulatorProcess };
