// The CRM example's evidence in n8n's own Data table, proven in the app: the table created through
// the REST API the editor uses, a few customers closed one webhook each, every run judged by the
// example's expectations, and the table's rows read back through n8n: exactly the evidence rows the
// runs' Plaid steps put out, each with its customer_id, and nothing that looks like a Plaid token.
// Then the question a compliance team asks ("when was customer X offboarded, and what did Plaid
// say") is answered with the table's own filter. The queue burst uses the same table checks.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createDataTableOf, rowsOf } from './dataTables.mjs';
import { restClient } from './server.mjs';
import { finishedExecutions, postWebhook, productionWebhookUrl, runDataOf } from './trigger.mjs';
import { assertPlaidCalls, assertTaskDataClean, expectationsFor } from './workflows.mjs';

const require = createRequire(import.meta.url);
const { SECRET_SHAPES } = require('../../harness/secretHunt.js');
const { dataTableOf } = require('../../harness/dataTableSchema.js');
const DEMO_USERS = ['usr_demo_alice', 'usr_demo_bob'];

/** A row as the table holds the columns: its own id and timestamps left out, dates compared as instants. */
function columnsOf({ id, createdAt, updatedAt, ...columns }) {
	return { ...columns, answered_at: columns.answered_at === null ? null : new Date(columns.answered_at).toISOString() };
}

/** The rows hold no Plaid token (by shape) and none of `tokens`. */
function assertNoToken(rows, tokens, where) {
	const text = JSON.stringify(rows);
	for (const shape of SECRET_SHAPES) assert.doesNotMatch(text, shape, `${where}: a Plaid token shows`);
	for (const token of tokens) assert.ok(!text.includes(token), `${where}: a token of the events shows`);
}

/**
 * Creates the example's data table in the workflow's project, as the owner: `rest` signed in as the
 * owner, or else an instance at `baseUrl` whose owner is set up now. Returns `{ rest, table }`.
 */
export async function evidenceTableFor({ example, rest, baseUrl, log }) {
	const owner = rest ?? restClient(baseUrl);
	if (!rest) await owner.setUpOwner();
	const table = await createDataTableOf(owner, example.workflow);
	log(`data table "${table.name}" (project ${table.projectId}) created through n8n's REST API: ${table.columns.map(({ name, type }) => `${name} ${type}`).join(', ')}`);
	return { rest: owner, table };
}

/**
 * The table holds exactly `expected` (rows of columns, in the order written) and no token. Returns
 * the rows as read.
 */
export async function assertTableHolds({ rest, table }, expected, tokens, where) {
	const stored = await rowsOf(rest, table);
	assert.deepEqual(stored.map(columnsOf), expected.map(columnsOf), `${where}: the rows of data table "${table.name}"`);
	assertNoToken(stored, tokens, where);
	return stored;
}

/** Each run's rows, the evidence of its Plaid steps with the customer_id added, in the order its steps ran. */
export function rowsWritten(example, runData, customerId) {
	const plaidSteps = new Set(example.workflow.nodes.filter(({ type }) => type === 'n8n-nodes-plaid.plaid').map(({ name }) => name));
	return Object.entries(runData)
		.filter(([node]) => plaidSteps.has(node))
		.map(([, [task]]) => task)
		.sort((a, b) => (a.executionIndex ?? a.startTime) - (b.executionIndex ?? b.startTime))
		.flatMap((task) => (task.data?.main?.[0] ?? []).map(({ json }) => ({ customer_id: customerId, ...json })));
}

/**
 * examples/crm-offboarding on a running n8n 2.41.1: the table, then each of the expectations'
 * CUSTOMERS closed by one webhook (one execution each, judged by checkCustomerRun), then the
 * table's rows read back and compared with the runs' evidence, then the filter.
 */
