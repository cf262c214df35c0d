// @ts-check
'use strict';

/**
 * A simulation, in virtual time, of n8n processes calling Plaid through the package's rate pacer:
 * the server is the emulator's own rate limits (any shape, client-wide or per endpoint), each call is
 * retried after a 429 by the transport's own retry policy, and every answer takes the latency. Plaid
 * documents its limits per minute but not the algorithm, nor which endpoints share one, so the pacer
 * must find the allowed rate under each plausible one; this measures how close it comes (against
 * the ideal schedule, bench/ideal.js) without minutes of real waiting. Runs can follow each other in
 * one world, so what one run teaches the pacer is carried into the next, as in a long-lived n8n
 * process. The real transport, with the same pacer, meets the emulator through n8n's engine elsewhere.
 */
const { idealWallMs } = require('../../bench/ideal');
const { RateLimits } = require('../emulator/rateLimits');
const { VirtualClock } = require('./virtualTime');

/**
 * The package's code the simulation runs (its pacer and retry policy), as the transport uses it.
 * @typedef {object} PackageCode
 * @property {(clock: { now: () => number, sleep: (ms: number) => Promise<void>, random: () => number }) => { pacerFor: (endpoint: string, execution: string) => Pacer }} createPacing
 *   one process's pacing: a pacer per call, for its endpoint and execution
 * @property {(failure: any, progress: any, settings: any, clock: { random: () => number, nowMs: number }) => { retry: boolean, delayMs?: number }} planRetry
 *   the transport's retry policy (retryPolicy.ts)
 */

/**
 * One call's view of the pacer (see ratePacer.ts).
 * @typedef {object} Pacer
 * @property {(retry: boolean, signal?: AbortSignal, waitMs?: number) => Promise<boolean>} acquire
 * @property {() => void} onAnswered
 * @property {() => void} onRateLimited
 * @property {() => void} leave
 */

/**
 * @typedef {object} RunSpec
 * @property {import('../emulator/rateLimits').RateLimitSpec[]} limits the server's limits for this run (counts start afresh)
 * @property {number} [jobs] users, each making `steps` calls in order
 * @property {string[]} [steps] each job's endpoints (default one /user/items/remove)
 * @property {'one' | 'per-user'} [executions] one execution per process working `concurrency` users at
 *   a time (default), or one execution per user, all started at once
 * @property {number} [concurrency] one execution's Concurrency (default 20)
 * @property {number} [workerConcurrency] per-user executions: at most this many at once in each process
 *   (a queue-mode worker's --concurrency); default all at once
 * @property {number} [processes] how many of the world's processes share the users (default all)
 * @property {number} [latencyMs] default 150
 * @property {number} [jitter] default 0.2
 * @property {[number, number]} [sendDelayMs] how long a request takes from the pacer to the limit,
 *   drawn uniformly (n8n's request stack, a new connection): default 1–8 ms
 * @property {number[]} [sendDelayQuantilesMs] instead: that delay as measured (bench/sendDelay.js),
 *   quantiles evenly spaced from the least to the most, drawn between them
 * @property {Array<{ jobs: number, steps: string[], executions?: 'one' | 'per-user', concurrency?: number, workerConcurrency?: number }>} [workloads]
 *   instead of jobs, steps, executions and concurrency: several kinds of work at once (one workflow
 *   reading, another removing, say)
 */

/**
 * @typedef {object} RunResult
 * @property {number} elapsedMs from the start to the last answer
 * @property {number} idealMs the ideal schedule's time for the same run
 * @property {number} efficiency idealMs / elapsedMs: achieved / allowed
 * @property {number} requests
 * @property {number} refused 429s
 * @property {number} lost users whose call gave up (Max Rate-Limit Wait)
 * @property {number} maxWaitMs the longest a call waited from its first 429 to its answer
 * @property {number[]} admittedPerSecond requests the limits admitted in each second from the start
 */

/** A seeded random source, so every run is the same (mulberry32). @param {number} seed */
function seededRandom(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The transport's defaults for a 429 (retryPolicy.ts): only Max Rate-Limit Wait matters here. */
const RETRY_SETTINGS = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalWaitMs: 60_000, maxRateLimitWaitMs: 300_000 };

