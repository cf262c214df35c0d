// The CRM offboarding example at scale: many customers closed at once, one webhook each, against a
// rate-limited Plaid. Judged per customer (nothing lost: webhook accepted, one successful execution
// that took the success path, the user and all their Items gone at Plaid) and across executions
// (each one's Plaid outputs are the same once the customer's own ids are taken out, whichever worker
// ran it and whatever ran beside it: the package keeps no state between executions that changes a
// result, in one process or in several).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { assertBurstEvidence, evidenceTableFor } from './crmEvidence.mjs';
import { assertRemovedOf } from './evidenceRows.mjs';
import { auditOperationOf, requestAnswered } from './irreversibleOutputs.mjs';
import { assertOnlyWorkersRan, executionsByWorker, finishedExecutionsOf, runDataOf } from './queueExecutions.mjs';
import { postWebhook, productionWebhookUrl } from './trigger.mjs';
import { assertPlaidCalls } from './workflows.mjs';

const ITEMS_PER_USER = 2;
const SEND_PARALLEL = 25;
/** Every execution must be done within this, lost ones included (they end on the error branch). */
const BURST_TIMEOUT_MS = 12 * 60_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The burst's customers: a CRM id, a Plaid user and their Items, all numbered. */
export function burstCustomers(count) {
	return Array.from({ length: count }, (_, n) => ({
		customerId: `crm-queue-${n}`,
		userId: `usr_queue_${n}`,
		itemIds: Array.from({ length: ITEMS_PER_USER }, (_, k) => `itm_queue_${n}_${k}`),
	}));
}

export const seedCustomers = (client, customers) => client.addUsers(customers.map(({ userId, itemIds }) => ({ user_id: userId, items: itemIds })));

/** Runs `task` over `values` with at most `parallel` at once. */
async function inParallel(values, parallel, task) {
	const results = new Array(values.length);
	let next = 0;
	const lane = async () => {
		for (let index = next++; index < values.length; index = next++) results[index] = await task(values[index]);
	};
	await Promise.all(Array.from({ length: Math.min(parallel, values.length) }, lane));
	return results;
}

/** POSTs one "customer closed" per customer; returns each answer's status by user id. */
export async function fireBurst(url, customers) {
	const statuses = await inParallel(customers, SEND_PARALLEL, async ({ customerId, userId }) => {
		try {
			return (await postWebhook(url, JSON.stringify({ event: 'customer.closed', customerId, plaidUserId: userId }))).status;
		} catch (error) {
			return `error ${error.message}`;
		}
	});
	return new Map(customers.map(({ userId }, index) => [userId, statuses[index]]));
}

/** The user the execution was for, from what the Webhook node received. */
const userOf = (runData) => runData['CRM: customer closed']?.[0]?.data?.main?.[0]?.[0]?.json?.body?.plaidUserId;

/**
 * Every customer whose offboarding did not complete, with why. `runs` maps execution id →
 * { runData, error }; `executions` are the DB rows.
 */
export async function lostCustomers({ customers, answers, executions, runs, client }) {
	const executionsByUser = new Map();
	for (const execution of executions) {
		const userId = userOf(runs.get(execution.id).runData);
		executionsByUser.set(userId, [...(executionsByUser.get(userId) ?? []), execution]);
	}
	const atPlaid = await inParallel(customers, 10, ({ userId }) => client.user(userId));
	const lost = [];
	customers.forEach(({ userId }, index) => {
		const mine = executionsByUser.get(userId) ?? [];
		const runData = mine.length === 1 ? runs.get(mine[0].id).runData : {};
		const failedBranch = runData['Offboarding failed'];
		const review = runData['Needs review']?.[0]?.data?.main?.[0]?.[0]?.json;
		const summary = runData['Offboarding summary']?.[0]?.data?.main?.[0]?.[0]?.json;
		const reason =
			answers.get(userId) !== 200 ? `webhook answered ${answers.get(userId)}`
			: mine.length !== 1 ? `${mine.length} executions`
			: mine[0].status !== 'success' ? `execution ${mine[0].id} ${mine[0].status}`
			: failedBranch ? `error branch: ${failedBranch[0].data.main[0][0].json.failed_step}: ${failedBranch[0].data.main[0][0].json.error}`
			: review ? `needs review: ${review.step}: ${review.outcome}`
			: summary?.status !== 'offboarded' ? `summary: ${JSON.stringify(summary)}`
			: atPlaid[index].exists || atPlaid[index].item_ids.length > 0 ? `still at Plaid with ${atPlaid[index].item_ids.length} Item(s)`
			: undefined;
		if (reason) lost.push({ userId, reason });
	});
	return lost;
}

