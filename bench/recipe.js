// @ts-check
'use strict';

// Two rate-limit sections beside the single-endpoint ones (rateScenarios.js):
// - recipe: the CRM offboarding's calls, one execution per customer (Get Items → Remove Items), all
//   started together, in one process and in two (as queue mode's workers), under a limit over both
//   endpoints together (client-wide) and under one per endpoint, token buckets (burst a tenth of the
//   rate) and fixed 1 s windows at 10 and 20 a second; and the same runs without a limit, for the CPU
//   each execution costs.
// - carry-over: runs of different limits one after another in ONE process, so what one run teaches
//   the pacer is carried into the next, and each of them again in a fresh process.

const { idealWallMs } = require('./ideal');
const { inspect, startEmulatorProcess } = require('./emulatorProcess');
const { fixed, formatTable } = require('./report');
const { runRateScenarios, nominalRate, LATENCY_MS, CONCURRENCY, ITEMS_PER_USER } = require('./rateScenarios');
const { spawnScenario } = require('./scenarioProcess');

/** @typedef {import('./rateScenarios').RateScenario} RateScenario */
/** @typedef {import('./rateScenarios').RateResult} RateResult */
/** @typedef {import('../test/emulator/rateLimits').RateLimitSpec} RateLimitSpec */

const RECIPE_RATES = [10, 20];

/** @param {number} scale @returns {RateScenario[]} */
function recipeScenarios(scale) {
	const users = Math.max(10, Math.round(300 * scale));
	/** @type {(name: string, spec: RateLimitSpec | undefined, processes: number) => RateScenario} */
	const scenario = (name, spec, processes) => ({
		name,
		spec,
		workflow: 'recipe',
		users,
		nominalPerSecond: spec ? nominalRate(spec) : Infinity,
		executions: 'per-user',
		processes,
	});
	return [1, 2].flatMap((processes) => [
		scenario('no limit', undefined, processes),
		...RECIPE_RATES.flatMap((rate) =>
			/** @type {const} */ (['client', 'endpoint']).flatMap((scope) => {
				const where = scope === 'client' ? 'both endpoints together' : 'each endpoint';
				return [
					scenario(`token bucket ${rate}/s, burst ${rate / 10}, ${where}`, { shape: 'token-bucket', ratePerSecond: rate, burst: rate / 10, scope, retryAfter: 'none' }, processes),
					scenario(`fixed 1 s window, ${rate}, ${where}`, { shape: 'fixed-window', limit: rate, windowMs: 1000, scope, retryAfter: 'none' }, processes),
				];
			}),
		),
	]);
}

/**
 * The recipe section's table: achieved / allowed (ideal over wall time), and CPU per execution against
 * the run without a limit in as many processes.
 * @param {RateResult[]} results
 */
function recipeTable(results) {
	const header = ['limit', 'users', 'processes', 'lost', 'wall s', 'ideal s', 'achieved / allowed', '429s', 'requests', 'CPU ms / execution', 'CPU vs no limit'];
	const rows = results.map((result) => {
		const { scenario, wallMs, idealMs, lostUsers, requests, rateLimited, cpuMs } = result;
		const baseline = results.find((other) => other.scenario.spec === undefined && other.scenario.processes === scenario.processes);
		const perExecution = cpuMs / scenario.users;
		return [
			scenario.name,
			String(scenario.users),
			String(scenario.processes),
			String(lostUsers),
			fixed(wallMs / 1000, 1),
			fixed(idealMs / 1000, 1),
			lostUsers === 0 ? fixed(idealMs / wallMs, 2) : '–',
			String(rateLimited),
			String(requests),
			fixed(perExecution, 1),
			baseline ? fixed(perExecution / (baseline.cpuMs / baseline.scenario.users), 2) : '',
		];
	});
	return formatTable([header, ...rows]);
}

/** @param {number} scale @param {Record<string, unknown>} report */
async function recipeSection(scale, report) {
	const emulator = await startEmulatorProcess({ latencyMs: LATENCY_MS, jitter: 0.2 });
	process.stderr.write('rate limits: the CRM recipe, one execution per customer\n');
	const results = await runRateScenarios(emulator, recipeScenarios(scale));
	await emulator.stop();
	console.log(
		`\nThe CRM recipe: Get Items → Remove Items, one execution per user, all started at once; ${LATENCY_MS} ms ± 20 % latency\n${recipeTable(results)}`,
	);
	report.recipe = results;
	return results.filter((result) => result.scenario.spec !== undefined);
}

