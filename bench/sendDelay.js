// @ts-check
'use strict';

// How long a request takes from the moment the pacer lets it go to the moment the emulator has its
// body: n8n's request stack (expressions, the credential's authenticate, axios) on a busy event
// loop. A limit that allows no burst refuses a request that arrives a few milliseconds early, so
// the spread of this delay bounds how close any client-side pacing can come to such a limit
// (BENCHMARKS.md, "What no pacer can reach"). The CRM recipe's 300 executions at once in one
// process, under a token bucket of 10/s with a burst of 1, so every request is paced.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { inspect, startEmulatorProcess } = require('./emulatorProcess');
const { fixed, formatTable } = require('./report');
const { CONCURRENCY, ITEMS_PER_USER, LATENCY_MS } = require('./rateScenarios');
const { spawnScenario } = require('./scenarioProcess');

/** Requests at the start, before the pacer has found the rate, are left out (several go at once). */
const SKIPPED = 20;

/** @param {number[]} sorted @param {number} share */
const quantile = (sorted, share) => sorted[Math.min(sorted.length - 1, Math.floor(share * (sorted.length - 1)))];

/** @param {number} scale @param {Record<string, unknown>} report */
async function sendDelaySection(scale, report) {
	const users = Math.max(30, Math.round(300 * scale));
	const emulator = await startEmulatorProcess({ latencyMs: LATENCY_MS, jitter: 0.2 });
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'send-delay-')), 'released.json');
	process.stderr.write('send delay: pacer → emulator, the CRM recipe under a token bucket of 10/s, burst 1\n');
	try {
		const endpoint = { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret };
		process.env.SEND_DELAY_FILE = file;
		const run = spawnScenario(
			{ client: 'node', users, itemsPerUser: ITEMS_PER_USER, concurrency: CONCURRENCY, executions: 'per-user', workflow: 'recipe', warmUp: true, prefix: 'sd', emulator: endpoint },
			{ waitForGo: true, nodeFlags: ['-r', path.join(__dirname, 'sendDelayHook.js')] },
		);
		await run.ready;
		const { requests: warmUp } = /** @type {{ requests: unknown[] }} */ (await inspect(emulator.url, 'GET', 'requests'));
		await inspect(emulator.url, 'POST', 'rate-limits', { rateLimits: [{ shape: 'token-bucket', ratePerSecond: 10, burst: 1, retryAfter: 'none' }] });
		run.go();
		await run.result;
		const { requests } = /** @type {{ requests: Array<{ receivedAt: number }> }} */ (await inspect(emulator.url, 'GET', 'requests'));
		const released = /** @type {number[]} */ (JSON.parse(fs.readFileSync(file, 'utf8')));
		const arrived = requests.map((request) => request.receivedAt);
		// Paced requests go one at a time, 100 ms apart: the k-th released is the k-th received.
		if (released.length !== arrived.length) throw new Error(`send delay: ${released.length} released, ${arrived.length} received`);
		const delays = released
			.slice(warmUp.length + SKIPPED)
			.map((at, k) => arrived[warmUp.length + SKIPPED + k] - at)
			.sort((a, b) => a - b);
		const row = [0, 0.05, 0.5, 0.95, 0.99, 1].map((share) => fixed(quantile(delays, share), 1));
		console.log(
			`\nSend delay: pacer → emulator (ms; the emulator's clock has whole milliseconds), ${delays.length} requests\n${formatTable([['min', 'p5', 'p50', 'p95', 'p99', 'max'], row])}`,
		);
		// Every percentile, for the simulation to draw from (bound.js).
		report.sendDelay = { requests: delays.length, percentilesMs: Array.from({ length: 101 }, (_, p) => quantile(delays, p / 100)) };
	} finally {
		delete process.env.SEND_DELAY_FILE;
		await emulator.stop();
	}
}

module.exports = { sendDelaySection };
