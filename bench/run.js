#!/usr/bin/env node
// @ts-check
'use strict';

// `npm run bench`: bulk offboarding through the Plaid node in n8n's engine, against the emulator
// in its own process, compared with bare HTTP clients (a connection per request, and keep-alive)
// and the official SDK; then the node under rate limits of several shapes. See BENCHMARKS.md.
//   node bench/run.js [--quick] [--scale F] [--only clients,rate,burst,recipe,carry,delay,bound] [--json FILE]
// --quick (or BENCH_SCALE=0.1) runs a tenth of the users, and windows longer than a second a tenth
// as long, for a smoke run of the whole harness. --only runs some sections. BENCH_PACKAGE_ROOT=DIR
// measures the build of the package in DIR (its package.json and dist/) instead of this one.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startEmulatorProcess, inspect } = require('./emulatorProcess');
const { analyseProfile, topEntries } = require('./profile');
const { boundSection } = require('./bound');
const { carryOverSection, recipeSection } = require('./recipe');
const { sendDelaySection } = require('./sendDelay');
const { comparisonTable, fixed, rateTable } = require('./report');
const { rateScenarios, runRateScenarios, LATENCY_MS, CONCURRENCY } = require('./rateScenarios');
const { spawnScenario } = require('./scenarioProcess');

const ITEMS_PER_USER = 3;
const CLIENTS = /** @type {const} */ (['node', 'bare', 'bare-keepalive', 'sdk']);
const PROFILE_DIR = path.join(__dirname, 'profiles');
const CAPPED_HEAP_MB = 96;
const SECTIONS = ['clients', 'rate', 'burst', 'recipe', 'carry', 'delay', 'bound'];

/** @typedef {import('./report').Measured} Measured */
/** @typedef {import('./report').ScenarioResult} ScenarioResult */
/** @typedef {Awaited<ReturnType<typeof startEmulatorProcess>>} EmulatorProcess */

function parseArgs(argv = process.argv.slice(2)) {
	let scale = Number(process.env.BENCH_SCALE ?? 1);
	/** @type {string | undefined} */
	let jsonFile;
	let sections = new Set(SECTIONS);
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--quick') scale = 0.1;
		else if (argv[i] === '--scale') scale = Number(argv[++i]);
		else if (argv[i] === '--json') jsonFile = argv[++i];
		else if (argv[i] === '--only') sections = new Set((argv[++i] ?? '').split(','));
		else throw new Error(`unknown argument ${argv[i]} (usage: node bench/run.js [--quick] [--scale F] [--only ${SECTIONS.join(',')}] [--json FILE])`);
	}
	if (!(scale > 0)) throw new Error('--scale needs a positive number');
	const unknown = [...sections].filter((section) => !SECTIONS.includes(section));
	if (unknown.length > 0 || sections.size === 0) throw new Error(`--only takes some of ${SECTIONS.join(', ')}`);
	return { scale, jsonFile, sections };
}

let scenarioCount = 0;

/**
 * Runs one scenario in a fresh process against a freshly reset emulator.
 * @param {EmulatorProcess} emulator
 * @param {{ client: Measured['client'], users: number, concurrency: number }} spec
 * @param {{ profile?: boolean, nodeFlags?: string[] }} [options]
 * @returns {Promise<Measured & { profileFile?: string }>}
 */
