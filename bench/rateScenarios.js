// @ts-check
'use strict';

// The node under rate limits of several shapes (Plaid documents limits per minute, not their
// algorithm): one execution removing many users at Concurrency 20, and a burst of executions with
// one user each (a CRM webhook per departing customer), in one process or two. Each run is compared
// with the ideal schedule for its shape (ideal.js). See BENCHMARKS.md for the definitions.

const { inspect } = require('./emulatorProcess');
const { idealWallMs } = require('./ideal');
const { spawnScenario } = require('./scenarioProcess');
const { benchWorkflow } = require('./workflows');

/** @typedef {import('../test/emulator/rateLimits').RateLimitSpec} RateLimitSpec */
/** @typedef {Awaited<ReturnType<typeof import('./emulatorProcess').startEmulatorProcess>>} EmulatorProcess */

/**
 * @typedef {object} RateScenario
 * @property {string} name
 * @property {RateLimitSpec | undefined} spec undefined: no limit (a baseline)
 * @property {'remove' | 'recipe'} [workflow] default remove (workflows.js)
 * @property {number} users
 * @property {number} nominalPerSecond the shape's sustained rate
 * @property {'one' | 'per-user'} executions
 * @property {number} processes
 */

/**
 * @typedef {object} RateResult
 * @property {RateScenario} scenario
 * @property {number} wallMs
 * @property {number} idealMs the ideal schedule's time for all the run's users
 * @property {number} startMs when the run started, on the emulator's clock
 * @property {number} lostUsers
 * @property {number} requests
 * @property {number} rateLimited
 * @property {number} cpuMs the CPU time of every process's run, together
 */

const LATENCY_MS = 150;
const CONCURRENCY = 20;
const ITEMS_PER_USER = 3;

/**
 * The scenarios at this scale. Users scale; windows longer than a second scale with their limits,
 * so a quick run still crosses windows at the same nominal rate (but meets different waits).
 * @param {number} scale
 * @returns {{ single: RateScenario[], burst: RateScenario[] }}
 */
function rateScenarios(scale) {
	const users = (/** @type {number} */ count) => Math.max(10, Math.round(count * scale));
	const s = Math.min(1, scale);
	/** A fixed window of `seconds` and `limit`, scaled, starting at the run's first request. */
	const longWindow = (/** @type {number} */ limit, /** @type {number} */ seconds) => ({
		shape: /** @type {const} */ ('fixed-window'),
		limit: Math.max(1, Math.round(limit * s)),
		windowMs: Math.round(seconds * 1000 * s),
		anchor: /** @type {const} */ ('first-request'),
	});
	/** @type {(name: string, spec: RateLimitSpec, count: number, forms: Array<'none' | 'seconds' | 'date'>, extra?: Partial<RateScenario>) => RateScenario[]} */
	const each = (name, spec, count, forms, extra = {}) =>
		forms.map((retryAfter) => ({
			name,
			spec: { ...spec, retryAfter },
			users: count,
			nominalPerSecond: nominalRate(spec),
			executions: 'one',
			processes: 1,
			...extra,
		}));
	const bucket = { shape: /** @type {const} */ ('token-bucket'), ratePerSecond: 50, burst: 5 };
	const slowBucket = { ...bucket, ratePerSecond: 10 };
	const single = [
		...each('fixed 1 s window, 50', { shape: 'fixed-window', limit: 50, windowMs: 1000 }, users(1000), ['none', 'seconds']),
		...each(`fixed ${fixed1(10 * s)} s window, ${longWindow(500, 10).limit}`, longWindow(500, 10), users(1500), ['none', 'date']),
		...each(`fixed ${fixed1(60 * s)} s window, ${longWindow(1200, 60).limit}`, longWindow(1200, 60), users(2000), ['none', 'seconds']),
		...each('sliding log 1 s, 50', { shape: 'sliding-log', limit: 50, windowMs: 1000 }, users(1000), ['none', 'seconds']),
		...each('sliding counter 1 s, 50', { shape: 'sliding-counter', limit: 50, windowMs: 1000 }, users(1000), ['none']),
		...each('token bucket 50/s, burst 5', bucket, users(1000), ['none', 'seconds']),
	];
	const burstUsers = users(240);
	const burstWindow = longWindow(120, 60);
	const burst = [1, 2].flatMap((processes) => [
		...each(`burst: fixed ${fixed1(60 * s)} s window, ${burstWindow.limit}`, burstWindow, burstUsers, ['none', 'seconds'], { executions: 'per-user', processes }),
		...each('burst: token bucket 50/s, burst 5', bucket, burstUsers, ['none'], { executions: 'per-user', processes }),
		// The same bucket at a fifth of the rate: 24 s of work rather than 5, so the burst's first
		// moments (240 requests meeting 5 tokens) weigh less than the pace kept after them.
		...each('burst: token bucket 10/s, burst 5', slowBucket, burstUsers, ['none'], { executions: 'per-user', processes }),
	]);
	return { single, burst };
}

