// The n8n variables docs/deployment.md tells a user to set for n8n 3.0, proven in the app with one
// Get Items workflow run under each. SSRF protection (N8N_SSRF_PROTECTION_ENABLED, off by default in
// n8n 2.x) guards the requests a node sends through n8n's helpers, the Plaid node's included, and its
// default blocked ranges hold loopback: with it on, the emulator on 127.0.0.1 is refused and receives
// nothing; with 127.0.0.1 on the allow-list (N8N_SSRF_ALLOWED_IP_RANGES) the workflow runs. And a
// package installed by hand still loads under N8N_UNVERIFIED_PACKAGES_ENABLED=false (3.0's default).

import assert from 'node:assert/strict';
import { n8nCli } from './n8n.mjs';
import { assertRanCleanly } from './workflows.mjs';

export const SSRF_ON = { N8N_SSRF_PROTECTION_ENABLED: 'true' };
export const LOOPBACK_ALLOWED = { ...SSRF_ON, N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32' };
export const UNVERIFIED_OFF = { N8N_UNVERIFIED_PACKAGES_ENABLED: 'false' };

const NODE_NAME = "List Alice's Items";

function getItemsWorkflow(credentialId) {
	return {
		id: 'e2eSettingsRun01',
		name: 'e2e: Get Items under the n8n settings of docs/deployment.md',
		active: false,
		nodes: [
			{ id: 's1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 's2',
				name: NODE_NAME,
				type: 'n8n-nodes-plaid.plaid',
				typeVersion: 1,
				position: [240, 0],
				parameters: { resource: 'user', operation: 'getItems', identifyBy: 'userId', userId: 'usr_demo_alice', splitIntoItems: false },
				credentials: { plaidApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** `n8n execute` of the workflow under extra variables, with what the emulator received meanwhile. */
async function executeWith({ paths, env, workDir, emulator, workflow }, extraEnv) {
	await emulator.client.resetToDemo();
	const { code, signal, error, run, output } = await n8nCli({ paths, env: { ...env, ...extraEnv }, workDir }).execute(workflow.id);
	// A run that ended without an exit code says why, with n8n's last lines: the checks below only see the code.
	assert.ok(code !== null, `n8n execute (${Object.keys(extraEnv).join(', ')}) ended on ${signal ?? error?.message ?? 'no exit code'}\n${output.slice(-3000)}`);
	return { code, run, output, requests: await emulator.client.requests() };
}

/** Imports the Get Items workflow once; returns what each proof runs it with. */
export async function settingsWorkflow({ cli, paths, env, workDir, emulator, credentialId }) {
	const workflow = getItemsWorkflow(credentialId);
	await cli.importWorkflow(workflow);
	return { paths, env, workDir, emulator, workflow };
}

/** A run that must succeed with exactly the one Get Items call. */
async function assertGetItemsRuns(context, extraEnv, label) {
	const { workflow, emulator } = context;
	const run = await executeWith(context, extraEnv);
	assertRanCleanly({ example: { file: `(Get Items, ${label})`, workflow }, ...run, emulator });
	assert.deepEqual(
		run.requests.map(({ path }) => path),
		['/user/items/get'],
		`${label}: the emulator did not receive exactly the Get Items call`,
	);
}

export async function proveSsrfAllowList(context, log) {
	const { emulator } = context;
	const blocked = await executeWith(context, SSRF_ON);
	assert.notEqual(blocked.code, 0, 'with SSRF protection on, a call to the emulator on 127.0.0.1 succeeded');
	assert.deepEqual(blocked.requests, [], 'with SSRF protection on, the emulator on 127.0.0.1 received requests');
	assert.ok(!blocked.output.includes(emulator.secret), 'the credential secret appears in the blocked run');
	// What the user is told (docs/deployment.md quotes it): the node's connection error, with n8n's own
	// reason (SsrfBlockedIpError, "blocked because it resolves to a restricted IP") in it.
	// `n8n execute` prints a failed run's error, with its class, after the run's JSON.
	const said = /^Node(?:Api|Operation)Error: (.+)$/m.exec(blocked.output)?.[1] ?? '';
	assert.ok(said !== '', `with SSRF protection on, n8n execute reported no execution error:\n${blocked.output.slice(-2000)}`);
	assert.match(said, /^Could not reach Plaid at .*blocked/i, 'the error of the run does not pass on why n8n blocked the request');
	log(`N8N_SSRF_PROTECTION_ENABLED=true: exit ${blocked.code}, no request reached the emulator; the run's error: ${said.slice(0, 300)}`);
	await assertGetItemsRuns(context, LOOPBACK_ALLOWED, '127.0.0.1/32 allowed');
	log('N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32 as well: exit 0, one /user/items/get call');
}

export async function proveHandInstalledLoadsUnverifiedOff(context, log) {
	await assertGetItemsRuns(context, UNVERIFIED_OFF, 'N8N_UNVERIFIED_PACKAGES_ENABLED=false');
	log('N8N_UNVERIFIED_PACKAGES_ENABLED=false: the hand-installed package loads, exit 0, one /user/items/get call');
}