/** request_id → the user_id of the call Plaid answered with it (200s only). */
export function requestOwners(requests) {
	return new Map(requests.filter(({ response }) => response.status === 200).map(({ body, response }) => [response.body.request_id, body.user_id]));
}

/**
 * The outputs of the Plaid nodes and the summary with the customer's own values replaced: their ids
 * by placeholders, each request_id (which must be one Plaid gave this very customer) by
 * `<request_id>`, timestamps by `<time>`.
 */
export function normalizedOutputs(runData, customer, owners, nodeNames, executionId) {
	const replacements = new Map([
		[customer.userId, '<user>'],
		[customer.customerId, '<customer>'],
		...customer.itemIds.map((id, k) => [id, `<item ${k}>`]),
		// An evidence row lists the Items comma-joined and names its execution.
		[customer.itemIds.join(','), '<items>'],
		[String(executionId), '<execution>'],
	]);
	const normalize = (value) => {
		if (Array.isArray(value)) return value.map(normalize);
		if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalize(inner)]));
		if (typeof value !== 'string') return value;
		if (owners.has(value)) {
			assert.equal(owners.get(value), customer.userId, `${customer.userId}'s run carries request_id ${value} of ${owners.get(value)}'s call`);
			return '<request_id>';
		}
		return replacements.get(value) ?? (ISO_TIME.test(value) ? '<time>' : value);
	};
	return Object.fromEntries(nodeNames.map((name) => [name, normalize((runData[name] ?? []).map((task) => task.data?.main?.map((items) => items?.map((item) => item.json))))]));
}

/** The Plaid endpoint of each irreversible operation the CRM offboarding runs, and its output fields for a customer. */
const REMOVALS = {
	'user.removeItems': { endpoint: '/user/items/remove', fields: ({ userId, itemIds }) => ({ item_ids: itemIds, user_id: userId }) },
	'user.terminateProducts': { endpoint: '/user/products/terminate', fields: ({ userId }) => ({ user_id: userId }) },
	'user.remove': { endpoint: '/user/remove', fields: ({ userId }) => ({ user_id: userId }) },
};

/**
 * Each execution's irreversible outputs, exactly: removed, and the audit record of the call Plaid
 * answered with that request_id, a call for this very customer. Returns how many were judged.
 */
export function assertRemovedOutputs({ example, customers, executions, runs, requests, baseUrl }) {
	const customerOf = new Map(customers.map((customer) => [customer.userId, customer]));
	const irreversible = example.workflow.nodes.filter((node) => REMOVALS[auditOperationOf(node)]);
	let judged = 0;
	for (const execution of executions) {
		const { runData } = runs.get(execution.id);
		const customer = customerOf.get(userOf(runData));
		for (const node of irreversible) {
			const operation = auditOperationOf(node);
			const { endpoint, fields } = REMOVALS[operation];
			const json = runData[node.name]?.[0]?.data?.main?.[0]?.[0]?.json;
			const request = requestAnswered(requests, endpoint, json);
			const where = `execution ${execution.id}, ${node.name}`;
			assert.equal(request?.body.user_id, customer.userId, `${where}: its request_id is not Plaid's answer to a call for ${customer.userId}`);
			assertRemovedOf(node, json, { request, operation, fields: fields(customer), baseUrl, executionId: String(execution.id), workflowId: example.workflow.id }, where);
			judged += 1;
		}
	}
	return judged;
}

/**
 * Asserts that every execution's normalized outputs equal the first one's; returns how many were
 * compared per worker.
 */
export function assertSameOutputs({ customers, executions, runs, ranOn, owners, nodeNames }) {
	const customerOf = new Map(customers.map((customer) => [customer.userId, customer]));
	let reference;
	const compared = {};
	for (const execution of executions) {
		const { runData } = runs.get(execution.id);
		const outputs = normalizedOutputs(runData, customerOf.get(userOf(runData)), owners, nodeNames, execution.id);
		reference ??= { outputs, id: execution.id, worker: ranOn.get(execution.id) };
		assert.deepEqual(outputs, reference.outputs, `execution ${execution.id} (${ranOn.get(execution.id)}) differs from execution ${reference.id} (${reference.worker})`);
		compared[ranOn.get(execution.id)] = (compared[ranOn.get(execution.id)] ?? 0) + 1;
	}
	return compared;
}

