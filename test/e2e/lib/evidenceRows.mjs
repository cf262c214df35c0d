// An irreversible step's evidence row (Options → Output → Evidence Row), checked exactly against the
// call the emulator answered: its columns and nothing else, primitives only, Plaid's request_id, the
// outcome, and n8n's execution, workflow and node names. The CRM example's expectations, its Data
// table check and the queue burst use this one check, as they use irreversibleOutputs.mjs for the
// full output.

import assert from 'node:assert/strict';
import { ISO_8601_UTC, assertRemovedOutput } from './irreversibleOutputs.mjs';

/** The evidence row's columns, in the node's order (CONTRACT.md, options.output). */
export const EVIDENCE_COLUMNS = [
	'user_id',
	'item_id',
	'operation',
	'outcome',
	'removed',
	'item_ids',
	'not_attached_item_ids',
	'request_id',
	'answered_at',
	'environment',
	'verified',
	'preview',
	'execution_id',
	'workflow_id',
	'node_name',
];

/** Whether a Plaid node puts out evidence rows rather than full outputs. */
export const writesEvidenceRows = (node) => node.parameters?.options?.output === 'evidenceRow';

/** A list as a row holds it: comma-joined. */
const joined = (value) => (Array.isArray(value) ? value.join(',') : value);

/**
 * Asserts `row` is exactly the evidence row of `operation` for the emulator's `request`: `outcome`
 * (default removed), the user's ID for a user operation, `fields` over the defaults (lists may be
 * given as arrays), the custom environment, no Verify Removal, no preview, and the run's
 * `executionId`, `workflowId` and `nodeName` (an id not given must be a non-empty string).
 * answered_at is ISO 8601, no earlier than the call reached the emulator
 * and no later than now.
 */
export function assertEvidenceRow(row, { request, operation, outcome = 'removed', fields = {}, executionId, workflowId, nodeName }, where) {
	assert.ok(request, `${where}: no Plaid call to judge the row by`);
	assert.deepEqual(Object.keys(row ?? {}), EVIDENCE_COLUMNS, `${where}: the evidence row's columns`);
	const removed = outcome === 'removed' || outcome === 'partial';
	if (removed) assert.equal(request.response?.status, 200, `${where}: Plaid answered ${request.path} with ${request.response?.status}`);
	const lists = operation === 'user.removeItems' ? { item_ids: '', not_attached_item_ids: '' } : { item_ids: null, not_attached_item_ids: null };
	const expected = {
		user_id: operation.startsWith('user.') ? request.body.user_id : null,
		item_id: null,
		operation,
		outcome,
		removed,
		...lists,
		request_id: request.response.body.request_id,
		answered_at: row.answered_at,
		environment: 'custom',
		verified: null,
		preview: false,
		execution_id: executionId ?? row.execution_id,
		workflow_id: workflowId ?? row.workflow_id,
		node_name: nodeName,
		...Object.fromEntries(Object.entries(fields).map(([column, value]) => [column, joined(value)])),
	};
	assert.deepEqual(row, expected, `${where}: the evidence row of ${operation}`);
	for (const id of ['execution_id', 'workflow_id']) assert.match(String(row[id]), /^\S+$/, `${where}: ${id}`);
	assert.match(String(row.answered_at), ISO_8601_UTC, `${where}: answered_at is not ISO 8601`);
	const answered = Date.parse(row.answered_at);
	assert.ok(answered >= request.receivedAt && answered <= Date.now(), `${where}: answered_at ${row.answered_at} is not between the call's arrival and now`);
}

/**
 * A removal's output, whichever the node puts out: its evidence row (`removed`, with the execution
 * it belongs to) or the full output (assertRemovedOutput). `fields` are the full output's.
 */
export function assertRemovedOf(node, json, { request, operation, fields, baseUrl, executionId, workflowId }, where) {
	if (!writesEvidenceRows(node)) return assertRemovedOutput(json, { request, operation, fields, baseUrl }, where);
	const listed = operation === 'user.removeItems' ? { not_attached_item_ids: [], ...fields } : fields;
	return assertEvidenceRow(json, { request, operation, fields: listed, executionId, workflowId, nodeName: node.name }, where);
}
