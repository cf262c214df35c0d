// examples/revoked-permission.workflow.json in the app: Plaid reports that Alice revoked access to one
// of her Items; the verified webhook starts the workflow, which removes exactly that Item.

import assert from 'node:assert/strict';
import { onlyItem, plaidCalls } from '../lib/workflows.mjs';

const ALICE = 'usr_demo_alice';

/** The webhook Plaid would send, for Alice's first demo Item. */
export function webhook(before) {
	return { webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: before.usr_demo_alice[0], user_id: ALICE, environment: 'sandbox' };
}

export async function check({ runData, requests, client, before }) {
	const [revoked, ...kept] = before.usr_demo_alice;
	const calls = plaidCalls(requests.filter(({ path }) => path !== '/webhook_verification_key/get'));
	assert.deepEqual(calls, [['/user/items/remove', { user_id: ALICE, item_ids: [revoked] }]]);
	const removed = onlyItem(runData, 'Remove the revoked Item');
	assert.deepEqual(removed, { request_id: removed.request_id, item_ids: [revoked], user_id: ALICE });
	assert.match(removed.request_id, /\S/);
	assert.deepEqual(await client.itemIdsOf(ALICE), kept);
}
