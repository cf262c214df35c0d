#!/usr/bin/env node
// @ts-check
'use strict';

// Runs the emulator in its own process, for benchmarks and end-to-end suites:
//   node test/emulator/cli.js [--port N] [--seed demo] [--latency-ms N] [--jitter 0.2] [--rate-limit N]
//                             [--rate-limits '<json>'] [--client-id ID] [--secret S]
// --rate-limits takes a RateLimitSpec or an array of them (rateLimits.js), e.g.
//   '[{"shape":"token-bucket","ratePerSecond":50,"burst":5,"retryAfter":"seconds"}]'
// Prints one JSON line {"url","clientId","secret"} on stdout once listening, then runs until
// SIGTERM/SIGINT. Everything else goes to stderr.
// It serves the test-only /__emulator/ routes (inspect-routes.js) so a suite in another process can
// read its state, reset it and have it sign webhooks.

const { startEmulator, seedDemo } = require('./index');
const { normaliseSpec } = require('./rateLimits');

const USAGE =
	'usage: node test/emulator/cli.js [--port N] [--seed demo] [--latency-ms N] [--jitter F] [--rate-limit N] [--rate-limits JSON] [--client-id ID] [--secret S]';

/** @param {string} flag @param {string | undefined} value */
function numberArg(flag, value) {
	const number = Number(value);
	if (value === undefined || value.trim() === '' || !Number.isFinite(number) || number < 0) {
		throw new Error(`${flag} needs a non-negative number`);
	}
	return number;
}

/** @param {string} flag @param {string | undefined} value */
function stringArg(flag, value) {
	if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
	return value;
}

/** @param {string} flag @param {string | undefined} value @returns {import('./rateLimits').RateLimitSpec[]} */
function rateLimitsArg(flag, value) {
	const text = stringArg(flag, value);
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		throw new Error(`${flag} needs JSON: ${error instanceof Error ? error.message : String(error)}`);
	}
	const specs = Array.isArray(parsed) ? parsed : [parsed];
	// Checked here, so a typo stops the process with a message instead of at the first request.
	specs.forEach(normaliseSpec);
	return specs;
}

/**
 * @param {string[]} argv
 * @returns {{ options: import('./index').EmulatorOptions, seed?: string }}
 */
function parseArgs(argv) {
	/** @type {import('./index').EmulatorOptions} */
	const options = {};
	/** @type {string | undefined} */
	let seed;
	for (let i = 0; i < argv.length; i += 2) {
		const [flag, value] = [argv[i], argv[i + 1]];
		if (flag === '--port') options.port = numberArg(flag, value);
		else if (flag === '--latency-ms') options.latencyMs = numberArg(flag, value);
		else if (flag === '--jitter') options.jitter = numberArg(flag, value);
		else if (flag === '--rate-limit') options.rateLimitPerSecond = numberArg(flag, value);
		else if (flag === '--rate-limits') options.rateLimits = rateLimitsArg(flag, value);
		else if (flag === '--client-id') options.clientId = stringArg(flag, value);
		else if (flag === '--secret') options.secret = stringArg(flag, value);
		else if (flag === '--seed') seed = stringArg(flag, value);
		else throw new Error(`unknown argument ${flag}`);
	}
	if (seed !== undefined && seed !== 'demo') throw new Error(`unknown seed ${seed} (known: demo)`);
	return { options, seed };
}

async function main() {
	const { options, seed } = parseArgs(process.argv.slice(2));
	const emulator = await startEmulator({ ...options, inspectRoutes: true });
	if (seed === 'demo') seedDemo(emulator);
	process.stdout.write(`${JSON.stringify({ url: emulator.url, clientId: emulator.clientId, secret: emulator.secret })}\n`);
	const stop = () => {
		emulator.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
}

main().catch((error) => {
	process.stderr.write(`plaid emulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
	process.exit(2);
});
