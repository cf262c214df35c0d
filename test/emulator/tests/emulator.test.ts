import * as crypto from 'node:crypto';
import { sleep } from 'n8n-workflow';
import {
	Configuration,
	PlaidApi,
	type InstitutionsGetResponse,
	type ItemGetResponse,
	type JWKPublicKey,
	type UserCreateResponse,
	type UserItemsGetResponse,
	type WebhookVerificationKeyGetResponse,
} from 'plaid';
import { startEmulator, plaidError, seedDemo, PlaidEmulator, type PlaidErrorBody } from '../index';
import { startEmulatorCli } from '../../harness/emulatorProcess';
import { emulatorPerFile } from '../../harness/fixtures';
import { startWebhookReceiver } from '../../harness/webhookReceiver';

/** An answer whose body the test reads as `Body`: a Plaid error unless the call names a success type. */
interface CallResult<Body = PlaidErrorBody> {
	status: number;
	headers: Headers;
	text: string;
	body: Body;
}
interface JwtHeader {
	alg: string;
	kid: string;
	typ: string;
}
interface JwtClaims {
	iat: number;
	request_body_sha256: string;
}
interface CallOptions {
	headers?: Record<string, string>;
	keys?: boolean;
	method?: string;
}

const emulator = emulatorPerFile();

function keyHeaders(): Record<string, string> {
	return { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret };
}