export async function offboardCustomersWithEvidence({ rest, example, emulator, e2eDir, repoDir, baseUrl, log }) {
	const { CUSTOMERS, eventOf, checkCustomerRun, assetReportsAt } = await expectationsFor(example.slug);
	const evidence = await evidenceTableFor({ example, rest, log });
	const { client } = emulator;
	await client.resetToDemo();
	const before = Object.fromEntries(await Promise.all(DEMO_USERS.map(async (userId) => [userId, await client.itemIdsOf(userId)])));
	const url = productionWebhookUrl({ e2eDir, repoDir, baseUrl, storedWorkflow: await rest.workflow(example.workflow.id) });

	const runs = [];
	for (const customer of CUSTOMERS) {
		const answer = await postWebhook(url, JSON.stringify(eventOf(customer)));
		assert.equal(answer.status, 200, `${customer.customerId}: the webhook answered ${answer.status}: ${answer.text}`);
		const [execution] = await finishedExecutions(rest, example.workflow.id, runs.length + 1);
		assert.equal(execution.status, 'success', `${customer.customerId}: execution ${execution.id} ended ${execution.status}`);
		const { runData, error } = await runDataOf(rest, e2eDir, execution.id);
		assert.equal(error, undefined, `${customer.customerId}: the execution failed: ${error?.message}`);
		assertTaskDataClean(example, runData);
		runs.push({ customer, executionId: String(execution.id), runData });
		log(`${customer.customerId} (${customer.plaidUserId}): execution ${execution.id} ${execution.status}, ${customer.ends}`);
	}
	const requests = await client.requests();
	assertPlaidCalls(example, requests, emulator);
	const expected = runs.flatMap(({ customer, executionId, runData }) => {
		const rows = checkCustomerRun({ customer, runData, requests, before, executionId, workflowId: example.workflow.id });
		assert.deepEqual(rowsWritten(example, runData, customer.customerId), rows, `${customer.customerId}: the steps that ran`);
		return rows;
	});
	const tokens = CUSTOMERS.map(({ assetReportToken }) => assetReportToken).filter(Boolean);
	const stored = await assertTableHolds(evidence, expected, tokens, 'after the CRM webhooks');
	log(`the table holds ${stored.length} rows, each the evidence row a run's Plaid step put out plus its customer_id; no token in any`);

	for (const { customerId } of CUSTOMERS) {
		const filter = [{ columnName: 'customer_id', condition: 'eq', value: customerId }];
		const theirs = await rowsOf(evidence.rest, evidence.table, filter);
		assert.deepEqual(theirs, stored.filter((row) => row.customer_id === customerId), `${customerId}: the table's filter`);
		log(`${customerId}: ${theirs.map((row) => `${row.answered_at} ${row.operation} → ${row.outcome} (request_id ${row.request_id})`).join('; ')}`);
	}
	for (const userId of DEMO_USERS) assert.equal((await client.user(userId)).exists, false, `${userId} is still a Plaid user`);
	assert.deepEqual(await assetReportsAt(emulator.url), [], "Alice's Asset Report is still at Plaid");
}

/** The CRM's customer ID, as the run's Webhook node received it. */
function customerIdOf(example, runData) {
	const webhook = example.workflow.nodes.find(({ type }) => type === 'n8n-nodes-base.webhook');
	return runData[webhook.name]?.[0]?.data?.main?.[0]?.[0]?.json?.body?.customerId;
}

/** The nodes that write the evidence: the Data table node and those that feed it. */
function evidenceLaneOf(example) {
	const { node } = dataTableOf(example.workflow);
	const feeding = Object.entries(example.workflow.connections)
		.filter(([, { main }]) => main.some((targets) => (targets ?? []).some((target) => target.node === node)))
		.map(([source]) => source);
	return [node, ...feeding];
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * After the queue burst: the table holds each execution's evidence rows, with its customer_id, and
 * nothing else. Returns how many rows, and what writing them cost each execution: the time n8n
 * measured for the evidence lane's nodes (all their runs), and its share of the execution's time.
 */
export async function assertBurstEvidence({ evidence, example, executions, runs }) {
	const expected = executions
		.map(({ id }) => runs.get(id).runData)
		.flatMap((runData) => rowsWritten(example, runData, customerIdOf(example, runData)));
	// The burst's executions ran side by side: compare the rows as a set, ordered by request_id.
	const byRequest = (rows) => [...rows].sort((a, b) => String(a.request_id).localeCompare(String(b.request_id)));
	const stored = await rowsOf(evidence.rest, evidence.table);
	assert.deepEqual(byRequest(stored.map(columnsOf)), byRequest(expected.map(columnsOf)), `the rows of data table "${evidence.table.name}" after the burst`);
	assertNoToken(stored, [], 'after the burst');

	const lane = evidenceLaneOf(example);
	const plaidSteps = example.workflow.nodes.filter(({ type }) => type === 'n8n-nodes-plaid.plaid').map(({ name }) => name);
	// n8n's executionTime of a node's runs: wall time, so it includes waiting for the worker's CPU.
	const timeIn = (runData, nodes) => nodes.flatMap((node) => runData[node] ?? []).reduce((sum, task) => sum + (task.executionTime ?? 0), 0);
	const costs = executions.map(({ id, startedAt, stoppedAt }) => {
		const { runData } = runs.get(id);
		const ms = timeIn(runData, lane);
		return { ms, plaidMs: timeIn(runData, plaidSteps), share: ms / (new Date(stoppedAt) - new Date(startedAt)) };
	});
	const sorted = (key) => costs.map((cost) => cost[key]).sort((a, b) => a - b);
	const [ms, plaidMs, shares] = [sorted('ms'), sorted('plaidMs'), sorted('share')];
	return {
		rows: stored.length,
		lane,
		p50Ms: percentile(ms, 0.5),
		p95Ms: percentile(ms, 0.95),
		maxMs: ms.at(-1),
		p50Share: percentile(shares, 0.5),
		p50PlaidMs: percentile(plaidMs, 0.5),
	};
}
