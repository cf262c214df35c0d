// One example workflow, run in the app and judged: on a freshly seeded emulator (and, for an example
// that keeps data in the app's database, freshly seeded tables), through `n8n execute` (manual start)
// or through webhooks to a running server (Plaid Trigger / Webhook start). The checks every run must
// pass are in workflows.mjs; an example's own are in expectations/<example>.mjs.

import assert from 'node:assert/strict';
import { checkAppDatabase, seedAppDatabase } from './appDatabase.mjs';
import { sleep } from './processes.mjs';
import { assertPlaidCalls, assertRanCleanly, assertTaskDataClean, expectationsFor, onlyItem } from './workflows.mjs';
import { finishedExecutions, postWebhook, productionWebhookUrl, runDataOf } from './trigger.mjs';

/** What the Plaid Trigger answers a webhook it started a run for, and the same webhook sent again. */
export const TRIGGER_ANSWERS = { started: { message: 'received' }, replayed: { message: 'already received; nothing started' } };
/** Long enough for an execution a replayed call might have started to show up. */
const SETTLE_MS = 3000;

const DEMO_USERS = ['usr_demo_alice', 'usr_demo_bob'];

/** Resets the emulator to the demo seed and returns each demo user's item_ids. */
async function freshDemoState(client) {
	await client.resetToDemo();
	return Object.fromEntries(await Promise.all(DEMO_USERS.map(async (userId) => [userId, await client.itemIdsOf(userId)])));
}

export async function executeExample({ cli, example, emulator, database, log }) {
	const { client } = emulator;
	const before = await freshDemoState(client);
	const expectations = await expectationsFor(example.slug);
	await seedAppDatabase(expectations, database, example);
	const { code, run, output } = await cli.execute(example.workflow.id);
	const requests = await client.requests();
	const runData = assertRanCleanly({ example, code, run, output, requests, emulator });
	log(`exit ${code}, nodes run: ${Object.keys(runData).join(', ')}; Plaid calls: ${requests.map((request) => request.path).join(', ')}`);
	await checkExpectations(example, expectations, { runData, requests, client, before, baseUrl: emulator.url, log }, database);
}

async function checkExpectations(example, expectations, context, database) {
	if (!expectations) {
		context.log(`no expectations/${example.slug}.mjs: only the checks every example must pass`);
		return;
	}
	try {
		await expectations.check(context);
	} catch (error) {
		logRun(context);
		throw error;
	}
	const tables = await checkAppDatabase(expectations, database, context.requests);
	context.log(`expectations/${example.slug}.mjs: passed${tables ? ', the app database included' : ''}`);
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
 * For the Plaid Trigger, forged calls go first (each must get 401); then the one genuine call, whose
 * answer is the trigger's own, and the very same signed call again, a replay, which must be
 * answered as such. Exactly one execution must result, so no forged or replayed call started any.
 */
export async function fireWebhooks({ rest, example, emulator, database, e2eDir, repoDir, baseUrl, log }) {
	const { client } = emulator;
	const before = await freshDemoState(client);
	const expectations = await expectationsFor(example.slug);
	assert.ok(expectations?.webhook, `${example.file} starts from a webhook: expectations/${example.slug}.mjs must export webhook(before)`);
	await seedAppDatabase(expectations, database, example);
	const payload = expectations.webhook(before);
	const rawBody = JSON.stringify(payload);
	const url = productionWebhookUrl({ e2eDir, repoDir, baseUrl, storedWorkflow: await rest.workflow(example.workflow.id) });
	log(`production webhook URL ${url}`);

	const { plaidSigned } = example;
	if (plaidSigned) await sendForgeries({ client, url, payload, rawBody, log });
	const verification = plaidSigned ? await client.sign(rawBody) : undefined;
	const answer = await postWebhook(url, rawBody, verification);
	assert.equal(answer.status, 200, `the ${plaidSigned ? 'signed ' : ''}webhook answered ${answer.status}: ${answer.text}`);
	if (plaidSigned) await sendReplay({ url, rawBody, verification, answer, log });

	const executions = await finishedExecutions(rest, example.workflow.id, 1);
	if (plaidSigned) await sleep(SETTLE_MS);
	const all = plaidSigned ? await rest.executionsOf(example.workflow.id) : executions;
	assert.equal(all.length, 1, `expected exactly one execution, found ${all.length}`);
	assert.equal(executions[0].status, 'success', `the execution ended ${executions[0].status}`);
	const { runData, error } = await runDataOf(rest, e2eDir, executions[0].id);
	assert.equal(error, undefined, `the execution failed: ${error?.message}`);
	assertTaskDataClean(example, runData);
	const requests = await client.requests();
	assertPlaidCalls(example, requests, emulator);
	if (plaidSigned) assertTriggerOutput(example, runData, payload, verification, requests);
	log(`${plaidSigned ? 'signed' : 'webhook'}: 200, execution ${executions[0].id} ${executions[0].status}; Plaid calls: ${requests.map((request) => request.path).join(', ')}`);
	await checkExpectations(example, expectations, { runData, requests, client, before, payload, baseUrl: emulator.url, log }, database);
}

/**
 * The genuine call was answered by the trigger itself; the very same signed request sent again
 * (same key, body and iat) must be answered 200 as already received, so that it starts nothing.
 */
export async function sendReplay({ url, rawBody, verification, answer, log }) {
	assert.deepEqual(parseAnswer(answer), TRIGGER_ANSWERS.started, `the signed webhook's answer: ${answer.text}`);
	const replay = await postWebhook(url, rawBody, verification);
	assert.equal(replay.status, 200, `the replayed webhook answered ${replay.status}: ${replay.text}`);
	assert.deepEqual(parseAnswer(replay), TRIGGER_ANSWERS.replayed, `the replayed webhook's answer: ${replay.text}`);
	log(`signed: ${answer.status} ${answer.text}; the same request again: ${replay.status} ${replay.text}`);
	return replay;
}

function parseAnswer({ text }) {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
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
	// After Plaid refuses a removal the node reads the user's Items, to say which are attached.
	const plaidError = requests.find((request) => request.path === '/user/items/remove')?.response.body?.error_code;
	assert.ok(plaidError && output.includes(`${plaidError}:`), `n8n's report lacks the Plaid error code (${plaidError})`);
	assert.ok(!output.includes(emulator.secret), 'the credential secret appears in the failure report');
	log(`exit ${code}; Plaid answered ${plaidError}; the run check rejects it`);
}
