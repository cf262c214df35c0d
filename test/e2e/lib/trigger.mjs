// Reaching a published, webhook-started workflow on a running n8n: its production URL computed the
// way n8n computes it, a POST to it, and its executions read back through n8n's REST API.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { waitFor } from './processes.mjs';

/**
 * The production URL of the workflow's webhook-starting node, computed the way n8n does
 * (n8n-workflow's getNodeWebhookUrl over the node's webhook description and stored webhookId).
 */
export function productionWebhookUrl({ e2eDir, repoDir, baseUrl, storedWorkflow }) {
	const requireFromApp = createRequire(path.join(e2eDir, 'node_modules', 'n8n', 'package.json'));
	const { NodeHelpers } = requireFromApp('n8n-workflow');
	const node = storedWorkflow.nodes.find((candidate) => candidate.type === 'n8n-nodes-plaid.plaidTrigger' || candidate.type === 'n8n-nodes-base.webhook');
	assert.ok(node, `${storedWorkflow.name}: no webhook-starting node`);
	const description = node.type === 'n8n-nodes-plaid.plaidTrigger'
		? plaidTriggerWebhook(repoDir)
		: { path: node.parameters.path, isFullPath: true };
	const webhookPath = NodeHelpers.getNodeWebhookPath(storedWorkflow.id, node, description.path, description.isFullPath === true);
	return `${baseUrl}/webhook/${webhookPath}`;
}

/** The Plaid Trigger's own webhook description, from the package that was built and packed. */
function plaidTriggerWebhook(repoDir) {
	const requireFromRepo = createRequire(path.join(repoDir, 'package.json'));
	const { PlaidTrigger } = requireFromRepo('./dist/nodes/PlaidTrigger/PlaidTrigger.node.js');
	const [webhook] = new PlaidTrigger().description.webhooks;
	return webhook;
}

export async function postWebhook(url, rawBody, verification) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(verification ? { 'plaid-verification': verification } : {}) },
		body: rawBody,
		signal: AbortSignal.timeout(30_000),
	});
	return { status: response.status, text: await response.text() };
}

/**
 * POSTs to a production webhook once n8n has registered it: `n8n start` answers before it has
 * activated every published workflow, and until then a webhook answers 404 "is not registered".
 * Only that answer is retried; any other is returned as it is.
 */
export async function postWebhookWhenRegistered(url, rawBody, verification, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const answer = await postWebhook(url, rawBody, verification);
		if (answer.status !== 404 || !answer.text.includes('is not registered') || Date.now() > deadline) return answer;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Waits until the workflow has `count` finished executions and returns them (newest first). */
export async function finishedExecutions(rest, workflowId, count, { timeoutMs = 60_000, limit } = {}) {
	return waitFor(
		`${count} finished execution(s) of workflow ${workflowId}`,
		async () => {
			const executions = await rest.executionsOf(workflowId, limit);
			const running = executions.filter((execution) => ['new', 'running', 'waiting'].includes(execution.status));
			return executions.length >= count && running.length === 0 ? executions : undefined;
		},
		{ timeoutMs, intervalMs: 500 },
	);
}

/** An execution's runData: n8n's REST API returns the run serialized with `flatted`. */
export async function runDataOf(rest, e2eDir, executionId) {
	const { parse } = createRequire(path.join(e2eDir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const execution = await rest.execution(executionId);
	const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
	return { execution, runData: data.resultData.runData, error: data.resultData.error };
}
