// The packed package in older n8n releases (lib/compatApps.mjs: the oldest supported one on Node 20,
// the latest 1.x on Node 24), each with a fresh user folder the README's install lines put the package
// into. On Node 20 the README's build lines run again under that Node (a Node 24 build is what the
// suite's other apps get): the install from source is proven on both. Every manually started example runs
// through `n8n execute` with its expectations (the exact Plaid calls), then on `n8n start` the node,
// trigger, tool and credential types must be registered and the webhook-started examples answer as
// in 2.41.1 (forged Plaid webhooks 401, a signed one starts exactly one execution and is answered by
// the trigger itself, the same call again is answered as a replay and starts nothing; the token
// recipe reads and writes the app database through n8n's Postgres node). Nothing n8n logs
// may say the package loaded badly. The install and the checks are timed per release.

import assert from 'node:assert/strict';
import path from 'node:path';
import { appDatabaseFor } from '../lib/appDatabase.mjs';
import { examplesTheAppRuns } from '../lib/appNodeTypes.mjs';
import { buildFromReadme, installCommunityPackage } from '../lib/communityPackage.mjs';
import { COMPAT_APPS, compatLayout, ensureCompatApp } from '../lib/compatApps.mjs';
import { executeExample, fireWebhooks } from '../lib/examples.mjs';
import { n8nCli, n8nEnvironment } from '../lib/n8n.mjs';
import { packageLoadProblems } from '../lib/packageLog.mjs';
import { freePort, stop, waitFor } from '../lib/processes.mjs';
import { restClient, waitUntilServing } from '../lib/server.mjs';
import { credentialsReferenced, loadExamples } from '../lib/workflows.mjs';

const PACKAGE_TYPES = {
	nodes: ['n8n-nodes-plaid.plaid', 'n8n-nodes-plaid.plaidTrigger', 'n8n-nodes-plaid.plaidTool'],
	credentials: ['plaidApi'],
};

export async function compatSuite(context) {
	const timings = [];
	// The suite's own tarball was built under Node 24; an app on the machine's Node gets one built under it.
	const tarballs = { node24: context.tarball };
	for (const definition of COMPAT_APPS) {
		const app = compatLayout(context.e2eDir, context.paths, definition);
		tarballs[app.runtime] ??= await buildUnder(app, context);
		timings.push(await runOn(app, { ...context, tarball: tarballs[app.runtime] }));
	}
	for (const { label, install, checks } of timings) context.log(`${label}: install ${install}, checks ${checks.toFixed(0)} s`);
}

/** The README's build lines (a clone of HEAD, npm ci, npm run pack) under the app's Node. */
async function buildUnder(app, { step, log, repoDir, workDir }) {
	const label = `Node ${app.nodeVersion}`;
	return await step(`README install from source, ${label}: git clone (this repository's HEAD), npm ci, npm run pack`, async () => {
		const built = await buildFromReadme({ repoDir, workDir, nodeBinDir: path.dirname(app.node), label });
		log(`${path.basename(built.tarball)} from commit ${built.commit} in ${built.seconds.toFixed(0)} s`);
		return built.tarball;
	});
}

