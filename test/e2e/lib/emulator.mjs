// The Plaid emulator in its own process (test/emulator/cli.js), as a Plaid that n8n reaches over
// HTTP, and a small client for its test-only /__emulator/ routes: recorded requests, a user's Items,
// reset to the demo seed, and webhook signatures made with the keys it serves to verifiers.

import path from 'node:path';
import { firstLine, start } from './processes.mjs';

/** Starts the emulator's CLI with the demo seed; `extraArgs` are more of its flags (latency, rate limits). */
export async function startEmulatorProcess(repoDir, extraArgs = []) {
	const child = start(process.execPath, [path.join(repoDir, 'test', 'emulator', 'cli.js'), '--seed', 'demo', ...extraArgs], { label: 'emulator' });
	const { url, clientId, secret } = JSON.parse(await firstLine(child, 15_000));
	if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`emulator URL is not on loopback: ${url}`);
	return { child, url, clientId, secret, client: emulatorClient(url) };
}

function emulatorClient(url) {
	async function call(method, route, body) {
		const response = await fetch(`${url}/__emulator/${route}`, {
			method,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(10_000),
		});
		const json = await response.json();
		if (!response.ok) throw new Error(`emulator ${method} /__emulator/${route}: ${response.status} ${JSON.stringify(json)}`);
		return json;
	}
	return {
		/** Every Plaid request the emulator received since the last reset, in order. */
		requests: async () => (await call('GET', 'requests')).requests,
		/** { user_id, exists, item_ids } */
		user: (userId) => call('GET', `users/${encodeURIComponent(userId)}`),
		itemIdsOf: async (userId) => (await call('GET', `users/${encodeURIComponent(userId)}`)).item_ids,
		resetToDemo: () => call('POST', 'reset', { seed: 'demo' }),
		/** Adds users (NewUser specs of the emulator's state) in one call. */
		addUsers: (users) => call('POST', 'users', { users }),
		/** Replaces the emulator's rate limits (RateLimitSpec[]; [] turns them off), their counts forgotten. */
		setRateLimits: (rateLimits) => call('POST', 'rate-limits', { rateLimits }),
		/** A Plaid-Verification JWT for this exact raw body. */
		sign: async (rawBody, options) => (await call('POST', 'sign', { rawBody, options })).verification,
	};
}