async function call<Body = PlaidErrorBody>(endpoint: string, body: unknown, options: CallOptions = {}): Promise<CallResult<Body>> {
	const { keys = true, method = 'POST' } = options;
	const response = await fetch(`${emulator.url}${endpoint}`, {
		method,
		headers: { 'Content-Type': 'application/json', ...(keys ? keyHeaders() : {}), ...options.headers },
		body: method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = {};
	try {
		parsed = JSON.parse(text);
	} catch {
		// not JSON: tests look at text
	}
	return { status: response.status, headers: response.headers, text, body: parsed as Body };
}

function expectPlaidError(result: CallResult, status: number, type: string, code: string): void {
	expect(result.status).toBe(status);
	expect(result.body).toMatchObject({ error_type: type, error_code: code, display_message: null });
	expect(typeof result.body.error_message).toBe('string');
	expect(result.body.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
}

/** A new-API user; `legacy`: a user of the legacy API instead, with a user_token and an unprefixed user_id. */
function seedAlice(legacy = false) {
	if (legacy) return emulator.addUser({ user_id: 'AliceLegacyUserId0000000000001', user_token: 'user-sandbox-alice', items: ['item-a', 'item-b', 'item-c'] });
	return emulator.addUser({ user_id: 'usr_alice', items: ['item-a', 'item-b', 'item-c'] });
}

describe('server', () => {
	it('listens on 127.0.0.1 with default keys', () => {
		expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(emulator.clientId).toBe('emulator-client-id');
		expect(emulator.secret).toMatch(/^emulator-secret-[0-9a-f]+$/);
	});

	it('gives every response a fresh request_id', async () => {
		seedAlice();
		const first = await call('/user/items/get', { user_id: 'usr_alice' });
		const second = await call('/user/items/get', { user_id: 'nobody' });
		expect(first.body.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
		expect(second.body.request_id).not.toBe(first.body.request_id);
	});
});

describe('request checks', () => {
	it('answers NOT_FOUND for an unknown path and 405 for a non-POST method', async () => {
		expectPlaidError(await call('/no/such/endpoint', {}), 400, 'INVALID_REQUEST', 'NOT_FOUND');
		const get = await call('/item/get', undefined, { method: 'GET' });
		expectPlaidError(get, 405, 'INVALID_REQUEST', 'NOT_FOUND');
		expect(get.headers.get('allow')).toBe('POST');
	});

	it('answers INVALID_BODY for a wrong Content-Type, broken JSON or a non-object', async () => {
		const text = await call('/item/get', '{"access_token":"x"}', { headers: { 'Content-Type': 'text/plain' } });
		expectPlaidError(text, 400, 'INVALID_REQUEST', 'INVALID_BODY');
		expectPlaidError(await call('/item/get', '{"access_token":'), 400, 'INVALID_REQUEST', 'INVALID_BODY');
		expectPlaidError(await call('/item/get', '["access_token"]'), 400, 'INVALID_REQUEST', 'INVALID_BODY');
	});

	it('answers MISSING_FIELDS naming client_id and secret when the keys are missing', async () => {
		const none = await call('/item/get', { access_token: 'x' }, { keys: false });
		expectPlaidError(none, 400, 'INVALID_REQUEST', 'MISSING_FIELDS');
		expect(none.body.error_message).toMatch(/client_id, secret/);
		const noSecret = await call('/item/get', { access_token: 'x' }, { keys: false, headers: { 'PLAID-CLIENT-ID': emulator.clientId } });
		expect(noSecret.body.error_message).toMatch(/: secret$/);
	});

	it('answers INVALID_API_KEYS for a wrong secret and accepts keys in the body', async () => {
		const wrong = await call('/item/get', { access_token: 'x' }, { headers: { 'PLAID-SECRET': 'not-it' } });
		expectPlaidError(wrong, 400, 'INVALID_INPUT', 'INVALID_API_KEYS');
		const inBody = await call('/item/get', { access_token: 'x', client_id: emulator.clientId, secret: emulator.secret }, { keys: false });
		expectPlaidError(inBody, 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
	});

	it('answers UNKNOWN_FIELDS naming the field, nested ones included', async () => {
		const top = await call('/user/items/remove', { user_id: 'u', item_ids: ['a'], force: true });
		expectPlaidError(top, 400, 'INVALID_REQUEST', 'UNKNOWN_FIELDS');
		expect(top.body.error_message).toMatch(/force/);
		const nested = await call('/institutions/get', { count: 1, offset: 0, country_codes: ['US'], options: { colour: 'red' } });
		expect(nested.body.error_message).toMatch(/options\.colour/);
	});

	it('answers MISSING_FIELDS for a missing required field and for no user at all', async () => {
		const noIds = await call('/user/items/remove', { user_id: 'u' });
		expectPlaidError(noIds, 400, 'INVALID_REQUEST', 'MISSING_FIELDS');
		expect(noIds.body.error_message).toMatch(/item_ids/);
		const noUser = await call('/user/items/remove', { item_ids: ['a'] });
		expectPlaidError(noUser, 400, 'INVALID_REQUEST', 'MISSING_FIELDS');
		expect(noUser.body.error_message).toMatch(/user_id or user_token/);
		const noReason = await call('/user/products/terminate', { user_id: 'u' });
		expect(noReason.body.error_message).toMatch(/reason_code/);
	});

	it.each([
		['item_ids as a string', '/user/items/remove', { user_id: 'u', item_ids: 'a,b' }, 'item_ids'],
		['a number in item_ids', '/user/items/remove', { user_id: 'u', item_ids: ['a', 7] }, 'item_ids'],
		['empty item_ids', '/user/items/remove', { user_id: 'u', item_ids: [] }, 'item_ids'],
		['a numeric user_id', '/user/items/remove', { user_id: 42, item_ids: ['a'] }, 'user_id'],
		['a reason_code outside the enum', '/item/remove', { access_token: 'x', reason_code: 'BORED' }, 'reason_code'],
		['count above 500', '/institutions/get', { count: 501, offset: 0, country_codes: ['US'] }, 'count'],
		['an unknown country code', '/institutions/get', { count: 1, offset: 0, country_codes: ['XX'] }, 'country_codes[0]'],
		['a 129-character client_user_id', '/user/create', { client_user_id: 'x'.repeat(129) }, 'client_user_id'],
	])('answers INVALID_FIELD for %s', async (_case, endpoint, body, field) => {
		const result = await call(endpoint, body);
		expectPlaidError(result, 400, 'INVALID_REQUEST', 'INVALID_FIELD');
		expect(result.body.error_message).toContain(field);
	});
});

describe('users and Items', () => {
	it('removes all listed Items or none (ITEM_NOT_FOUND), accepting duplicates', async () => {
		seedAlice();
		emulator.addUser({ user_id: 'usr_bob', items: ['item-bob'] });
		const partlyUnknown = await call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a', 'nope'] });
		expectPlaidError(partlyUnknown, 400, 'ITEM_ERROR', 'ITEM_NOT_FOUND');
		const someoneElses = await call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a', 'item-bob'] });
		expectPlaidError(someoneElses, 400, 'ITEM_ERROR', 'ITEM_NOT_FOUND');
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-a', 'item-b', 'item-c']);
		expect(emulator.itemIdsOf('usr_bob')).toEqual(['item-bob']);

		const removed = await call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a', 'item-b', 'item-a'] });
		expect(removed.status).toBe(200);
		expect(Object.keys(removed.body)).toEqual(['request_id']);
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-c']);
		expect(emulator.accessTokenOf('item-a')).toBeUndefined();
	});

	it('identifies users by user_token, and checks token and user_id together', async () => {
		const { user_id } = seedAlice(true);
		const byToken = await call('/user/items/remove', { user_token: 'user-sandbox-alice', item_ids: ['item-c'] });
		expect(byToken.status).toBe(200);
		expect(emulator.itemIdsOf(user_id)).toEqual(['item-a', 'item-b']);
		expect((await call('/user/items/get', { user_id, user_token: 'user-sandbox-alice' })).status).toBe(200);
		expectPlaidError(await call('/user/items/get', { user_token: 'user-sandbox-nobody' }), 400, 'INVALID_INPUT', 'INVALID_USER_TOKEN');
		expectPlaidError(await call('/user/items/get', { user_id, user_token: 'user-sandbox-nobody' }), 400, 'INVALID_INPUT', 'INVALID_USER_TOKEN');
		expectPlaidError(await call('/user/items/get', { user_id: 'usr_nobody' }), 400, 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it('lists Items in the spec Item shape without access tokens', async () => {
		seedAlice();
		const result = await call<UserItemsGetResponse>('/user/items/get', { user_id: 'usr_alice' });
		expect(result.status).toBe(200);
		expect(result.body.items.map((item) => item.item_id)).toEqual(['item-a', 'item-b', 'item-c']);
		expect(result.body.items[0]).toMatchObject({ error: null, update_type: 'background', consent_expiration_time: null, webhook: null });
		expect(JSON.stringify(result.body)).not.toContain('access-sandbox-');
	});

	it('generates Plaid-shaped IDs for seeded users and Items: usr_ for new-API users, none for legacy ones', () => {
		expect(emulator.addUser().user_id).toMatch(/^usr_[A-Za-z0-9]{14}$/);
		const user = emulator.addUser({ items: [{ institution_name: 'Tartan Bank' }], user_token: true });
		expect(user.user_id).toMatch(/^[A-Za-z0-9]{29}$/);
		expect(user.user_token).toMatch(/^user-sandbox-[0-9a-f-]{36}$/);
		const [itemId] = emulator.itemIdsOf(user.user_id);
		expect(itemId).toMatch(/^[A-Za-z0-9]{37}$/);
		expect(emulator.accessTokenOf(itemId)).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);
		expect(emulator.getUser(user.user_id)?.items.get(itemId)?.institution_name).toBe('Tartan Bank');
	});

	it('removes a user with its Items; a second /user/remove is USER_NOT_FOUND', async () => {
		seedAlice();
		const token = emulator.accessTokenOf('item-a');
		expect((await call('/user/remove', { user_id: 'usr_alice' })).status).toBe(200);
		expect(emulator.getUser('usr_alice')).toBeUndefined();
		expectPlaidError(await call('/item/get', { access_token: token }), 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		expectPlaidError(await call('/user/remove', { user_id: 'usr_alice' }), 400, 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it('/item/get returns the Item with consent fields and a status', async () => {
		seedAlice();
		// Typed with an optional access_token only so that the test can check it is absent.
		const result = await call<ItemGetResponse & { item: { access_token?: unknown } }>('/item/get', { access_token: emulator.accessTokenOf('item-b') });
		expect(result.status).toBe(200);
		expect(result.body.item).toMatchObject({ item_id: 'item-b', institution_id: 'ins_109508', error: null });
		expect(result.body.item.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
		expect(result.body.item.access_token).toBeUndefined();
		expect(result.body.status).toHaveProperty('last_webhook');
	});

	it('/item/remove removes the Item; a repeat is INVALID_ACCESS_TOKEN', async () => {
		seedAlice();
		const token = emulator.accessTokenOf('item-a');
		const first = await call('/item/remove', { access_token: token, reason_code: 'OTHER', reason_note: null });
		expect(first.status).toBe(200);
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-b', 'item-c']);
		expectPlaidError(await call('/item/remove', { access_token: token }), 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
	});

	it('/user/create makes one user per client_user_id; a repeat returns it (new User API, the default)', async () => {
		const created = await call<UserCreateResponse>('/user/create', { client_user_id: 'customer-7' });
		expect(created.status).toBe(200);
		expect(created.body.user_id).toMatch(/^usr_/);
		expect(created.body.user_token).toBeUndefined();
		const again = await call<UserCreateResponse>('/user/create', { client_user_id: 'customer-7' });
		expect([again.status, again.body.user_id]).toEqual([200, created.body.user_id]);
		await call('/user/remove', { user_id: created.body.user_id });
		const anew = await call<UserCreateResponse>('/user/create', { client_user_id: 'customer-7' });
		expect(anew.body.user_id).not.toBe(created.body.user_id);
	});

	it('/user/create decides the API by the client, not the body: consumer_report_user_identity alone makes no legacy user', async () => {
		const created = await call<UserCreateResponse>('/user/create', { client_user_id: 'customer-8', consumer_report_user_identity: { first_name: 'A' } });
		expect(created.body.user_token).toBeUndefined();
		expect(created.body.user_id).toMatch(/^usr_/);
	});

	it('/user/products/terminate records the reason; unknown users are USER_NOT_FOUND', async () => {
		seedAlice();
		const result = await call('/user/products/terminate', { user_id: 'usr_alice', reason_code: 'USER_OFFBOARDING' });
		expect(result.status).toBe(200);
		expect(emulator.getUser('usr_alice')?.products_terminated?.reason_code).toBe('USER_OFFBOARDING');
		const unknown = await call('/user/products/terminate', { user_id: 'usr_nobody', reason_code: 'OTHER' });
		expectPlaidError(unknown, 400, 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it('/institutions/get pages and filters', async () => {
		const page = await call<InstitutionsGetResponse>('/institutions/get', { count: 2, offset: 1, country_codes: ['US'] });
		expect(page.status).toBe(200);
		expect(page.body.institutions).toHaveLength(2);
		expect(page.body.total).toBeGreaterThan(2);
		expect(page.body.institutions[0]).toEqual(
			expect.objectContaining({ institution_id: expect.any(String), name: expect.any(String), oauth: false, routing_numbers: expect.any(Array) }),
		);
		const oauthOnly = await call<InstitutionsGetResponse>('/institutions/get', { count: 10, offset: 0, country_codes: ['US'], options: { oauth: true } });
		expect(oauthOnly.body.institutions.every((institution) => institution.oauth)).toBe(true);
		const gb = await call('/institutions/get', { count: 10, offset: 0, country_codes: ['GB'] });
		expect(gb.body).toMatchObject({ institutions: [], total: 0 });
	});
});

describe('webhook keys and signatures', () => {
	async function fetchKey(kid: string): Promise<JWKPublicKey> {
		const result = await call<WebhookVerificationKeyGetResponse>('/webhook_verification_key/get', { key_id: kid });
		expect(result.status).toBe(200);
		return result.body.key;
	}

	function verifyJwt(jwt: string, jwk: JWKPublicKey): boolean {
		const [header, payload, signature] = jwt.split('.');
		const key = crypto.createPublicKey({ key: { ...jwk }, format: 'jwk' });
		return crypto.verify('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'));
	}

	function decodePart(jwt: string, index: 0): JwtHeader;
	function decodePart(jwt: string, index: 1): JwtClaims;
	function decodePart(jwt: string, index: 0 | 1): JwtHeader | JwtClaims {
		return JSON.parse(Buffer.from(jwt.split('.')[index], 'base64url').toString());
	}

	it('serves the current and the expired key as spec JWKs', async () => {
		const current = await fetchKey(emulator.currentKeyId);
		expect(current).toEqual({
			alg: 'ES256', crv: 'P-256', kid: emulator.currentKeyId, kty: 'EC', use: 'sig',
			x: expect.any(String), y: expect.any(String), created_at: expect.any(Number), expired_at: null,
		});
		const expired = await fetchKey(emulator.expiredKeyId);
		expect(expired.expired_at).toEqual(expect.any(Number));
		const unknown = await call('/webhook_verification_key/get', { key_id: 'no-such-kid' });
		expectPlaidError(unknown, 400, 'INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID');
	});

	it('signs a webhook that verifies with the served key and binds the body hash', async () => {
		const rawBody = JSON.stringify({ webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: 'item-a', environment: 'sandbox' });
		const jwt = emulator.signWebhook(rawBody);
		expect(decodePart(jwt, 0)).toEqual({ alg: 'ES256', kid: emulator.currentKeyId, typ: 'JWT' });
		const claims = decodePart(jwt, 1);
		expect(claims.request_body_sha256).toBe(crypto.createHash('sha256').update(rawBody).digest('hex'));
		expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);
		const jwk = await fetchKey(emulator.currentKeyId);
		expect(verifyJwt(jwt, jwk)).toBe(true);
		expect(verifyJwt(emulator.signWebhook(rawBody, { key: 'foreign' }), jwk)).toBe(false);
		const expiredJwt = emulator.signWebhook(rawBody, { key: 'expired', iat: 1_600_000_000, alg: 'HS256' });
		expect(decodePart(expiredJwt, 0)).toMatchObject({ alg: 'HS256', kid: emulator.expiredKeyId });
		expect(decodePart(expiredJwt, 1).iat).toBe(1_600_000_000);
		expect(verifyJwt(expiredJwt, await fetchKey(emulator.expiredKeyId))).toBe(true);
	});

	it('delivers a signed webhook with the raw body unchanged', async () => {
		const receiver = await startWebhookReceiver();
		const { received } = receiver;
		try {
			const url = `${receiver.url}/hook`;
			const rawBody = '{"webhook_type":"ITEM",  "webhook_code":"ERROR"}';
			const delivery = await emulator.sendWebhook(url, {}, { rawBody, headers: { 'X-Extra': '1' } });
			expect(delivery).toMatchObject({ status: 200, body: { ok: true } });
			expect(received[0].body).toBe(rawBody);
			expect(received[0].headers['x-extra']).toBe('1');
			const jwt = String(received[0].headers['plaid-verification']);
			expect(verifyJwt(jwt, await fetchKey(emulator.currentKeyId))).toBe(true);
			await emulator.sendWebhook(url, { a: 1 }, { headers: { 'plaid-verification': null } });
			expect(received[1].headers['plaid-verification']).toBeUndefined();
			expect(received[1].body).toBe('{"a":1}');
		} finally {
			await receiver.close();
		}
	});
});

describe('faults', () => {
	it('answers with an injected status and Plaid body, then recovers', async () => {
		seedAlice();
		emulator.injectFaults({ path: '/user/items/get', body: plaidError('INTERNAL_SERVER_ERROR'), headers: { 'Retry-After': '1' } });
		const faulted = await call('/user/items/get', { user_id: 'usr_alice' });
		expectPlaidError(faulted, 500, 'API_ERROR', 'INTERNAL_SERVER_ERROR');
		expect(faulted.headers.get('retry-after')).toBe('1');
		expect((await call('/user/items/get', { user_id: 'usr_alice' })).status).toBe(200);
	});

	it('applies faults in order, by path, as many times as asked', async () => {
		seedAlice();
		emulator.injectFaults({ path: '/item/get', status: 429, times: 2 }, { status: 503 });
		expectPlaidError(await call('/user/items/get', { user_id: 'usr_alice' }), 503, 'API_ERROR', 'PLANNED_MAINTENANCE');
		expectPlaidError(await call('/item/get', { access_token: 'x' }), 429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT');
		expectPlaidError(await call('/item/get', { access_token: 'x' }), 429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT');
		expectPlaidError(await call('/item/get', { access_token: 'x' }), 400, 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
	});

	it('sends a raw body as-is', async () => {
		emulator.injectFaults({ status: 502, rawBody: '<html>Bad Gateway</html>', contentType: 'text/html' }, { rawBody: '{"request_id":' });
		const html = await call('/item/get', { access_token: 'x' });
		expect(html).toMatchObject({ status: 502, text: '<html>Bad Gateway</html>' });
		expect(html.headers.get('content-type')).toBe('text/html');
		expect(await call('/item/get', { access_token: 'x' })).toMatchObject({ status: 200, text: '{"request_id":' });
	});

	it('delays an answer and then handles the request normally', async () => {
		seedAlice();
		emulator.injectFaults({ delayMs: 150 });
		const started = Date.now();
		const result = await call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a'] });
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(result.status).toBe(200);
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-b', 'item-c']);
	});

	it("drops the connection 'before' without touching state", async () => {
		seedAlice();
		emulator.injectFaults({ path: '/user/items/remove', drop: 'before' });
		await expect(call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a'] })).rejects.toThrow();
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-a', 'item-b', 'item-c']);
		expect(emulator.requestsTo('/user/items/remove')[0].response).toEqual({ status: null, dropped: 'before' });
	});

	it("drops the connection 'after' doing the operation", async () => {
		seedAlice();
		emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });
		await expect(call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a'] })).rejects.toThrow();
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-b', 'item-c']);
		expect(emulator.requestsTo('/user/items/remove')[0].response).toEqual({ status: 200, dropped: 'after' });
		const retry = await call('/user/items/remove', { user_id: 'usr_alice', item_ids: ['item-a'] });
		expectPlaidError(retry, 400, 'ITEM_ERROR', 'ITEM_NOT_FOUND');
	});

	it('rejects malformed faults', () => {
		expect(() => emulator.injectFaults({ times: 0 })).toThrow(/times/);
		expect(() => emulator.injectFaults({ drop: 'sometimes' as 'before' })).toThrow(/drop/);
		expect(() => plaidError('NO_SUCH_CODE')).toThrow(/unknown error code/);
	});
});

describe('recording', () => {
	it('records method, path, headers, raw and parsed body and the answer status', async () => {
		await call('/item/get?debug=1', { access_token: 'x' }, { headers: { 'Plaid-Version': '2020-09-14' } });
		await call('/item/get', 'not json');
		const [first, second] = emulator.requests;
		expect(first).toMatchObject({
			method: 'POST',
			path: '/item/get',
			rawBody: '{"access_token":"x"}',
			body: { access_token: 'x' },
			response: { status: 400 },
		});
		expect(first.headers['plaid-version']).toBe('2020-09-14');
		expect(first.headers['plaid-client-id']).toBe(emulator.clientId);
		expect(second.body).toBeUndefined();
		expect(emulator.requestsTo('/item/get')).toHaveLength(2);
		emulator.clearRequests();
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('options', () => {
	it('adds latency and rate-limits past N requests a second', async () => {
		const slow = await startEmulator({ latencyMs: 60, rateLimitPerSecond: 2, clientId: 'c', secret: 's' });
		try {
			if (Date.now() % 1000 > 600) await sleep(1000 - (Date.now() % 1000) + 5);
			const statuses: number[] = [];
			const started = Date.now();
			for (let i = 0; i < 3; i++) {
				const response = await fetch(`${slow.url}/item/get`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': 'c', 'PLAID-SECRET': 's' },
					body: JSON.stringify({ access_token: 'x' }),
				});
				statuses.push(response.status);
				if (i === 2) expect(await response.json()).toMatchObject({ error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'ITEM_GET_LIMIT' });
				else await response.text();
			}
			expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 55);
			expect(statuses).toEqual([400, 400, 429]);
		} finally {
			await slow.close();
		}
	});

	it('lets a gateway bearer token stand in for the keys when configured', async () => {
		const gateway = await startEmulator({ gatewayToken: 'gw-token' });
		try {
			const post = (headers: Record<string, string>) =>
				fetch(`${gateway.url}/user/items/get`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{"user_id":"u"}' }).then((r) => r.json());
			expect(await post({ Authorization: 'Bearer gw-token' })).toMatchObject({ error_code: 'USER_NOT_FOUND' });
			expect(await post({ Authorization: 'Bearer wrong' })).toMatchObject({ error_code: 'MISSING_FIELDS' });
		} finally {
			await gateway.close();
		}
	});
});

describe('clients', () => {
	it('works with the official plaid SDK', async () => {
		seedAlice();
		const client = new PlaidApi(
			new Configuration({ basePath: emulator.url, baseOptions: { headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret } } }),
		);
		const response = await client.userItemsRemove({ user_id: 'usr_alice', item_ids: ['item-a', 'item-b'] });
		expect(response.status).toBe(200);
		expect(response.data.request_id).toMatch(/^[A-Za-z0-9]{15}$/);
		expect(emulator.itemIdsOf('usr_alice')).toEqual(['item-c']);
		expect(emulator.requests[0].headers['plaid-version']).toBe('2020-09-14');
	});

	it('runs standalone from the CLI with demo data until SIGTERM', async () => {
		const cli = startEmulatorCli(['--seed', 'demo', '--latency-ms', '1']);
		try {
			const firstLine = await cli.firstLine;
			const { url, clientId, secret } = JSON.parse(firstLine);
			expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			const response = await fetch(`${url}/user/items/get`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'PLAID-CLIENT-ID': clientId, 'PLAID-SECRET': secret },
				body: JSON.stringify({ user_id: 'usr_demo_alice' }),
			});
			const body = (await response.json()) as UserItemsGetResponse;
			expect(body.items.map((item) => item.institution_name)).toEqual([
				'First Platypus Bank',
				'Tattersall Federal Credit Union',
				'Houndstooth Bank',
			]);
		} finally {
			cli.terminate();
		}
		expect(await cli.exited).toBe(0);
	});

	it('seeds the same demo IDs every time', () => {
		const { alice, bob } = seedDemo(emulator);
		const again = seedDemo(new PlaidEmulator());
		expect([...again.alice.items.keys()]).toEqual([...alice.items.keys()]);
		expect(bob.items.size).toBe(2);
		expect(emulator.accessTokenOf([...bob.items.keys()][0])).toBe([...again.bob.items.values()][0].access_token);
	});
});
