/**
 * Forged webhooks in bulk through n8n's webhook path: everything checked before the key lookup
 * (alg, iat, body hash) is the forger's choice, so each forgery reaches the lookup. What they may
 * cost is bounded by the key-fetch budget: at most `capacity` requests to
 * /webhook_verification_key/get plus one per `refillIntervalMs`, counted at the emulator, 429
 * retries included; a genuine webhook whose key is held still verifies in the middle of it.
 */
import { randomUUID } from 'node:crypto';

import { KEY_FETCH_BUDGET } from '../../../nodes/PlaidTrigger/keyFetchBudget';
import type { PlaidEmulator } from '../../emulator';
import { packagePerFile, triggerPerTest } from '../../harness/engineFixtures';

type Delivery = Awaited<ReturnType<PlaidEmulator['sendWebhook']>>;

const { capacity, refillIntervalMs } = KEY_FETCH_BUDGET;
const FORGED_ANSWERS = [
	{ status: 401, body: { error: 'unknown verification key' } },
	{ status: 500, body: { error: 'verification key lookups paused' } },
	{ status: 500, body: { error: 'verification key unavailable' } },
];

let startedAtMs: number;
let genuineCount = 0;

const { emulator, trigger } = triggerPerTest(packagePerFile(), {}, { parameters: { events: ['*'] } });
beforeEach(() => {
	startedAtMs = Date.now();
});

/** A webhook Plaid really sent: a body of its own each time, so that none is taken for a replay. */
async function sendGenuine(): Promise<Delivery> {
	genuineCount += 1;
	const body = { webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: `item-genuine-${genuineCount}`, environment: 'sandbox' };
	return await emulator.sendWebhook(trigger.url, body);
}

/** A forgery with a valid body hash and a fresh iat, naming a key id of the forger's choice. */
async function sendForged(kid: string): Promise<Delivery> {
	return await emulator.sendWebhook(trigger.url, { webhook_type: 'ITEM', webhook_code: 'USER_PERMISSION_REVOKED', item_id: 'item-victim' }, { kid, key: 'foreign' });
}

/** The most key requests the budget allows since the trigger's environment was first seen. */
const keyRequestBound = () => capacity + Math.floor((Date.now() - startedAtMs) / refillIntervalMs);

function expectRefused(deliveries: Delivery[]) {
	for (const delivery of deliveries) expect(FORGED_ANSWERS).toContainEqual({ status: delivery.status, body: delivery.body });
}

describe('a flood of forged webhooks', () => {
	it('1,000 with random key ids: a few key fetches, and a genuine webhook in the middle verifies', async () => {
		expect((await sendGenuine()).status).toBe(200);
		const forged: Delivery[] = [];
		for (let n = 0; n < 500; n++) forged.push(await sendForged(randomUUID()));
		const genuine = await sendGenuine();
		for (let n = 0; n < 500; n++) forged.push(await sendForged(randomUUID()));

		expect(genuine).toMatchObject({ status: 200, body: { message: 'received' } });
		expect(trigger.started).toHaveLength(2);
		expectRefused(forged);
		expect(emulator.keyFetchCount()).toBeLessThanOrEqual(keyRequestBound());
	});

	it('1,000 with one unknown key id: one key fetch for it', async () => {
		await sendGenuine();
		const kid = randomUUID();
		const forged: Delivery[] = [];
		for (let n = 0; n < 1_000; n++) {
			forged.push(await sendForged(kid));
			if (n === 500) expect((await sendGenuine()).status).toBe(200);
		}

		expect(forged.every((delivery) => delivery.status === 401)).toBe(true);
		expect(emulator.keyFetchCount(kid)).toBe(1);
		// The genuine key once, and again when the unknown id made the trigger re-check the keys it holds.
		expect(emulator.keyFetchCount()).toBe(3);
		expect(trigger.started).toHaveLength(2);
	});

	it('100 at once with random key ids, a genuine one among them', async () => {
		await sendGenuine();
		const deliveries = await Promise.all([
			...Array.from({ length: 50 }, async () => await sendForged(randomUUID())),
			sendGenuine(),
			...Array.from({ length: 50 }, async () => await sendForged(randomUUID())),
		]);

		expect(deliveries[50]).toMatchObject({ status: 200, body: { message: 'received' } });
		expectRefused([...deliveries.slice(0, 50), ...deliveries.slice(51)]);
		expect(emulator.keyFetchCount()).toBeLessThanOrEqual(keyRequestBound());
		expect(trigger.started).toHaveLength(2);
	});

	it('100 at once with one unknown key id: one fetch, shared by all of them', async () => {
		await sendGenuine();
		const kid = randomUUID();
		const deliveries = await Promise.all(Array.from({ length: 100 }, async () => await sendForged(kid)));

		expect(deliveries.every((delivery) => delivery.status === 401)).toBe(true);
		expect(emulator.keyFetchCount(kid)).toBe(1);
		expect(emulator.inFlight.max).toBeLessThanOrEqual(2);
	});

	it('while Plaid answers every key fetch 429: each retry counts, and the total stays within the budget', async () => {
		emulator.injectFaults({
			path: '/webhook_verification_key/get',
			times: Infinity,
			status: 429,
			body: { error_type: 'RATE_LIMIT_EXCEEDED', error_code: 'RATE_LIMIT', error_message: 'rate limit exceeded' },
		});
		const forged: Delivery[] = [];
		for (let n = 0; n < 200; n++) forged.push(await sendForged(randomUUID()));

		expect(forged.every((delivery) => delivery.status === 500)).toBe(true);
		const keyRequests = emulator.keyFetchCount();
		expect(keyRequests).toBeLessThanOrEqual(keyRequestBound());
		// Retried once each: the requests come in pairs.
		expect(keyRequests % 2).toBe(0);
	});
});

describe('a genuine webhook whose key is not held yet, during a flood', () => {
	it('gets 500 once the budget is spent (Plaid delivers it again later), and starts nothing', async () => {
		for (let n = 0; n < 200; n++) await sendForged(randomUUID());

		const genuine = await sendGenuine();

		expect(genuine).toEqual(expect.objectContaining({ status: 500, body: { error: 'verification key lookups paused' } }));
		expect(trigger.started).toHaveLength(0);
		expect(emulator.keyFetchCount(emulator.currentKeyId)).toBe(0);
	});
});