/** @param {number} value */
const fixed1 = (value) => String(Math.round(value * 10) / 10);

/** @param {RateLimitSpec} spec */
function nominalRate(spec) {
	return spec.shape === 'token-bucket' ? spec.ratePerSecond ?? 0 : ((spec.limit ?? 0) * 1000) / (spec.windowMs ?? 1);
}

let runCount = 0;

/**
 * Runs one scenario against a freshly reset emulator with the scenario's limit, its users split
 * over `processes` scenario processes that start together.
 * @param {EmulatorProcess} emulator @param {RateScenario} scenario @returns {Promise<RateResult>}
 */
async function runRateScenario(emulator, scenario) {
	await inspect(emulator.url, 'POST', 'reset', {});
	// No limit while the processes warm up; the scenario's own from the start of the run.
	await inspect(emulator.url, 'POST', 'rate-limits', { rateLimits: [] });
	const limits = scenario.spec ? [scenario.spec] : [];
	const endpoint = { url: emulator.url, clientId: emulator.clientId, secret: emulator.secret };
	const share = Math.ceil(scenario.users / scenario.processes);
	const processes = Array.from({ length: scenario.processes }, (_, p) =>
		spawnScenario(
			{
				client: 'node',
				users: Math.min(share, scenario.users - p * share),
				itemsPerUser: ITEMS_PER_USER,
				concurrency: CONCURRENCY,
				executions: scenario.executions,
				workflow: scenario.workflow,
				warmUp: true,
				prefix: `r${++runCount}p${p}`,
				emulator: endpoint,
			},
			{ waitForGo: true },
		),
	);
	await Promise.all(processes.map(async ({ ready }) => await ready));
	await inspect(emulator.url, 'POST', 'rate-limits', { rateLimits: limits });
	const before = await inspect(emulator.url, 'GET', 'stats');
	for (const { go } of processes) go();
	const results = await Promise.all(processes.map(async ({ result }) => await result));
	const after = await inspect(emulator.url, 'GET', 'stats');

	const startMs = Math.min(...results.map((result) => result.startedAtMs));
	const wallMs = scenario.processes === 1 ? results[0].wallMs : Math.max(...results.map((result) => result.endedAtMs)) - startMs;
	const lostUsers = results.reduce((sum, result) => sum + result.failedUsers, 0);
	const idealMs = idealWallMs(limits, {
		jobs: scenario.users,
		steps: benchWorkflow(scenario.workflow ?? 'remove', CONCURRENCY).steps,
		// One execution holds Concurrency requests in flight; a burst of executions, one each.
		concurrency: scenario.executions === 'one' ? CONCURRENCY : Infinity,
		latencyMs: LATENCY_MS,
		startMs,
	});
	const measured = {
		scenario,
		wallMs,
		idealMs,
		startMs,
		lostUsers,
		requests: after.request_count - before.request_count,
		rateLimited: (after.statuses['429'] ?? 0) - (before.statuses['429'] ?? 0),
		cpuMs: results.reduce((sum, result) => sum + result.cpuMs, 0),
	};
	process.stderr.write(`  ${describeRun(scenario)}: ${(wallMs / 1000).toFixed(1)} s, ${lostUsers} lost, ${measured.rateLimited} × 429\n`);
	return measured;
}

/** @param {RateScenario} scenario */
function describeRun(scenario) {
	const where = scenario.executions === 'one' ? `1 execution, Concurrency ${CONCURRENCY}` : `${scenario.users} executions in ${scenario.processes} process${scenario.processes > 1 ? 'es' : ''}`;
	return `${scenario.name} · Retry-After ${scenario.spec?.retryAfter ?? 'none'} · ${scenario.users} users · ${where}`;
}

/** @param {EmulatorProcess} emulator @param {RateScenario[]} scenarios */
async function runRateScenarios(emulator, scenarios) {
	/** @type {RateResult[]} */
	const results = [];
	for (const scenario of scenarios) results.push(await runRateScenario(emulator, scenario));
	return results;
}

module.exports = { rateScenarios, runRateScenarios, nominalRate, LATENCY_MS, CONCURRENCY, ITEMS_PER_USER };
