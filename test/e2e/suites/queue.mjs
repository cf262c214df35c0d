// npm run test:e2e -- --only queue [--queue-rate-limit N | '<json>']
// The package in n8n's queue mode, as a team runs it at scale: PostgreSQL and Redis started here on
// 127.0.0.1, `n8n start` (main), `n8n webhook` (webhook processor) and workers, each with the packed
// package in its own user folder. The Plaid Trigger is verified on the webhook processor; a burst of
// CRM offboarding webhooks runs on the workers against a rate-limited Plaid emulator, and no customer
// may be lost. The secret must be in no process output, database dump or queue dump. Prints the
// figures (executions per worker, lost, times, trigger answers). n8n's database is one of the suite
// run's PostgreSQL cluster (postgres.mjs suitePostgres), which the run stops at its end.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulatorProcess } from '../lib/emulator.mjs';
import { n8nCli } from '../lib/n8n.mjs';
import { stop } from '../lib/processes.mjs';
import { runBurst } from '../lib/queueBurst.mjs';
import { planQueueTopology, startQueueTopology } from '../lib/queueTopology.mjs';
import { provePlaidTrigger } from '../lib/queueTrigger.mjs';
import { startRedis } from '../lib/redis.mjs';
import { filesUnder, sourcesContaining } from '../lib/secretScan.mjs';
import { credentialsReferenced, loadExamples } from '../lib/workflows.mjs';

export const WORKERS = 2;
export const CONCURRENCY = 10;
export const CUSTOMERS = 300;
/**
 * Plaid's rate limit as the emulator plays it during the whole suite, the one setting for its
 * shape: a number is requests per second for the client (`--rate-limit N`); an object is a shape
 * handed to the emulator as `--rate-limits '<json>'`. The default is per minute, as Plaid documents
 * its limits: one budget of 600 a minute for the offboarding's four endpoints together, so the
 * burst's 1,500 calls need three windows and most executions wait out a used-up one.
 */
export const DEFAULT_RATE_LIMIT = [
	{
		shape: 'fixed-window',
		limit: 600,
		windowMs: 60_000,
		paths: ['/user/items/get', '/user/items/remove', '/user/products/terminate', '/user/remove'],
	},
];
const PLAID_LATENCY = ['--latency-ms', '150', '--jitter', '0.2'];

/** A --queue-rate-limit value: a number of requests per second, or a JSON shape. */
export function rateLimitFlags(setting) {
	const value = typeof setting === 'string' ? (/^\s*\d+(\.\d+)?\s*$/.test(setting) ? Number(setting) : JSON.parse(setting)) : setting;
	return typeof value === 'number' ? ['--rate-limit', String(value)] : ['--rate-limits', JSON.stringify(value)];
}

async function importInto(cli, examples, emulator, log) {
	const credentials = credentialsReferenced(examples).map(({ id, name }) => ({
		id,
		name,
		type: 'plaidApi',
		data: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
	}));
	const outputs = [(await cli.importCredentials(credentials)).output];
	for (const { workflow } of examples) {
		outputs.push((await cli.importWorkflow(workflow)).output, (await cli.publishWorkflow(workflow.id)).output);
	}
	log(`imported ${credentials.length} credential(s) and ${examples.map(({ file }) => file).join(', ')}; published`);
	return outputs;
}