/** Some n8n processes (one pacing each) calling one Plaid client, on one virtual clock. */
class SimulatedWorld {
	/**
	 * @param {PackageCode} pkg
	 * @param {{ processes?: number, seed?: number, phaseMs?: number }} [options] phaseMs: where in a
	 *   minute the world starts (clock-aligned windows meet a run at any point of one in the app);
	 *   by default one drawn from the seed
	 */
	constructor(pkg, { processes = 1, seed = 1, phaseMs = Math.floor(seededRandom(seed + 0x5eed)() * 60_000) } = {}) {
		this.pkg = pkg;
		this.clock = new VirtualClock(60_000_000 + phaseMs);
		this.random = seededRandom(seed);
		// Each process's pacer gets the virtual clock and a seeded random source of its own.
		this.processes = Array.from({ length: processes }, (_, p) => {
			const random = seededRandom(seed * 1000 + p + 1);
			return pkg.createPacing({ now: this.clock.now, sleep: this.clock.sleep, random });
		});
		this.executionCount = 0;
	}

	/** Lets `ms` pass with nothing running (between two runs). @param {number} ms */
	async idle(ms) {
		const until = this.clock.now() + ms;
		const done = this.clock.sleep(ms);
		await this.clock.runUntil(() => this.clock.now() >= until);
		await done;
	}

