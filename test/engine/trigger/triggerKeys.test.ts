/**
 * Plaid's key lifecycle through n8n's webhook path, driven by the emulator's key controls: a key
 * held by the trigger is refused once Plaid marks it expired (learned on the key's time-to-live,
 * or when a new key id arrives), and a rotation to a new key goes through without a failed
 * webhook. Time is moved by faking Date only (timers stay real, so HTTP works as usual).
 */
import { KEY_STORE_SETTINGS } from '../../../nodes/PlaidTrigger/verificationKeys';
import { inspectRoute } from '../../harness/emulatorCalls';
import { packagePerFile, triggerPerTest } from '../../harness/engineFixtures';

type Json = Record<string, unknown>;

let sent = 0;

afterEach(() => jest.useRealTimers());
const { emulator, trigger } = triggerPerTest(packagePerFile(), { inspectRoutes: true }, { parameters: { events: ['*'] } });

/** A webhook signed with `key` (default: the current one), a body of its own each time. */
async function send(key?: string) {
	sent += 1;
	const body = { webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: `item-${sent}`, environment: 'sandbox' };
	return await emulator.sendWebhook(trigger.url, body, key === undefined ? {} : { key });
}

/** Moves Date (and so the trigger's clock and the emulator's iat) forward; nothing else is faked. */
function moveClock(ms: number) {
	const now = Date.now();
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	});
	jest.setSystemTime(now + ms);
}

const inspect = (method: 'GET' | 'POST', route: string, body?: unknown) => inspectRoute(emulator, method, route, body);

describe('a key the trigger holds, then Plaid marks expired', () => {
	it('is refused once the key is re-checked on its time-to-live, and never asked for again', async () => {
		const kid = emulator.currentKeyId;
		expect((await send()).status).toBe(200);
		emulator.expireWebhookKey(kid);

		// Within the time-to-live the held key is used as Plaid last served it.
		expect((await send()).status).toBe(200);
		moveClock(KEY_STORE_SETTINGS.keyTtlMs);
		const afterTtl = await send();
		const later = await send();

		expect(afterTtl).toMatchObject({ status: 401, body: { error: 'verification key expired' } });
		expect(later).toMatchObject({ status: 401, body: { error: 'verification key expired' } });
		expect(emulator.keyFetchCount(kid)).toBe(2);
		expect(trigger.started).toHaveLength(2);
	});

	it('is refused as soon as a new key id makes the trigger re-check the keys it holds', async () => {
		const oldKid = emulator.currentKeyId;
		await send();
		const { current: newKid } = emulator.rotateWebhookKey();
		emulator.expireWebhookKey(oldKid);

		const signedWithNew = await send();
		const signedWithOld = await send(oldKid);

		expect(signedWithNew).toMatchObject({ status: 200, body: { message: 'received' } });
		expect(trigger.started.map((call) => call.items?.[0].json.verification_key_id)).toEqual([oldKid, newKid]);
		expect(signedWithOld).toMatchObject({ status: 401, body: { error: 'verification key expired' } });
		expect(emulator.requestsTo('/webhook_verification_key/get').map((request) => request.body.key_id)).toEqual([oldKid, newKid, oldKid]);
	});
});

describe('a rotation', () => {
	it('verifies webhooks signed with the new key and, until Plaid expires it, with the old one', async () => {
		const oldKid = emulator.currentKeyId;
		await send();
		const { current: newKid, previous } = emulator.rotateWebhookKey();

		expect(previous).toBe(oldKid);
		expect((await send()).status).toBe(200);
		expect((await send(oldKid)).status).toBe(200);
		expect(trigger.started.map((call) => call.items?.[0].json.verification_key_id)).toEqual([oldKid, newKid, oldKid]);
	});
});

describe('the emulator’s key controls through its inspect routes', () => {
	it('lists the served keys and counts fetches, rotates, and marks a key expired', async () => {
		const before = await inspect('GET', 'keys');
		expect(before.body).toMatchObject({ current_kid: emulator.currentKeyId, key_fetches: 0 });
		expect((before.body.keys as Json[]).map((key) => [key.kid, key.expired_at === null])).toEqual([
			[emulator.expiredKeyId, false],
			[emulator.currentKeyId, true],
		]);

		await send();
		const rotated = await inspect('POST', 'keys/rotate');
		expect(rotated.body).toEqual({ current_kid: emulator.currentKeyId, previous_kid: expect.any(String) });
		const expired = await inspect('POST', 'keys/expire', { kid: rotated.body.previous_kid });
		expect(expired.body.key).toMatchObject({ kid: rotated.body.previous_kid, expired_at: expect.any(Number) });

		const after = await inspect('GET', 'keys');
		expect(after.body).toMatchObject({ current_kid: rotated.body.current_kid, key_fetches: 1 });
		expect(after.body.keys as Json[]).toHaveLength(3);
		expect(await inspect('POST', 'keys/expire', { kid: 'no-such-kid' })).toMatchObject({ status: 404 });
		expect(await inspect('POST', 'keys/expire', { kid: 42 })).toMatchObject({ status: 400 });
	});
});
