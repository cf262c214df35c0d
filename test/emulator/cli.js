#!/usr/bin/env node
// @ts-check
'use strict';

// Runs the emulator in its own process, for trying the node in n8n without Plaid, for benchmarks and
// for end-to-end suites. `node test/emulator/cli.js --help` lists every flag. Once listening it prints
// one JSON line {"url","clientId","secret"} on stdout (suites parse it) and, for people, where it
// listens, the keys and the demo data on stderr; then it runs until SIGTERM/SIGINT.
// It serves the test-only /__emulator/ routes (inspect-routes.js) so a suite in another process can
// read its state, reset it, switch shapes and have it sign webhooks.

const { startEmulator, seedDemo } = require('./index');
const { normaliseSpec } = require('./rateLimits');
const { SHAPE_SPECS, SHAPE_NAMES, parseShapeFlag, shapeHelpLines } = require('./shapes');
const { DEMO_ASSET_REPORT } = require('./seed');

const USAGE = [
	'usage: node test/emulator/cli.js [flags]',
	'',
	'A Plaid API emulator on 127.0.0.1 (it lives in this repository, not in the installed package).',
	'Prints {"url","clientId","secret"} as one JSON line on stdout, details on stderr, and runs until Ctrl+C.',
	'',
	'  --help, -h                 this text',
	'  --port N                   listen on port N (default: a free port)',
	'  --seed demo                add the demo users usr_demo_alice and usr_demo_bob with their Items',
	'  --client-id ID             the client ID it accepts (default: emulator-client-id)',
	'  --secret S                 the secret it accepts (default: a random one, printed)',
	'  --environment ENV          sandbox (default) or production: the environment it plays and puts in its tokens',
	'  --latency-ms N             delay every answer by N ms',
	'  --jitter F                 vary that delay by ±F (0.2 = ±20%)',
	'  --rate-limit N             at most N requests a second, then 429',
	"  --rate-limits JSON         rate limits of any shape, e.g. '[{\"shape\":\"token-bucket\",\"ratePerSecond\":50,\"burst\":5}]'",
	'  --quiet                    print nothing on stderr but errors',
	'',
	'Shapes: where Plaid does not document an answer, choose one (see docs/emulator.md):',
	...shapeHelpLines(),
].join('\n');

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

/** @param {import('./shapes').ShapeName} shape @param {string} flag @param {string | undefined} value */
function shapeArg(shape, flag, value) {
	try {
		return parseShapeFlag(shape, stringArg(flag, value));
	} catch (error) {
		throw new Error(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
	}
}

/** @type {Readonly<Record<string, (options: import('./index').EmulatorOptions, value: string | undefined, flag: string) => void>>} */
const VALUE_FLAGS = {
	'--port': (options, value, flag) => (options.port = numberArg(flag, value)),
	'--latency-ms': (options, value, flag) => (options.latencyMs = numberArg(flag, value)),
	'--jitter': (options, value, flag) => (options.jitter = numberArg(flag, value)),
	'--rate-limit': (options, value, flag) => (options.rateLimitPerSecond = numberArg(flag, value)),
	'--rate-limits': (options, value, flag) => (options.rateLimits = rateLimitsArg(flag, value)),
	'--client-id': (options, value, flag) => (options.clientId = stringArg(flag, value)),
	'--secret': (options, value, flag) => (options.secret = stringArg(flag, value)),
	'--environment': (options, value, flag) => {
		const environment = stringArg(flag, value);
		if (environment !== 'sandbox' && environment !== 'production') throw new Error(`${flag} must be sandbox or production`);
		options.environment = environment;
	},
};

const SHAPE_BY_FLAG = new Map(SHAPE_NAMES.map((name) => [SHAPE_SPECS[name].flag, name]));

/**
 * @param {string[]} argv
 * @returns {{ help: boolean, quiet: boolean, options: import('./index').EmulatorOptions, seed?: string }}
 */
function parseArgs(argv) {
	/** @type {Record<string, unknown>} */
	const options = {};
	let [help, quiet] = [false, false];
	/** @type {string | undefined} */
	let seed;
	for (let i = 0; i < argv.length; i++) {
		const [flag, next] = [argv[i], argv[i + 1]];
		const shape = SHAPE_BY_FLAG.get(flag);
		if (flag === '--help' || flag === '-h') help = true;
		else if (flag === '--quiet') quiet = true;
		// A true-or-false shape may stand alone: `--legacy-users-migrated` is `--legacy-users-migrated true`.
		else if (shape && typeof SHAPE_SPECS[shape].default === 'boolean' && next !== 'true' && next !== 'false') options[shape] = true;
		else {
			i += 1;
			if (flag === '--seed') seed = stringArg(flag, next);
			else if (Object.hasOwn(VALUE_FLAGS, flag)) VALUE_FLAGS[flag](options, next, flag);
			else if (shape) options[shape] = shapeArg(shape, flag, next);
			else throw new Error(`unknown argument ${flag}`);
		}
	}
	if (seed !== undefined && seed !== 'demo') throw new Error(`unknown seed ${seed} (known: demo)`);
	return { help, quiet, options, seed };
}

/** What a person reads on stderr once it listens. @param {import('./index').PlaidEmulator} emulator @param {boolean} seeded */
function describe(emulator, seeded) {
	const changed = SHAPE_NAMES.filter((name) => emulator.shapes[name] !== SHAPE_SPECS[name].default);
	const lines = [
		`Plaid emulator (${emulator.environment}) listening on ${emulator.url}`,
		`  Client ID: ${emulator.clientId}`,
		`  Secret:    ${emulator.secret}`,
		`In n8n, create a "Plaid API" credential: Environment = Custom URL, Base URL = ${emulator.url}, and this Client ID and Secret.`,
	];
	if (changed.length > 0) lines.push(`Shapes: ${changed.map((name) => `${name}=${emulator.shapes[name]}`).join(', ')}`);
	if (seeded) {
		lines.push('Demo users (user_id, then each Item: item_id  access_token  bank):');
		for (const userId of ['usr_demo_alice', 'usr_demo_bob']) {
			lines.push(`  ${userId}`);
			for (const item of emulator.getUser(userId)?.items.values() ?? []) lines.push(`    ${item.item_id}  ${item.access_token}  ${item.institution_name}`);
		}
		lines.push(`  usr_demo_alice's Asset Report: ${DEMO_ASSET_REPORT.asset_report_token}, Audit Copy: ${DEMO_ASSET_REPORT.audit_copy_token}`);
	}
	lines.push('Stop it with Ctrl+C. Usage: --help.');
	return `${lines.join('\n')}\n`;
}

async function main() {
	const { help, quiet, options, seed } = parseArgs(process.argv.slice(2));
	if (help) {
		process.stdout.write(`${USAGE}\n`);
		return;
	}
	const emulator = await startEmulator({ ...options, inspectRoutes: true });
	if (seed === 'demo') seedDemo(emulator);
	const stop = () => {
		emulator.close().then(() => process.exit(0));
	};
	// Before the address is printed: whoever reads it may stop the emulator at once.
	process.once('SIGTERM', stop);
	process.once('SIGINT', stop);
	process.stdout.write(`${JSON.stringify({ url: emulator.url, clientId: emulator.clientId, secret: emulator.secret })}\n`);
	if (!quiet) process.stderr.write(describe(emulator, seed === 'demo'));
}

main().catch((error) => {
	process.stderr.write(`plaid emulator: ${error instanceof Error ? error.message : String(error)}\nRun it with --help for the usage.\n`);
	process.exit(2);
});
