#!/usr/bin/env node
// npm run test:e2e [-- --update-docs] [--only examples|agent|compat|queue] [--queue-rate-limit N|'<json>']
// Proves the shipped artifact in the real n8n app: install the pinned n8n app (once), run the README's
// install-from-source commands (a clone of this repository's HEAD, `npm ci`, `npm run pack`, the package
// unpacked where n8n's Community Nodes installer puts packages; lib/communityPackage.mjs), run the example
// workflows with `n8n execute` against the Plaid emulator (the token recipe also against a PostgreSQL
// started here as the app's database), check that n8n's HTTP Request node sends the Plaid keys only
// under the credential's URL, run the n8n 3.0 settings docs/deployment.md asks for (SSRF protection
// with its loopback allow-list, unverified packages off), fire the Plaid Trigger and the other
// webhook-started examples through a running `n8n start`, and check the editor in headless chromium. Any failed check names its step and
// exits 1. PostgreSQL is one cluster per run, shared by the suites that need a database.
// --update-docs copies the editor screenshots into docs/; --keep keeps the run's temp folder (kept
// anyway when the run fails, for its logs, database and screenshots). --only <suite> runs one suite:
// examples (the above, one n8n process on sqlite), agent (suites/agent.mjs: the Plaid tool under n8n's
// AI Agent), compat (suites/compat.mjs: n8n 1.85 and 1.x) or queue (suites/queue.mjs: n8n in queue
// mode with Redis, PostgreSQL, a webhook processor and workers).

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, ensureInstalled, layout, nodeVersionOf } from './lib/install.mjs';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { n8nCli, n8nEnvironment } from './lib/n8n.mjs';
import { freePort, stop, stopAllNow } from './lib/processes.mjs';
import { restClient, waitUntilServing } from './lib/server.mjs';
import { CHROMIUM, checkEditor } from './lib/editor.mjs';
import { credentialsReferenced, loadExamples } from './lib/workflows.mjs';
import { executeExample, fireWebhooks, proveFailingRunIsCaught } from './lib/examples.mjs';
import { offboardCustomersWithEvidence } from './lib/crmEvidence.mjs';
import { REGULAR_BURST, runRegularBurst } from './lib/regularBurst.mjs';
import { buildFromReadme, installCommunityPackage } from './lib/communityPackage.mjs';
import { appDatabaseFor } from './lib/appDatabase.mjs';
import { planHttpRequestChecks } from './lib/httpRequestNode.mjs';
import { proveHandInstalledLoadsUnverifiedOff, proveSsrfAllowList, settingsWorkflow } from './lib/deploymentSettings.mjs';
import { suitePostgres } from './lib/postgres.mjs';
import { agentSuite } from './suites/agent.mjs';
import { compatSuite } from './suites/compat.mjs';
import { queueSuite } from './suites/queue.mjs';

const e2eDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.resolve(e2eDir, '..', '..');
const paths = layout(e2eDir);
const updateDocs = process.argv.includes('--update-docs');
const keepWorkDir = process.argv.includes('--keep');
/** The value after a flag (`--flag value`), or undefined. */
const argumentOf = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const SUITES = ['examples', 'agent', 'compat', 'queue'];
const only = argumentOf('--only');
if (only !== undefined && !SUITES.includes(only)) throw new Error(`--only: unknown suite "${only}" (known: ${SUITES.join(', ')})`);
const runs = (suite) => only === undefined || only === suite;

const log = (message) => process.stdout.write(`    ${message}\n`);
const results = [];

/** Runs one named step; a failure is reported with the step's name. */
async function step(name, action) {
	process.stdout.write(`\n==> ${name}\n`);
	const startedAt = Date.now();
	try {
		const value = await action();
		results.push({ name, seconds: (Date.now() - startedAt) / 1000, ok: true });
		return value;
	} catch (error) {
		results.push({ name, seconds: (Date.now() - startedAt) / 1000, ok: false });
		throw Object.assign(error, { step: name });
	}
}

/** The README's build lines under the given Node, then its install lines into the suite's user folder. */
async function buildAndInstall(workDir, userFolder) {
	const label = `Node ${nodeVersionOf(paths.node24)}`;
	const build = await step(`README install from source, ${label}: git clone (this repository's HEAD), npm ci, npm run pack`, async () => {
		const built = await buildFromReadme({ repoDir, workDir, nodeBinDir: path.join(paths.nodeDir, 'bin'), label });
		log(`${path.basename(built.tarball)} from commit ${built.commit} in ${built.seconds.toFixed(0)} s${uncommittedNote()}`);
		return built;
	});
	await step("README install from source: its install lines put the package into $N8N_USER_FOLDER/.n8n/nodes", async () => {
		const { target, n8n } = await installCommunityPackage(build.tarball, userFolder);
		log(`${target} (n8n block: ${n8n.nodes.length} node(s), ${n8n.credentials.length} credential(s))`);
	});
	return build.tarball;
}

