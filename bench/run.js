#!/usr/bin/env node
// @ts-check
'use strict';

// `npm run bench`: bulk offboarding through the Plaid node in n8n's engine, against the emulator
// in its own process, compared with a bare HTTP client and the official SDK. See BENCHMARKS.md.
//   node bench/run.js [--quick] [--scale F] [--json FILE]
// --quick (or BENCH_SCALE=0.1) runs a tenth of the users, for a smoke run of the whole harness.

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startEmulatorProcess, inspect } = require('./emulatorProcess');
const { analyseProfile, topEntries } = require('./profile');
const { comparisonTable, fixed } = require('./report');

const ITEMS_PER_USER = 3;
const CLIENTS = /** @type {const} */ (['node', 'bare', 'sdk']);
const PROFILE_DIR = path.join(__dirname, 'profiles');
const CAPPED_HEAP_MB = 96;

/** @typedef {import('./report').Measured} Measured */
/** @typedef {import('./report').ScenarioResult} ScenarioResult */
/** @typedef {Awaited<ReturnType<typeof startEmulatorProcess>>} EmulatorProcess */

function parseArgs(argv = process.argv.slice(2)) {
	let scale = Number(process.env.BENCH_SCALE ?? 1);
	/** @type {string | undefined} */
	let jsonFile;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--quick') scale = 0.1;
		else if (argv[i] === '--scale') scale = Number(argv[++i]);
		else if (argv[i] === '--json') jsonFile = argv[++i];
		else throw new Error(`unknown argument ${argv[i]} (usage: node bench/run.js [--quick] [--scale F] [--json FILE])`);
	}
	if (!(scale > 0)) throw new Error('--scale needs a positive number');
	return { scale, jsonFile };
}

let scenarioCount = 0;

/**
 * Runs one scenario in a fresh process against a freshly reset emulator.
 * @param {EmulatorProcess} emulator
 * @param {{ client: 'node' | 'bare' | 'sdk', users: number, concurrency: number }} spec
 * @param {{ profile?: boolean, nodeFlags?: string[] }} [options]
 * @returns {Promise<Measured & { profileFile?: string }>}
 */
