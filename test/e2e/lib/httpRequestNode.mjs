// n8n's own HTTP Request node on the Plaid credential (Authentication: Predefined Credential Type →
// Plaid API), the way a user reaches a Plaid endpoint the Plaid node has no operation for. A URL
// under the credential's base URL must work, with the keys; an absolute URL on another origin must
// fail in `n8n execute` before anything is sent: a server of ours on that origin receives no
// request, no connection, and so never the Plaid keys.

import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort } from './processes.mjs';

/** n8n's HTTP Request node as saved workflows and templates have it; 4 to 4.5 share one implementation (HttpRequestV3). */
const HTTP_REQUEST_VERSION = 4.2;
const INSTITUTIONS_QUERY = JSON.stringify({ count: 1, offset: 0, country_codes: ['US'] });

/** A server on 127.0.0.1:port that records every connection and request it gets, and answers 200 {}. */
function startForeignServer(port) {
	const seen = { connections: 0, requests: [] };
	const server = http.createServer((request, response) => {
		seen.requests.push({ method: request.method, url: request.url, headers: request.headers });
		response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
	});
	server.on('connection', () => (seen.connections += 1));
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve({ seen, close: () => new Promise((done) => server.close(done)) }));
	});
}

function httpRequestWorkflow({ id, name, url, credentialId }) {
	return {
		id,
		name,
		active: false,
		nodes: [
			{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-http`,
				name: 'Plaid through HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: HTTP_REQUEST_VERSION,
				position: [240, 0],
				parameters: {
					method: 'POST',
					url,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'plaidApi',
					sendBody: true,
					specifyBody: 'json',
					jsonBody: INSTITUTIONS_QUERY,
					options: {},
				},
				credentials: { plaidApi: { id: credentialId, name: credentialId } },
			},
		],
		connections: { Start: { main: [[{ node: 'Plaid through HTTP Request', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The base URL's own endpoint through HTTP Request: one call to the emulator, with the keys, and Plaid's answer out. */
async function underTheBaseUrl({ cli, emulator, workflow, log }) {
	const { client } = emulator;
	await client.resetToDemo();
	const { code, run, output } = await cli.execute(workflow.id);
	const requests = await client.requests();
	assert.equal(code, 0, `HTTP Request to ${workflow.nodes[1].parameters.url}: n8n execute exited ${code}\n${output.slice(-2000)}`);
	assert.equal(run?.data?.resultData?.error, undefined, `the run failed: ${run?.data?.resultData?.error?.message}`);
	assert.deepEqual(requests.map(({ path, body }) => [path, body]), [['/institutions/get', JSON.parse(INSTITUTIONS_QUERY)]], 'what reached the emulator');
	const [request] = requests;
	assert.equal(request.headers['plaid-client-id'], emulator.clientId, 'PLAID-CLIENT-ID');
	assert.equal(request.headers['plaid-secret'], emulator.secret, 'PLAID-SECRET');
	const [item] = run.data.resultData.runData['Plaid through HTTP Request'][0].data.main[0];
	assert.equal(item.json.request_id, request.response.body.request_id, "the node's output is not Plaid's answer");
	assert.ok(Array.isArray(item.json.institutions) && item.json.institutions.length === 1, 'no institution in the output');
	assert.ok(!output.includes(emulator.secret), "the credential secret appears in n8n's output");
	log(`${workflow.nodes[1].parameters.url}: exit 0, one call with the keys, ${item.json.institutions[0].name} out`);
}

/** Another origin through HTTP Request on the Plaid credential: the run fails and nothing at all reaches that origin. */
async function onAnotherOrigin({ cli, emulator, workflow, foreignPort, log }) {
	const { client } = emulator;
	await client.resetToDemo();
	const foreign = await startForeignServer(foreignPort);
	let result;
	try {
		result = await cli.execute(workflow.id);
	} finally {
		await foreign.close();
	}
	const { code, run, output } = result;
	const received = foreign.seen.requests.map(({ method, url, headers }) => `${method} ${url}${headers['plaid-secret'] ? ' carrying PLAID-SECRET' : ''}`);
	assert.deepEqual(received, [], `the other origin received requests on the Plaid credential: ${received.join('; ')}`);
	assert.equal(foreign.seen.connections, 0, `the other origin was connected to ${foreign.seen.connections} time(s)`);
	assert.notEqual(code, 0, 'n8n execute exited 0 for a Plaid-credential request to another origin');
	assert.deepEqual(await client.requests(), [], 'the emulator received a request');
	assert.ok(!output.includes(emulator.secret), "the credential secret appears in n8n's output");
	const message = run?.data?.resultData?.error?.message ?? output.trim().split('\n').at(-1);
	log(`${workflow.nodes[1].parameters.url}: exit ${code}, nothing reached that origin; n8n: ${String(message).slice(0, 200)}`);
}

/**
 * The two HTTP Request workflows (to import before the checks) and the checks. The other origin is
 * a free port on 127.0.0.1, listened on only while its check runs.
 */
export async function planHttpRequestChecks({ emulator, credentialId }) {
	const foreignPort = await freePort();
	const working = httpRequestWorkflow({ id: 'e2eHttpReqPlaid1', name: 'e2e: HTTP Request, Plaid credential, its own base URL', url: `${emulator.url}/institutions/get`, credentialId });
	const elsewhere = httpRequestWorkflow({ id: 'e2eHttpReqOther1', name: 'e2e: HTTP Request, Plaid credential, another origin', url: `http://127.0.0.1:${foreignPort}/institutions/get`, credentialId });
	return {
		workflows: [working, elsewhere],
		urls: { working: working.nodes[1].parameters.url, elsewhere: elsewhere.nodes[1].parameters.url },
		underTheBaseUrl: ({ cli, log }) => underTheBaseUrl({ cli, emulator, workflow: working, log }),
		onAnotherOrigin: ({ cli, log }) => onAnotherOrigin({ cli, emulator, workflow: elsewhere, foreignPort, log }),
	};
}