/** The README's clone is of HEAD: say so when the working tree holds changes it leaves out. */
function uncommittedNote() {
	const changed = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoDir, encoding: 'utf8' }).trim();
	return changed === '' ? '' : `; uncommitted changes are not in it:\n      ${changed.split('\n').join('\n      ')}`;
}

/** The app and browser installed, the package built and installed by the README's commands, the emulator running. */
async function prepare(workDir, userFolder) {
	await step('Node 24 and the n8n app (installed once, then reused)', () => ensureInstalled(paths, log));
	const tarball = await buildAndInstall(workDir, userFolder);
	if (runs('examples')) await step('Debian chromium (apt-get install when missing)', () => ensureChromium(CHROMIUM, log));
	const emulator = await step('start the Plaid emulator', async () => {
		const started = await startEmulatorProcess(repoDir);
		log(`emulator at ${started.url}`);
		return started;
	});
	return { tarball, emulator };
}

/** Credentials and workflows into n8n's database, webhook-started workflows published. */
async function importAll(cli, examples, emulator, databaseCredentials) {
	const credentials = credentialsReferenced(examples);
	if (credentials.length === 0) throw new Error('no example references a plaidApi credential');
	const database = databaseCredentials.length > 0 ? `; postgres → the app database, as ${databaseCredentials.map(({ id }) => id).join(', ')}` : '';
	await step(`n8n import:credentials: plaidApi → the emulator, as ${credentials.map(({ id }) => id).join(', ')}${database}`, () =>
		cli.importCredentials([
			...credentials.map(({ id, name }) => ({
				id,
				name,
				type: 'plaidApi',
				data: { environment: 'custom', baseUrl: emulator.url, clientId: emulator.clientId, secret: emulator.secret },
			})),
			...databaseCredentials,
		]),
	);
	for (const example of examples) {
		await step(`n8n import:workflow ${example.file}`, () => cli.importWorkflow(example.workflow));
		if (example.serverStarted) await step(`n8n publish:workflow ${example.file}`, () => cli.publishWorkflow(example.workflow.id));
	}
	return credentials;
}

/** `n8n start`, then the editor and the webhook-started examples; the server is stopped at the end. */
async function onTheServer({ cli, examples, emulator, database, port, workDir }) {
	const baseUrl = `http://127.0.0.1:${port}`;
	const server = await step(`n8n start on ${baseUrl}`, async () => {
		const started = cli.startServer();
		await waitUntilServing(baseUrl, started);
		return started;
	});
	const rest = restClient(baseUrl);
	await step('set up the owner account (REST API)', () => rest.setUpOwner());
	await step(
		'editor: the node panel; Remove Items with its notice and Preview Only (screenshots); Get Items with neither; Item → Terminate → Remove drops the Reason Code; saved as 1.1; pasted nodes open on Get Items (1.1) and Remove Items (1)',
		() => editorCheck({ baseUrl, rest, workDir }),
	);
	for (const example of examples.filter((candidate) => candidate.serverStarted)) {
		if (example.slug === 'crm-offboarding') {
			await step(`webhooks → ${example.file}: its Data table created (REST API), three customers closed (one execution each), the evidence rows read back through n8n`, () =>
				offboardCustomersWithEvidence({ rest, example, emulator, e2eDir, repoDir, baseUrl, log }),
			);
			await step(`regular mode: ${REGULAR_BURST.customers} CRM webhooks in a burst under a fixed window of 10 calls a second: none lost, achieved / allowed`, () =>
				runRegularBurst({ rest, example, emulator, e2eDir, repoDir, baseUrl, log }),
			);
			continue;
		}
		const calls = example.plaidSigned ? 'forged: 401, nothing run; signed: one execution; the same signed call again: "already received", nothing run' : 'one call, one execution';
		await step(`webhooks → ${example.file} (${calls})`, () => fireWebhooks({ rest, example, emulator, database, e2eDir, repoDir, baseUrl, log }));
	}
	await step("n8n server's log: the credential secret is not in it", () => {
		if (server.output().includes(emulator.secret)) throw new Error('the credential secret appears in the n8n server log');
	});
	await step('stop n8n by its process group', () => stop(server));
}

async function main() {
	const workDir = mkdtempSync(path.join(os.tmpdir(), 'n8n-plaid-e2e-'));
	const userFolder = path.join(workDir, 'user');
	log(`work folder ${workDir}`);
	const postgres = suitePostgres({ e2eDir, log });
	try {
		const { tarball, emulator } = await prepare(workDir, userFolder);
		if (runs('examples')) await examplesInTheApp({ workDir, userFolder, emulator, postgres });
		if (runs('agent')) await agentSuite({ step, log, paths, workDir, tarball, emulator });
		if (runs('compat')) await compatSuite({ step, log, paths, e2eDir, repoDir, workDir, tarball, emulator, postgres });
		if (runs('queue')) await queueSuite({ step, log, paths, e2eDir, repoDir, workDir, tarball, postgres, rateLimit: argumentOf('--queue-rate-limit') });
		await step('stop the emulator', () => stop(emulator.child));
		if (postgres.started()) await step('stop PostgreSQL by its PID', () => postgres.stop());
	} finally {
		// After a failure too: its data folder lives outside the work folder (it must be the postgres user's).
		await postgres.stop().catch(() => undefined);
	}
	if (keepWorkDir) log(`kept ${workDir}`);
	// The README builds' clones hold a full npm install each (about 1.1 GB): their removal is timed too.
	else await step("remove the run's temporary folder (the README builds' clones included)", () => rm(workDir, { recursive: true, force: true }));
}

