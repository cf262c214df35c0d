// @ts-check
'use strict';

// Demo data: two customers with Items at Plaid's Sandbox test banks, and for the first one an Asset
// Report with an Audit Copy shared with a lender. IDs and tokens derive from fixed seeds, so a demo
// workflow can name them and they stay the same from run to run.

const { seededAlphanumeric, seededUuid, newAuditCopyToken } = require('./ids');
const { institutionName } = require('./institutions');

/** @typedef {import('./state').StoredItem} StoredItem */
/** @typedef {import('./state').EmulatorUser} EmulatorUser */
/** @typedef {import('./assetReports').AssetReport} AssetReport */
/** @typedef {import('./assetReports').AuditCopy} AuditCopy */

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

/** usr_demo_alice's Asset Report (over her three Items) and its Audit Copy, the same every run. */
const DEMO_ASSET_REPORT = Object.freeze({
	user_id: 'usr_demo_alice',
	asset_report_token: `assets-sandbox-${seededUuid('usr_demo_alice/asset-report')}`,
	asset_report_id: seededUuid('usr_demo_alice/asset-report-id'),
	client_report_id: 'demo-report-1001',
	audit_copy_token: newAuditCopyToken('sandbox', 'usr_demo_alice/audit-copy'),
	auditor_id: 'demo_lender',
});

/**
 * @typedef {object} DemoSeedable
 * @property {(spec: import('./state').NewUser) => EmulatorUser} addUser
 * @property {(spec: import('./assetReports').NewAssetReport) => AssetReport} addAssetReport
 * @property {(reportToken: string, spec: { audit_copy_token?: string, auditor_id?: string | null }) => AuditCopy} addAuditCopy
 */

/**
 * Adds usr_demo_alice (3 Items, one Asset Report with one Audit Copy) and usr_demo_bob (2 Items).
 * @param {DemoSeedable} emulator
 * @returns {{ alice: EmulatorUser, bob: EmulatorUser, assetReport: AssetReport, auditCopy: AuditCopy }}
 */
function seedDemo(emulator) {
	const items = demoItems();
	const alice = emulator.addUser({ user_id: 'usr_demo_alice', client_user_id: 'demo-customer-1001', items: items.usr_demo_alice });
	const bob = emulator.addUser({ user_id: 'usr_demo_bob', client_user_id: 'demo-customer-1002', items: items.usr_demo_bob });
	const { audit_copy_token, auditor_id, ...report } = DEMO_ASSET_REPORT;
	const assetReport = emulator.addAssetReport({ ...report, item_ids: [...alice.items.keys()] });
	const auditCopy = emulator.addAuditCopy(assetReport.asset_report_token, { audit_copy_token, auditor_id });
	return { alice, bob, assetReport, auditCopy };
}

module.exports = { seedDemo, demoItems, DEMO_WEBHOOK_URL, DEMO_ASSET_REPORT };
