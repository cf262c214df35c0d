// examples/revoked-permission.workflow.json in the app: Plaid reports that Alice revoked access to one
// of her Items; the verified webhook starts the workflow, which removes exactly that Item.

import assert from 'node:assert/strict';
import { assertRemovedOutput } from '../lib/irreversibleOutputs.mjs';
import { onlyItem, plaidCalls } from '../lib/workflows.mjs';

const ALICE = 'usr_demo_alice';

/** The webhook Plaid would send, for Alice's first demo Item. */
export function webhook(before) {
	return { webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: before.usr_demo_alice[0], user_id: ALICE, environment: 'sandbox' };
}

export async function check({ runData, requests, client, before, baseUrl }) {
	const [revoked, ...kept] = before.usr_demo_alice;
	const plaidRequests = requests.filter(({ path }) => path !== '/webhook_verification_key/get');
	assert.deepEqual(plaidCalls(plaidRequests), [['/user/items/remove', { user_id: ALICE, item_ids: [revoked] }]]);
	const fields = { item_ids: [revoked], user_id: ALICE };
	assertRemovedOutput(onlyItem(runData, 'Remove the revoked Item'), { request: plaidRequests[0], operation: 'user.removeItems', fields, baseUrl }, 'Remove the revoked Item');
	assert.deepEqual(await client.itemIdsOf(ALICE), kept);
}
