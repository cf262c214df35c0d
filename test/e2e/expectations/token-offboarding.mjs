// examples/token-offboarding.workflow.json in the app, against a real PostgreSQL seeded with
// token-offboarding.sql (customer crm-1001 holds the demo user Alice's three Items, crm-1002 Bob's two):
// the CRM posts "customer closed" for crm-1001; the run reads her three access tokens, terminates each
// Item at Plaid, writes one audit row per Item, deletes her token rows and writes one summary. The error
// branch stays idle; Bob's Items and rows are untouched.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { assertRemovedOutput } from '../lib/irreversibleOutputs.mjs';
import { onlyItem, plaidCalls } from '../lib/workflows.mjs';

const require = createRequire(import.meta.url);
const { demoItems } = require('../../emulator/seed.js');

const ALICE = 'usr_demo_alice';
const CUSTOMER = 'crm-1001';

/** The SQL that creates the app's tables and seeds them: run it against the database before the workflow. */
export const databaseSeed = new URL('./token-offboarding.sql', import.meta.url);

export function webhook() {
	return { event: 'customer.closed', customerId: CUSTOMER };
}

const aliceItems = () => demoItems()[ALICE];
const sorted = (values) => [...values].sort();

/**
 * Each Terminate output, judged against the call made with its Item's token: the node keeps the
 * input order, and each output points back to the Item it was for.
 */
function assertTerminations(runData, requests, baseUrl) {
	const [terminated, failed] = runData['Terminate Item at Plaid'][0].data.main;
	assert.deepEqual(failed ?? [], [], 'Terminate put items on its error output');
	assert.equal(terminated.length, aliceItems().length, 'Terminate outputs');
	const kept = runData['Keep Item IDs'][0].data.main[0].map((item) => item.json.item_id);
	for (const { json, pairedItem } of terminated) {
		const itemId = kept[pairedItem.item];
		const { access_token: token } = aliceItems().find((item) => item.item_id === itemId);
		const request = requests.find((candidate) => candidate.body.access_token === token);
		assertRemovedOutput(json, { request, operation: 'item.terminate', fields: {}, baseUrl }, `Terminate Item at Plaid (${itemId})`);
	}
}

/** Each termination's request_id, by the item_id whose token it carried. */
function requestIdsByItem(requests) {
	const itemIdOfToken = new Map(aliceItems().map((item) => [item.access_token, item.item_id]));
	return new Map(requests.map((request) => [itemIdOfToken.get(request.body.access_token), request.response.body.request_id]));
}

export async function check({ runData, requests, client, before, baseUrl }) {
	// Up to five Items run at once, so the three calls may arrive in any order.
	const calls = plaidCalls(requests);
	assert.deepEqual(
		sorted(calls.map(([path, body]) => JSON.stringify([path, body]))),
		sorted(aliceItems().map((item) => JSON.stringify(['/item/products/terminate', { access_token: item.access_token, reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed in the CRM' }]))),
	);
	const requestIds = requestIdsByItem(requests);
	assertTerminations(runData, requests, baseUrl);

	const recorded = runData['Record termination'][0].data.main[0].map((item) => item.json);
	assert.deepEqual(
		sorted(recorded.map(({ customer_id, item_id, outcome, plaid_request_id, error_code, error }) => JSON.stringify({ customer_id, item_id, outcome, plaid_request_id, error_code, error }))),
		sorted(aliceItems().map((item) => JSON.stringify({ customer_id: CUSTOMER, item_id: item.item_id, outcome: 'terminated', plaid_request_id: requestIds.get(item.item_id), error_code: null, error: null }))),
	);
	for (const row of recorded) assert.ok(!Number.isNaN(Date.parse(row.recorded_at)), `recorded_at ${row.recorded_at}`);

	const summary = onlyItem(runData, 'Offboarding summary');
	assert.deepEqual({ ...summary, item_ids: sorted(summary.item_ids), plaid_request_ids: sorted(summary.plaid_request_ids) }, {
		customer_id: CUSTOMER,
		status: 'offboarded',
		items_terminated: 3,
		item_ids: sorted(aliceItems().map((item) => item.item_id)),
		plaid_request_ids: sorted(requestIds.values()),
	});
	assert.equal(runData['Record failure'], undefined, 'the error branch ran');

	// The emulator, by default, drops a terminated Item from its user's list; the user stays.
	const alice = await client.user(ALICE);
	assert.equal(alice.exists, true, 'Alice is no longer a Plaid user');
	assert.deepEqual(alice.item_ids, []);
	assert.deepEqual(await client.itemIdsOf('usr_demo_bob'), before.usr_demo_bob);
}

/**
 * What the app's tables hold after the run. `query(sql)` runs one statement and resolves to its rows;
 * `requests` are the Plaid calls the emulator received.
 */
export async function checkDatabase({ query, requests }) {
	const left = await query('SELECT customer_id, item_id FROM plaid_items ORDER BY item_id COLLATE "C"');
	assert.deepEqual(
		left,
		demoItems()
			.usr_demo_bob.map((item) => ({ customer_id: 'crm-1002', item_id: item.item_id }))
			.sort((a, b) => (a.item_id < b.item_id ? -1 : 1)),
	);
	const audit = await query('SELECT customer_id, item_id, outcome, plaid_request_id, error_code FROM plaid_offboarding_audit ORDER BY item_id COLLATE "C"');
	const requestIds = requestIdsByItem(requests);
	assert.deepEqual(
		audit,
		aliceItems()
			.map((item) => ({ customer_id: CUSTOMER, item_id: item.item_id, outcome: 'terminated', plaid_request_id: requestIds.get(item.item_id), error_code: null }))
			.sort((a, b) => (a.item_id < b.item_id ? -1 : 1)),
	);
}
