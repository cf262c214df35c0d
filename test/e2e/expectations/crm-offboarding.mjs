// examples/crm-offboarding.workflow.json in the app. The CRM posts "customer closed"; the run removes
// the customer's Asset Report when the event names its token, removes all their Items, ends their
// subscriptions and deletes them at Plaid, each step putting out its evidence row (written with the
// customer_id to the data table); a user Plaid does not know goes to Needs review. `webhook` and
// `check` are one run (Alice, with her Asset Report), as the suites fire every webhook-started example;
// lib/crmEvidence.mjs runs all CUSTOMERS on n8n 2.41.1 and reads their rows back from the Data table.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { assertEvidenceRow } from '../lib/evidenceRows.mjs';
import { onlyItem, plaidCalls } from '../lib/workflows.mjs';

const { DEMO_ASSET_REPORT } = createRequire(import.meta.url)('../../emulator/seed.js');

const ALICE = 'usr_demo_alice';
const BOB = 'usr_demo_bob';

/** The customers the CRM closes, each on its own webhook, and how each run must end. */
export const CUSTOMERS = [
	{ customerId: 'crm-1001', plaidUserId: ALICE, assetReportToken: DEMO_ASSET_REPORT.asset_report_token, ends: 'offboarded' },
	{ customerId: 'crm-1002', plaidUserId: BOB, ends: 'offboarded' },
	// Already deleted at Plaid, or a wrong ID: Plaid cannot tell which.
	{ customerId: 'crm-1003', plaidUserId: 'usr_already_gone', ends: 'needs review' },
];

/** The CRM's "customer closed" body for a customer. */
export const eventOf = ({ customerId, plaidUserId, assetReportToken }) => ({
	event: 'customer.closed',
	customerId,
	plaidUserId,
	...(assetReportToken ? { assetReportToken } : {}),
});

export function webhook() {
	return eventOf(CUSTOMERS[0]);
}

export async function check({ runData, requests, client, before, baseUrl }) {
	checkCustomerRun({ customer: CUSTOMERS[0], runData, requests, before });
	assert.equal((await client.user(ALICE)).exists, false, 'Alice is still a Plaid user');
	assert.deepEqual(await client.itemIdsOf(BOB), before[BOB], "Bob's Items changed");
	assert.deepEqual(await assetReportsAt(baseUrl), [], "Alice's Asset Report is still at Plaid");
}

/** The Asset Reports the emulator still holds (its test-only inspection route). */
export async function assetReportsAt(emulatorUrl) {
	const response = await fetch(`${emulatorUrl}/__emulator/asset-reports`, { signal: AbortSignal.timeout(10_000) });
	return (await response.json()).asset_reports;
}

/** The irreversible steps a customer's run takes: [node, operation, the deciding call's path, outcome, row fields]. */
function stepsOf(customer, items) {
	const known = items !== undefined;
	return [
		...(customer.assetReportToken ? [['Remove Asset Report', 'assetReport.remove', '/asset_report/remove', 'removed', {}]] : []),
		known
			? ['Remove all Items', 'user.removeItems', '/user/items/remove', 'removed', { item_ids: items }]
			: ['Remove all Items', 'user.removeItems', '/user/items/get', 'not_found', {}],
		...(known
			? [
					['End user subscriptions', 'user.terminateProducts', '/user/products/terminate', 'removed', {}],
					['Delete Plaid user', 'user.remove', '/user/remove', 'removed', {}],
				]
			: []),
	];
}

/**
 * One customer's run: exactly the calls Plaid received for that customer, in order; each irreversible
 * step's evidence row against Plaid's answer (and the run's execution and workflow, when given); the
 * summary, or the Needs review item; the error branch idle. Returns the rows the data table must hold
 * for the run: each step's row with the customer_id, in step order.
 */
export function checkCustomerRun({ customer, runData, requests, before, executionId, workflowId }) {
	const { customerId, plaidUserId, assetReportToken } = customer;
	const items = before[plaidUserId];
	const mine = requests.filter((request) => request.body.user_id === plaidUserId || (assetReportToken && request.body.asset_report_token === assetReportToken));
	const userCall = (path, extra = {}) => [path, { user_id: plaidUserId, ...extra }];
	assert.deepEqual(plaidCalls(mine), [
		...(assetReportToken ? [['/asset_report/remove', { asset_report_token: assetReportToken }]] : []),
		userCall('/user/items/get'),
		...(items === undefined
			? []
			: [
					userCall('/user/items/remove', { item_ids: items }),
					userCall('/user/products/terminate', { reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed in the CRM' }),
					userCall('/user/remove'),
				]),
	]);
	const answerTo = (path) => mine.find((request) => request.path === path);
	const requestIdOf = (path) => answerTo(path).response.body.request_id;

	const rows = stepsOf(customer, items).map(([node, operation, path, outcome, fields]) => {
		const row = onlyItem(runData, node);
		const lists = outcome === 'not_found' ? { item_ids: '', not_attached_item_ids: '' } : {};
		assertEvidenceRow(row, { request: answerTo(path), operation, outcome, fields: { ...lists, ...fields }, executionId, workflowId, nodeName: node }, `${customerId}, ${node}`);
		return { customer_id: customerId, ...row };
	});

	assert.equal(runData['Offboarding failed'], undefined, `${customerId}: the error branch ran`);
	if (customer.ends === 'offboarded') {
		assert.equal(runData['Needs review'], undefined, `${customerId}: Needs review ran`);
		assert.deepEqual(onlyItem(runData, 'Offboarding summary'), {
			customer_id: customerId,
			plaid_user_id: plaidUserId,
			status: 'offboarded',
			item_ids: items.join(','),
			plaid_request_ids: {
				asset_report: assetReportToken ? requestIdOf('/asset_report/remove') : null,
				remove_items: requestIdOf('/user/items/remove'),
				end_subscriptions: requestIdOf('/user/products/terminate'),
				remove_user: requestIdOf('/user/remove'),
			},
		});
	} else {
		assert.equal(runData['Offboarding summary'], undefined, `${customerId}: the summary ran`);
		assert.deepEqual(onlyItem(runData, 'Needs review'), {
			customer_id: customerId,
			plaid_user_id: plaidUserId,
			status: 'needs_review',
			step: 'Remove all Items',
			outcome: 'not_found',
			request_id: requestIdOf('/user/items/get'),
		});
	}
	return rows;
}
