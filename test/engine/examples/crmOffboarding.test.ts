/**
 * examples/crm-offboarding.workflow.json end to end: a CRM "customer closed" event is POSTed to the
 * example's Webhook node, and the run it starts goes through n8n's engine against the emulator:
 * the Asset Report removed when the event names one, all Items removed, the outcome routed
 * (offboard, or needs review), subscriptions ended and the user deleted, and every irreversible
 * step's evidence row appended to the data table with the CRM's customer ID. The table is the
 * Data table stand-in's, created from the columns the example's Data table node lists.
 */
import { randomUUID } from 'node:crypto';
import example from '../../../examples/crm-offboarding.workflow.json';
import { seedDemo, startEmulator } from '../../emulator';
import { dataTables } from '../../harness/core-nodes';
import { dataTableOf } from '../../harness/dataTableSchema';
import { loadPackage, runWorkflow } from '../../harness/engine';
import { SECRET_SHAPES } from '../../harness/secretHunt';
import { startTriggerServer } from '../../harness/webhook';
import { emulatorCredentials } from '../../harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
type Run = Awaited<ReturnType<typeof runWorkflow>>;
type Json = Record<string, unknown>;
type Task = { data?: { main?: Array<Array<{ json: Json }> | null> } };
type Recorded = Emulator['requests'][number];

const WEBHOOK = 'CRM: customer closed';
const PLAID_STEPS = ['Remove Asset Report', 'Remove all Items', 'End user subscriptions', 'Delete Plaid user'];
const TABLE = dataTableOf(example);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The evidence row's columns (CONTRACT.md, options.output), in the node's order. */
const EVIDENCE_COLUMNS = [
	'user_id', 'item_id', 'operation', 'outcome', 'removed', 'item_ids', 'not_attached_item_ids', 'request_id',
	'answered_at', 'environment', 'verified', 'preview', 'execution_id', 'workflow_id', 'node_name',
];

let loaded: Awaited<ReturnType<typeof loadPackage>>;
let emulator: Emulator;
let crm: Awaited<ReturnType<typeof startTriggerServer>>;

beforeAll(async () => {
	loaded = await loadPackage();
	emulator = await startEmulator();
	const webhookNode = example.nodes.find((node) => node.name === WEBHOOK);
	crm = await startTriggerServer({ loaded, node: webhookNode, credentials: emulatorCredentials(emulator) });
});
afterAll(async () => {
	await crm.close();
	await emulator.close();
});
beforeEach(() => {
	emulator.reset();
	crm.calls.length = 0;
	dataTables.reset();
	dataTables.create(TABLE.name, TABLE.columns);
});