async function runScenario(emulator, spec, options = {}) {
	await inspect(emulator.url, 'POST', 'reset', {});
	const prefix = `b${++scenarioCount}`;
	const config = { ...spec, itemsPerUser: ITEMS_PER_USER, prefix, emulator: { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret } };
	const profileName = `${prefix}-${spec.client}-c${spec.concurrency}.cpuprofile`;
	const nodeFlags = [...(options.nodeFlags ?? []), ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', profileName] : [])];
	const stdout = await new Promise((resolve, reject) => {
		execFile(
			process.execPath,
			[...nodeFlags, path.join(__dirname, 'scenario.js'), JSON.stringify(config)],
			{ maxBuffer: 16 * 1024 * 1024 },
			(error, out, err) => (error ? reject(new Error(`${spec.client} scenario failed: ${err || error.message}`)) : resolve(out)),
		);
	});
	const result = /** @type {ScenarioResult} */ (JSON.parse(String(stdout).trim().split('\n').pop() ?? '{}'));
	const label = `${spec.client} · ${spec.users} users · concurrency ${spec.concurrency}`;
	process.stderr.write(`  ${label}: ${fixed(result.wallMs / 1000, 2)} s, ${result.failedUsers} failed\n`);
	return { ...spec, result, ...(options.profile ? { profileFile: path.join(PROFILE_DIR, profileName) } : {}) };
}

/** @param {EmulatorProcess} emulator @param {Array<[number, number]>} runs [users, concurrency] */
async function compareClients(emulator, runs) {
	/** @type {Measured[]} */
	const measured = [];
	for (const [users, concurrency] of runs) {
		for (const client of CLIENTS) measured.push(await runScenario(emulator, { client, users, concurrency }));
	}
	return measured;
}

/** @param {Measured & { profileFile?: string }} profiled */
function printProfile(profiled) {
	const { byCategory, ourFunctions, underOurCall } = analyseProfile(/** @type {string} */ (profiled.profileFile), profiled.result.windowUs);
	const users = profiled.users;
	const total = Object.values(byCategory).reduce((sum, ms) => sum + ms, 0);
	console.log(`\nCPU profile of the node at 20 ms (${users} users, concurrency ${profiled.concurrency}): ${fixed(total / users, 2)} ms/item sampled`);
	for (const { name, msPerItem } of topEntries(byCategory, users, 10)) console.log(`  ${fixed(msPerItem, 3).padStart(7)} ms/item  ${name}`);
	console.log('  this package, by function (self time):');
	for (const { name, msPerItem } of topEntries(ourFunctions, users, 8)) console.log(`  ${fixed(msPerItem, 3).padStart(7)} ms/item  ${name}`);
	console.log("  time outside this package, by the package's function it ran under:");
	for (const { name, msPerItem } of topEntries(underOurCall, users, 8)) console.log(`  ${fixed(msPerItem, 3).padStart(7)} ms/item  ${name}`);
	console.log(`  profile: ${path.relative(process.cwd(), /** @type {string} */ (profiled.profileFile))}`);
	return { byCategory, ourFunctions, underOurCall };
}

/** @param {Measured} memory @param {Measured} capped the same run with a capped V8 heap */
function printMemory(memory, capped) {
	const mb = (/** @type {number | undefined} */ value) => `${fixed(value ?? NaN, 0)} MB`;
	const { result } = memory;
	console.log(
		`\nMemory, ${memory.users} items at concurrency ${memory.concurrency}: before the run ${mb(result.rssBeforeMb)} RSS ` +
			`(n8n-core loaded, input in memory), heap ${mb(result.heapBeforeMb)}; after it, with n8n holding the run data, ` +
			`heap ${mb(result.heldHeapMb)} after GC. Peak RSS ${mb(result.peakRssMb)} with V8's default heap sizing, ` +
			`${mb(capped.result.peakRssMb)} with --max-old-space-size=${CAPPED_HEAP_MB} ` +
			`(${fixed(capped.result.wallMs / 1000, 1)} s vs ${fixed(result.wallMs / 1000, 1)} s, ${capped.result.failedUsers} failed).`,
	);
}

/** @param {number} scale */
async function main(scale) {
	const users = (/** @type {number} */ count) => Math.max(10, Math.round(count * scale));
	const report = /** @type {Record<string, unknown>} */ ({ scale, machine: machine() });
	console.log(`Machine: ${JSON.stringify(report.machine)}\n`);

	const at150 = await startEmulatorProcess({ latencyMs: 150, jitter: 0.2 });
	process.stderr.write('150 ms ± 20 % latency\n');
	const slow = await compareClients(at150, [[users(100), 1], [users(1000), 5], [users(1000), 10], [users(1000), 20]]);
	await at150.stop();
	console.log(`150 ms ± 20 % latency, ${ITEMS_PER_USER} Items per user, one /user/items/remove per user\n${comparisonTable(slow)}`);

	const at20 = await startEmulatorProcess({ latencyMs: 20, jitter: 0.2 });
	process.stderr.write('20 ms ± 20 % latency\n');
	const fast = await compareClients(at20, [[users(1000), 10]]);
	const memory = await runScenario(at20, { client: 'node', users: users(10000), concurrency: 10 }, { nodeFlags: ['--expose-gc'] });
	// The same run with V8 asked to keep its heap small: how much of the peak was unreclaimed garbage.
	const memoryCapped = await runScenario(at20, { client: 'node', users: users(10000), concurrency: 10 }, { nodeFlags: ['--expose-gc', `--max-old-space-size=${CAPPED_HEAP_MB}`] });
	fs.mkdirSync(PROFILE_DIR, { recursive: true });
	const profiled = await runScenario(at20, { client: 'node', users: users(1000), concurrency: 10 }, { profile: true });
	await at20.stop();
	console.log(`\n20 ms ± 20 % latency (per-item CPU dominates)\n${comparisonTable([...fast, memory])}`);
	printMemory(memory, memoryCapped);
	const profile = printProfile(profiled);

	const allowed = 50;
	const limited = await startEmulatorProcess({ latencyMs: 150, jitter: 0.2, rateLimitPerSecond: allowed });
	process.stderr.write(`rate limit ${allowed}/s\n`);
	const rated = await runScenario(limited, { client: 'node', users: users(1000), concurrency: 20 });
	await limited.stop();
	const achieved = (rated.users - rated.result.failedUsers) / (rated.result.wallMs / 1000);
	console.log(
		`\nRate limit ${allowed} requests/s (429 past it), ${rated.users} users at concurrency ${rated.concurrency}: ` +
			`${fixed(achieved, 1)} users/s achieved = ${fixed(achieved / allowed, 2)} of the allowed rate, ` +
			`${rated.result.failedUsers} failed users, ${rated.result.rateLimited} answers were 429, ${rated.result.requests} requests in all`,
	);

	Object.assign(report, { slow, fast, memory, memoryCapped, profiled, profile, rated: { ...rated, allowed, achieved } });
	printTargets(slow, memoryCapped, rated, achieved / allowed);
	return report;
}

/**
 * @param {Measured[]} slow @param {Measured} memory @param {Measured} rated @param {number} rateShare
 */
function printTargets(slow, memory, rated, rateShare) {
	const at10 = (/** @type {string} */ client) => slow.find((entry) => entry.client === client && entry.concurrency === 10);
	const node = at10('node');
	const bare = at10('bare');
	const ratio = node && bare ? node.result.wallMs / bare.result.wallMs : NaN;
	console.log('\nTargets (reported, not asserted):');
	console.log(`  node / bare at concurrency 10, 150 ms: ${fixed(ratio, 2)} (target ≤ 1.10)`);
	console.log(`  rate-limited: ${fixed(rateShare, 2)} of the allowed rate, ${rated.result.failedUsers} failed users (target ≥ 0.90, 0)`);
	console.log(`  ${memory.users} items at concurrency 10: peak RSS ${fixed(memory.result.peakRssMb, 0)} MB with a ${CAPPED_HEAP_MB} MB heap (target < 200 MB)`);
}

function machine() {
	return {
		nproc: os.availableParallelism(),
		cpu: os.cpus()[0]?.model ?? 'unknown',
		memoryGb: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
		node: process.version,
		platform: `${os.platform()} ${os.release()}`,
	};
}

const { scale, jsonFile } = parseArgs();
main(scale)
	.then((report) => {
		if (jsonFile) fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
	})
	.catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
