// A running `n8n start` on 127.0.0.1: wait until it serves, set up its owner account through the
// REST API the editor uses, and read executions back as that owner.

import { waitFor } from './processes.mjs';

export const OWNER = { email: 'owner@n8n-nodes-plaid.test', firstName: 'Plaid', lastName: 'Tester', password: 'E2e-owner-password-1' };

/** n8n binds its session cookie to this header (it checks it on REST calls). */
const BROWSER_ID = 'n8n-nodes-plaid-e2e';
const REQUEST_TIMEOUT_MS = 15_000;

export async function waitUntilServing(baseUrl, server) {
	await waitFor(
		'n8n to serve /healthz/readiness',
		async () => {
			if (server.exitCode !== null) throw Object.assign(new Error(`n8n start exited ${server.exitCode}`), { fatal: true });
			const response = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			return response.ok;
		},
		{ timeoutMs: 180_000, intervalMs: 500 },
	);
}

/** A REST client that keeps n8n's auth cookie. */
export function restClient(baseUrl) {
	let cookie = '';
	async function call(method, route, body) {
		const response = await fetch(`${baseUrl}/rest/${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (setCookie) cookie = setCookie.split(';')[0];
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest/${route}: ${response.status} ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	}
	return {
		/** Any REST route, as the signed-in owner: its answer's `data`. */
		call,
		setUpOwner: () => call('POST', 'owner/setup', OWNER),
		/** The executions of one workflow, newest first (id, status, mode, startedAt, stoppedAt); n8n 2.x lists at most 100. */
		executionsOf: async (workflowId, limit = 50) =>
			(await call('GET', `executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=${limit}`)).results,
		execution: (id) => call('GET', `executions/${id}`),
		workflow: (id) => call('GET', `workflows/${id}`),
		/** JSON served outside /rest, as the signed-in owner (n8n 1.123+ serves /types/*.json only so). */
		async getJson(urlPath) {
			const response = await fetch(`${baseUrl}${urlPath}`, { headers: { 'browser-id': BROWSER_ID, cookie }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
			if (!response.ok) throw new Error(`n8n GET ${urlPath}: ${response.status}`);
			return response.json();
		},
	};
}