/** POSTs the CRM's event to the Webhook node, then runs the workflow with the item it produced. */
async function customerClosed(event: Json) {
	const response = await fetch(crm.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
	expect(response.status).toBe(200);
	expect(crm.started).toHaveLength(1);
	const startItems = (crm.started[0].items ?? []).map((item: { json: Json }) => item.json);
	return await runWorkflow(example, { credentials: emulatorCredentials(emulator), startNode: WEBHOOK, startItems, loaded });
}

/** Several customers in one run, as a batch from the CRM would start it. */
async function customersClosed(events: Json[]) {
	const startItems = events.map((body) => ({ headers: {}, params: {}, query: {}, body }));
	return await runWorkflow(example, { credentials: emulatorCredentials(emulator), startNode: WEBHOOK, startItems, loaded });
}

/** Every item a node put out on an output, over all its runs (a node fed from two places runs twice). */
const outputOf = (run: Run, node: string, output = 0): Json[] =>
	(run.run.data.resultData.runData[node] ?? []).flatMap((task: Task) => task.data?.main?.[output] ?? []).map((item: { json: Json }) => item.json);
const calls = () => emulator.requests.map((request) => [request.path, request.body]);
const rows = () => dataTables.rows(TABLE.name);
const answerOf = (request: Recorded) => request.response.body.request_id;
const the = (path: string, userId?: string) => {
	const found = emulator.requestsTo(path).filter((request) => userId === undefined || request.body.user_id === userId);
	expect(found).toHaveLength(1);
	return found[0];
};

/**
 * The table row of an irreversible step, as Plaid's answer to `request` decides it: exactly these
 * columns, primitives only, the CRM's customer ID beside the node's evidence row.
 */
function expectedRow(
	request: Recorded,
	step: { customer: string; node: string; outcome?: string; userId?: string | null; itemIds?: string[]; lists?: { item_ids: string | null; not_attached_item_ids: string | null } },
	executionId: string,
) {
	const operation = { 'Remove Asset Report': 'assetReport.remove', 'Remove all Items': 'user.removeItems', 'End user subscriptions': 'user.terminateProducts', 'Delete Plaid user': 'user.remove' }[step.node]!;
	const outcome = step.outcome ?? 'removed';
	return {
		id: expect.any(Number),
		createdAt: expect.stringMatching(ISO_UTC),
		updatedAt: expect.stringMatching(ISO_UTC),
		customer_id: step.customer,
		user_id: step.userId === undefined ? request.body.user_id : step.userId,
		item_id: null,
		operation,
		outcome,
		removed: outcome === 'removed',
		// Remove Items lists the Items it removed and those not attached (none: every one was).
		...(step.lists ?? (step.itemIds ? { item_ids: step.itemIds.join(','), not_attached_item_ids: '' } : { item_ids: null, not_attached_item_ids: null })),
		request_id: answerOf(request),
		answered_at: expect.stringMatching(ISO_UTC),
		environment: 'custom',
		verified: null,
		preview: false,
		execution_id: executionId,
		workflow_id: 'test-workflow',
		node_name: step.node,
	};
}

/** No Plaid token (by shape) and none of the given values in anything but the Webhook's own output. */
function expectNoTokenBeyondTheWebhook(run: Run, tokens: string[] = []) {
	const { runData } = run.run.data.resultData;
	const shown = JSON.stringify(Object.fromEntries(Object.entries(runData).filter(([node]) => node !== WEBHOOK))) + JSON.stringify(rows());
	for (const shape of SECRET_SHAPES) expect(shown).not.toMatch(shape);
	for (const token of tokens) expect(shown).not.toContain(token);
}

const executionIdOf = (run: Run) => String(outputOf(run, 'Remove all Items')[0]?.execution_id);

it('is built from real node types; every Plaid step writes an evidence row and sends failures to the error branch', () => {
	expect(new Set(example.nodes.map((node) => `${node.type}@${node.typeVersion}`))).toEqual(
		new Set([
			'n8n-nodes-base.webhook@2',
			'n8n-nodes-base.set@3.4',
			'n8n-nodes-base.if@2.2',
			'n8n-nodes-plaid.plaid@1.1',
			'n8n-nodes-base.switch@3.2',
			'n8n-nodes-base.dataTable@1.1',
		]),
	);
	expect(example.nodes.filter((node) => node.type === 'n8n-nodes-plaid.plaid').map((node) => node.name)).toEqual(PLAID_STEPS);
	const connections = example.connections as Record<string, { main: Array<Array<{ node: string }>> }>;
	for (const step of PLAID_STEPS) {
		const node = example.nodes.find((candidate) => candidate.name === step)!;
		expect(node.onError).toBe('continueErrorOutput');
		expect((node.parameters as Json).options).toEqual({ output: 'evidenceRow' });
		expect(connections[step].main[0].map((connection) => connection.node)).toContain('Add customer ID');
		expect(connections[step].main[1].map((connection) => connection.node)).toEqual(['Offboarding failed']);
	}
	expect(TABLE).toEqual({
		node: 'Append to evidence table',
		name: 'plaid_offboarding_evidence',
		columns: ['customer_id', ...EVIDENCE_COLUMNS].map((name) => ({
			name,
			type: ['removed', 'verified', 'preview'].includes(name) ? 'boolean' : name === 'answered_at' ? 'date' : 'string',
		})),
	});
	expect(JSON.stringify(example)).not.toMatch(/n8n-nodes-base\.code/);
});

it('a customer with Items: all removed in one call, subscriptions ended, user deleted; one row per step, Bob untouched', async () => {
	const { alice } = seedDemo(emulator);
	const aliceItems = [...alice.items.keys()];
	const bobItems = emulator.itemIdsOf('usr_demo_bob');

	const run = await customerClosed({ event: 'customer.closed', customerId: 'crm-1001', plaidUserId: 'usr_demo_alice' });

	expect(run.status).toBe('success');
	expect(calls()).toEqual([
		['/user/items/get', { user_id: 'usr_demo_alice' }],
		['/user/items/remove', { user_id: 'usr_demo_alice', item_ids: aliceItems }],
		['/user/products/terminate', { user_id: 'usr_demo_alice', reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed in the CRM' }],
		['/user/remove', { user_id: 'usr_demo_alice' }],
	]);
	expect(emulator.getUser('usr_demo_alice')).toBeUndefined();
	expect(emulator.itemIdsOf('usr_demo_bob')).toEqual(bobItems);
	expect(emulator.describeAssetReports()).toHaveLength(1);

	const executionId = executionIdOf(run);
	expect(rows()).toEqual([
		expectedRow(the('/user/items/remove'), { customer: 'crm-1001', node: 'Remove all Items', itemIds: aliceItems }, executionId),
		expectedRow(the('/user/products/terminate'), { customer: 'crm-1001', node: 'End user subscriptions' }, executionId),
		expectedRow(the('/user/remove'), { customer: 'crm-1001', node: 'Delete Plaid user' }, executionId),
	]);
	for (const row of rows()) {
		expect(Object.values(row).every((value) => value === null || ['string', 'number', 'boolean'].includes(typeof value))).toBe(true);
		expect(Date.parse(row.answered_at as string)).toBeLessThanOrEqual(Date.parse(row.createdAt as string));
	}
	expect(outputOf(run, 'Offboarding summary')).toEqual([
		{
			customer_id: 'crm-1001',
			plaid_user_id: 'usr_demo_alice',
			status: 'offboarded',
			item_ids: aliceItems.join(','),
			plaid_request_ids: {
				asset_report: null,
				remove_items: answerOf(the('/user/items/remove')),
				end_subscriptions: answerOf(the('/user/products/terminate')),
				remove_user: answerOf(the('/user/remove')),
			},
		},
	]);
	expect(run.ran('Needs review')).toBe(false);
	expect(run.ran('Offboarding failed')).toBe(false);
	expectNoTokenBeyondTheWebhook(run);
});

it('with an Asset Report token: the report goes first (its Audit Copy with it), four rows; the token is nowhere but in the event', async () => {
	const { assetReport, auditCopy } = seedDemo(emulator);
	const token = assetReport.asset_report_token;

	const run = await customerClosed({ customerId: 'crm-1001', plaidUserId: 'usr_demo_alice', assetReportToken: token });

	expect(calls().map(([path]) => path)).toEqual(['/asset_report/remove', '/user/items/get', '/user/items/remove', '/user/products/terminate', '/user/remove']);
	expect(emulator.requests[0].body).toEqual({ asset_report_token: token });
	expect(emulator.hasAssetReport(token)).toBe(false);
	expect(emulator.hasAuditCopy(auditCopy.audit_copy_token)).toBe(false);
	const executionId = executionIdOf(run);
	expect(rows().map((row) => [row.node_name, row.outcome, row.removed, row.request_id])).toEqual(
		PLAID_STEPS.map((node, k) => [node, 'removed', true, answerOf(emulator.requests[k === 0 ? 0 : k + 1])]),
	);
	expect(rows()[0]).toEqual(expectedRow(the('/asset_report/remove'), { customer: 'crm-1001', node: 'Remove Asset Report', userId: null }, executionId));
	expect(outputOf(run, 'Offboarding summary')).toEqual([
		expect.objectContaining({ status: 'offboarded', plaid_request_ids: expect.objectContaining({ asset_report: answerOf(the('/asset_report/remove')) }) }),
	]);
	expectNoTokenBeyondTheWebhook(run, [token, auditCopy.audit_copy_token]);
});

it('an Asset Report Plaid no longer knows: not_found in its row, the offboarding goes on, the summary says needs_review', async () => {
	seedDemo(emulator);
	const unknownToken = `assets-sandbox-${randomUUID()}`;

	const run = await customerClosed({ customerId: 'crm-1001', plaidUserId: 'usr_demo_alice', assetReportToken: unknownToken });

	expect(rows().map((row) => [row.node_name, row.outcome, row.removed])).toEqual([
		['Remove Asset Report', 'not_found', false],
		['Remove all Items', 'removed', true],
		['End user subscriptions', 'removed', true],
		['Delete Plaid user', 'removed', true],
	]);
	expect(outputOf(run, 'Offboarding summary')).toEqual([expect.objectContaining({ status: 'needs_review' })]);
	expectNoTokenBeyondTheWebhook(run, [unknownToken]);
});

it('a customer without Items: nothing_to_remove, still offboarded; no remove call', async () => {
	emulator.addUser({ user_id: 'usr_empty' });

	const run = await customerClosed({ customerId: 'crm-1002', plaidUserId: 'usr_empty' });

	expect(calls().map(([path]) => path)).toEqual(['/user/items/get', '/user/products/terminate', '/user/remove']);
	expect(rows()).toEqual([
		expectedRow(the('/user/items/get'), { customer: 'crm-1002', node: 'Remove all Items', outcome: 'nothing_to_remove', lists: { item_ids: '', not_attached_item_ids: null } }, executionIdOf(run)),
		expectedRow(the('/user/products/terminate'), { customer: 'crm-1002', node: 'End user subscriptions' }, executionIdOf(run)),
		expectedRow(the('/user/remove'), { customer: 'crm-1002', node: 'Delete Plaid user' }, executionIdOf(run)),
	]);
	expect(outputOf(run, 'Offboarding summary')).toEqual([expect.objectContaining({ status: 'offboarded', item_ids: '' })]);
	expect(emulator.getUser('usr_empty')).toBeUndefined();
});

it('a user already gone at Plaid (or a wrong ID): not_found, to Needs review; nothing else is sent', async () => {
	seedDemo(emulator);

	const run = await customerClosed({ customerId: 'crm-1003', plaidUserId: 'usr_already_gone' });

	expect(calls()).toEqual([['/user/items/get', { user_id: 'usr_already_gone' }]]);
	expect(rows()).toEqual([expectedRow(the('/user/items/get'), { customer: 'crm-1003', node: 'Remove all Items', outcome: 'not_found', lists: { item_ids: '', not_attached_item_ids: '' } }, executionIdOf(run))]);
	expect(outputOf(run, 'Needs review')).toEqual([
		{ customer_id: 'crm-1003', plaid_user_id: 'usr_already_gone', status: 'needs_review', step: 'Remove all Items', outcome: 'not_found', request_id: answerOf(emulator.requests[0]) },
	]);
	expect(run.ran('End user subscriptions')).toBe(false);
	expect(run.ran('Offboarding summary')).toBe(false);
	expect(emulator.itemIdsOf('usr_demo_alice')).toHaveLength(3);
});

it('a lost answer: uncertain, to Needs review, never offboarded; the user is kept', async () => {
	emulator.addUser({ user_id: 'usr_closed', items: ['item-1', 'item-2'] });
	emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });

	const run = await customerClosed({ customerId: 'crm-1004', plaidUserId: 'usr_closed' });

	// Plaid did remove them; its answer never arrived, the retry was refused, and the read after it shows none.
	expect(emulator.removals).toEqual([expect.objectContaining({ item_ids: ['item-1', 'item-2'], delivered: false })]);
	expect(calls().map(([path]) => path)).toEqual(['/user/items/get', '/user/items/remove', '/user/items/remove', '/user/items/get']);
	expect(rows()).toEqual([expect.objectContaining({ customer_id: 'crm-1004', node_name: 'Remove all Items', outcome: 'uncertain', removed: false, item_ids: '' })]);
	expect(outputOf(run, 'Needs review')).toEqual([expect.objectContaining({ customer_id: 'crm-1004', status: 'needs_review', outcome: 'uncertain' })]);
	expect(run.ran('Offboarding summary')).toBe(false);
	expect(emulator.getUser('usr_closed')).toBeDefined();
});

it('several customers in one run: each offboarded or reviewed on its own, each row carrying its customer', async () => {
	const { assetReport } = seedDemo(emulator);
	emulator.addUser({ user_id: 'usr_empty' });

	const run = await customersClosed([
		{ customerId: 'crm-a', plaidUserId: 'usr_demo_alice', assetReportToken: assetReport.asset_report_token },
		{ customerId: 'crm-b', plaidUserId: 'usr_demo_bob' },
		{ customerId: 'crm-c', plaidUserId: 'usr_already_gone' },
		{ customerId: 'crm-d', plaidUserId: 'usr_empty' },
	]);

	expect(run.status).toBe('success');
	for (const userId of ['usr_demo_alice', 'usr_demo_bob', 'usr_empty']) expect(emulator.getUser(userId)).toBeUndefined();
	expect(emulator.hasAssetReport(assetReport.asset_report_token)).toBe(false);
	const byCustomer = (customer: string) => rows().filter((row) => row.customer_id === customer).map((row) => [row.node_name, row.outcome, row.user_id]);
	expect(byCustomer('crm-a')).toEqual([
		['Remove Asset Report', 'removed', null],
		['Remove all Items', 'removed', 'usr_demo_alice'],
		['End user subscriptions', 'removed', 'usr_demo_alice'],
		['Delete Plaid user', 'removed', 'usr_demo_alice'],
	]);
	expect(byCustomer('crm-b')).toEqual(PLAID_STEPS.slice(1).map((node) => [node, 'removed', 'usr_demo_bob']));
	expect(byCustomer('crm-c')).toEqual([['Remove all Items', 'not_found', 'usr_already_gone']]);
	expect(byCustomer('crm-d')).toEqual([
		['Remove all Items', 'nothing_to_remove', 'usr_empty'],
		['End user subscriptions', 'removed', 'usr_empty'],
		['Delete Plaid user', 'removed', 'usr_empty'],
	]);
	expect(rows()).toHaveLength(4 + 3 + 1 + 3);
	expect(outputOf(run, 'Offboarding summary').map((item) => [item.customer_id, item.status]).sort()).toEqual([
		['crm-a', 'offboarded'],
		['crm-b', 'offboarded'],
		['crm-d', 'offboarded'],
	]);
	expect(outputOf(run, 'Needs review').map((item) => [item.customer_id, item.outcome])).toEqual([['crm-c', 'not_found']]);
	for (const path of ['/user/items/remove', '/user/products/terminate', '/user/remove']) {
		expect(emulator.requestsTo(path).map((request) => request.body.user_id).sort()).toEqual(
			path === '/user/items/remove' ? ['usr_demo_alice', 'usr_demo_bob'] : ['usr_demo_alice', 'usr_demo_bob', 'usr_empty'],
		);
	}
	expectNoTokenBeyondTheWebhook(run, [assetReport.asset_report_token]);
});

it('a failure at a later step goes to Offboarding failed with its Plaid code; the user is not deleted; the rows say what was done', async () => {
	emulator.addUser({ user_id: 'usr_closed', items: ['item-1'] });
	emulator.injectFaults({
		path: '/user/products/terminate',
		body: { error_type: 'INVALID_INPUT', error_code: 'UNAUTHORIZED_ROUTE_ACCESS', error_message: 'client is not authorized to access this route', display_message: null },
	});

	const run = await customerClosed({ customerId: 'crm-1005', plaidUserId: 'usr_closed' });

	expect(calls().map(([path]) => path)).toEqual(['/user/items/get', '/user/items/remove', '/user/products/terminate']);
	expect(emulator.getUser('usr_closed')).toBeDefined();
	expect(outputOf(run, 'Offboarding failed')).toEqual([
		{ customer_id: 'crm-1005', plaid_user_id: 'usr_closed', status: 'failed', failed_step: 'End user subscriptions', error_code: 'UNAUTHORIZED_ROUTE_ACCESS', error: expect.stringMatching(/^UNAUTHORIZED_ROUTE_ACCESS: /) },
	]);
	expect(rows().map((row) => [row.node_name, row.outcome])).toEqual([['Remove all Items', 'removed']]);
});

it('an event without a Plaid user ID fails at Remove all Items with no request, no Plaid code and no row', async () => {
	const run = await customerClosed({ customerId: 'crm-1006' });

	expect(emulator.requests).toHaveLength(0);
	expect(outputOf(run, 'Offboarding failed')).toEqual([
		expect.objectContaining({ customer_id: 'crm-1006', failed_step: 'Remove all Items', error_code: null, error: expect.stringContaining('User ID') }),
	]);
	expect(rows()).toEqual([]);
});

it('without its table the run stops at the first evidence row: nothing after that step is sent', async () => {
	dataTables.reset();
	emulator.addUser({ user_id: 'usr_closed', items: ['item-1'] });

	const run = await customerClosed({ customerId: 'crm-1007', plaidUserId: 'usr_closed' });

	expect(run.status).toBe('error');
	expect(run.nodeError(TABLE.node)?.message).toBe(`Data table with name "${TABLE.name}" not found`);
	expect(calls().map(([path]) => path)).toEqual(['/user/items/get', '/user/items/remove']);
	expect(emulator.getUser('usr_closed')).toBeDefined();
});

it('the table refuses what n8n refuses: a column it does not have', async () => {
	dataTables.reset();
	dataTables.create(TABLE.name, TABLE.columns.filter((column) => column.name !== 'node_name'));
	emulator.addUser({ user_id: 'usr_closed' });

	const run = await customerClosed({ customerId: 'crm-1008', plaidUserId: 'usr_closed' });

	expect(run.nodeError(TABLE.node)?.message).toBe("unknown column name 'node_name'");
	expect(rows()).toEqual([]);
});
