import * as crypto from 'node:crypto';
import { startEmulator, type RecordedRequest } from '../index';
import { inspectRoute as inspect, plaidCall } from '../../harness/emulatorCalls';
import { emulatorPerFile } from '../../harness/fixtures';

// The test-only /__emulator/ routes that let the end-to-end suite (test/e2e) read the state of an
// emulator running in another process. They must stay off by default and out of the recording.

/** The answers of the routes these tests read into (test/emulator/inspect-routes.js). */
interface UserAnswer {
	user_id: string;
	exists: boolean;
	item_ids: string[];
}
interface RequestsAnswer {
	requests: RecordedRequest[];
}
interface SignAnswer {
	verification: string;
}

describe('emulator inspect routes', () => {
	const emulator = emulatorPerFile({ inspectRoutes: true });

	it('resets to the demo seed, reports a user’s Items and the recorded Plaid requests, and records none of its own', async () => {
		expect(await inspect(emulator, 'POST', 'reset', { seed: 'demo' })).toEqual({ status: 200, body: { reset: true, seed: 'demo' } });
		const alice = await inspect<UserAnswer>(emulator, 'GET', 'users/usr_demo_alice');
		expect(alice.body).toEqual({ user_id: 'usr_demo_alice', exists: true, item_ids: emulator.itemIdsOf('usr_demo_alice') });
		expect(alice.body.item_ids).toHaveLength(3);

		expect((await plaidCall(emulator, '/user/items/get', { user_id: 'usr_demo_alice' })).status).toBe(200);
		const { body } = await inspect<RequestsAnswer>(emulator, 'GET', 'requests');
		expect(body.requests.map((request) => [request.method, request.path, request.body])).toEqual([
			['POST', '/user/items/get', { user_id: 'usr_demo_alice' }],
		]);
		expect(emulator.requests).toHaveLength(1);

		await inspect(emulator, 'POST', 'reset', {});
		expect(await inspect(emulator, 'GET', 'users/usr_demo_alice')).toEqual({ status: 200, body: { user_id: 'usr_demo_alice', exists: false, item_ids: [] } });
		expect((await inspect<RequestsAnswer>(emulator, 'GET', 'requests')).body.requests).toEqual([]);
	});

	it('signs a raw body with the key it serves to verifiers', async () => {
		const rawBody = '{"webhook_type":"ITEM","webhook_code":"USER_PERMISSION_REVOKED"}';
		const { status, body } = await inspect<SignAnswer>(emulator, 'POST', 'sign', { rawBody });
		expect(status).toBe(200);
		const [header, payload] = body.verification.split('.').slice(0, 2).map((part: string) => JSON.parse(Buffer.from(part, 'base64url').toString()));
		expect(header).toMatchObject({ alg: 'ES256', kid: emulator.currentKeyId });
		expect(payload.request_body_sha256).toBe(crypto.createHash('sha256').update(rawBody).digest('hex'));
	});

	it('refuses bad input and unknown routes', async () => {
		expect((await inspect(emulator, 'POST', 'sign', { rawBody: 42 })).status).toBe(400);
		expect((await inspect(emulator, 'POST', 'reset', { seed: 'nope' })).status).toBe(400);
		expect((await inspect(emulator, 'GET', 'nothing-here')).status).toBe(404);
	});

	it('is not served unless asked for: the path then gets a Plaid error and is recorded like any call', async () => {
		const plain = await startEmulator();
		try {
			const response = await fetch(`${plain.url}/__emulator/requests`);
			const body: unknown = await response.json();
			expect(response.status).toBeGreaterThanOrEqual(400);
			expect(body).toHaveProperty('error_code');
			expect(body).not.toHaveProperty('requests');
			expect(plain.requests.map((request) => request.path)).toEqual(['/__emulator/requests']);
		} finally {
			await plain.close();
		}
	});
});
