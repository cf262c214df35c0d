// One example workflow, run in the app and judged: on a freshly seeded emulator, through `n8n execute`
// (manual start) or through webhooks to a running server (Plaid Trigger / Webhook start). The checks
// every run must pass are in workflows.mjs; an example's own are in expectations/<example>.mjs.

import assert from 'node:assert/strict';
import { assertPlaidCalls, assertRanCleanly, assertTaskDataClean, expectationsFor, onlyItem } from './workflows.mjs';
import { finishedExecutions, postWebhook, productionWebhookUrl, runDataOf } from './trigger.mjs';

const DEMO_USERS = ['usr_demo_alice', 'usr_demo_bob'];

/** Resets the emulator to the demo seed and returns each demo user's item_ids. */
async function freshDemoState(client) {
	await client.resetToDemo();
	return Object.fromEntries(await Promise.all(DEMO_USERS.map(async (userId) => [userId, await client.itemIdsOf(userId)])));
}

export async function executeExample({ cli, example, emulator, log }) {
	const { client } = emulator;
	const before = await freshDemoState(client);
	const { code, run, output } = await cli.execute(example.workflow.id);
	const requests = await client.requests();
	const runData = assertRanCleanly({ example, code, run, output, requests, emulator });
	log(`exit ${code}, nodes run: ${Object.keys(runData).join(', ')}; Plaid calls: ${requests.map((request) => request.path).join(', ')}`);
	await checkExpectations(example, { runData, requests, client, before, log });
}

async function checkExpectations(example, context) {
	const expectations = await expectationsFor(example.slug);
	if (expectations) {
		try {
			await expectations.check(context);
		} catch (error) {
			logRun(context);
			throw error;
		}
		context.log(`expectations/${example.slug}.mjs: passed`);
	} else {
		context.log(`no expectations/${example.slug}.mjs: only the checks every example must pass`);
	}
}

