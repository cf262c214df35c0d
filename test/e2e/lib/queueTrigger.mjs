// The Plaid Trigger in queue mode: Plaid's webhooks reach the webhook processor, where the trigger's
// webhook() verifies them (main has production webhooks turned off); a verified one becomes exactly
// one execution, which a worker runs, and the same signed call sent again is answered as a replay and
// starts nothing. Forged, tampered and expired calls get 401 and start nothing.

import assert from 'node:assert/strict';
import { assertTriggerOutput, sendReplay } from './examples.mjs';
import { executionsByWorker, executionsOf, finishedExecutionsOf, runDataOf } from './queueExecutions.mjs';
import { postWebhook, productionWebhookUrl } from './trigger.mjs';
import { assertPlaidCalls, assertTaskDataClean, expectationsFor } from './workflows.mjs';
import { sleep } from './processes.mjs';

const REFUSED = /Plaid Trigger refused a webhook/g;
/** Long enough for an execution a refused call might have started to show up in the database. */
const SETTLE_MS = 3000;

const countOf = (pattern, text) => [...text.matchAll(pattern)].length;

/** The calls Plaid never made, each with what the trigger must see wrong in it. */
async function forgeries(client, payload, rawBody) {
	const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
	return {
		'forged (signed with a key Plaid never served)': { rawBody, verification: await client.sign(rawBody, { key: 'foreign' }) },
		'tampered (body changed after signing)': { rawBody: JSON.stringify({ ...payload, item_id: 'forged-item' }), verification: await client.sign(rawBody) },
		'expired (token issued 10 minutes ago)': { rawBody, verification: await client.sign(rawBody, { iat: tenMinutesAgo }) },
		'expired (signed with a key Plaid has expired)': { rawBody, verification: await client.sign(rawBody, { key: 'expired' }) },
		'unsigned (no Plaid-Verification header)': { rawBody, verification: undefined },
	};
}

/** Fills `figures` as it goes: each call's answer, the execution and the worker that ran it. */
export async function provePlaidTrigger({ example, emulator, postgres, topology, cluster, e2eDir, repoDir, log, figures }) {
	const { client } = emulator;
	await client.resetToDemo();
	const before = { usr_demo_alice: await client.itemIdsOf('usr_demo_alice'), usr_demo_bob: await client.itemIdsOf('usr_demo_bob') };
	const expectations = await expectationsFor(example.slug);
	const payload = expectations.webhook(before);
	const rawBody = JSON.stringify(payload);
	const url = productionWebhookUrl({ e2eDir, repoDir, baseUrl: topology.webhookUrl, storedWorkflow: example.workflow });
	const webhookLog = () => cluster.byRole('webhook').child.output();
	const refusedBefore = countOf(REFUSED, webhookLog());

	const calls = await forgeries(client, payload, rawBody);
	for (const [name, call] of Object.entries(calls)) {
		const answer = await postWebhook(url, call.rawBody, call.verification);
		assert.equal(answer.status, 401, `${name}: the webhook processor answered ${answer.status}: ${answer.text}`);
		figures.answers[name] = `${answer.status} ${answer.text}`;
		log(`${name}: ${answer.status} ${answer.text.slice(0, 80)}`);
	}
	// Main serves no production webhooks here: a genuine call sent to it reaches no trigger.
	const toMain = await postWebhook(url.replace(topology.webhookUrl, topology.mainUrl), rawBody, await client.sign(rawBody));
	assert.notEqual(toMain.status, 200, `main answered a production webhook (${toMain.status}): it should be the webhook processor's`);
	figures.answers['signed, sent to main'] = `${toMain.status}`;
	log(`signed, but sent to main: ${toMain.status} (main serves no production webhooks)`);
	await sleep(SETTLE_MS);
	assert.equal((await executionsOf(postgres, example.workflow.id)).length, 0, 'a refused webhook started an execution');
	assert.equal(countOf(REFUSED, webhookLog()) - refusedBefore, Object.keys(calls).length, "the webhook processor's log does not show the trigger refusing each forgery");

	const verification = await client.sign(rawBody);
	const answer = await postWebhook(url, rawBody, verification);
	assert.equal(answer.status, 200, `the signed webhook answered ${answer.status}: ${answer.text}`);
	figures.answers.signed = `${answer.status} ${answer.text}`;
	const replay = await sendReplay({ url, rawBody, verification, answer, log });
	figures.answers['the same signed call again'] = `${replay.status} ${replay.text}`;
	const executions = await finishedExecutionsOf(postgres, example.workflow.id, 1, 60_000);
	await sleep(SETTLE_MS);
	const all = await executionsOf(postgres, example.workflow.id);
	assert.equal(all.length, 1, `expected exactly one execution, found ${all.length}`);
	const [execution] = executions;
	assert.equal(execution.status, 'success', `the execution ended ${execution.status}`);
	const worker = executionsByWorker(cluster.workers).get(execution.id);
	assert.ok(worker, `no worker's log shows execution ${execution.id}`);

	const { runData, error } = (await runDataOf(postgres, e2eDir, [execution.id])).get(execution.id);
	assert.equal(error, undefined, `the execution failed: ${error?.message}`);
	assertTaskDataClean(example, runData);
	const requests = await client.requests();
	assertPlaidCalls(example, requests, emulator);
	assertTriggerOutput(example, runData, payload, verification, requests);
	await expectations.check({ runData, requests, client, before, payload, baseUrl: emulator.url, log });
	Object.assign(figures, { executionId: execution.id, worker, keyFetches: requests.filter(({ path }) => path === '/webhook_verification_key/get').length });
	log(`signed: 200, execution ${execution.id} ${execution.status} on ${worker}; Plaid calls: ${requests.map(({ path }) => path).join(', ')}`);
}
