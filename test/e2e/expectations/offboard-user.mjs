// examples/offboard-user.workflow.json in the app, on the demo seed: Alice's Items listed, all removed
// in one call, listed again (none), her subscriptions ended and her user deleted; Bob loses exactly
// the one Item the workflow names. The same facts test/engine/examples/offboardUser.test.ts proves in the engine.

import assert from 'node:assert/strict';
import { assertRemovedOutput } from '../lib/irreversibleOutputs.mjs';
import { onlyItem, plaidCalls } from '../lib/workflows.mjs';

const BOB_CLOSED_ITEM = 'psuc0Kk8NnRVTOA9PhnF1sOoF0pL2ccZaCvdg';
const ALICE = 'usr_demo_alice';

export async function check({ runData, requests, client, before, baseUrl }) {
	const aliceItems = before.usr_demo_alice;
	assert.deepEqual(
		plaidCalls(requests),
		[
			['/user/items/get', { user_id: ALICE }],
			['/user/items/get', { user_id: ALICE }],
			['/user/items/remove', { user_id: ALICE, item_ids: aliceItems }],
			['/user/items/get', { user_id: ALICE }],
			['/user/products/terminate', { user_id: ALICE, reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed their account' }],
			['/user/remove', { user_id: ALICE }],
			['/user/items/remove', { user_id: 'usr_demo_bob', item_ids: [BOB_CLOSED_ITEM] }],
		],
	);

	const requestId = (json) => (assert.match(json.request_id, /\S/), json.request_id);
	assert.deepEqual(onlyItem(runData, "List Alice's Items").items.map((item) => item.item_id), aliceItems);
	const again = onlyItem(runData, "List Alice's Items again");
	assert.deepEqual(again, { items: [], request_id: requestId(again) });
	// Each irreversible node's output, against the call of the list above that it made.
	const removals = [
		["Remove all of Alice's Items", 'user.removeItems', requests[2], { item_ids: aliceItems, user_id: ALICE }],
		["End Alice's subscriptions", 'user.terminateProducts', requests[4], { user_id: ALICE }],
		['Delete Alice at Plaid', 'user.remove', requests[5], { user_id: ALICE }],
		["Remove Bob's closed account", 'user.removeItems', requests[6], { item_ids: [BOB_CLOSED_ITEM], user_id: 'usr_demo_bob' }],
	];
	for (const [node, operation, request, fields] of removals) {
		assertRemovedOutput(onlyItem(runData, node), { request, operation, fields, baseUrl }, node);
	}

	assert.equal((await client.user(ALICE)).exists, false, 'Alice is still a Plaid user');
	assert.deepEqual((await client.user('usr_demo_bob')).item_ids, before.usr_demo_bob.filter((id) => id !== BOB_CLOSED_ITEM));
}