/** Main's node types (written for its editor) hold both nodes; no installed_packages row exists. */
async function assertPackageEverywhere(cluster, postgres, log) {
	const typesFile = path.join(cluster.byRole('main').userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	assert.ok(existsSync(typesFile), `main wrote no ${typesFile}`);
	const names = new Set(JSON.parse(readFileSync(typesFile, 'utf8')).map(({ name }) => name));
	for (const type of ['n8n-nodes-plaid.plaid', 'n8n-nodes-plaid.plaidTrigger']) assert.ok(names.has(type), `main did not load ${type}`);
	const rows = await postgres.query('SELECT "packageName" FROM installed_packages');
	assert.deepEqual(rows, [], 'installed_packages has rows: N8N_REINSTALL_MISSING_PACKAGES would fetch them from npm');
	log('main serves both node types; installed_packages is empty, so no instance asks npm for anything');
}

function scanForSecret({ secret, cluster, cliOutputs, pgDump, redisDumps, services }) {
	const sources = [
		...cluster.processes.map(({ label, child }) => ({ name: `${label} output`, text: child.output() })),
		...services.map((child) => ({ name: `${child.label} output`, text: child.output() })),
		...cliOutputs.map((text, index) => ({ name: `n8n import/publish command ${index + 1} output`, text })),
		{ name: 'pg_dump of the n8n database', text: pgDump },
		...redisDumps.map(({ when, text }) => ({ name: `Redis dump (${when})`, text })),
		...cluster.processes.flatMap(({ userFolder }) => filesUnder(userFolder)),
	];
	const found = sourcesContaining(secret, sources);
	assert.deepEqual(found, [], `the credential secret appears in: ${found.join(', ')}`);
	return sources.length;
}

/** What was measured, printed also when a check failed (a figure not reached yet is left out). */
function printFigures(figures, log) {
	const { startup, trigger, burst } = figures;
	const lines = [`Figures (queue mode: main + webhook processor + ${WORKERS} workers at concurrency ${CONCURRENCY}; emulator ${figures.rateLimit}):`];
	if (startup) lines.push(`startup: main ready after ${startup.main} s, everything after ${startup.all} s`);
	if (trigger?.answers) lines.push(`Plaid Trigger: ${Object.entries(trigger.answers).map(([call, answer]) => `${call} → ${answer.split(' ')[0]}`).join('; ')}`);
	if (trigger?.worker) lines.push(`Plaid Trigger: signed → execution ${trigger.executionId} on ${trigger.worker}; ${trigger.keyFetches} key fetch(es)`);
	if (burst?.sendSeconds) lines.push(`burst: ${burst.customers} webhooks sent in ${burst.sendSeconds} s`);
	if (burst?.finishSeconds) lines.push(`burst: all executions finished ${burst.finishSeconds} s after the first webhook; execution time p50 ${burst.p50Seconds} s, max ${burst.maxSeconds} s`);
	if (burst?.perWorker) lines.push(`burst: executions per worker ${JSON.stringify(burst.perWorker)}`);
	if (burst?.lost) lines.push(`burst: lost ${burst.lost.length} of ${burst.customers}; Plaid answers ${JSON.stringify(burst.statuses)}`);
	if (burst?.sameOutputs) lines.push(`same outputs in every execution, per worker: ${JSON.stringify(burst.sameOutputs)}`);
	if (figures.scanned) lines.push(`secret scan: ${figures.scanned} sources clean`);
	log('');
	lines.forEach((line, index) => log(index === 0 ? line : `  ${line}`));
}

export async function queueSuite({ step, log, paths, e2eDir, repoDir, workDir, tarball, postgres: suitePostgres, rateLimit = DEFAULT_RATE_LIMIT }) {
	const flags = rateLimitFlags(rateLimit);
	const stops = [];
	const figures = { rateLimit: flags.join(' '), trigger: { answers: {} }, burst: {} };
	try {
		const postgres = await step("queue: PostgreSQL on 127.0.0.1, n8n's own database in the run's cluster (apt-get install when missing)", () => suitePostgres.database('n8n'));
		const redisDir = path.join(workDir, 'redis');
		mkdirSync(redisDir, { recursive: true });
		const redis = await step('queue: Redis on 127.0.0.1 (apt-get install when missing)', () => startRedis({ e2eDir, dir: redisDir, log }));
		stops.push(redis.stop);
		const emulator = await step(`queue: the Plaid emulator, ${flags.join(' ')}, 150 ms ± 20 % latency`, async () => {
			const started = await startEmulatorProcess(repoDir, [...PLAID_LATENCY, ...flags]);
			log(`emulator at ${started.url}`);
			return started;
		});
		stops.push(() => stop(emulator.child));

		const topology = await step("queue: a user folder per process, the README's install lines put the package into each", () =>
			planQueueTopology({ paths, workDir, tarball, postgres, redis, workers: WORKERS, concurrency: CONCURRENCY }),
		);
		const examples = loadExamples(repoDir).filter(({ slug }) => ['crm-offboarding', 'revoked-permission'].includes(slug));
		const cli = n8nCli({ paths, env: topology.cliEnv, workDir });
		const cliOutputs = await step('queue: n8n import:credentials, import:workflow, publish:workflow into PostgreSQL', () => importInto(cli, examples, emulator, log));
		const startedAt = Date.now();
		const cluster = await step(`queue: n8n start, n8n webhook, ${WORKERS} × n8n worker --concurrency=${CONCURRENCY}`, () => startQueueTopology({ paths, workDir, topology, log }));
		stops.push(cluster.stop);
		figures.startup = { main: cluster.mainReadySeconds, all: ((Date.now() - startedAt) / 1000).toFixed(1) };
		await step('queue: every process loaded the package from its own folder; nothing to reinstall', () => assertPackageEverywhere(cluster, postgres, log));

		const bySlug = Object.fromEntries(examples.map((example) => [example.slug, example]));
		await step('queue: Plaid Trigger on the webhook processor: forged, tampered, expired → 401, nothing started; signed → one execution, on a worker; the same call again → "already received", nothing started', () =>
			provePlaidTrigger({ example: bySlug['revoked-permission'], emulator, postgres, topology, cluster, e2eDir, repoDir, log, figures: figures.trigger }),
		);
		const redisDumps = [];
		await step(`queue: ${CUSTOMERS} CRM offboarding webhooks in a burst: all on workers, none lost, same outputs everywhere`, () =>
			runBurst({ example: bySlug['crm-offboarding'], customers: CUSTOMERS, emulator, postgres, redis, redisDumps, topology, cluster, e2eDir, repoDir, log, figures: figures.burst }),
		);
		figures.scanned = await step('queue: the secret is in no process output, user folder, pg_dump or Redis dump', async () => {
			const pgDump = await postgres.dump(path.join(workDir, 'queue-pg-dump.sql'));
			redisDumps.push({ when: 'at the end', ...(await redis.dump()) });
			log(`pg_dump: ${(pgDump.length / 1024).toFixed(0)} KB; Redis dumps: ${redisDumps.map(({ when, keys }) => `${when} ${keys} keys`).join(', ')}`);
			return scanForSecret({ secret: emulator.secret, cluster, cliOutputs, pgDump, redisDumps, services: [postgres.server, redis.server] });
		});
		await step('queue: stop the n8n processes, Redis and the emulator by PID', async () => {
			while (stops.length > 0) await stops.pop()();
		});
	} finally {
		printFigures(figures, log);
		while (stops.length > 0) await stops.pop()().catch(() => undefined);
	}
}
