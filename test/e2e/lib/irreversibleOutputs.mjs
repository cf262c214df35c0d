// What an irreversible operation (User → Remove Items, Remove, Terminate Products; Item → Remove,
// Terminate) puts out when Plaid accepted its call, checked exactly against the call the emulator
// answered: Plaid's request_id, the operation's own fields, `outcome: 'removed'`, `removed: true`, and
// the audit record of that very call (`accepted: true`). Every expectation and suite that judges such
// an output uses this one check.

import assert from 'node:assert/strict';

/** ISO 8601 in UTC, as Date#toISOString writes it. */
export const ISO_8601_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The operation name the audit record carries: `<resource>.<operation>` of the node's parameters. */
export const auditOperationOf = (node) => `${node.parameters.resource}.${node.parameters.operation}`;

/**
 * Asserts `json` is exactly `{ request_id, ...fields, outcome: 'removed', removed: true, audit }` for the emulator's
 * `request` (a 200): request_id is the one Plaid answered, in the output and in the audit record;
 * the audit names the operation, the custom environment, the emulator's URL (`baseUrl`), the path
 * called, and an answered_at in ISO 8601 no earlier than the call reached the emulator and no later
 * than now. `where` names the output in a failure.
 */
export function assertRemovedOutput(json, { request, operation, fields, baseUrl }, where) {
	assert.ok(request, `${where}: no Plaid call to judge the output by`);
	assert.equal(request.response?.status, 200, `${where}: Plaid answered ${request.path} with ${request.response?.status}`);
	const requestId = request.response.body.request_id;
	assert.match(String(requestId), /\S/, `${where}: Plaid's answer carried no request_id`);
	const answeredAt = json?.audit?.answered_at;
	// Remove Items also lists the requested IDs that were not attached: none, when Plaid removed them all.
	const ownFields = operation === 'user.removeItems' ? { not_attached_item_ids: [], ...fields } : fields;
	assert.deepEqual(
		json,
		{
			request_id: requestId,
			...ownFields,
			outcome: 'removed',
			removed: true,
			audit: { operation, environment: 'custom', base_url: baseUrl, endpoint: request.path, request_id: requestId, answered_at: answeredAt, accepted: true },
		},
		`${where}: the output of ${operation}`,
	);
	assert.match(String(answeredAt), ISO_8601_UTC, `${where}: audit.answered_at is not ISO 8601`);
	const answered = Date.parse(answeredAt);
	assert.ok(answered >= request.receivedAt && answered <= Date.now(), `${where}: audit.answered_at ${answeredAt} is not between the call's arrival (${new Date(request.receivedAt).toISOString()}) and now`);
}

/** The emulator's answered call whose request_id the output carries, on `path`; undefined if none. */
export function requestAnswered(requests, path, json) {
	return requests.find((request) => request.path === path && request.response?.body?.request_id === json?.request_id);
}
