/**
 * The emulator's endpoints for a complete offboarding and for Sandbox try-outs, called over HTTP the
 * way Plaid is: /item/products/terminate, /item/webhook/update, /user/items/associate, /user/get,
 * /sandbox/public_token/create with /item/public_token/exchange, and /sandbox/item/fire_webhook.
 * The webhooks it sends are received by the package's own Plaid Trigger, which verifies them.
 */
import { startEmulator } from '../index';
import { plaidCall as callOn } from '../../harness/emulatorCalls';
import { loadPackage } from '../../harness/engine';
import { triggerPerFile } from '../../harness/engineFixtures';
import { emulatorPerFile } from '../../harness/fixtures';
import { startTriggerServer } from '../../harness/webhook';
import { emulatorCredentials } from '../../harness/workflows';

type Json = Record<string, unknown>;
interface Answer {
	status: number;
	body: Json;
}

const emulator = emulatorPerFile();
const trigger = triggerPerFile({ emulator });

const call = (endpoint: string, body: Json): Promise<Answer> => callOn(emulator, endpoint, body);

function expectError(answer: Answer, type: string, code: string, status = 400): void {
	expect(answer.status).toBe(status);
	expect(answer.body).toMatchObject({ error_type: type, error_code: code });
	expect(answer.body.request_id).toEqual(expect.any(String));
}

/** The webhooks the trigger received, as bodies, once the emulator has delivered all it sent. */
async function receivedWebhooks(): Promise<Json[]> {
	await emulator.webhooksSettled();
	return trigger.started.map((started) => (started.items ?? [])[0].json as Json);
}

