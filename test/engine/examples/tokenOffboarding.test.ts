/**
 * examples/token-offboarding.workflow.json end to end: a CRM "customer closed" event is POSTed to the
 * example's Webhook node; the run reads the customer's access tokens from the app's database (the
 * Postgres stand-in, seeded from the same .sql file the real-app suite gives PostgreSQL), terminates
 * each Item at the emulator, writes one audit row per Item, forgets the dead tokens and summarises.
 */
import example from '../../../examples/token-offboarding.workflow.json';
import { seedDemo } from '../../emulator';
import { postgresDatabase } from '../../harness/core-nodes';
import { runWorkflow } from '../../harness/engine';
import { packagePerFile, triggerPerFile } from '../../harness/engineFixtures';
import { emulatorPerFile } from '../../harness/fixtures';
import { loadSqlSeed } from '../../harness/sql-seed';
import { emulatorCredentials } from '../../harness/workflows';

type Row = Record<string, unknown>;

const WEBHOOK = 'CRM: customer closed';
const SEED = 'test/e2e/expectations/token-offboarding.sql';

const loaded = packagePerFile();
const emulator = emulatorPerFile({}, (emulator) => {
	seedDemo(emulator);
	loadSqlSeed(SEED);
});
const crm = triggerPerFile({ emulator, loaded }, { node: example.nodes.find((node) => node.name === WEBHOOK) });