const seconds = (ms) => (ms / 1000).toFixed(1);

export function countBy(values) {
	const counts = {};
	for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
	return counts;
}

/** The reasons of lost customers, most common first, for the failure message. */
function lostSummary(lost) {
	const byReason = countBy(lost.map(({ reason }) => reason.replace(/usr_queue_\d+/g, 'usr_queue_N').replace(/execution \d+/g, 'execution N')));
	return Object.entries(byReason).sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${count} × ${reason}`).join('\n      ');
}

/** The value of `--flag value` or `--flag=value` among a process's arguments. */
function argumentOf(args, flag) {
	const index = args.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
	if (index < 0) return undefined;
	return args[index].includes('=') ? args[index].split('=')[1] : args[index + 1];
}

/**
 * Achieved / allowed for the burst, as the bench measures it (bench/ideal.js): the time the best
 * schedule under the emulator's own limits would take for these customers' calls (each call at the
 * earliest moment every limit admits it, one call at a time per execution, as many executions at
 * once as `inFlight` allows, answers after the emulator's latency, from the first webhook) over the
 * time the burst took; and the calls answered per second over the tightest limit's nominal rate.
 */
export async function achievedAllowed({ emulator, repoDir, requests, customers, inFlight, sentAt, finishedAt }) {
	const require = createRequire(import.meta.url);
	const { idealWallMs } = require(path.join(repoDir, 'bench', 'ideal.js'));
	const { nominalRate } = require(path.join(repoDir, 'bench', 'rateScenarios.js'));
	const response = await fetch(`${emulator.url}/__emulator/rate-limits`, { signal: AbortSignal.timeout(10_000) });
	const limits = (await response.json()).rate_limits.map(({ admitted, refused, ...spec }) => spec);
	// One customer's calls that Plaid answered, in order: what every customer's execution makes.
	const steps = requests.filter(({ body, response: answer }) => body?.user_id === customers[0].userId && answer.status === 200).map(({ path: endpoint }) => endpoint);
	const latencyMs = Number(argumentOf(emulator.child.spawnargs ?? [], '--latency-ms') ?? 0);
	const idealMs = idealWallMs(limits, { jobs: customers.length, steps, concurrency: inFlight, latencyMs, startMs: sentAt });
	const tookMs = finishedAt - sentAt;
	const answered = requests.filter(({ response: answer }) => answer.status === 200).length;
	const nominal = Math.min(...limits.map(nominalRate));
	return {
		idealSeconds: seconds(idealMs),
		ofIdeal: (idealMs / tookMs).toFixed(2),
		callsPerSecond: (answered / (tookMs / 1000)).toFixed(1),
		nominalPerSecond: nominal.toFixed(1),
		ofNominal: (answered / (tookMs / 1000) / nominal).toFixed(2),
		callsPerCustomer: steps.length,
	};
}

/** Seeds the customers, fires their webhooks; returns the answers and when sending began and ended. */
async function sendBurst({ example, count, client, redis, redisDumps, topology, e2eDir, repoDir, log }) {
	await client.resetToDemo();
	const customers = burstCustomers(count);
	await seedCustomers(client, customers);
	const url = productionWebhookUrl({ e2eDir, repoDir, baseUrl: topology.webhookUrl, storedWorkflow: example.workflow });
	log(`seeded ${count} customers with ${ITEMS_PER_USER} Items each; firing ${count} webhooks at ${url}, ${SEND_PARALLEL} at a time`);
	const sentAt = Date.now();
	const answers = await fireBurst(url, customers);
	const sendMs = Date.now() - sentAt;
	// While the workers are still taking jobs from the queue: what Redis holds mid-run.
	redisDumps.push({ when: 'just after the burst was sent', ...(await redis.dump()) });
	log(`webhook answers in ${seconds(sendMs)} s: ${JSON.stringify(countBy(answers.values()))}`);
	return { customers, answers, sentAt, sendMs };
}

/** Which worker ran each execution; every one on a worker, each worker some. */
function placeExecutions(cluster, executions) {
	const ranOn = executionsByWorker(cluster.workers);
	assertOnlyWorkersRan(cluster.processes);
	const unseen = executions.filter(({ id }) => !ranOn.has(id));
	assert.deepEqual(unseen.map(({ id }) => id), [], "executions no worker's log shows");
	const perWorker = countBy(executions.map(({ id }) => ranOn.get(id)));
	for (const { role } of cluster.workers) assert.ok(perWorker[role] > 0, `${role} ran none of the ${executions.length} executions`);
	return { ranOn, perWorker };
}

/**
 * Fires the burst and judges it, filling `figures` as it measures (so they can be printed when a
 * check fails). Fails when any customer was lost, when an execution ran anywhere but on a worker,
 * or when outputs differ between executions.
 */
export async function runBurst({ example, customers: count, emulator, postgres, redis, redisDumps, topology, cluster, e2eDir, repoDir, log, figures }) {
	const { client } = emulator;
	// The example appends its evidence rows to a Data table: n8n keeps it in its own database (PostgreSQL here).
	const evidence = await evidenceTableFor({ example, baseUrl: topology.mainUrl, log });
	const { customers, answers, sentAt, sendMs } = await sendBurst({ example, count, client, redis, redisDumps, topology, e2eDir, repoDir, log });
	Object.assign(figures, { customers: count, sendSeconds: seconds(sendMs) });
	const accepted = [...answers.values()].filter((status) => status === 200).length;
	const executions = await finishedExecutionsOf(postgres, example.workflow.id, accepted, BURST_TIMEOUT_MS);
	const durations = executions.map(({ startedAt, stoppedAt }) => new Date(stoppedAt) - new Date(startedAt)).sort((a, b) => a - b);
	Object.assign(figures, {
		finishSeconds: seconds(Math.max(...executions.map(({ stoppedAt }) => new Date(stoppedAt).getTime())) - sentAt),
		p50Seconds: seconds(durations[Math.floor(durations.length / 2)]),
		maxSeconds: seconds(durations.at(-1)),
	});
	const { ranOn, perWorker } = placeExecutions(cluster, executions);
	figures.perWorker = perWorker;

	const runs = await runDataOf(postgres, e2eDir, executions.map(({ id }) => id));
	const requests = await client.requests();
	assertPlaidCalls(example, requests, emulator);
	figures.statuses = countBy(requests.map(({ response }) => response.status));
	figures.lost = await lostCustomers({ customers, answers, executions, runs, client });
	const { lost } = figures;
	log(`finished ${executions.length} executions ${figures.finishSeconds} s after the first webhook; per worker ${JSON.stringify(perWorker)}; Plaid answers ${JSON.stringify(figures.statuses)}`);
	const finishedAt = Math.max(...executions.map(({ stoppedAt }) => new Date(stoppedAt).getTime()));
	const inFlight = cluster.workers.reduce((sum, worker) => sum + Number(argumentOf(worker.args ?? [], '--concurrency') ?? Infinity), 0);
	figures.achieved = await achievedAllowed({ emulator, repoDir, requests, customers, inFlight, sentAt, finishedAt });
	const { achieved } = figures;
	log(
		`achieved / allowed: ${achieved.ofIdeal} of the ideal schedule (${achieved.idealSeconds} s for ${count} customers × ${achieved.callsPerCustomer} calls); ` +
			`${achieved.callsPerSecond} calls/s answered, ${achieved.ofNominal} of the tightest limit's nominal ${achieved.nominalPerSecond}/s`,
	);
	log(`lost: ${lost.length} of ${count}${lost.length ? `\n      ${lostSummary(lost)}` : ''}`);
	assert.equal(lost.length, 0, `${lost.length} of ${count} offboardings were lost:\n      ${lostSummary(lost)}`);

	const judged = assertRemovedOutputs({ example, customers, executions, runs, requests, baseUrl: emulator.url });
	log(`${judged} irreversible outputs: removed, with the audit record of the call Plaid answered for that customer`);
	const plaidNodes = example.workflow.nodes.filter(({ type }) => type === 'n8n-nodes-plaid.plaid').map(({ name }) => name);
	figures.sameOutputs = assertSameOutputs({ customers, executions, runs, ranOn, owners: requestOwners(requests), nodeNames: [...plaidNodes, 'Offboarding summary'] });
	log(`same outputs (ids of the customer taken out) in all ${executions.length} executions: ${JSON.stringify(figures.sameOutputs)}`);
	const written = await assertBurstEvidence({ evidence, example, executions, runs });
	log(`data table "${evidence.table.name}": ${written.rows} rows, each execution's evidence rows with its customer_id`);
	log(`writing them (${written.lane.join(', ')}): per execution p50 ${written.p50Ms} ms, p95 ${written.p95Ms} ms, max ${written.maxMs} ms, p50 ${(written.p50Share * 100).toFixed(1)} % of the execution's time; the Plaid steps p50 ${written.p50PlaidMs} ms`);
}
