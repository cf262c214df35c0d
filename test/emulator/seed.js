// @ts-check
'use strict';

// Demo data: two customers with Items at Plaid's Sandbox test banks. IDs derive from fixed seeds, so a
// demo workflow can name them and they stay the same from run to run.

const { seededAlphanumeric, seededUuid } = require('./ids');
const { institutionName } = require('./institutions');

/** @typedef {import('./state').StoredItem} StoredItem */
/** @typedef {import('./state').EmulatorUser} EmulatorUser */

const DEMO_WEBHOOK_URL = 'https://n8n.example.com/webhook/plaid';

/**
 * @param {string} userId
 * @param {string} institutionId
 * @param {string[]} products
 * @returns {Partial<StoredItem>}
 */
function demoItem(userId, institutionId, products) {
	const seed = `${userId}/${institutionId}`;
	return {
		item_id: seededAlphanumeric(seed, 37),
		access_token: `access-sandbox-${seededUuid(seed)}`,
		institution_id: institutionId,
		institution_name: institutionName(institutionId),
		webhook: DEMO_WEBHOOK_URL,
		products,
		billed_products: products,
		consented_products: products,
		available_products: ['balance'],
	};
}

/**
 * The demo users' Items, as seedDemo adds them: the same item_id and access_token every run, so that an
 * app's database of access tokens (examples/token-offboarding) can be seeded to match.
 * @returns {{ usr_demo_alice: Partial<StoredItem>[], usr_demo_bob: Partial<StoredItem>[] }}
 */
function demoItems() {
	return {
		usr_demo_alice: [
			demoItem('usr_demo_alice', 'ins_109508', ['auth', 'transactions']),
			demoItem('usr_demo_alice', 'ins_109512', ['transactions', 'liabilities']),
			demoItem('usr_demo_alice', 'ins_109511', ['auth', 'identity']),
		],
		usr_demo_bob: [demoItem('usr_demo_bob', 'ins_109509', ['transactions']), demoItem('usr_demo_bob', 'ins_109510', ['auth', 'investments'])],
	};
}

/**
 * Adds usr_demo_alice (3 Items) and usr_demo_bob (2 Items) and returns them.
 * @param {{ addUser(spec: import('./state').NewUser): EmulatorUser }} emulator
 * @returns {{ alice: EmulatorUser, bob: EmulatorUser }}
 */
function seedDemo(emulator) {
	const items = demoItems();
	const alice = emulator.addUser({ user_id: 'usr_demo_alice', client_user_id: 'demo-customer-1001', items: items.usr_demo_alice });
	const bob = emulator.addUser({ user_id: 'usr_demo_bob', client_user_id: 'demo-customer-1002', items: items.usr_demo_bob });
	return { alice, bob };
}

module.exports = { seedDemo, demoItems, DEMO_WEBHOOK_URL };
