// examples/crm-offboarding.workflow.json in the app: the CRM posts "customer closed" for Alice to the
// Webhook node; the run lists her Items, removes them all in one call, ends her subscriptions, deletes
// her at Plaid and writes one summary; the error branch stays idle and Bob is untouched.

import assert from 'node:assert/strict';
import { assertRemovedOutput } from '../lib/irreversibleOutputs.mjs';
import { onlyItem, plaidCalls } from '../lib/workflows.mjs';

const ALICE = 'usr_demo_alice';

export function webhook() {
	return { event: 'customer.closed', customerId: 'crm-1001', plaidUserId: ALICE };
}

export async function check({ runData, requests, client, before, baseUrl }) {
	const aliceItems = before.usr_demo_alice;
	assert.deepEqual(
		plaidCalls(requests),
		[
			['/user/items/get', { user_id: ALICE }],
			['/user/items/get', { user_id: ALICE }],
			['/user/items/remove', { user_id: ALICE, item_ids: aliceItems }],
			['/user/products/terminate', { user_id: ALICE, reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed in the CRM' }],
			['/user/remove', { user_id: ALICE }],
		],
	);
	const requestIdOf = (path) => requests.find((request) => request.path === path).response.body.request_id;
	const removals = [
		['Remove all Items', 'user.removeItems', requests[2], { item_ids: aliceItems, user_id: ALICE }],
		['End user subscriptions', 'user.terminateProducts', requests[3], { user_id: ALICE }],
		['Delete Plaid user', 'user.remove', requests[4], { user_id: ALICE }],
	];
	for (const [node, operation, request, fields] of removals) {
		assertRemovedOutput(onlyItem(runData, node), { request, operation, fields, baseUrl }, node);
	}
	assert.deepEqual(onlyItem(runData, 'Offboarding summary'), {
		customer_id: 'crm-1001',
		plaid_user_id: ALICE,
		status: 'offboarded',
		items_removed: aliceItems.length,
		institutions: requests[0].response.body.items.map((item) => item.institution_name),
		plaid_request_ids: {
			list_items: requests[0].response.body.request_id,
			remove_items: requestIdOf('/user/items/remove'),
			end_subscriptions: requestIdOf('/user/products/terminate'),
			remove_user: requestIdOf('/user/remove'),
		},
	});
	assert.equal(runData['Offboarding failed'], undefined, 'the error branch ran');
	assert.equal((await client.user(ALICE)).exists, false, 'Alice is still a Plaid user');
	assert.deepEqual(await client.itemIdsOf('usr_demo_bob'), before.usr_demo_bob);
}
