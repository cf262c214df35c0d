/**
 * For the same inputs, the offboarding and Sandbox operations and the official `plaid` SDK put the
 * same calls on the wire: method, path, JSON body, content type and the values of the auth headers.
 */
import type { PlaidApi } from 'plaid';

import { officialClient, wireCall } from '../../harness/differential';
import { plaidSuite } from '../../harness/plaidNode';
import { fixedAccessToken } from '../../harness/tokens';

type SdkMethod =
	| 'itemProductsTerminate'
	| 'itemWebhookUpdate'
	| 'userItemsAssociate'
	| 'userGet'
	| 'sandboxPublicTokenCreate'
	| 'itemPublicTokenExchange'
	| 'sandboxItemFireWebhook';

const suite = plaidSuite();

const TOKEN = fixedAccessToken('differential');
const HOOK = 'http://127.0.0.1:9/plaid-webhook';

/** The same Plaid state before each side's calls, so a termination on one side cannot change the other's. */
function seed() {
	suite.emulator.reset();
	suite.emulator.addUser({ user_id: 'usr_same', items: [{ item_id: 'item-1', access_token: TOKEN, webhook: HOOK, products: ['auth', 'transactions'] }] });
	suite.emulator.addItem({ item_id: 'item-userless' });
}

async function viaNode(resource: string, operation: string, parameters: Record<string, unknown>) {
	seed();
	const result = await suite.run({ resource, operation, ...parameters });
	expect(result.status).toBe('success');
	return suite.emulator.requests.map(wireCall);
}

async function viaSdk(calls: Array<[SdkMethod, Record<string, unknown>]>) {
	seed();
	const client: PlaidApi = officialClient(suite.emulator);
	for (const [method, request] of calls) await (client[method] as (request: unknown) => Promise<unknown>).call(client, request);
	return suite.emulator.requests.map(wireCall);
}

const cases: Array<[string, [string, string, Record<string, unknown>], [SdkMethod, Record<string, unknown>]]> = [
	[
		'item / terminate, reason only',
		['item', 'terminate', { accessToken: TOKEN }],
		['itemProductsTerminate', { access_token: TOKEN, reason_code: 'USER_OFFBOARDING' }],
	],
	[
		'item / terminate with a note',
		['item', 'terminate', { accessToken: TOKEN, reasonCode: 'DUPLICATE_ITEM', reasonNote: 'Linked twice' }],
		['itemProductsTerminate', { access_token: TOKEN, reason_code: 'DUPLICATE_ITEM', reason_note: 'Linked twice' }],
	],
	[
		'item / updateWebhook to a URL',
		['item', 'updateWebhook', { accessToken: TOKEN, webhookUrl: 'https://n8n.example.com/webhook/plaid' }],
		['itemWebhookUpdate', { access_token: TOKEN, webhook: 'https://n8n.example.com/webhook/plaid' }],
	],
	['item / updateWebhook to none', ['item', 'updateWebhook', { accessToken: TOKEN, webhookUrl: '' }], ['itemWebhookUpdate', { access_token: TOKEN, webhook: null }]],
	[
		'user / associateItems',
		['user', 'associateItems', { userId: 'usr_same', itemIds: 'item-userless, item-1' }],
		['userItemsAssociate', { user_id: 'usr_same', item_ids: ['item-userless', 'item-1'] }],
	],
	['user / get', ['user', 'get', { userId: 'usr_same' }], ['userGet', { user_id: 'usr_same' }]],
	[
		'sandbox / fireWebhook, an ITEM code',
		['sandbox', 'fireWebhook', { accessToken: TOKEN, webhookCode: 'USER_PERMISSION_REVOKED' }],
		['sandboxItemFireWebhook', { access_token: TOKEN, webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED' }],
	],
	[
		'sandbox / fireWebhook, a Default Update',
		['sandbox', 'fireWebhook', { accessToken: TOKEN, webhookCode: 'DEFAULT_UPDATE', webhookType: 'AUTH' }],
		['sandboxItemFireWebhook', { access_token: TOKEN, webhook_type: 'AUTH', webhook_code: 'DEFAULT_UPDATE' }],
	],
];

describe.each(cases)('%s: node vs official SDK', (_label, [resource, operation, parameters], sdkCall) => {
	it('the same method, path, body, content type and key headers reach Plaid', async () => {
		const node = await viaNode(resource, operation, parameters);
		const sdk = await viaSdk([sdkCall]);

		expect(node).toHaveLength(1);
		expect(node).toEqual(sdk);
		expect(node[0].clientId).toBe(suite.emulator.clientId);
		expect(node[0].secret).toBe(suite.emulator.secret);
	});
});

describe('sandbox / createTestItem: node vs official SDK', () => {
	it('the same create call, then the same exchange of the public token each side was given', async () => {
		const create = { institution_id: 'ins_109510', initial_products: ['auth', 'transactions'], user_id: 'usr_same' };
		const node = await viaNode('sandbox', 'createTestItem', { institutionId: 'ins_109510', initialProducts: ['auth', 'transactions'], userId: 'usr_same' });
		const nodeToken = suite.emulator.requests[0].response.body.public_token;

		seed();
		const client: PlaidApi = officialClient(suite.emulator);
		const created = await client.sandboxPublicTokenCreate(create as Parameters<PlaidApi['sandboxPublicTokenCreate']>[0]);
		await client.itemPublicTokenExchange({ public_token: created.data.public_token });
		const sdk = suite.emulator.requests.map(wireCall);

		expect(node[0]).toEqual(sdk[0]);
		expect(node[1]).toEqual({ ...sdk[1], body: { public_token: nodeToken } });
		expect(sdk[1].body).toEqual({ public_token: created.data.public_token });
	});
});

it('every new endpoint is covered', () => {
	const covered = new Set([...cases.map(([, , [method]]) => method), 'sandboxPublicTokenCreate', 'itemPublicTokenExchange']);
	expect([...covered].sort()).toEqual([
		'itemProductsTerminate',
		'itemPublicTokenExchange',
		'itemWebhookUpdate',
		'sandboxItemFireWebhook',
		'sandboxPublicTokenCreate',
		'userGet',
		'userItemsAssociate',
	]);
});