describe('/item/products/terminate', () => {
	it('ends the Item: the token stops working, the Item leaves its user, the reason is recorded', async () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-1', 'item-2'] });
		const token = emulator.accessTokenOf('item-1');

		const answer = await call('/item/products/terminate', { access_token: token, reason_code: 'USER_OFFBOARDING', reason_note: 'closed' });

		expect(answer.status).toBe(200);
		expect(Object.keys(answer.body)).toEqual(['request_id']);
		expect(emulator.terminationOf('item-1')).toMatchObject({ reason_code: 'USER_OFFBOARDING', reason_note: 'closed' });
		expect(emulator.accessTokenOf('item-1')).toBeUndefined();
		expect(emulator.itemIdsOf('usr_a')).toEqual(['item-2']);
		expectError(await call('/item/get', { access_token: token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		expectError(await call('/item/products/terminate', { access_token: token, reason_code: 'OTHER' }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
	});

	it('terminates an Item linked without a user', async () => {
		const item = emulator.addItem();

		expect((await call('/item/products/terminate', { access_token: item.access_token, reason_code: 'OTHER' })).status).toBe(200);
		expect(emulator.accessTokenOf(item.item_id)).toBeUndefined();
	});

	it('with terminatedItems "listed", the Item stays in its user’s list with a dead token', async () => {
		const listing = await startEmulator({ terminatedItems: 'listed' });
		try {
			listing.addUser({ user_id: 'usr_a', items: ['item-1'] });
			const token = listing.accessTokenOf('item-1');
			expect((await callOn(listing, '/item/products/terminate', { access_token: token, reason_code: 'OTHER' })).status).toBe(200);

			const listed = await callOn(listing, '/user/items/get', { user_id: 'usr_a' });
			expect((listed.body.items as Json[]).map((item) => item.item_id)).toEqual(['item-1']);
			expectError(await callOn(listing, '/item/get', { access_token: token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		} finally {
			await listing.close();
		}
	});

	it.each([
		['no reason_code', {}, 'MISSING_FIELDS'],
		['an Item-remove reason that is not a products-terminate one', { reason_code: 'CONNECTION_IS_NON_FUNCTIONAL' }, 'INVALID_FIELD'],
		['a 513-character note', { reason_code: 'OTHER', reason_note: 'n'.repeat(513) }, 'INVALID_FIELD'],
	])('checks the body like Plaid: %s', async (_label, fields, code) => {
		const item = emulator.addItem();
		expectError(await call('/item/products/terminate', { access_token: item.access_token, ...fields }), 'INVALID_REQUEST', code);
		expect(emulator.accessTokenOf(item.item_id)).toBe(item.access_token);
	});
});

describe('/item/webhook/update', () => {
	it('sets the webhook, answers the Item without its token, and sends a signed WEBHOOK_UPDATE_ACKNOWLEDGED there', async () => {
		const item = emulator.addItem();

		const answer = await call('/item/webhook/update', { access_token: item.access_token, webhook: trigger.url });

		expect(answer.status).toBe(200);
		expect(answer.body.item).toMatchObject({ item_id: item.item_id, webhook: trigger.url });
		expect(JSON.stringify(answer.body)).not.toContain(item.access_token);
		expect(await receivedWebhooks()).toEqual([
			{
				webhook_type: 'ITEM',
				webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED',
				item_id: item.item_id,
				error: null,
				new_webhook_url: trigger.url,
				environment: 'sandbox',
				verified: true,
				verification_key_id: emulator.currentKeyId,
			},
		]);
	});

	it('removes the webhook with null and sends nothing', async () => {
		const item = emulator.addItem({ webhook: trigger.url });

		const answer = await call('/item/webhook/update', { access_token: item.access_token, webhook: null });

		expect((answer.body.item as Json).webhook).toBeNull();
		expect(await receivedWebhooks()).toEqual([]);
		expect(emulator.sentWebhooks).toEqual([]);
	});

	it('refuses a webhook that is not an http(s) URL, and an unknown token', async () => {
		const item = emulator.addItem();
		expectError(await call('/item/webhook/update', { access_token: item.access_token, webhook: 'ftp://example.com/hook' }), 'INVALID_REQUEST', 'INVALID_FIELD');
		expectError(await call('/item/webhook/update', { access_token: `${item.access_token}-gone`, webhook: trigger.url }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		expect(item.webhook).toBeNull();
	});

	it('records a webhook it could not deliver', async () => {
		const item = emulator.addItem();
		const closed = await startTriggerServer({ loaded: await loadPackage(), credentials: emulatorCredentials(emulator) });
		await closed.close();

		await call('/item/webhook/update', { access_token: item.access_token, webhook: closed.url });
		await emulator.webhooksSettled();

		expect(emulator.sentWebhooks).toEqual([expect.objectContaining({ url: closed.url, error: 'ECONNREFUSED' })]);
	});
});

describe('/user/items/associate', () => {
	it('links Items to the user, from no user or from another user', async () => {
		emulator.addUser({ user_id: 'usr_target' });
		emulator.addUser({ user_id: 'usr_other', items: ['item-other'] });
		const userless = emulator.addItem();

		const answer = await call('/user/items/associate', { user_id: 'usr_target', item_ids: [userless.item_id, 'item-other'] });

		expect(answer.status).toBe(200);
		expect(emulator.itemIdsOf('usr_target')).toEqual([userless.item_id, 'item-other']);
		expect(emulator.itemIdsOf('usr_other')).toEqual([]);
		const listed = await call('/user/items/get', { user_id: 'usr_target' });
		expect((listed.body.items as Json[]).map((item) => item.item_id)).toEqual([userless.item_id, 'item-other']);
	});

	it('an unknown Item fails the call and nothing moves; an unknown user is USER_NOT_FOUND', async () => {
		emulator.addUser({ user_id: 'usr_target' });
		const userless = emulator.addItem();

		expectError(await call('/user/items/associate', { user_id: 'usr_target', item_ids: [userless.item_id, 'item-nope'] }), 'ITEM_ERROR', 'ITEM_NOT_FOUND');
		expect(emulator.itemIdsOf('usr_target')).toEqual([]);
		expectError(await call('/user/items/associate', { user_id: 'usr_nobody', item_ids: [userless.item_id] }), 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it('takes at most 100 Items', async () => {
		emulator.addUser({ user_id: 'usr_target' });
		const ids = Array.from({ length: 101 }, (_value, index) => `item-${index}`);
		expectError(await call('/user/items/associate', { user_id: 'usr_target', item_ids: ids }), 'INVALID_REQUEST', 'INVALID_FIELD');
	});
});

describe('/user/get', () => {
	it('answers a new-API user in the spec UserGetResponse shape', async () => {
		const identity = { name: { given_name: 'Jane', family_name: 'Doe' } };
		const user = emulator.addUser({ user_id: 'usr_new', client_user_id: 'crm-1', identity });

		const answer = await call('/user/get', { user_id: 'usr_new' });

		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			user_id: 'usr_new',
			client_user_id: 'crm-1',
			created_at: user.created_at,
			updated_at: user.created_at,
			identity,
			request_id: expect.any(String),
		});
	});

	it('refuses a user of the legacy user-token API, and an unknown one', async () => {
		emulator.addUser({ user_id: 'usr_legacy', user_token: true });
		expectError(await call('/user/get', { user_id: 'usr_legacy' }), 'INVALID_INPUT', 'INVALID_USER_ID');
		expectError(await call('/user/get', { user_id: 'usr_nobody' }), 'USER_ERROR', 'USER_NOT_FOUND');
	});
});

describe('Sandbox test Items', () => {
	it('a public token for an institution and products becomes an Item once exchanged, once', async () => {
		const created = await call('/sandbox/public_token/create', { institution_id: 'ins_109510', initial_products: ['auth', 'transactions'] });
		expect(created.body.public_token).toMatch(/^public-sandbox-/);

		const exchanged = await call('/item/public_token/exchange', { public_token: created.body.public_token });

		expect(exchanged.body).toEqual({ access_token: expect.stringMatching(/^access-sandbox-/), item_id: expect.any(String), request_id: expect.any(String) });
		const item = await call('/item/get', { access_token: exchanged.body.access_token });
		expect(item.body.item).toMatchObject({ item_id: exchanged.body.item_id, institution_name: 'Tartan Bank', products: ['auth', 'transactions'], webhook: null });
		expectError(await call('/item/public_token/exchange', { public_token: created.body.public_token }), 'INVALID_INPUT', 'INVALID_PUBLIC_TOKEN');
	});

	it('links the Item to the user named by user_id', async () => {
		emulator.addUser({ user_id: 'usr_a' });
		const created = await call('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['transactions'], user_id: 'usr_a' });
		const exchanged = await call('/item/public_token/exchange', { public_token: created.body.public_token });

		expect(emulator.itemIdsOf('usr_a')).toEqual([exchanged.body.item_id]);
		expectError(await call('/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['auth'], user_id: 'usr_nobody' }), 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it.each([
		['an unknown institution', { institution_id: 'ins_1', initial_products: ['auth'] }, 'INVALID_INPUT', 'INVALID_INSTITUTION'],
		['no products', { institution_id: 'ins_109508', initial_products: [] }, 'INVALID_REQUEST', 'INVALID_FIELD'],
		['an unknown product', { institution_id: 'ins_109508', initial_products: ['mortgages'] }, 'INVALID_REQUEST', 'INVALID_FIELD'],
	])('refuses %s', async (_label, body, type, code) => {
		expectError(await call('/sandbox/public_token/create', body), type, code);
	});
});

describe('/sandbox/item/fire_webhook', () => {
	it('sends the ITEM webhook in its spec shape, signed, to the Item’s webhook URL', async () => {
		emulator.addUser({ user_id: 'usr_a', items: [{ item_id: 'item-1', webhook: trigger.url }] });

		const answer = await call('/sandbox/item/fire_webhook', {
			access_token: emulator.accessTokenOf('item-1'),
			webhook_type: 'ITEM',
			webhook_code: 'USER_PERMISSION_REVOKED',
		});

		expect(answer.body).toEqual({ webhook_fired: true, request_id: expect.any(String) });
		const [received] = await receivedWebhooks();
		expect(received).toEqual({
			webhook_type: 'ITEM',
			webhook_code: 'USER_PERMISSION_REVOKED',
			item_id: 'item-1',
			user_id: 'usr_a',
			error: expect.objectContaining({ error_code: 'USER_PERMISSION_REVOKED', status: 400 }),
			environment: 'sandbox',
			verified: true,
			verification_key_id: emulator.currentKeyId,
		});
		expect(received.error).not.toHaveProperty('request_id');
	});

	it('fires a DEFAULT_UPDATE of the type asked for, when the Item has that product', async () => {
		const item = emulator.addItem({ webhook: trigger.url, products: ['transactions'] });

		await call('/sandbox/item/fire_webhook', { access_token: item.access_token, webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE' });

		expect(await receivedWebhooks()).toEqual([expect.objectContaining({ webhook_type: 'TRANSACTIONS', webhook_code: 'DEFAULT_UPDATE', item_id: item.item_id })]);
		const liabilities = await call('/sandbox/item/fire_webhook', { access_token: item.access_token, webhook_type: 'LIABILITIES', webhook_code: 'DEFAULT_UPDATE' });
		expectError(liabilities, 'SANDBOX_ERROR', 'SANDBOX_PRODUCT_NOT_ENABLED');
	});

	it('refuses an Item without a webhook URL, and a type that is not the code’s', async () => {
		const item = emulator.addItem();
		expectError(await call('/sandbox/item/fire_webhook', { access_token: item.access_token, webhook_code: 'LOGIN_REPAIRED' }), 'SANDBOX_ERROR', 'SANDBOX_WEBHOOK_INVALID');
		item.webhook = trigger.url;
		const mismatched = await call('/sandbox/item/fire_webhook', { access_token: item.access_token, webhook_type: 'AUTH', webhook_code: 'LOGIN_REPAIRED' });
		expectError(mismatched, 'INVALID_REQUEST', 'INVALID_FIELD');
		expect(await receivedWebhooks()).toEqual([]);
	});
});

describe('an emulator playing Production', () => {
	it('answers SANDBOX_ONLY on the /sandbox/ endpoints, and names production in its webhooks', async () => {
		const production = await startEmulator({ environment: 'production' });
		try {
			const item = production.addItem();
			expectError(await callOn(production, '/sandbox/public_token/create', { institution_id: 'ins_109508', initial_products: ['auth'] }), 'INVALID_REQUEST', 'SANDBOX_ONLY');
			expectError(await callOn(production, '/sandbox/item/fire_webhook', { access_token: item.access_token, webhook_code: 'LOGIN_REPAIRED' }), 'INVALID_REQUEST', 'SANDBOX_ONLY');

			await callOn(production, '/item/webhook/update', { access_token: item.access_token, webhook: trigger.url });
			await production.webhooksSettled();
			expect(production.sentWebhooks.map((sent) => sent.payload.environment)).toEqual(['production']);
		} finally {
			await production.close();
		}
	});
});
