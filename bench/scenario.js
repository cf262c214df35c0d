// @ts-check
'use strict';

// One measured scenario, in a process of its own so that its CPU time and peak RSS are its own:
//   node bench/scenario.js '<json ScenarioConfig>'
// Seeds its users into the emulator, runs them through one client, prints one JSON result line.
// With `waitForGo`, it prints {"ready":true} once prepared and starts when a line comes on stdin,
// so that several processes can start together.

const readline = require('node:readline');

const { bareClient, runPool, sdkClient } = require('./clients');
const { inspect } = require('./emulatorProcess');

/**
 * @typedef {object} ScenarioConfig
 * @property {'node' | 'bare' | 'bare-keepalive' | 'sdk'} client
 * @property {number} users
 * @property {number} itemsPerUser
 * @property {number} concurrency the node's Options → Concurrency, or the clients' requests in flight
 * @property {'one' | 'per-user'} [executions] node: one execution with every user as an item
 *   (default), or one execution per user, all started at once (a webhook per departing customer)
 * @property {'remove' | 'recipe'} [workflow] node: Remove Items alone (default), or Get Items → Remove
 *   Items (workflows.js)
 * @property {Array<{ users: number, rateLimits: import('../test/emulator/rateLimits').RateLimitSpec[] }>} [phases]
 *   node: runs one after another in this process, the emulator's limits switched before each (counts
 *   start afresh), so what one run teaches the pacer is carried into the next; `users` is then unused
 *   and the result line is { phases: [result, …] }
 * @property {boolean} [warmUp] node: run one more user through the workflow while preparing, so the
 *   measured run does not pay for n8n's first execution in the process (compiling, loading)
 * @property {boolean} [waitForGo]
 * @property {string} prefix unique per scenario, so users never collide
 * @property {import('./emulatorProcess').EmulatorEndpoint} emulator
 */

/** @typedef {import('./clients').BenchUser} BenchUser */

/** @param {ScenarioConfig} config @returns {BenchUser[]} */
function benchUsers(config) {
	return Array.from({ length: config.users }, (_, u) => ({
		userId: `usr_${config.prefix}_${u}`,
		itemIds: Array.from({ length: config.itemsPerUser }, (_, k) => `item_${config.prefix}_${u}_${k}`),
	}));
}

/** @param {string} url @param {BenchUser[]} users */
async function seed(url, users) {
	const batch = 2000;
	for (let start = 0; start < users.length; start += batch) {
		const specs = users.slice(start, start + batch).map((user) => ({ user_id: user.userId, items: user.itemIds }));
		await inspect(url, 'POST', 'users', { users: specs });
	}
}

