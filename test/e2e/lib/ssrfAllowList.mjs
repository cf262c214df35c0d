// n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED, off by default in n8n 2.x) guards the requests a
// node sends through n8n's helpers, the Plaid node's included, and its default blocked ranges hold
// loopback. What docs/deployment.md tells a user to set, proven in the app: with protection on, a
// workflow calling the emulator on 127.0.0.1 fails and the emulator receives nothing; with 127.0.0.1
// on the allow-list (N8N_SSRF_ALLOWED_IP_RANGES) the same workflow runs.

import assert from 'node:assert/strict';
import { n8nCli } from './n8n.mjs';
import { assertRanCleanly } from './workflows.mjs';

export const SSRF_ON = { N8N_SSRF_PROTECTION_ENABLED: 'true' };
export const LOOPBACK_ALLOWED = { ...SSRF_ON, N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.1/32' };

const NODE_NAME = "List Alice's Items";

function getItemsWorkflow(credentialId) {
	return {
		id: 'e2eSsrfAllowList1',
		name: 'e2e: Get Items under SSRF protection',
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
async function executeWith({ paths, env, workDir, emulator, workflowId }, extraEnv) {
	await emulator.client.resetToDemo();
	const { code, run, output } = await n8nCli({ paths, env: { ...env, ...extraEnv }, workDir }).execute(workflowId);
	return { code, run, output, requests: await emulator.client.requests() };
}

export async function proveSsrfAllowList({ cli, paths, env, workDir, emulator, credentialId, log }) {
	const workflow = getItemsWorkflow(credentialId);
	await cli.importWorkflow(workflow);
	const context = { paths, env, workDir, emulator, workflowId: workflow.id };

	const blocked = await executeWith(context, SSRF_ON);
	assert.notEqual(blocked.code, 0, 'with SSRF protection on, a call to the emulator on 127.0.0.1 succeeded');
	assert.deepEqual(blocked.requests, [], 'with SSRF protection on, the emulator on 127.0.0.1 received requests');
	assert.ok(!blocked.output.includes(emulator.secret), 'the credential secret appears in the blocked run');
	const reason = /[^\n]*(?:SSRF|blocked)[^\n]*/i.exec(blocked.output)?.[0].trim() ?? '(no line names SSRF)';
	log(`N8N_SSRF_PROTECTION_ENABLED=true: exit ${blocked.code}, no request reached the emulator; n8n says: ${reason.slice(0, 240)}`);

	const allowed = await executeWith(context, LOOPBACK_ALLOWED);
	assertRanCleanly({ example: { file: '(Get Items, 127.0.0.1/32 allowed)', workflow }, ...allowed, emulator });
	assert.deepEqual(
		allowed.requests.map(({ path }) => path),
		['/user/items/get'],
		'with 127.0.0.1/32 allowed, the emulator did not receive exactly the Get Items call',
	);
	log('N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.1/32 as well: exit 0, one /user/items/get call');
}