/** The examples, a failing run, the server and the editor, in n8n 2.41.1. */
async function examplesInTheApp({ workDir, userFolder, emulator, postgres }) {
	const port = await freePort();
	const env = n8nEnvironment({ paths, userFolder, port, brokerPort: await freePort() });
	const cli = n8nCli({ paths, env, workDir });
	const examples = loadExamples(repoDir);
	log(`examples: ${examples.map((example) => `${example.file}${example.serverStarted ? ' (webhook-started)' : ''}`).join(', ')}`);
	const { database, credentials: databaseCredentials } = await appDatabaseFor(examples, { step, postgres });
	const credentials = await importAll(cli, examples, emulator, databaseCredentials);
	for (const example of examples.filter((candidate) => !candidate.serverStarted)) {
		await step(`n8n execute ${example.file}`, () => executeExample({ cli, example, emulator, database, log }));
	}
	await step('a failing workflow: n8n execute exits non-zero and the check rejects it', () =>
		proveFailingRunIsCaught({ cli, emulator, credentialId: credentials[0].id, log }),
	);
	await httpRequestNodeChecks({ cli, emulator, credentialId: credentials[0].id });
	await deploymentSettingsChecks({ cli, env, workDir, emulator, credentialId: credentials[0].id });
	await onTheServer({ cli, examples, emulator, database, port, workDir });
}

/** n8n's HTTP Request node on the Plaid credential: under its base URL it works; another origin gets nothing. */
async function httpRequestNodeChecks({ cli, emulator, credentialId }) {
	const checks = await planHttpRequestChecks({ emulator, credentialId });
	await step(`HTTP Request node (Plaid API credential) → ${checks.urls.working}: n8n execute succeeds, one call with the keys`, async () => {
		await cli.importWorkflows(checks.workflows);
		await checks.underTheBaseUrl({ cli, log });
	});
	await step(`HTTP Request node (Plaid API credential) → ${checks.urls.elsewhere} (another origin): n8n execute fails, that origin receives nothing`, () =>
		checks.onAnotherOrigin({ cli, log }),
	);
}

/** What docs/deployment.md says to set for n8n 3.0, each under one Get Items run. */
async function deploymentSettingsChecks({ cli, env, workDir, emulator, credentialId }) {
	const context = await settingsWorkflow({ cli, paths, env, workDir, emulator, credentialId });
	await step('N8N_SSRF_PROTECTION_ENABLED=true: the emulator on 127.0.0.1 is refused, nothing reaches it; with N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32, Get Items runs', () =>
		proveSsrfAllowList(context, log),
	);
	await step('N8N_UNVERIFIED_PACKAGES_ENABLED=false (n8n 3.0 default): the package installed by hand still loads and Get Items runs', () =>
		proveHandInstalledLoadsUnverifiedOff(context, log),
	);
}

async function editorCheck({ baseUrl, rest, workDir }) {
	const shots = { parameterShot: path.join(workDir, 'plaid-node.png'), nodePanelShot: path.join(workDir, 'plaid-node-panel.png') };
	await checkEditor({ e2eDir, repoDir, baseUrl, rest, ...shots, failureShot: path.join(workDir, 'editor-failure.png'), log });
	log(`screenshots: ${shots.parameterShot}, ${shots.nodePanelShot}`);
	if (updateDocs) {
		mkdirSync(path.join(repoDir, 'docs'), { recursive: true });
		for (const shot of Object.values(shots)) copyFileSync(shot, path.join(repoDir, 'docs', path.basename(shot)));
		log('copied into docs/');
	}
}

function summary() {
	process.stdout.write('\nSteps:\n');
	for (const { name, seconds, ok } of results) process.stdout.write(`  ${ok ? 'ok  ' : 'FAIL'} ${seconds.toFixed(1).padStart(6)} s  ${name}\n`);
	const total = results.reduce((sum, { seconds }) => sum + seconds, 0);
	const failed = results.filter(({ ok }) => !ok).length;
	process.stdout.write(`  total ${total.toFixed(1)} s\n\n${results.length - failed} passed, ${failed} failed\n`);
}

process.on('exit', stopAllNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		process.stderr.write(`\ne2e: ${signal}, stopping everything started\n`);
		process.exit(130);
	});
}

main().then(
	() => {
		summary();
		process.exit(0);
	},
	(error) => {
		summary();
		process.stderr.write(`\ne2e FAILED in step "${error.step ?? '(outside a step)'}":\n${error.stack ?? error}\n`);
		process.exit(1);
	},
);
