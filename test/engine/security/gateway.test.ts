/**
 * Gateway mode: n8n holds only a token for a gateway that adds the Plaid keys server-side.
 * Requests go n8n → gateway (under a path prefix) → emulator.
 */
import { startEmulator } from '../../emulator';
import fakeTokens from '../../fixtures/fakeTokens.json';
import { removedJson } from '../../harness/plaidNode';
import { loadPackage, runWorkflow, testCredential } from '../../harness/engine';
import { forgetRequests, perFile } from '../../harness/fixtures';
import { startGateway } from '../../harness/gateway';
import { startTriggerServer } from '../../harness/webhook';
import { gatewayCredentials as gatewayCredentialsFor, plaidWorkflow } from '../../harness/workflows';

const GATEWAY_TOKEN = fakeTokens.gateway.gatewayToken;

const { loaded, emulator, gateway, proxy } = perFile(
	async () => {
		const emulator = await startEmulator();
		return {
			loaded: await loadPackage(),
			emulator,
			gateway: await startGateway({
				upstream: emulator.url,
				prefix: '/plaid',
				token: GATEWAY_TOKEN,
				injectKeys: { clientId: emulator.clientId, secret: emulator.secret },
			}),
			proxy: await startGateway({ upstream: emulator.url, prefix: '/proxied/plaid' }),
		};
	},
	({ emulator, gateway, proxy }) => {
		emulator.reset();
		forgetRequests(gateway, proxy);
	},
);

const gatewayCredentials = (overrides: Record<string, unknown> = {}) => gatewayCredentialsFor(gateway.url, overrides);

async function removeItems(parameters: Record<string, unknown>, credentials: Record<string, Record<string, unknown>>) {
	return await runWorkflow(plaidWorkflow({ resource: 'user', operation: 'removeItems', ...parameters }), { credentials, loaded });
}

