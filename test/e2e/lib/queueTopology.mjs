// n8n in queue mode, the way a team scales it: one main (`n8n start`: editor, API, activation), one
// webhook processor (`n8n webhook`: production webhooks, so the Plaid Trigger's verification runs
// there) and workers (`n8n worker --concurrency=N`: every execution), sharing one PostgreSQL, one
// Redis and one encryption key. Each process has its own user folder, into which the README's install
// lines put the packed package, as each container of a real deployment has its own file system.

import path from 'node:path';
import { installCommunityPackage } from './communityPackage.mjs';
import { n8nEnvironment } from './n8n.mjs';
import { freePort, start, stop, tail, waitFor } from './processes.mjs';

const READY_TIMEOUT_MS = 240_000;

/** Log lines that would mean a process did not load the package, or looked for it on npm. */
const PACKAGE_TROUBLE = [/Class could not be found/i, /packages are missing/i, /Failed to reinstall/i, /reinstall missing packages/i];

/**
 * The variables every process shares: queue mode, the database, Redis, one encryption key, and the
 * community-package settings a deployment uses. `N8N_REINSTALL_MISSING_PACKAGES` only acts on rows
 * of n8n's installed_packages table (packages installed through the editor, from npm); a package
 * unpacked into the user folder has no row, so it stays as it is and nothing is fetched.
 */
function sharedEnvironment({ paths, userFolder, postgres, redis, webhookPort }) {
	const base = n8nEnvironment({ paths, userFolder, port: 0, brokerPort: 0 });
	return {
		...base,
		...postgres.n8nEnv,
		...redis.n8nEnv,
		EXECUTIONS_MODE: 'queue',
		N8N_REINSTALL_MISSING_PACKAGES: 'true',
		// Production webhooks go to the webhook processor only; main keeps the editor and the API.
		N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
		WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
}

/** One process's own part: its user folder (with the package), its ports. */
async function processEnvironment(shared, { userFolder, port, tarball }) {
	await installCommunityPackage(tarball, userFolder);
	return { ...shared, N8N_USER_FOLDER: userFolder, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
}

/**
 * Plans the processes (user folders, ports, environments) without starting them; `cliEnv` is the
 * main's environment, for the import commands that must run before main starts.
 */
export async function planQueueTopology({ paths, workDir, tarball, postgres, redis, workers, concurrency }) {
	const root = path.join(workDir, 'queue');
	const webhookPort = await freePort();
	const shared = sharedEnvironment({ paths, userFolder: path.join(root, 'main'), postgres, redis, webhookPort });
	const mainPort = await freePort();
	const plan = [
		{ role: 'main', label: 'n8n main', args: ['start'], port: mainPort, health: mainPort },
		{ role: 'webhook', label: 'n8n webhook', args: ['webhook'], port: webhookPort, health: webhookPort },
	];
	for (let n = 1; n <= workers; n += 1) {
		const health = await freePort();
		plan.push({ role: `worker-${n}`, label: `n8n worker ${n}`, args: ['worker', `--concurrency=${concurrency}`], port: await freePort(), health, extra: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(health) } });
	}
	for (const entry of plan) {
		entry.userFolder = path.join(root, entry.role);
		entry.env = { ...(await processEnvironment(shared, { userFolder: entry.userFolder, port: entry.port, tarball })), ...entry.extra };
	}
	return {
		plan,
		cliEnv: plan[0].env,
		encryptionKey: shared.N8N_ENCRYPTION_KEY,
		mainUrl: `http://127.0.0.1:${mainPort}`,
		webhookUrl: `http://127.0.0.1:${webhookPort}`,
	};
}

function startOne(paths, workDir, entry) {
	return start(paths.node24, [paths.n8nBin, ...entry.args], { env: entry.env, cwd: workDir, label: entry.label });
}

async function waitReady(entry, child) {
	await waitFor(
		`${entry.label} to serve /healthz/readiness on 127.0.0.1:${entry.health}`,
		async () => {
			if (child.exitCode !== null) throw Object.assign(new Error(`${entry.label} exited ${child.exitCode}\n${tail(child.output())}`), { fatal: true });
			const response = await fetch(`http://127.0.0.1:${entry.health}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			return response.ok;
		},
		{ timeoutMs: READY_TIMEOUT_MS, intervalMs: 500 },
	);
}

/**
 * Starts main first (it activates the published workflows and registers their webhooks in the
 * database), then the webhook processor and the workers together; returns once all serve.
 */
export async function startQueueTopology({ paths, workDir, topology, log }) {
	const running = [];
	const [main, ...others] = topology.plan;
	const startedAt = Date.now();
	const mainChild = startOne(paths, workDir, main);
	running.push({ ...main, child: mainChild });
	await waitReady(main, mainChild);
	const mainReadySeconds = ((Date.now() - startedAt) / 1000).toFixed(1);
	log(`${main.label} ready on ${topology.mainUrl} after ${mainReadySeconds} s`);
	const children = others.map((entry) => ({ ...entry, child: startOne(paths, workDir, entry) }));
	running.push(...children);
	await Promise.all(children.map((entry) => waitReady(entry, entry.child)));
	log(`${others.map((entry) => entry.label).join(', ')} ready after ${((Date.now() - startedAt) / 1000).toFixed(1)} s in all`);
	for (const { label, child } of running) {
		const trouble = PACKAGE_TROUBLE.find((pattern) => pattern.test(child.output()));
		if (trouble) throw new Error(`${label} logged ${trouble}: the package did not load from its user folder\n${tail(child.output())}`);
	}
	return {
		mainReadySeconds,
		processes: running,
		workers: running.filter(({ role }) => role.startsWith('worker-')),
		byRole: (role) => running.find((entry) => entry.role === role),
		stop: () => Promise.all(running.map(({ child }) => stop(child, 15_000))),
	};
}