/** POSTs the CRM's event to the Webhook node, then runs the workflow with the item it produced. */
async function customerClosed(event: Record<string, unknown>) {
	const response = await fetch(crm.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
	expect(response.status).toBe(200);
	const startItems = (crm.started[0].items ?? []).map((item: { json: Record<string, unknown> }) => item.json);
	return await runWorkflow(example, { credentials: emulatorCredentials(emulator), startNode: WEBHOOK, startItems, loaded });
}

const rowsOf = (customerId: string) => postgresDatabase.rows('plaid_items').filter((row) => row.customer_id === customerId);
const audit = () => postgresDatabase.rows('plaid_offboarding_audit');
const terminateCalls = () => emulator.requestsTo('/item/products/terminate');
const byItemId = (a: Row, b: Row) => String(a.item_id).localeCompare(String(b.item_id));

it('the seed is the emulator’s demo: each stored token is the live token of its Item', () => {
	for (const row of postgresDatabase.rows('plaid_items')) {
		expect(emulator.accessTokenOf(String(row.item_id))).toBe(row.access_token);
	}
	expect(rowsOf('crm-1001').map((row) => row.item_id)).toEqual(emulator.itemIdsOf('usr_demo_alice'));
	expect(rowsOf('crm-1002').map((row) => row.item_id)).toEqual(emulator.itemIdsOf('usr_demo_bob'));
});

it('uses only real node types; the token reaches Plaid’s call but no node after it', () => {
	expect(new Set(example.nodes.map((node) => `${node.type}@${node.typeVersion}`))).toEqual(
		new Set(['n8n-nodes-base.webhook@2', 'n8n-nodes-base.postgres@2.6', 'n8n-nodes-base.set@3.4', 'n8n-nodes-plaid.plaid@1']),
	);
	const terminate = example.nodes.find((node) => node.name === 'Terminate Item at Plaid');
	expect(terminate?.onError).toBe('continueErrorOutput');
	expect(terminate?.parameters).toMatchObject({ resource: 'item', operation: 'terminate', accessToken: "={{ $('Read access tokens').item.json.access_token }}" });
	const connections = example.connections as Record<string, { main: Array<Array<{ node: string }>> }>;
	expect(connections['Keep Item IDs'].main[0].map((next) => next.node)).toEqual(['Terminate Item at Plaid']);
	expect(connections['Terminate Item at Plaid'].main.map((output) => output.map((next) => next.node))).toEqual([['Record termination'], ['Record failure']]);
	const mentionsToken = example.nodes.filter((node) => JSON.stringify(node.parameters).includes('access_token')).map((node) => node.name);
	expect(mentionsToken).toEqual(['Terminate Item at Plaid']);
});

it('terminates each of the customer’s Items, one audit row each, forgets the tokens, one summary', async () => {
	const stored = rowsOf('crm-1001');
	const tokens = stored.map((row) => String(row.access_token));

	const result = await customerClosed({ event: 'customer.closed', customerId: 'crm-1001' });

	expect(result.status).toBe('success');
	expect(emulator.requests.map((request) => request.path)).toEqual(Array(3).fill('/item/products/terminate'));
	expect(terminateCalls().map((request) => request.body.access_token).sort()).toEqual([...tokens].sort());
	for (const request of terminateCalls()) {
		expect(request.body).toEqual({ access_token: request.body.access_token, reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed in the CRM' });
	}
	expect(tokens.map((token) => emulator.state.itemsByAccessToken.has(token))).toEqual([false, false, false]);

	const requestIdByToken = new Map(terminateCalls().map((request) => [request.body.access_token, request.response.body.request_id]));
	const expectedAudit = stored.map((row) => ({
		id: expect.any(Number),
		customer_id: 'crm-1001',
		item_id: row.item_id,
		outcome: 'terminated',
		plaid_request_id: requestIdByToken.get(row.access_token),
		error_code: null,
		error: null,
		recorded_at: expect.any(String),
	}));
	expect(audit().sort(byItemId)).toEqual(expectedAudit.sort(byItemId));
	expect(rowsOf('crm-1001')).toEqual([]);
	expect(rowsOf('crm-1002')).toHaveLength(2);
	expect(emulator.itemIdsOf('usr_demo_bob')).toHaveLength(2);

	expect(result.output('Offboarding summary')).toEqual([
		{
			json: {
				customer_id: 'crm-1001',
				status: 'offboarded',
				items_terminated: 3,
				item_ids: audit().map((row) => row.item_id),
				plaid_request_ids: audit().map((row) => row.plaid_request_id),
			},
			pairedItem: expect.anything(),
		},
	]);
	expect(result.ran('Record failure')).toBe(false);
});

it('an Item Plaid no longer knows goes to the error branch with its error_code; the others are terminated', async () => {
	const [gone, ...live] = rowsOf('crm-1001');
	emulator.state.forgetItem(String(gone.item_id));

	const result = await customerClosed({ customerId: 'crm-1001' });

	expect(result.status).toBe('success');
	expect(audit().find((row) => row.item_id === gone.item_id)).toEqual({
		id: expect.any(Number),
		customer_id: 'crm-1001',
		item_id: gone.item_id,
		outcome: 'failed',
		plaid_request_id: null,
		error_code: 'INVALID_ACCESS_TOKEN',
		error: expect.stringMatching(/^INVALID_ACCESS_TOKEN: /),
		recorded_at: expect.any(String),
	});
	expect(audit().filter((row) => row.outcome === 'terminated').map((row) => row.item_id).sort()).toEqual(live.map((row) => row.item_id).sort());
	// The failed Item's row stays for a later run (or a person) to look at; the terminated ones are gone.
	expect(rowsOf('crm-1001')).toEqual([gone]);
	expect(result.output('Offboarding summary')[0].json).toMatchObject({ items_terminated: 2 });
	expect(JSON.stringify(result.output('Terminate Item at Plaid', 1))).not.toContain(String(gone.access_token));
	expect(JSON.stringify(result.output('Record failure'))).not.toContain(String(gone.access_token));
});

it('a stored value that is not an access token fails that Item before any request, error_code null', async () => {
	const table = postgresDatabase.tables.get('plaid_items');
	const row = table?.rows.find((candidate) => candidate.customer_id === 'crm-1001') as Row;
	row.access_token = row.item_id;

	await customerClosed({ customerId: 'crm-1001' });

	expect(terminateCalls()).toHaveLength(2);
	expect(audit().find((entry) => entry.item_id === row.item_id)).toMatchObject({
		outcome: 'failed',
		error_code: null,
		error: expect.stringContaining('Access Token: not a Plaid access token'),
	});
});

it('run again for the same customer: nothing is left to terminate, nothing is sent', async () => {
	await customerClosed({ customerId: 'crm-1001' });
	emulator.clearRequests();
	crm.calls.length = 0;

	const again = await customerClosed({ customerId: 'crm-1001' });

	expect(again.status).toBe('success');
	expect(emulator.requests).toEqual([]);
	expect(again.ran('Terminate Item at Plaid')).toBe(false);
	expect(audit()).toHaveLength(3);
});

it('a customer with no stored Items: no Plaid call, nothing after the read runs', async () => {
	const result = await customerClosed({ customerId: 'crm-9999' });

	expect(result.status).toBe('success');
	expect(result.output('Read access tokens')).toEqual([]);
	expect(emulator.requests).toEqual([]);
	expect(result.ran('Offboarding summary')).toBe(false);
});
