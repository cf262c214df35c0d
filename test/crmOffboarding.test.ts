/**
 * examples/crm-offboarding.workflow.json end to end: a CRM "customer closed" event is POSTed to
 * the example's Webhook node, and the run it starts goes through n8n's engine against the
 * emulator: list the Items, remove them all, end the subscriptions, delete the user, summarise.
 */
import example from '../examples/crm-offboarding.workflow.json';
import { startEmulator } from './emulator';
import { loadPackage, runWorkflow } from './harness/engine';
import { startTriggerServer } from './harness/webhook';
import { emulatorCredentials } from './harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

const WEBHOOK = 'CRM: customer closed';
const PLAID_STEPS = ['List Items at Plaid', 'Remove all Items', 'End user subscriptions', 'Delete Plaid user'];

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
});

/** POSTs the CRM's event to the Webhook node, then runs the workflow with the item it produced. */
async function customerClosed(event: Record<string, unknown>) {
	const response = await fetch(crm.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) });
	expect(response.status).toBe(200);
	expect(crm.started).toHaveLength(1);
	const startItems = (crm.started[0].items ?? []).map((item: { json: Record<string, unknown> }) => item.json);
	return await runWorkflow(example, { credentials: emulatorCredentials(emulator), startNode: WEBHOOK, startItems, loaded });
}

const calls = () => emulator.requests.map((request) => [request.path, request.body]);
const requestIdOf = (path: string) => emulator.requestsTo(path)[0].response.body.request_id;

it('uses only real node types, each Plaid step sending its failures to the error branch', () => {
	expect(new Set(example.nodes.map((node) => `${node.type}@${node.typeVersion}`))).toEqual(
		new Set(['n8n-nodes-base.webhook@2', 'n8n-nodes-plaid.plaid@1', 'n8n-nodes-base.set@3.4']),
	);
	for (const step of PLAID_STEPS) {
		expect(example.nodes.find((node) => node.name === step)?.onError).toBe('continueErrorOutput');
		const errorOutput = (example.connections as Record<string, { main: Array<Array<{ node: string }>> }>)[step].main[1];
		expect(errorOutput.map((connection) => connection.node)).toEqual(['Offboarding failed']);
	}
});

