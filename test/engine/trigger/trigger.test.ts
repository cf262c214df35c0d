/**
 * The Plaid Trigger through n8n's webhook path: real HTTP requests from the emulator's webhook
 * sender, n8n-core's WebhookContext over the real request and response, the node's webhook().
 * Asserts which calls start a run and what everyone else is answered.
 */
import { createHash } from 'node:crypto';

import { startEmulator } from '../../emulator';
import { capturedLogs } from '../../harness/engine';
import { packagePerFile, triggerPerFile } from '../../harness/engineFixtures';
import { emulatorPerFile, perTest } from '../../harness/fixtures';
import { startTriggerServer } from '../../harness/webhook';
import { emulatorCredentials } from '../../harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

// Marks every value of the payload, to prove a refusal quotes none of them.
const MARKER = 'zq7-body-marker';
const revoked = {
	webhook_type: 'ITEM',
	webhook_code: 'USER_PERMISSION_REVOKED',
	item_id: `item-${MARKER}`,
	user_id: `usr-${MARKER}`,
	environment: 'sandbox',
	error: { error_type: 'ITEM_ERROR', error_code: 'USER_PERMISSION_REVOKED', error_message: `revoked ${MARKER}` },
};
const itemError = { ...revoked, webhook_code: 'ERROR' };
const nowSeconds = () => Math.floor(Date.now() / 1000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const loaded = packagePerFile();
const emulator = emulatorPerFile();
const trigger = triggerPerFile({ emulator, loaded }, { parameters: { events: ['ITEM.USER_PERMISSION_REVOKED', 'ITEM.PENDING_DISCONNECT'] } });

async function startTrigger(events: string[], options: { keepRawBody?: boolean; on?: Emulator } = {}) {
	return await startTriggerServer({
		loaded,
		credentials: emulatorCredentials(options.on ?? emulator),
		parameters: { events },
		keepRawBody: options.keepRawBody,
	});
}

describe('a verified webhook for a selected event', () => {
	it('starts one run whose item is the body unchanged, plus verified and the key id', async () => {
		const delivery = await emulator.sendWebhook(trigger.url, revoked);

		expect(delivery.status).toBe(200);
		expect(trigger.calls).toHaveLength(1);
		expect(trigger.calls[0].started).toBe(true);
		expect(trigger.calls[0].items).toEqual([
			{ json: { ...revoked, verified: true, verification_key_id: emulator.currentKeyId } },
		]);
	});

	it('is answered by the trigger with a body of its own, quoting nothing of the webhook, as the run starts', async () => {
		const delivery = await emulator.sendWebhook(trigger.url, { ...revoked, item_id: 'item-answer' });

		expect(delivery).toMatchObject({ status: 200, body: { message: 'received' } });
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(JSON.stringify(delivery.body)).not.toContain(MARKER);
		expect(trigger.calls).toEqual([{ started: true, items: [expect.anything()], answeredByNode: true }]);
	});

	it('fetches the key from the credential’s environment, with the keys in headers, once per process', async () => {
		// Another trigger process-wide may already have cached it: a fresh emulator has fresh keys.
		const fresh = await startEmulator();
		const freshTrigger = await startTrigger(['*'], { on: fresh });
		try {
			await fresh.sendWebhook(freshTrigger.url, revoked);
			await fresh.sendWebhook(freshTrigger.url, itemError);

			expect(freshTrigger.started).toHaveLength(2);
			const keyRequests = fresh.requestsTo('/webhook_verification_key/get');
			expect(keyRequests).toHaveLength(1);
			expect(keyRequests[0].method).toBe('POST');
			expect(keyRequests[0].body).toEqual({ key_id: fresh.currentKeyId });
			expect(keyRequests[0].headers['plaid-client-id']).toBe(fresh.clientId);
			expect(keyRequests[0].headers['plaid-secret']).toBe(fresh.secret);
			expect(keyRequests[0].rawBody).not.toContain(fresh.secret);
		} finally {
			await freshTrigger.close();
			await fresh.close();
		}
	});

	it('keeps the body exactly as Plaid sent it, whatever its formatting', async () => {
		const rawBody = JSON.stringify(revoked, null, '\t');
		const delivery = await emulator.sendWebhook(trigger.url, revoked, { rawBody });

		expect(delivery.status).toBe(200);
		expect(trigger.calls[0].items?.[0].json).toEqual({ ...revoked, verified: true, verification_key_id: emulator.currentKeyId });
	});
});

describe('a verified webhook that starts nothing', () => {
	it('answers 200 to an event that is not selected, so Plaid does not retry it', async () => {
		const delivery = await emulator.sendWebhook(trigger.url, itemError);

		expect(delivery).toMatchObject({ status: 200, body: { message: 'event not selected in the trigger; nothing started' } });
		expect(trigger.calls).toEqual([{ started: false, items: undefined, answeredByNode: true }]);
	});

	it('starts every event when "All Events" is selected', async () => {
		const all = await startTrigger(['*']);
		try {
			await emulator.sendWebhook(all.url, itemError);
			await emulator.sendWebhook(all.url, { webhook_type: 'TRANSACTIONS', webhook_code: 'SYNC_UPDATES_AVAILABLE', item_id: 'i' });
			expect(all.started.map((call) => call.items?.[0].json.webhook_code)).toEqual(['ERROR', 'SYNC_UPDATES_AVAILABLE']);
		} finally {
			await all.close();
		}
	});

	it('answers 400 to a signed body that is not a JSON object', async () => {
		const delivery = await emulator.sendWebhook(trigger.url, {}, { rawBody: '["not", "an", "object"]' });

		expect(delivery).toMatchObject({ status: 400, body: { error: 'body is not a JSON object' } });
		expect(trigger.started).toHaveLength(0);
	});
});

describe('the same signed delivery sent again', () => {
	const replayed = { ...revoked, item_id: 'item-replayed' };

	it('starts nothing and is answered 200, so that Plaid would not retry it either', async () => {
		const rawBody = JSON.stringify(replayed);
		const captured = { rawBody, headers: { 'Plaid-Verification': emulator.signWebhook(rawBody) } };

		const first = await emulator.sendWebhook(trigger.url, replayed, captured);
		const again = await Promise.all([1, 2, 3].map(async () => await emulator.sendWebhook(trigger.url, replayed, captured)));

		expect(first).toMatchObject({ status: 200, body: { message: 'received' } });
		for (const delivery of again) {
			expect(delivery).toMatchObject({ status: 200, body: { message: 'already received; nothing started' } });
		}
		expect(trigger.started).toHaveLength(1);
	});

	it('is told apart from Plaid redelivering the webhook, which signs it anew', async () => {
		const rawBody = JSON.stringify({ ...replayed, item_id: 'item-redelivered' });
		const signedAt = nowSeconds();

		await emulator.sendWebhook(trigger.url, {}, { rawBody, iat: signedAt - 30 });
		const redelivery = await emulator.sendWebhook(trigger.url, {}, { rawBody, iat: signedAt });

		expect(redelivery).toMatchObject({ status: 200, body: { message: 'received' } });
		expect(trigger.started).toHaveLength(2);
	});
});

describe('calls that do not verify: 401, nothing started, nothing of the body echoed', () => {
	const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const compact = JSON.stringify(revoked);
	const cases: Array<[string, () => Parameters<Emulator['sendWebhook']>[2], string]> = [
		['the body changed by one byte after signing', () => ({ rawBody: compact.replace('USER_', 'USEr_'), bodyHashOverride: sha256(compact) }), 'body does not match the signed hash'],
		['a re-serialised body', () => ({ rawBody: JSON.stringify(revoked, null, 2), bodyHashOverride: sha256(compact) }), 'body does not match the signed hash'],
		['no Plaid-Verification header', () => ({ headers: { 'Plaid-Verification': null } }), 'missing Plaid-Verification header'],
		['a token issued 6 minutes ago', () => ({ iat: nowSeconds() - 6 * 60 }), 'verification token too old'],
		['a token from 3 minutes in the future', () => ({ iat: nowSeconds() + 3 * 60 }), 'verification token issued in the future'],
		['alg none', () => ({ headers: { 'Plaid-Verification': `${b64({ alg: 'none', kid: emulator.currentKeyId })}.${b64({ iat: nowSeconds(), request_body_sha256: sha256(compact) })}.` } }), 'unsupported token algorithm'],
		['HS256', () => ({ alg: 'HS256' }), 'unsupported token algorithm'],
		['a key id Plaid does not know', () => ({ kid: 'f0e1d2c3-0000-4000-8000-000000000000' }), 'unknown verification key'],
		['a key Plaid has expired', () => ({ key: 'expired' }), 'verification key expired'],
		['a signature from another key', () => ({ key: 'foreign' }), 'invalid signature'],
	];

	it.each(cases)('%s', async (_name, sendOptions, reason) => {
		const delivery = await emulator.sendWebhook(trigger.url, revoked, sendOptions());

		expect(delivery.status).toBe(401);
		expect(delivery.headers['content-type']).toBe('application/json');
		expect(delivery.body).toEqual({ error: reason });
		expect(JSON.stringify(delivery.body)).not.toContain(MARKER);
		expect(trigger.calls).toEqual([{ started: false, items: undefined, answeredByNode: true }]);
	});

	it('a webhook signed in another environment than the credential’s', async () => {
		const production = await startEmulator();
		try {
			const delivery = await production.sendWebhook(trigger.url, revoked);
			expect(delivery).toMatchObject({ status: 401, body: { error: 'unknown verification key' } });
			expect(emulator.requestsTo('/webhook_verification_key/get')[0].body).toEqual({ key_id: production.currentKeyId });
			expect(trigger.started).toHaveLength(0);
		} finally {
			await production.close();
		}
	});
});

describe('calls that cannot be checked: 500 (Plaid retries), nothing started', () => {
	const { fresh, freshTrigger } = perTest(async () => {
		const fresh = await startEmulator();
		return { fresh, freshTrigger: await startTrigger(['*'], { on: fresh }) };
	});

	it.each([
		['a Plaid error', { status: 500, body: { error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', error_message: 'boom' } }],
		['wrong keys in the credential', { status: 400, body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_API_KEYS', error_message: 'bad keys' } }],
		['an HTML page from a proxy', { status: 502, rawBody: '<html>Bad Gateway</html>', contentType: 'text/html' }],
		['no answer at all', { drop: 'before' as const }],
	])('the key fetch meets %s', async (_name, fault) => {
		fresh.injectFaults({ path: '/webhook_verification_key/get', times: Infinity, ...fault });

		const delivery = await fresh.sendWebhook(freshTrigger.url, revoked);

		expect(delivery).toMatchObject({ status: 500, body: { error: 'verification key unavailable' } });
		expect(freshTrigger.started).toHaveLength(0);
		expect(JSON.stringify(capturedLogs)).not.toContain(fresh.secret);
	});

	it('gives up within Plaid’s 10-second wait: one retry, not the node’s default three', async () => {
		fresh.injectFaults({ path: '/webhook_verification_key/get', times: Infinity, drop: 'before' });

		const delivery = await fresh.sendWebhook(freshTrigger.url, revoked);

		expect(delivery.status).toBe(500);
		expect(fresh.requestsTo('/webhook_verification_key/get')).toHaveLength(2);
	});

	it('n8n kept no raw body: refused without verifying a re-serialised one', async () => {
		const noRawBody = await startTrigger(['*'], { on: fresh, keepRawBody: false });
		try {
			const delivery = await fresh.sendWebhook(noRawBody.url, revoked);
			expect(delivery).toMatchObject({ status: 500, body: { error: 'raw request body unavailable' } });
			expect(noRawBody.started).toHaveLength(0);
			expect(fresh.requests).toHaveLength(0);
		} finally {
			await noRawBody.close();
		}
	});
});
