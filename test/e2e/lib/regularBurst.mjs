// The CRM offboarding example at scale in regular mode: one `n8n start` runs every execution itself.
// Many customers closed at once against a rate-limited Plaid; nothing may be lost, and the run says
// how close it came to the best schedule the limit allows (queueBurst.mjs does the same in queue mode).

import assert from 'node:assert/strict';
import { achievedAllowed, burstCustomers, countBy, fireBurst, seedCustomers } from './queueBurst.mjs';
import { finishedExecutions, productionWebhookUrl } from './trigger.mjs';

export const REGULAR_BURST = {
	customers: 60,
	// One fixed window of 10 calls a second over the four endpoints the example calls: 240 calls, about 24 s.
	rateLimits: [{ shape: 'fixed-window', limit: 10, windowMs: 1000, paths: ['/user/items/get', '/user/items/remove', '/user/products/terminate', '/user/remove'] }],
};
const BURST_TIMEOUT_MS = 5 * 60_000;
/** The most executions n8n 2.41's REST API lists in one page. */
const LISTED = 100;
const seconds = (ms) => (ms / 1000).toFixed(1);

/**
 * Fires the burst at a running n8n (regular mode) and judges it: every webhook accepted, one
 * successful execution each, every customer's Plaid user and Items gone. Logs achieved / allowed.
 */
export async function runRegularBurst({ rest, example, emulator, e2eDir, repoDir, baseUrl, log }) {
	const { client } = emulator;
	const before = (await rest.executionsOf(example.workflow.id, LISTED)).length;
	assert.ok(before + REGULAR_BURST.customers <= LISTED, `${before} earlier executions: the burst's would not all be listed`);
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
		const listed = await finishedExecutions(rest, example.workflow.id, before + customers.length, { timeoutMs: BURST_TIMEOUT_MS, limit: LISTED });
		const executions = listed.slice(0, listed.length - before);
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
