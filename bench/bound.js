// @ts-check
'use strict';

// What no pacer can reach, in virtual time (test/harness/rateLimitSimulation.js): the CRM recipe in
// one process under limits that allow no burst, run by a client that KNOWS the limit and sends at a
// fixed pace with the best margin for n8n's send delay, beside the package's pacer in the same
// worlds. BENCHMARKS.md, "What no pacer can reach".

const path = require('node:path');

const { fixed, formatTable } = require('./report');
const { packageCode, simulate } = require('../test/harness/rateLimitSimulation');

const RECIPE = ['/user/items/get', '/user/items/remove'];
const SEEDS = [1, 2, 3, 4, 5, 6];
const MARGINS_MS = [0, 2, 4, 6, 8, 10, 12, 15, 20, 30];

/** @param {number[]} values @returns {number} */
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** "mean (least–most)" of the seeds' results. @param {number[]} values */
const summary = (values) => `${fixed(mean(values), 2)} (${fixed(Math.min(...values), 2)}–${fixed(Math.max(...values), 2)})`;

/**
 * A process that sends at a fixed pace, per limit scope, retries first.
 * @param {number} intervalMs @param {'client' | 'endpoint'} scope
 * @param {import('../test/harness/rateLimitSimulation').PackageCode['planRetry']} planRetry the package's retry policy
 * @returns {import('../test/harness/rateLimitSimulation').PackageCode}
 */
function fixedPace(intervalMs, scope, planRetry) {
	return {
		planRetry,
		createPacing(clock) {
			const start = clock.now();
			/** @type {Map<string, { next: number, waiting: Array<(sent: boolean) => void> }>} */
			const lanes = new Map();
			const laneOf = (/** @type {string} */ endpoint) => {
				const key = scope === 'client' ? '' : endpoint;
				let lane = lanes.get(key);
				if (!lane) lanes.set(key, (lane = { next: start, waiting: [] }));
				return lane;
			};
			const pump = (/** @type {ReturnType<typeof laneOf>} */ lane) => {
				if (lane.waiting.length === 0) return;
				const now = clock.now();
				if (now >= lane.next) {
					lane.next = Math.max(lane.next + intervalMs, now);
					/** @type {(sent: boolean) => void} */ (lane.waiting.shift())(true);
				}
				if (lane.waiting.length > 0) void clock.sleep(Math.max(0, lane.next - clock.now())).then(() => pump(lane));
			};
			return {
				pacerFor: (endpoint) => ({
					acquire: async (retry, _signal, waitMs = 0) => {
						await clock.sleep(waitMs);
						const lane = laneOf(endpoint);
						return await new Promise((resolve) => {
							if (retry) lane.waiting.unshift(resolve);
							else lane.waiting.push(resolve);
							if (lane.waiting.length === 1) pump(lane);
						});
					},
					onAnswered() {},
					onRateLimited() {},
					leave() {},
				}),
			};
		},
	};
}

/**
 * @param {Record<string, unknown>} report its sendDelay (sendDelay.js), when measured in this run
 */
async function boundSection(report) {
	const root = process.env.BENCH_PACKAGE_ROOT || path.join(__dirname, '..');
	const { RatePacer } = require(path.join(root, 'dist/nodes/Plaid/transport/ratePacer'));
	const { planRetry } = require(path.join(root, 'dist/nodes/Plaid/transport/retryPolicy'));
	const pacer = packageCode({ RatePacer, planRetry });
	const measured = /** @type {{ percentilesMs?: number[] } | undefined} */ (report.sendDelay);
	const delay = measured?.percentilesMs ? { sendDelayQuantilesMs: measured.percentilesMs } : {};
	const delayName = measured?.percentilesMs ? 'as measured above' : 'the simulation’s 1–8 ms';
	process.stderr.write('bound: clients that know the limit, in virtual time\n');
	const rows = [];
	for (const scope of /** @type {const} */ (['client', 'endpoint'])) {
		const limit = { shape: /** @type {const} */ ('token-bucket'), ratePerSecond: 10, burst: 1, scope };
		const run = async (/** @type {any} */ pkg, /** @type {number} */ seed) =>
			(await simulate({ limits: [limit], jobs: 300, steps: RECIPE, executions: 'per-user', seed, ...delay }, pkg)).efficiency;
		let best = { margin: 0, all: [0] };
		for (const margin of MARGINS_MS) {
			const all = [];
			for (const seed of SEEDS) all.push(await run(fixedPace(100 + margin, scope, planRetry), seed));
			if (mean(all) > mean(best.all)) best = { margin, all };
		}
		const ours = [];
		for (const seed of SEEDS) ours.push(await run(pacer, seed));
		const where = scope === 'client' ? 'both endpoints together' : 'each endpoint';
		rows.push([
			`token bucket 10/s, burst 1, ${where}`,
			`+${best.margin} ms`,
			summary(best.all),
			summary(ours),
		]);
	}
	console.log(
		`\nWhat no pacer can reach (virtual time, one process, send delay ${delayName}, ${SEEDS.length} seeds): achieved / allowed of a client that knows the limit and keeps the best fixed pace, beside the pacer's\n` +
			formatTable([['limit', 'best margin', 'knows the limit: mean (range)', 'pacer: mean (range)'], ...rows]),
	);
	report.bound = rows;
}

module.exports = { boundSection };