/** What each node put out, for the log of a failed check (secrets are never in outputs). */
function logRun({ runData, log }) {
	for (const [nodeName, [task]] of Object.entries(runData)) {
		const outputs = (task.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
		log(`  ${nodeName}: ${JSON.stringify(outputs).slice(0, 600)}`);
	}
}

/**
 * Runs a webhook-started example through the server: the example's expectations say what to POST.
 * For the Plaid Trigger, forged calls go first (each must get 401); then the one genuine call must
 * leave exactly one execution, so none of the forged ones started any.
 */
export async function fireWebhooks({ rest, example, emulator, e2eDir, repoDir, baseUrl, log }) {
	const { client } = emulator;
	const before = await freshDemoState(client);
	const expectations = await expectationsFor(example.slug);
	assert.ok(expectations?.webhook, `${example.file} starts from a webhook: expectations/${example.slug}.mjs must export webhook(before)`);
	const payload = expectations.webhook(before);
	const rawBody = JSON.stringify(payload);
	const url = productionWebhookUrl({ e2eDir, repoDir, baseUrl, storedWorkflow: await rest.workflow(example.workflow.id) });
	log(`production webhook URL ${url}`);

	const { plaidSigned } = example;
	if (plaidSigned) await sendForgeries({ client, url, payload, rawBody, log });
	const verification = plaidSigned ? await client.sign(rawBody) : undefined;
	const answer = await postWebhook(url, rawBody, verification);
	assert.equal(answer.status, 200, `the ${plaidSigned ? 'signed ' : ''}webhook answered ${answer.status}: ${answer.text}`);

	const executions = await finishedExecutions(rest, example.workflow.id, 1);
	assert.equal(executions.length, 1, `expected exactly one execution, found ${executions.length}`);
	assert.equal(executions[0].status, 'success', `the execution ended ${executions[0].status}`);
	const { runData, error } = await runDataOf(rest, e2eDir, executions[0].id);
	assert.equal(error, undefined, `the execution failed: ${error?.message}`);
	assertTaskDataClean(example, runData);
	const requests = await client.requests();
	assertPlaidCalls(example, requests, emulator);
	if (plaidSigned) assertTriggerOutput(example, runData, payload, verification, requests);
	log(`${plaidSigned ? 'signed' : 'webhook'}: 200, execution ${executions[0].id} ${executions[0].status}; Plaid calls: ${requests.map((request) => request.path).join(', ')}`);
	await checkExpectations(example, { runData, requests, client, before, payload, log });
}

async function sendForgeries({ client, url, payload, rawBody, log }) {
	const forgeries = {
		'signed with a key Plaid never served': { rawBody, verification: await client.sign(rawBody, { key: 'foreign' }) },
		'body changed after signing': { rawBody: JSON.stringify({ ...payload, item_id: 'forged-item' }), verification: await client.sign(rawBody) },
		'no Plaid-Verification header': { rawBody, verification: undefined },
	};
	for (const [forgery, call] of Object.entries(forgeries)) {
		const answer = await postWebhook(url, call.rawBody, call.verification);
		assert.equal(answer.status, 401, `forged webhook (${forgery}) answered ${answer.status}: ${answer.text}`);
		assert.ok(!answer.text.includes(payload.item_id) && !answer.text.includes('forged-item'), `the 401 for "${forgery}" echoes the body`);
		log(`forged (${forgery}): 401 ${answer.text.slice(0, 100)}`);
	}
}

/**
 * The Plaid Trigger emits the body unchanged plus `verified` and the key id that signed it (the
 * contract), having fetched that key from the emulator.
 */
export function assertTriggerOutput(example, runData, payload, verification, requests) {
	const trigger = example.workflow.nodes.find((node) => node.type === 'n8n-nodes-plaid.plaidTrigger');
	const { kid } = JSON.parse(Buffer.from(verification.split('.')[0], 'base64url').toString('utf8'));
	assert.deepEqual(onlyItem(runData, trigger.name), { ...payload, verified: true, verification_key_id: kid });
	assert.ok(
		requests.some((request) => request.path === '/webhook_verification_key/get' && request.body.key_id === kid),
		'the trigger never fetched the verification key from the emulator',
	);
}

/**
 * The suite's own failure detection, proven in the app: a workflow whose Plaid call fails (an Item
 * the user does not have) must make `n8n execute` exit non-zero and the run check reject it, with
 * Plaid's error code in n8n's report and the secret nowhere in it.
 */
export async function proveFailingRunIsCaught({ cli, emulator, credentialId, log }) {
	const example = {
		file: '(a deliberately failing workflow)',
		workflow: {
			id: 'e2eFailingRun001',
			name: 'e2e: remove an Item the user does not have',
			active: false,
			nodes: [
				{ id: 'f1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'f2',
					name: 'Remove a missing Item',
					type: 'n8n-nodes-plaid.plaid',
					typeVersion: 1,
					position: [240, 0],
					parameters: { resource: 'user', operation: 'removeItems', identifyBy: 'userId', userId: 'usr_demo_alice', itemSelection: 'specific', itemIds: 'itm_not_there' },
					credentials: { plaidApi: { id: credentialId, name: credentialId } },
				},
			],
			connections: { Start: { main: [[{ node: 'Remove a missing Item', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		},
	};
	await cli.importWorkflow(example.workflow);
	const { client } = emulator;
	await freshDemoState(client);
	const { code, run, output } = await cli.execute(example.workflow.id);
	const requests = await client.requests();
	assert.notEqual(code, 0, 'n8n execute exited 0 for a failing workflow');
	assert.throws(() => assertRanCleanly({ example, code, run, output, requests, emulator }), 'the run check accepted a failing run');
	const plaidError = requests.at(-1)?.response.body?.error_code;
	assert.ok(plaidError && output.includes(`${plaidError}:`), `n8n's report lacks the Plaid error code (${plaidError})`);
	assert.ok(!output.includes(emulator.secret), 'the credential secret appears in the failure report');
	log(`exit ${code}; Plaid answered ${plaidError}; the run check rejects it`);
}