async function runScenario(emulator, spec, options = {}) {
	await inspect(emulator.url, 'POST', 'reset', {});
	const prefix = `b${++scenarioCount}`;
	const config = { ...spec, itemsPerUser: ITEMS_PER_USER, prefix, emulator: { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret } };
	const profileName = `${prefix}-${spec.client}-c${spec.concurrency}.cpuprofile`;
	const nodeFlags = [...(options.nodeFlags ?? []), ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', profileName] : [])];
	const result = await spawnScenario(config, { nodeFlags }).result;
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

/** @param {(count: number) => number} users @param {Record<string, unknown>} report */
async function clientSections(users, report) {
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
	Object.assign(report, { slow, fast, memory, memoryCapped, profiled, profile });
	return { slow, memoryCapped };
}

/** @param {number} scale @param {Set<string>} sections @param {Record<string, unknown>} report */
async function rateSections(scale, sections, report) {
	const { single, burst } = rateScenarios(scale);
	const emulator = await startEmulatorProcess({ latencyMs: LATENCY_MS, jitter: 0.2 });
	/** @type {import('./rateScenarios').RateResult[]} */
	const rated = [];
	if (sections.has('rate')) {
		process.stderr.write('rate limits: one execution\n');
		rated.push(...(await runRateScenarios(emulator, single)));
	}
	if (sections.has('burst')) {
		process.stderr.write('rate limits: a burst of executions\n');
		rated.push(...(await runRateScenarios(emulator, burst)));
	}
	await emulator.stop();
	console.log(
		`\nRate limits: Remove Items, Continue On Fail, ${LATENCY_MS} ms ± 20 % latency; one execution at Concurrency ${CONCURRENCY}, ` +
			`or one execution per user started at once\n${rateTable(rated)}`,
	);
	report.rated = rated;
	return rated;
}

/** @param {number} scale @param {Set<string>} sections */
async function main(scale, sections) {
	const started = Date.now();
	const users = (/** @type {number} */ count) => Math.max(10, Math.round(count * scale));
	const report = /** @type {Record<string, unknown>} */ ({ scale, machine: machine() });
	console.log(`Machine: ${JSON.stringify(report.machine)}\n`);
	const clients = sections.has('clients') ? await clientSections(users, report) : undefined;
	const rated = sections.has('rate') || sections.has('burst') ? await rateSections(scale, sections, report) : [];
	const recipe = sections.has('recipe') ? await recipeSection(scale, report) : [];
	const carried = sections.has('carry') ? await carryOverSection(scale, report) : [];
	if (sections.has('delay')) await sendDelaySection(scale, report);
	if (sections.has('bound')) await boundSection(report);
	printTargets(clients, rated);
	printRecipeTargets(recipe, carried);
	report.elapsedMs = Date.now() - started;
	console.log(`\nThe whole run took ${fixed((Date.now() - started) / 60_000, 1)} minutes.`);
	return report;
}

/**
 * @param {{ slow: Measured[], memoryCapped: Measured } | undefined} clients
 * @param {import('./rateScenarios').RateResult[]} rated
 */
function printTargets(clients, rated) {
	console.log('\nTargets (reported, not asserted):');
	if (clients) {
		const at10 = (/** @type {string} */ client) => clients.slow.find((entry) => entry.client === client && entry.concurrency === 10);
		const ratio = (/** @type {string} */ client) => {
			const [node, other] = [at10('node'), at10(client)];
			return node && other ? node.result.wallMs / other.result.wallMs : NaN;
		};
		const memory = clients.memoryCapped;
		console.log(`  node / bare at concurrency 10, 150 ms: ${fixed(ratio('bare'), 2)} (target ≤ 1.10); node / keep-alive bare: ${fixed(ratio('bare-keepalive'), 2)}`);
		console.log(`  ${memory.users} items at concurrency 10: peak RSS ${fixed(memory.result.peakRssMb, 0)} MB with a ${CAPPED_HEAP_MB} MB heap (target < 200 MB)`);
	}
	if (rated.length > 0) {
		const lost = rated.reduce((sum, result) => sum + result.lostUsers, 0);
		const lossless = rated.filter((result) => result.lostUsers === 0);
		const worst = Math.min(...lossless.map((result) => result.idealMs / result.wallMs));
		console.log(
			`  rate-limited runs: ${lost} users lost in all, ${rated.length - lossless.length} of ${rated.length} runs lost some (target 0); ` +
				`the slowest run without loss at ${fixed(worst, 2)} of its ideal time (target ≥ 0.90)`,
		);
	}
}

/**
 * @param {import('./rateScenarios').RateResult[]} recipe the limited runs
 * @param {Array<{ where: string, result: { failedUsers: number, wallMs: number }, idealMs: number }>} carried
 */
function printRecipeTargets(recipe, carried) {
	const worst = (/** @type {number[]} */ values) => (values.length === 0 ? NaN : Math.min(...values));
	if (recipe.length > 0) {
		const lost = recipe.reduce((sum, result) => sum + result.lostUsers, 0);
		const of = (/** @type {number} */ processes) =>
			worst(recipe.filter((result) => result.scenario.processes === processes && result.lostUsers === 0).map((result) => result.idealMs / result.wallMs));
		console.log(`  CRM recipe: ${lost} users lost (target 0); achieved / allowed at worst ${fixed(of(1), 2)} in one process (target ≥ 0.90), ${fixed(of(2), 2)} across two (target ≥ 0.85)`);
	}
	if (carried.length > 0) {
		const lost = carried.reduce((sum, { result }) => sum + result.failedUsers, 0);
		const lowest = worst(carried.filter(({ result }) => result.failedUsers === 0).map(({ result, idealMs }) => idealMs / result.wallMs));
		console.log(`  carried over: ${lost} users lost; every run at least ${fixed(lowest, 2)} of its ideal time (target ≥ 0.90)`);
	}
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

const { scale, jsonFile, sections } = parseArgs();
main(scale, sections)
	.then((report) => {
		if (jsonFile) fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
	})
	.catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exit(1);
	});