it('offboards the customer: one call per step, all Items removed in one call, one summary item', async () => {
	emulator.addUser({ user_id: 'usr_closed', items: [{ institution_name: 'First Platypus Bank' }, { institution_name: 'Tartan Bank' }] });
	const itemIds = emulator.itemIdsOf('usr_closed');
	emulator.addUser({ user_id: 'usr_other', items: [{}] });

	const result = await customerClosed({ event: 'customer.closed', customerId: 'crm-1001', plaidUserId: 'usr_closed' });

	expect(result.status).toBe('success');
	expect(Object.keys(result.output(WEBHOOK)[0].json)).toEqual(['headers', 'params', 'query', 'body', 'webhookUrl', 'executionMode']);
	expect(calls()).toEqual([
		['/user/items/get', { user_id: 'usr_closed' }],
		['/user/items/get', { user_id: 'usr_closed' }],
		['/user/items/remove', { user_id: 'usr_closed', item_ids: itemIds }],
		['/user/products/terminate', { user_id: 'usr_closed', reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed in the CRM' }],
		['/user/remove', { user_id: 'usr_closed' }],
	]);
	expect(emulator.getUser('usr_closed')).toBeUndefined();
	expect(emulator.itemIdsOf('usr_other')).toHaveLength(1);

	expect(result.output('Offboarding summary')).toEqual([
		{
			json: {
				customer_id: 'crm-1001',
				plaid_user_id: 'usr_closed',
				status: 'offboarded',
				items_removed: 2,
				institutions: ['First Platypus Bank', 'Tartan Bank'],
				plaid_request_ids: {
					list_items: emulator.requests[0].response.body.request_id,
					remove_items: requestIdOf('/user/items/remove'),
					end_subscriptions: requestIdOf('/user/products/terminate'),
					remove_user: requestIdOf('/user/remove'),
				},
			},
			pairedItem: { item: 0 },
		},
	]);
	expect(result.ran('Offboarding failed')).toBe(false);
});

it('several customers in one run: each is offboarded once, with its own summary', async () => {
	emulator.addUser({ user_id: 'usr_a', items: [{}, {}, {}] });
	emulator.addUser({ user_id: 'usr_b', items: [{}] });
	const event = (customerId: string, plaidUserId: string) => ({ headers: {}, params: {}, query: {}, body: { customerId, plaidUserId } });

	const result = await runWorkflow(example, {
		credentials: emulatorCredentials(emulator),
		startNode: WEBHOOK,
		startItems: [event('crm-a', 'usr_a'), event('crm-b', 'usr_b')],
		loaded,
	});

	for (const path of ['/user/items/remove', '/user/products/terminate', '/user/remove']) {
		expect(emulator.requestsTo(path).map((request) => request.body.user_id)).toEqual(['usr_a', 'usr_b']);
	}
	expect(result.output('Offboarding summary').map((item) => [item.json.customer_id, item.json.items_removed, item.pairedItem])).toEqual([
		['crm-a', 3, { item: 0 }],
		['crm-b', 1, { item: 1 }],
	]);
});

it('a customer without Items is still offboarded, with no remove call', async () => {
	emulator.addUser({ user_id: 'usr_empty' });

	const result = await customerClosed({ customerId: 'crm-1002', plaidUserId: 'usr_empty' });

	expect(calls().map(([path]) => path)).toEqual(['/user/items/get', '/user/items/get', '/user/products/terminate', '/user/remove']);
	expect(result.output('Offboarding summary')[0].json).toMatchObject({
		status: 'offboarded',
		items_removed: 0,
		institutions: [],
		plaid_request_ids: { remove_items: null },
	});
});

it('a user already removed at Plaid goes to the error branch with USER_NOT_FOUND, and nothing else is called', async () => {
	const result = await customerClosed({ customerId: 'crm-1003', plaidUserId: 'usr_already_gone' });

	expect(result.status).toBe('success');
	expect(calls()).toEqual([['/user/items/get', { user_id: 'usr_already_gone' }]]);
	expect(result.ran('Remove all Items')).toBe(false);
	expect(result.output('Offboarding summary')).toEqual([]);
	expect(result.output('Offboarding failed')).toEqual([
		{
			json: {
				customer_id: 'crm-1003',
				plaid_user_id: 'usr_already_gone',
				status: 'failed',
				failed_step: 'List Items at Plaid',
				error_code: 'USER_NOT_FOUND',
				error: expect.stringMatching(/^USER_NOT_FOUND: /),
			},
			pairedItem: { item: 0 },
		},
	]);
});

it('a failure at a later step names that step; the user is not deleted', async () => {
	emulator.addUser({ user_id: 'usr_closed', items: [{}] });
	emulator.injectFaults({
		path: '/user/products/terminate',
		body: { error_type: 'INVALID_INPUT', error_code: 'UNAUTHORIZED_ROUTE_ACCESS', error_message: 'client is not authorized to access this route', display_message: null },
	});

	const result = await customerClosed({ customerId: 'crm-1004', plaidUserId: 'usr_closed' });

	expect(calls().map(([path]) => path)).toEqual(['/user/items/get', '/user/items/get', '/user/items/remove', '/user/products/terminate']);
	expect(emulator.getUser('usr_closed')).toBeDefined();
	expect(result.output('Offboarding failed').map((item) => item.json)).toEqual([
		expect.objectContaining({ failed_step: 'End user subscriptions', error_code: 'UNAUTHORIZED_ROUTE_ACCESS', customer_id: 'crm-1004' }),
	]);
});

it('an event without a Plaid user ID fails at the first step with no request, and no Plaid code', async () => {
	const result = await customerClosed({ customerId: 'crm-1005' });

	expect(emulator.requests).toHaveLength(0);
	expect(result.output('Offboarding failed').map((item) => item.json)).toEqual([
		expect.objectContaining({ failed_step: 'List Items at Plaid', error_code: null, error: expect.stringContaining('User ID: required') }),
	]);
});
