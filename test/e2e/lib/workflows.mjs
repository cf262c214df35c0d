// The example workflows as the suite imports and judges them: every examples/*.workflow.json, given a
// fixed id for `n8n execute --id`, sorted into those `execute` can run (a manual start) and those only
// a running server can start (a Webhook or the Plaid Trigger). Checks that hold for every run live
// here; what one example must do lives in expectations/<example>.mjs.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Node types whose workflows start from an HTTP call, so only `n8n start` can run them. */
const SERVER_STARTED_TYPES = new Set(['n8n-nodes-base.webhook', 'n8n-nodes-plaid.plaidTrigger']);

/** n8n ids are 16 alphanumerics; derive one from the file name so reruns use the same id. */
const workflowIdFor = (fileName) => `e2e${createHash('sha256').update(fileName).digest('hex').slice(0, 13)}`;

export function loadExamples(repoDir) {
	const dir = path.join(repoDir, 'examples');
	return readdirSync(dir)
		.filter((file) => file.endsWith('.workflow.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
			const slug = file.replace(/\.workflow\.json$/, '');
			const serverStarted = workflow.nodes.some((node) => SERVER_STARTED_TYPES.has(node.type));
			const plaidSigned = workflow.nodes.some((node) => node.type === 'n8n-nodes-plaid.plaidTrigger');
			return { file, slug, serverStarted, plaidSigned, workflow: { ...workflow, id: workflowIdFor(file), active: false } };
		});
}

/** The example's own checks (expectations/<slug>.mjs), or undefined when it has none yet. */
export async function expectationsFor(slug) {
	const file = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'expectations', `${slug}.mjs`);
	return existsSync(file) ? import(pathToFileURL(file).href) : undefined;
}

/**
 * No node of the run failed, not even into an error output or as a "continue on fail" item (the
 * examples' happy paths carry no `error` anywhere; a database row's empty `error` column, null,
 * is no failure).
 */
export function assertTaskDataClean(example, runData) {
	for (const [nodeName, tasks] of Object.entries(runData)) {
		for (const task of tasks) {
			assert.equal(task.error, undefined, `${example.file}: node "${nodeName}" failed: ${task.error?.message}`);
			const failed = (task.data?.main ?? []).flat().find((item) => item?.json?.error !== undefined && item.json.error !== null);
			assert.equal(failed, undefined, `${example.file}: node "${nodeName}" put out an error item: ${JSON.stringify(failed?.json.error)}`);
		}
	}
}

/** Every credential of `type` (plaidApi unless named) the examples reference, once each: {id, name}. */
export function credentialsReferenced(examples, type = 'plaidApi') {
	const byId = new Map();
	for (const { workflow } of examples) {
		for (const node of workflow.nodes) {
			const reference = node.credentials?.[type];
			if (reference?.id && !byId.has(reference.id)) byId.set(reference.id, { id: reference.id, name: reference.name ?? reference.id });
		}
	}
	return [...byId.values()];
}

/** The Plaid calls as [path, body] pairs, in order, for comparing with an expected list. */
export const plaidCalls = (requests) => requests.map(({ path, body }) => [path, body]);

/** The one output item of a node's first run, which must point back to input item 0. */
export function onlyItem(runData, nodeName) {
	const items = runData[nodeName]?.[0]?.data?.main?.[0];
	assert.ok(items, `node "${nodeName}" did not run`);
	assert.equal(items.length, 1, `node "${nodeName}" output ${items.length} items`);
	assert.deepEqual(items[0].pairedItem, { item: 0 }, `node "${nodeName}": pairedItem`);
	return items[0].json;
}

/**
 * What every example run must show: exit 0, a run JSON without an error at workflow or node level,
 * every Plaid node that ran succeeded, Plaid was called with the credential's keys, and the secret
 * appears nowhere in n8n's output.
 */
export function assertRanCleanly({ example, code, run, output, requests, emulator }) {
	assert.ok(run, `${example.file}: n8n execute printed no run JSON (exit ${code})`);
	const error = run.data?.resultData?.error;
	assert.equal(error, undefined, `${example.file}: the run failed: ${error?.message}`);
	assert.equal(code, 0, `${example.file}: n8n execute exited ${code}`);
	const runData = run.data.resultData.runData;
	assertTaskDataClean(example, runData);
	const plaidNodes = example.workflow.nodes.filter((node) => node.type === 'n8n-nodes-plaid.plaid').map((node) => node.name);
	assert.ok(plaidNodes.some((name) => runData[name]), `${example.file}: no Plaid node ran`);
	assertPlaidCalls(example, requests, emulator);
	assert.ok(!output.includes(emulator.secret), `${example.file}: the credential secret appears in n8n's output`);
	return runData;
}

/** Plaid was called, every time with the credential's keys and the pinned API version. */
export function assertPlaidCalls(example, requests, emulator) {
	assert.ok(requests.length > 0, `${example.file}: no request reached the emulator`);
	for (const request of requests) {
		assert.equal(request.headers['plaid-client-id'], emulator.clientId, `${request.path}: PLAID-CLIENT-ID`);
		assert.equal(request.headers['plaid-secret'], emulator.secret, `${request.path}: PLAID-SECRET`);
		assert.equal(request.headers['plaid-version'], '2020-09-14', `${request.path}: Plaid-Version`);
	}
}