/**
 * The carry-over runs (issue 24's order): Remove Items in one execution at Concurrency 20, a short run
 * without a limit, then a token bucket, then fixed 1 s windows; the whole order twice.
 * @param {number} scale
 * @returns {Array<{ name: string, users: number, rateLimits: RateLimitSpec[] }>}
 */
function carryOverRuns(scale) {
	const users = (/** @type {number} */ count) => Math.max(10, Math.round(count * scale));
	const order = [
		{ name: 'no limit', users: users(50), rateLimits: [] },
		{ name: 'token bucket 50/s, burst 5', users: users(300), rateLimits: [{ shape: /** @type {const} */ ('token-bucket'), ratePerSecond: 50, burst: 5 }] },
		{ name: 'fixed 1 s window, 50', users: users(120), rateLimits: [{ shape: /** @type {const} */ ('fixed-window'), limit: 50, windowMs: 1000 }] },
	];
	return [...order, ...order];
}

/**
 * @typedef {object} CarryOverResult
 * @property {string} name
 * @property {number} users
 * @property {'one process' | 'fresh process'} where
 * @property {import('./report').ScenarioResult & { idleBeforeMs?: number | null }} result
 * @property {number} idealMs
 */

/**
 * Runs the phases in one scenario process; returns each phase's result with its ideal time.
 * @param {Awaited<ReturnType<typeof startEmulatorProcess>>} emulator
 * @param {Array<{ name: string, users: number, rateLimits: RateLimitSpec[] }>} runs
 * @param {'one process' | 'fresh process'} where @param {string} prefix
 * @returns {Promise<CarryOverResult[]>}
 */
async function runPhases(emulator, runs, where, prefix) {
	await inspect(emulator.url, 'POST', 'reset', {});
	await inspect(emulator.url, 'POST', 'rate-limits', { rateLimits: [] });
	const endpoint = { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret };
	const config = { client: 'node', users: 0, itemsPerUser: ITEMS_PER_USER, concurrency: CONCURRENCY, prefix, emulator: endpoint, phases: runs, warmUp: true };
	const { phases } = /** @type {any} */ (await spawnScenario(config).result);
	return runs.map((run, index) => {
		const result = phases[index];
		const idealMs = idealWallMs(run.rateLimits, { jobs: run.users, concurrency: CONCURRENCY, latencyMs: LATENCY_MS, startMs: result.startedAtMs });
		process.stderr.write(`  ${where}: ${run.name}, ${run.users} users: ${fixed(result.wallMs / 1000, 2)} s, ${fixed(idealMs / result.wallMs, 2)} of ideal, ${result.rateLimited} × 429\n`);
		return { name: run.name, users: run.users, where, result, idealMs };
	});
}

/** @param {CarryOverResult[]} results */
function carryOverTable(results) {
	const header = ['run', 'limit', 'users', 'as', 'idle before ms', 'lost', 'wall s', 'ideal s', 'achieved / allowed', '429s', 'requests'];
	const rows = results.map(({ name, users, where, result, idealMs }, index) => [
		String(index + 1),
		name,
		String(users),
		where,
		result.idleBeforeMs === undefined || result.idleBeforeMs === null ? '' : fixed(result.idleBeforeMs, 0),
		String(result.failedUsers),
		fixed(result.wallMs / 1000, 2),
		fixed(idealMs / 1000, 2),
		result.failedUsers === 0 ? fixed(idealMs / result.wallMs, 2) : '–',
		String(result.rateLimited),
		String(result.requests),
	]);
	return formatTable([header, ...rows]);
}

/** @param {number} scale @param {Record<string, unknown>} report */
async function carryOverSection(scale, report) {
	const emulator = await startEmulatorProcess({ latencyMs: LATENCY_MS, jitter: 0.2 });
	process.stderr.write('rate limits: runs carried over in one process, then each in a fresh one\n');
	const runs = carryOverRuns(scale);
	const together = await runPhases(emulator, runs, 'one process', 'carry');
	const fresh = [];
	for (const [index, run] of runs.slice(0, 3).entries()) fresh.push(...(await runPhases(emulator, [run], 'fresh process', `fresh${index}`)));
	await emulator.stop();
	const results = [...together, ...fresh];
	console.log(
		`\nCarried over: Remove Items, one execution at Concurrency ${CONCURRENCY}, ${LATENCY_MS} ms ± 20 % latency; runs 1–6 one after another in one process, then each limit in a fresh process\n${carryOverTable(results)}`,
	);
	report.carryOver = results;
	return results;
}

module.exports = { recipeSection, carryOverSection };
