// The CRM offboarding example at scale in regular mode: one `n8n start` runs every execution itself.
// Many customers closed at once against a rate-limited Plaid; nothing may be lost, and the run says
// how close it came to the best schedule the limit allows (queueBurst.mjs does the same in queue mode).

import assert from 'node:assert/strict';
import { achievedAllowed, burstCustomers, countBy, fireBurst, seedCustomers } from './queueBurst.mjs';
import { productionWebhookUrl } from './trigger.mjs';
import { waitFor } from './processes.mjs';

export const REGULAR_BURST = {
	customers: 60,
	// One fixed window of 10 calls a second over the four endpoints the example calls: 240 calls, about 24 s.
	rateLimits: [{ shape: 'fixed-window', limit: 10, windowMs: 1000, paths: ['/user/items/get', '/user/items/remove', '/user/products/terminate', '/user/remove'] }],
};
const BURST_TIMEOUT_MS = 5 * 60_000;
const UNFINISHED = new Set(['new', 'running', 'waiting']);
const seconds = (ms) => (ms / 1000).toFixed(1);

/** n8n's REST API lists at most 100 executions a page. */
const LISTED = 100;

/** The workflow's executions (n8n's REST API, as the owner), newest first, at most LISTED. */
const executionsOf = async (rest, workflowId) =>
	(await rest.call('GET', `executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=${LISTED}`)).results;

/**
 * Fires the burst at a running n8n (regular mode) and judges it: every webhook accepted, one
 * successful execution each, every customer's Plaid user and Items gone. Logs achieved / allowed.
 */
export async function runRegularBurst({ rest, example, emulator, e2eDir, repoDir, baseUrl, log }) {
	const { client } = emulator;
	const before = (await executionsOf(rest, example.workflow.id)).length;
	assert.ok(before + REGULAR_BURST.customers < LISTED, `${before} earlier executions: the burst's would not all be listed`);
	await client.resetToDemo();
	const customers = burstCustomers(REGULAR_BURST.customers);
	await seedCustomers(client, customers);
	await client.setRateLimits(REGULAR_BURST.rateLimits);
	try {
		const url = productionWebhookUrl({ e2eDir, repoDir, baseUrl, storedWorkflow: await rest.workflow(example.workflow.id) });
		const sentAt = Date.now();
		const answers = await fireBurst(url, customers);
		log(`${customers.length} webhooks answered in ${seconds(Date.now() - sentAt)} s: ${JSON.stringify(countBy(answers.values()))}`);
		assert.deepEqual(countBy(answers.values()), { 200: customers.length }, 'webhook answers');
		const executions = await waitFor(
			`${customers.length} more finished executions of workflow ${example.workflow.id}`,
			async () => {
				const all = await executionsOf(rest, example.workflow.id);
				const done = all.length >= before + customers.length && !all.some(({ status }) => UNFINISHED.has(status));
				return done ? all.slice(0, all.length - before) : undefined;
			},
			{ timeoutMs: BURST_TIMEOUT_MS, intervalMs: 1000 },
		);
		assert.deepEqual(countBy(executions.map(({ status }) => status)), { success: customers.length }, 'execution statuses');
		const requests = await client.requests();
		const lost = [];
		for (const { userId } of customers) if ((await client.user(userId)).exists) lost.push(userId);
		const finishedAt = Math.max(...executions.map(({ stoppedAt }) => new Date(stoppedAt).getTime()));
		const achieved = await achievedAllowed({ emulator, repoDir, requests, customers, inFlight: Infinity, sentAt, finishedAt });
		log(`finished ${executions.length} executions ${seconds(finishedAt - sentAt)} s after the first webhook; Plaid answers ${JSON.stringify(countBy(requests.map(({ response }) => response.status)))}`);
		log(
			`achieved / allowed: ${achieved.ofIdeal} of the ideal schedule (${achieved.idealSeconds} s for ${customers.length} customers × ${achieved.callsPerCustomer} calls); ` +
				`${achieved.callsPerSecond} calls/s answered, ${achieved.ofNominal} of the limit's nominal ${achieved.nominalPerSecond}/s`,
		);
		log(`lost: ${lost.length} of ${customers.length}`);
		assert.deepEqual(lost, [], 'customers still at Plaid after their execution succeeded');
	} finally {
		await client.setRateLimits([]);
	}
}