	/** @param {RunSpec} spec @returns {Promise<RunResult>} */
	async run(spec) {
		const { clock, random } = this;
		const latencyMs = spec.latencyMs ?? 150;
		const jitter = spec.jitter ?? 0.2;
		const [sendMin, sendMax] = spec.sendDelayMs ?? [1, 8];
		const quantiles = spec.sendDelayQuantilesMs;
		const sendDelay = () => {
			if (!quantiles) return sendMin + (sendMax - sendMin) * random();
			const at = random() * (quantiles.length - 1);
			const below = Math.floor(at);
			return quantiles[below] + (quantiles[Math.min(below + 1, quantiles.length - 1)] - quantiles[below]) * (at - below);
		};
		const workloads = (spec.workloads ?? [{ jobs: spec.jobs, steps: spec.steps, executions: spec.executions, concurrency: spec.concurrency, workerConcurrency: spec.workerConcurrency }]).map((workload) => ({
			workerConcurrency: workload.workerConcurrency,
			jobs: workload.jobs ?? 0,
			steps: workload.steps ?? ['/user/items/remove'],
			executions: workload.executions ?? 'one',
			concurrency: workload.concurrency ?? 20,
		}));
		const processes = this.processes.slice(0, spec.processes ?? this.processes.length);
		const limits = new RateLimits(spec.limits, clock, () => undefined);
		const startMs = clock.now();
		const stats = { requests: 0, refused: 0, lost: 0, maxWaitMs: 0, lastAnswerAt: startMs, admittedPerSecond: /** @type {number[]} */ ([]) };

		/** One call through the pacer, retried after each 429 as the transport does; false: given up. */
		const call = async (/** @type {Pacer} */ pacer, /** @type {string} */ path) => {
			let firstRefusedAt;
			let waitMs = 0;
			try {
				for (let attempt = 1, consecutive = 0; ; attempt++) {
					await pacer.acquire(attempt > 1, undefined, waitMs);
					await clock.sleep(sendDelay());
					stats.requests += 1;
					const refusal = limits.check({ path });
					if (!refusal) {
						const second = Math.floor((clock.now() - startMs) / 1000);
						stats.admittedPerSecond[second] = (stats.admittedPerSecond[second] ?? 0) + 1;
					}
					await clock.sleep(latencyMs * (1 + jitter * (2 * random() - 1)));
					stats.lastAnswerAt = Math.max(stats.lastAnswerAt, clock.now());
					if (!refusal) {
						pacer.onAnswered();
						if (firstRefusedAt !== undefined) stats.maxWaitMs = Math.max(stats.maxWaitMs, clock.now() - firstRefusedAt);
						return true;
					}
					pacer.onRateLimited();
					stats.refused += 1;
					firstRefusedAt ??= clock.now();
					consecutive += 1;
					const failure = { kind: 'http', status: 429, errorType: 'RATE_LIMIT_EXCEEDED', retryAfter: refusal.headers['Retry-After'] };
					const progress = { attempt, transientRetries: 0, transientWaitedMs: 0, rateLimitedForMs: clock.now() - firstRefusedAt, consecutiveRateLimits: consecutive };
					const decision = this.pkg.planRetry(failure, progress, RETRY_SETTINGS, { random, nowMs: clock.now() });
					if (!decision.retry) return false;
					waitMs = decision.delayMs ?? 0;
				}
			} finally {
				pacer.leave();
			}
		};

		/** One user's calls in order, in one execution; a call given up loses the user. */
		const job = async (/** @type {ReturnType<PackageCode['createPacing']>} */ pacing, /** @type {string} */ execution, /** @type {string[]} */ steps) => {
			for (const path of steps) {
				if (!(await call(pacing.pacerFor(path, execution), path))) {
					stats.lost += 1;
					return;
				}
			}
		};

		let done = 0;
		const totalJobs = workloads.reduce((sum, workload) => sum + workload.jobs, 0);
		const work = workloads.flatMap((workload) => {
			const { jobs, steps, executions, concurrency } = workload;
			const share = Math.ceil(jobs / processes.length);
			return processes.flatMap((pacing, p) => {
				const users = Math.max(0, Math.min(share, jobs - p * share));
				if (executions === 'per-user') {
					// As many executions at once as the process runs (a queue-mode worker's concurrency), each one user's.
					let started = 0;
					return Array.from({ length: Math.min(users, workload.workerConcurrency ?? Infinity) }, async () => {
						while (started < users) {
							started += 1;
							await job(pacing, `execution-${++this.executionCount}`, steps);
							done += 1;
						}
					});
				}
				// One execution: its items `concurrency` at a time, as the node's Concurrency option runs them.
				const execution = `execution-${++this.executionCount}`;
				let next = 0;
				return Array.from({ length: Math.min(concurrency, users) }, async () => {
					while (next < users) {
						next += 1;
						await job(pacing, execution, steps);
						done += 1;
					}
				});
			});
		});
		await clock.runUntil(() => done === totalJobs);
		await Promise.all(work);

		const idealMs = idealWallMs(spec.limits, {
			// One execution holds Concurrency calls in flight in each process; executions per user, one each.
			workloads: workloads.map(({ jobs, steps, executions, concurrency, workerConcurrency }) => ({
				jobs,
				steps,
				concurrency: (executions === 'per-user' ? (workerConcurrency ?? Infinity) : concurrency) * processes.length,
			})),
			latencyMs,
			startMs,
		});
		const elapsedMs = stats.lastAnswerAt - startMs;
		const admittedPerSecond = Array.from(stats.admittedPerSecond, (count) => count ?? 0);
		return { elapsedMs, idealMs, efficiency: idealMs / elapsedMs, requests: stats.requests, refused: stats.refused, lost: stats.lost, maxWaitMs: stats.maxWaitMs, admittedPerSecond };
	}
}

/**
 * The package's code as the simulation drives it: one RatePacer per process, a call per request's
 * life, the transport's retry policy.
 * @param {{ RatePacer: any, planRetry: PackageCode['planRetry'] }} code from the package
 * @param {object} [tuning] the pacer's tuning, if not its default
 * @returns {PackageCode}
 */
function packageCode({ RatePacer, planRetry }, tuning) {
	return {
		planRetry,
		createPacing(clock) {
			const pacer = new RatePacer(tuning, clock);
			return { pacerFor: (endpoint, execution) => pacer.call(endpoint, execution) };
		},
	};
}

/**
 * One run in a fresh world: `simulate(spec, pkg)`.
 * @param {RunSpec & { processes?: number, seed?: number, phaseMs?: number }} spec @param {PackageCode} pkg
 */
async function simulate(spec, pkg) {
	return await new SimulatedWorld(pkg, { processes: spec.processes, seed: spec.seed, phaseMs: spec.phaseMs }).run(spec);
}

module.exports = { SimulatedWorld, simulate, packageCode };