/** Heap in use after a full GC, in MB; undefined unless node runs with --expose-gc. */
function heapAfterGcMb() {
	const { gc } = /** @type {{ gc?: () => void }} */ (globalThis);
	if (!gc) return undefined;
	gc();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Heap after GC at the end of the node's run, its run data still held (as n8n holds it). */
let heldHeapMb = /** @type {number | undefined} */ (undefined);

/** n8n-core and the package, loaded once per process. */
let loadedPackage = /** @type {Promise<any> | undefined} */ (undefined);

/**
 * Runs the users through the Plaid node in n8n's engine (the workflow of workflows.js), one
 * execution with every user as an item or one execution per user.
 * @param {ScenarioConfig} config @param {BenchUser[]} users
 * @returns {Promise<() => Promise<number>>} starts the run; resolves to the failed user count
 */
async function prepareNodeRun(config, users) {
	const { loadPackage, runWorkflow } = require('../test/harness/engine');
	const { emulatorCredentials } = require('../test/harness/workflows');
	const { benchWorkflow } = require('./workflows');
	// BENCH_PACKAGE_ROOT: another build of the package (a checkout of an earlier commit, built), to
	// measure before and after a change with the same harness.
	loadedPackage ??= loadPackage(process.env.BENCH_PACKAGE_ROOT || undefined);
	const loaded = await loadedPackage;
	const { workflow, lastNode } = benchWorkflow(config.workflow ?? 'remove', config.concurrency);
	/** @param {BenchUser[]} startItems @returns {Promise<number>} users whose output is an error */
	const execute = async (startItems) => {
		const result = await runWorkflow(workflow, { credentials: emulatorCredentials(config.emulator), startItems, loaded });
		const output = result.output(lastNode);
		if (output.length !== startItems.length) throw new Error(`node output ${output.length} items for ${startItems.length} users`);
		return output.filter((/** @type {any} */ item) => item.json.error !== undefined).length;
	};
	if (config.warmUp) {
		const [warmUser] = benchUsers({ ...config, users: 1, prefix: `${config.prefix}warm` });
		await seed(config.emulator.url, [warmUser]);
		await execute([warmUser]);
	}
	if (config.executions === 'per-user') {
		return async () => (await Promise.all(users.map(async (user) => await execute([user])))).reduce((sum, lost) => sum + lost, 0);
	}
	return async () => {
		const lost = await execute(users);
		heldHeapMb = heapAfterGcMb();
		return lost;
	};
}

/**
 * @param {ScenarioConfig} config @param {BenchUser[]} users
 * @returns {Promise<() => Promise<number>>}
 */
async function prepareClientRun(config, users) {
	const call =
		config.client === 'sdk' ? sdkClient(config.emulator) : bareClient(config.emulator, { keepAlive: config.client === 'bare-keepalive' });
	return async () => {
		let failed = 0;
		await runPool(users, config.concurrency, async (user) => {
			if (!(await call(user))) failed += 1;
		});
		return failed;
	};
}

/** @param {ScenarioConfig} config */
async function main(config) {
	if (config.phases) return await runPhases(config);
	const users = benchUsers(config);
	await seed(config.emulator.url, users);
	const run = config.client === 'node' ? await prepareNodeRun(config, users) : await prepareClientRun(config, users);
	if (config.waitForGo) await readyThenWait();
	process.stdout.write(`${JSON.stringify(await measure(config, run))}\n`);
}

/** The phases one after another in this process (ScenarioConfig.phases). @param {ScenarioConfig} config */
async function runPhases(config) {
	const phases = /** @type {NonNullable<ScenarioConfig['phases']>} */ (config.phases);
	const prepared = [];
	for (const [index, phase] of phases.entries()) {
		const users = benchUsers({ ...config, users: phase.users, prefix: `${config.prefix}ph${index}` });
		await seed(config.emulator.url, users);
		prepared.push(await prepareNodeRun({ ...config, warmUp: index === 0 && config.warmUp }, users));
	}
	if (config.waitForGo) await readyThenWait();
	const results = [];
	let previousEnd = /** @type {number | undefined} */ (undefined);
	for (const [index, phase] of phases.entries()) {
		await inspect(config.emulator.url, 'POST', 'rate-limits', { rateLimits: phase.rateLimits });
		const result = await measure(config, prepared[index]);
		// How long the pacer had nothing to do between two runs: what it could forget meanwhile.
		results.push({ ...result, idleBeforeMs: previousEnd === undefined ? null : result.startedAtMs - previousEnd });
		previousEnd = result.endedAtMs;
	}
	process.stdout.write(`${JSON.stringify({ phases: results })}\n`);
}

/**
 * One measured run: wall and CPU time, memory, and what the emulator saw of it.
 * @param {ScenarioConfig} config @param {() => Promise<number>} run
 */
async function measure(config, run) {
	const before = await inspect(config.emulator.url, 'GET', 'stats');
	const heapBeforeMb = heapAfterGcMb();
	const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
	const cpuBefore = process.cpuUsage();
	const startedAtMs = Date.now();
	const startedUs = process.hrtime.bigint() / 1000n;
	const failedUsers = await run();
	const endedUs = process.hrtime.bigint() / 1000n;
	const endedAtMs = Date.now();
	const cpu = process.cpuUsage(cpuBefore);

	const after = await inspect(config.emulator.url, 'GET', 'stats');
	return {
		wallMs: Number(endedUs - startedUs) / 1000,
		cpuMs: (cpu.user + cpu.system) / 1000,
		peakRssMb: process.resourceUsage().maxRSS / 1024,
		// What the process held before the run: the loaded code (n8n-core, the SDK) and the users.
		rssBeforeMb,
		heapBeforeMb,
		heldHeapMb,
		failedUsers,
		requests: after.request_count - before.request_count,
		rateLimited: (after.statuses['429'] ?? 0) - (before.statuses['429'] ?? 0),
		connections: after.connections - before.connections,
		// The emulator was reset before this run: its first and last requests are this run's.
		toFirstRequestMs: after.first_received_at === null ? null : after.first_received_at - startedAtMs,
		maxInFlight: after.max_in_flight,
		// On the emulator's clock (the same machine), for clock-aligned rate windows.
		startedAtMs,
		endedAtMs,
		// The measured window on the clock V8 stamps --cpu-prof samples with.
		windowUs: [Number(startedUs), Number(endedUs)],
	};
}

/** Says it is prepared, then waits for the line that starts every process at once. */
async function readyThenWait() {
	process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
	const lines = readline.createInterface({ input: process.stdin });
	await new Promise((resolve) => lines.once('line', resolve));
	lines.close();
}

main(JSON.parse(process.argv[2])).catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