describe('keys injected by the gateway', () => {
	it('sends no Plaid keys, the bearer token and Plaid-Version; the gateway adds the keys', async () => {
		const itemIds = ['item-1', 'item-2'];
		emulator.addUser({ user_id: 'usr_gw', items: itemIds });

		const result = await removeItems({ userId: 'usr_gw', itemIds: itemIds.join(',') }, gatewayCredentials());

		expect(result.status).toBe('success');
		expect(result.output('Plaid')[0].json).toEqual(removedJson({ item_ids: itemIds, not_attached_item_ids: [], user_id: 'usr_gw' }, '/user/items/remove', 'user.removeItems'));

		expect(gateway.requests).toHaveLength(1);
		const [received] = gateway.requests;
		expect(received.method).toBe('POST');
		expect(received.path).toBe('/plaid/user/items/remove');
		expect(received.headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
		expect(received.headers['plaid-version']).toBe('2020-09-14');
		expect(received.headers).not.toHaveProperty('plaid-client-id');
		expect(received.headers).not.toHaveProperty('plaid-secret');
		expect(JSON.parse(received.rawBody)).toEqual({ user_id: 'usr_gw', item_ids: itemIds });

		const [atPlaid] = emulator.requests;
		expect(atPlaid.path).toBe('/user/items/remove');
		expect(atPlaid.headers['plaid-client-id']).toBe(emulator.clientId);
		expect(atPlaid.headers['plaid-secret']).toBe(emulator.secret);
		expect(emulator.itemIdsOf('usr_gw')).toEqual([]);
	});

	it('sends no Authorization header when no token is set', async () => {
		emulator.addUser({ user_id: 'usr_gw', items: ['item-1'] });
		const open = await startGateway({
			upstream: emulator.url,
			injectKeys: { clientId: emulator.clientId, secret: emulator.secret },
		});
		try {
			await removeItems(
				{ userId: 'usr_gw', itemIds: 'item-1' },
				{ plaidApi: { environment: 'custom', baseUrl: open.url, keysInjectedByGateway: true } },
			);
			expect(open.requests[0].headers).not.toHaveProperty('authorization');
			expect(open.requests[0].headers).not.toHaveProperty('plaid-secret');
		} finally {
			await open.close();
		}
	});

	it('runs the credential test through the gateway', async () => {
		const result = await testCredential(gatewayCredentials().plaidApi, { loaded });

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(gateway.requests.map((r) => r.path)).toEqual(['/plaid/institutions/get']);
		expect(gateway.requests[0].headers).not.toHaveProperty('plaid-secret');
	});

	it('fetches the trigger’s webhook verification key through the gateway', async () => {
		const trigger = await startTriggerServer({ loaded, credentials: gatewayCredentials(), parameters: { events: ['*'] } });
		try {
			const payload = { webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: 'item-1', environment: 'sandbox' };
			const delivery = await emulator.sendWebhook(trigger.url, payload);

			expect(delivery.status).toBe(200);
			expect(trigger.started).toHaveLength(1);
			expect(gateway.requests.map((r) => r.path)).toEqual(['/plaid/webhook_verification_key/get']);
			expect(gateway.requests[0].headers).not.toHaveProperty('plaid-secret');
			expect(gateway.requests[0].headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
			expect(emulator.requestsTo('/webhook_verification_key/get')[0].headers['plaid-secret']).toBe(emulator.secret);
		} finally {
			await trigger.close();
		}
	});

	it('passes Plaid errors through as Plaid errors', async () => {
		const result = await removeItems({ userId: 'usr_unknown', itemIds: 'item-1' }, gatewayCredentials());

		expect(result.nodeError('Plaid').message).toMatch(/^USER_NOT_FOUND: /);
	});

	it('says the gateway refused the call on a wrong token, without the token anywhere', async () => {
		emulator.addUser({ user_id: 'usr_gw', items: ['item-1'] });

		const result = await removeItems({ userId: 'usr_gw', itemIds: 'item-1' }, gatewayCredentials({ gatewayToken: fakeTokens.gateway.wrongGatewayToken }));

		const error = result.nodeError('Plaid');
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toBe(`The gateway at ${gateway.url} refused the call (HTTP 401); Plaid was not reached`);
		expect(error.description).toContain('Gateway Token');
		expect(emulator.requests).toHaveLength(0);
		expect(JSON.stringify(result.run)).not.toContain(fakeTokens.gateway.wrongGatewayToken);
		expect(JSON.stringify(result.run)).not.toContain(GATEWAY_TOKEN);
	});

	it('ignores the gateway switch outside the custom environment', async () => {
		// A switch left on from an earlier custom setup must not drop the keys for Sandbox/Production.
		const { keysInjectedByGateway } = await import('../../../nodes/shared/baseUrl');
		expect(keysInjectedByGateway({ environment: 'production', keysInjectedByGateway: true })).toBe(false);
		expect(keysInjectedByGateway({ environment: 'custom', keysInjectedByGateway: true })).toBe(true);
	});
});

describe('every operation through the gateway', () => {
	const itemIds = ['item-gw-1', 'item-gw-2'];
	const operations: Array<[string, string, (ids: { accessToken: string }) => Record<string, unknown>, string]> = [
		['user', 'getItems', () => ({ userId: 'usr_gw' }), '/user/items/get'],
		['user', 'removeItems', () => ({ userId: 'usr_gw', itemIds: itemIds.join(',') }), '/user/items/remove'],
		['user', 'terminateProducts', () => ({ userId: 'usr_gw', reasonCode: 'OTHER' }), '/user/products/terminate'],
		['user', 'remove', () => ({ userId: 'usr_gw' }), '/user/remove'],
		['user', 'create', () => ({ clientUserId: 'crm-customer-77' }), '/user/create'],
		['item', 'get', ({ accessToken }) => ({ accessToken }), '/item/get'],
		['item', 'remove', ({ accessToken }) => ({ accessToken }), '/item/remove'],
	];

	it.each(operations)('%s / %s', async (resource, operation, parameters, path) => {
		emulator.addUser({ user_id: 'usr_gw', items: itemIds });
		const accessToken = emulator.accessTokenOf(itemIds[0]) as string;

		const result = await runWorkflow(plaidWorkflow({ resource, operation, ...parameters({ accessToken }) }), {
			credentials: gatewayCredentials(),
			loaded,
		});

		expect(result.status).toBe('success');
		expect(gateway.requests.map((r) => r.path)).toEqual([`/plaid${path}`]);
		expect(gateway.requests[0].headers).not.toHaveProperty('plaid-client-id');
		expect(gateway.requests[0].headers).not.toHaveProperty('plaid-secret');
		expect(gateway.requests[0].headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
		expect(emulator.requests.map((r) => [r.path, r.response.status])).toEqual([[path, 200]]);
	});
});

describe('a custom URL with a path prefix', () => {
	it('sends requests under the prefix, with the keys, when the gateway does not inject them', async () => {
		emulator.addUser({ user_id: 'usr_px', items: ['item-1'] });

		const result = await removeItems(
			{ userId: 'usr_px', itemIds: 'item-1' },
			{ plaidApi: { environment: 'custom', baseUrl: `${proxy.url}/`, clientId: emulator.clientId, secret: emulator.secret } },
		);

		expect(result.status).toBe('success');
		expect(proxy.requests.map((r) => r.path)).toEqual(['/proxied/plaid/user/items/remove']);
		expect(proxy.requests[0].headers['plaid-secret']).toBe(emulator.secret);
		expect(emulator.requests[0].path).toBe('/user/items/remove');
	});
});
