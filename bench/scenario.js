// @ts-check
'use strict';

// One measured scenario, in a process of its own so that its CPU time and peak RSS are its own:
//   node bench/scenario.js '<json ScenarioConfig>'
// Seeds its users into the emulator, runs them through one client, prints one JSON result line.

const { bareClient, runPool, sdkClient } = require('./clients');
const { inspect } = require('./emulatorProcess');

/**
 * @typedef {object} ScenarioConfig
 * @property {'node' | 'bare' | 'sdk'} client
 * @property {number} users
 * @property {number} itemsPerUser
 * @property {number} concurrency
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

/**
 * Runs the users through the Plaid node in n8n's engine: a Manual Trigger feeding one Plaid
 * node whose User ID and Item IDs are expressions over the input item, continuing on failure
 * so that failed users are counted rather than ending the run.
 * @param {ScenarioConfig} config @param {BenchUser[]} users
 * @returns {Promise<() => Promise<number>>} starts the run; resolves to the failed user count
 */
async function prepareNodeRun(config, users) {
	const { loadPackage, runWorkflow } = require('../test/harness/engine');
	const { emulatorCredentials, plaidWorkflow } = require('../test/harness/workflows');
	const loaded = await loadPackage();
	const workflow = plaidWorkflow(
		{
			resource: 'user',
			operation: 'removeItems',
			userId: '={{ $json.userId }}',
			itemIds: '={{ $json.itemIds }}',
			options: { concurrency: config.concurrency },
		},
		{ onError: 'continueRegularOutput' },
	);
	return async () => {
		const result = await runWorkflow(workflow, {
			credentials: emulatorCredentials(config.emulator),
			startItems: users,
			loaded,
		});
		const output = result.output('Plaid');
		if (output.length !== users.length) throw new Error(`node output ${output.length} items for ${users.length} users`);
		heldHeapMb = heapAfterGcMb();
		return result.output('Plaid').filter((/** @type {any} */ item) => item.json.error !== undefined).length;
	};
}

/**
 * @param {ScenarioConfig} config @param {BenchUser[]} users
 * @returns {Promise<() => Promise<number>>}
 */
async function prepareClientRun(config, users) {
	const call = config.client === 'bare' ? bareClient(config.emulator) : sdkClient(config.emulator);
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
	const users = benchUsers(config);
	await seed(config.emulator.url, users);
	const run = config.client === 'node' ? await prepareNodeRun(config, users) : await prepareClientRun(config, users);
	const before = await inspect(config.emulator.url, 'GET', 'stats');

	const heapBeforeMb = heapAfterGcMb();
	const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
	const cpuBefore = process.cpuUsage();
	const startedUs = process.hrtime.bigint() / 1000n;
	const failedUsers = await run();
	const endedUs = process.hrtime.bigint() / 1000n;
	const cpu = process.cpuUsage(cpuBefore);

	const after = await inspect(config.emulator.url, 'GET', 'stats');
	const result = {
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
		maxInFlight: after.max_in_flight,
		// The measured window on the clock V8 stamps --cpu-prof samples with.
		windowUs: [Number(startedUs), Number(endedUs)],
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

main(JSON.parse(process.argv[2])).catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