/** One release: installed (once), the package installed by the README's lines, the examples run, the server checked. */
async function runOn(app, { step, log, repoDir, workDir, tarball, emulator, postgres }) {
	const label = `n8n ${app.version} on Node ${app.nodeVersion}`;
	const installStarted = Date.now();
	const { installed } = await step(`${label} (${app.role}): installed once, then reused`, () => ensureCompatApp(app, log));
	const install = installed ? `${((Date.now() - installStarted) / 1000).toFixed(0)} s` : 'skipped (installed earlier)';
	const checksStarted = Date.now();

	const appWorkDir = path.join(workDir, `n8n-${app.version}`);
	const userFolder = path.join(appWorkDir, 'user');
	await step(`${label}: the README's install lines put the package into a fresh user folder`, () => installCommunityPackage(tarball, userFolder));
	const port = await freePort();
	const env = n8nEnvironment({ paths: app, userFolder, port, brokerPort: await freePort() });
	const outputs = [];
	const cli = recordingOutputs(n8nCli({ paths: app, env, workDir: appWorkDir }), outputs);
	const examples = examplesTheAppRuns(loadExamples(repoDir), app, log);
	const { database, credentials: databaseCredentials } = await appDatabaseFor(examples, { step, postgres, label: `${label}: ` });

	await step(`${label}: n8n import:credentials and import:workflow (every example)`, async () => {
		await cli.importCredentials([
			...credentialsReferenced(examples).map(({ id, name }) => ({
				id,
				name,
				type: 'plaidApi',
				data: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
			})),
			...databaseCredentials,
		]);
		await cli.importWorkflows(examples.map(({ workflow }) => workflow));
		// n8n 1.x has no publish:workflow; an active workflow is registered when the server starts.
		for (const { workflow } of examples.filter((example) => example.serverStarted)) {
			await cli.command(['update:workflow', `--id=${workflow.id}`, '--active=true']);
		}
	});
	for (const example of examples.filter((candidate) => !candidate.serverStarted)) {
		await step(`${label}: n8n execute ${example.file}`, () => executeExample({ cli, example, emulator, database, log }));
	}
	await onTheServer({ step, log, label, app, repoDir, cli, examples, emulator, database, port, outputs });
	await step(`${label}: nothing n8n logged says the package loaded badly`, () => {
		const problems = packageLoadProblems(outputs.join('\n'));
		assert.deepEqual(problems, [], `n8n ${app.version} logged problems loading the package:\n${problems.join('\n')}`);
	});
	return { label, install, checks: (Date.now() - checksStarted) / 1000 };
}

/** The CLI, with every command's output kept for the load check. */
function recordingOutputs(cli, outputs) {
	const recorded = (method) => async (...args) => {
		const result = await method(...args);
		outputs.push(result.output);
		return result;
	};
	return {
		...cli,
		importCredentials: recorded(cli.importCredentials),
		importWorkflows: recorded(cli.importWorkflows),
		command: recorded(cli.command),
		execute: recorded(cli.execute),
	};
}

async function onTheServer({ step, log, label, app, repoDir, cli, examples, emulator, database, port, outputs }) {
	const baseUrl = `http://127.0.0.1:${port}`;
	const server = await step(`${label}: n8n start on ${baseUrl}`, async () => {
		const started = cli.startServer();
		await waitUntilServing(baseUrl, started);
		// n8n 1.x answers its readiness check before it mounts the REST API.
		await waitFor('n8n to serve /rest/settings', async () => (await fetch(`${baseUrl}/rest/settings`, { signal: AbortSignal.timeout(2000) })).ok, {
			timeoutMs: 60_000,
			intervalMs: 500,
		});
		return started;
	});
	try {
		const rest = restClient(baseUrl);
		await step(`${label}: set up the owner account (REST API)`, () => rest.setUpOwner());
		await step(`${label}: the editor's type lists hold the node, trigger, tool and credential`, () => assertPackageTypes(rest, log));
		for (const example of examples.filter((candidate) => candidate.serverStarted)) {
			const calls = example.plaidSigned ? 'forged: 401, nothing run; signed: one execution; replayed: "already received", nothing run' : 'one call, one execution';
			await step(`${label}: webhooks → ${example.file} (${calls})`, () =>
				// The app's own n8n-workflow and flatted (under app.dir) compute the webhook URL and read executions.
				fireWebhooks({ rest, example, emulator, database, e2eDir: app.dir, repoDir, baseUrl, log }),
			);
		}
		await step(`${label}: the credential secret is not in the server's log`, () => {
			assert.ok(!server.output().includes(emulator.secret), 'the credential secret appears in the n8n server log');
		});
	} finally {
		await stop(server);
		outputs.push(server.output());
	}
}

/** The node and credential types the editor is served (/types/*.json) include the package's. */
async function assertPackageTypes(rest, log) {
	for (const [list, expected] of Object.entries(PACKAGE_TYPES)) {
		const served = new Set((await rest.getJson(`/types/${list}.json`)).map((type) => type.name));
		const missing = expected.filter((name) => !served.has(name));
		assert.deepEqual(missing, [], `/types/${list}.json lacks ${missing.join(', ')}`);
	}
	log(`registered: ${[...PACKAGE_TYPES.nodes, ...PACKAGE_TYPES.credentials].join(', ')}`);
}
