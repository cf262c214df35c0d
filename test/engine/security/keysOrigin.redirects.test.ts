/**
 * No redirect carries the Plaid keys on. A Base URL (here a server under a `/plaid` path) answers
 * every redirect status, pointing to another host, another port, a path outside the base on the
 * same origin, or an https host: every operation of the node, the credential test and the
 * trigger's key fetch send nothing to where it points (its server answers like Plaid, so a request
 * that got there would be taken as Plaid's answer); the run fails naming the status and the
 * target's origin, nothing of its path or query; and the secret or gateway token shows nowhere.
 */
import { startEmulator } from '../../emulator';
import { capturedLogs, loadPackage, runWorkflow, testCredential } from '../../harness/engine';
import { everyOperation, operationName } from '../../harness/everyOperation';
import { forgetRequests, perFile } from '../../harness/fixtures';
import { startRecorder, startRedirector } from '../../harness/hostileServers';
import { everythingLeftBy } from '../../harness/plaidNode';
import { startTriggerServer } from '../../harness/webhook';
import { gatewayCredentials, plaidWorkflow } from '../../harness/workflows';
import fakeTokens from '../../fixtures/fakeTokens.json';

const STATUSES = [301, 302, 303, 307, 308];
const GATEWAY_TOKEN = fakeTokens.gateway.gatewayToken;

const { loaded, emulator, redirector, recorder } = perFile(
	async () => ({ loaded: await loadPackage(), emulator: await startEmulator(), redirector: await startRedirector(), recorder: await startRecorder() }),
	({ recorder }) => forgetRequests(recorder),
);

/** Where a redirect points, the origin an error may name, and text of its path and query that must not show. */
interface Target {
	name: string;
	location: () => string;
	origin: () => string;
	hidden: string[];
}

const TARGETS: Target[] = [
	{
		name: 'another host (plain http)',
		location: () => `http://localhost:${recorder.port}/collect/user/items/remove?next=keys`,
		origin: () => `http://localhost:${recorder.port}`,
		hidden: ['collect', 'next=keys'],
	},
	{
		name: 'another port of the same host',
		location: () => `${recorder.url}/v2/collect?token=redirect-query-value`,
		origin: () => recorder.url,
		hidden: ['v2/collect', 'redirect-query-value'],
	},
	{
		name: 'a path outside the Base URL, same origin',
		location: () => '/elsewhere/collect?step=two',
		origin: () => redirector.url,
		hidden: ['elsewhere', 'step=two'],
	},
	{
		name: 'an https host',
		location: () => 'https://plaid-collector.example:8443/keys/in?from=n8n',
		origin: () => 'https://plaid-collector.example:8443',
		hidden: ['keys/in', 'from=n8n'],
	},
];

const keysCredential = () => ({
	plaidApi: { environment: 'custom', baseUrl: `${redirector.url}/plaid`, clientId: emulator.clientId, secret: emulator.secret },
});
const gatewayCredential = () => gatewayCredentials(`${redirector.url}/plaid`);

/** Nothing reached the target; every request the Base URL got was one of ours, under its path. */
function expectNothingFollowed() {
	expect(recorder.requests).toHaveLength(0);
	expect(redirector.requests.length).toBeGreaterThan(0);
	for (const request of redirector.requests) expect(request.url).toMatch(/^\/plaid\//);
}

function expectRedirectNamed(message: string, status: number, target: Target) {
	expect(message).toContain(`redirected (HTTP ${status}) to ${target.origin()};`);
	for (const text of target.hidden) expect(message).not.toContain(text);
}

const cases = STATUSES.flatMap((status) => TARGETS.map((target) => ({ status, target })));

it('the operations tested here are every operation the node offers, in each of its versions', () => {
	for (const version of [1, 1.1]) {
		const { properties } = loaded.nodeTypes.getByNameAndVersion('n8n-nodes-plaid.plaid', version).description;
		const offered = properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => (property.displayOptions?.show?.resource ?? []).flatMap((resource) => (property.options ?? []).map((option) => `${String(resource)} / ${String((option as { value: unknown }).value)}`)));
		expect([...new Set(offered)].sort()).toEqual(everyOperation().map(operationName).sort());
	}
});

describe.each(everyOperation().map((operation) => [operationName(operation), operation] as const))('%s', (_name, operation) => {
	it.each(cases.map(({ status, target }) => [status, target.name, target] as const))(
		'a %i to %s: nothing follows it, the error names the status and origin only',
		async (status, _targetName, target) => {
			redirector.redirect(status, target.location());

			const run = await runWorkflow(plaidWorkflow({ resource: operation.resource, operation: operation.operation, ...operation.parameters }), {
				credentials: keysCredential(),
				loaded,
			});

			expect(run.status).toBe('error');
			const error = run.nodeError('Plaid');
			expect(error.name).toBe('NodeApiError');
			expectRedirectNamed(error.message, status, target);
			expectNothingFollowed();
			expect(everythingLeftBy(run)).not.toContain(emulator.secret);
		},
	);

	it.each(STATUSES)('a %i through a gateway: the gateway token goes nowhere else either', async (status) => {
		const target = TARGETS[0];
		redirector.redirect(status, target.location());

		const run = await runWorkflow(plaidWorkflow({ resource: operation.resource, operation: operation.operation, ...operation.parameters }), {
			credentials: gatewayCredential(),
			loaded,
		});

		expectRedirectNamed(run.nodeError('Plaid').message, status, target);
		expectNothingFollowed();
		expect(redirector.requests[0].headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
		expect(everythingLeftBy(run)).not.toContain(GATEWAY_TOKEN);
	});
});

describe('the credential test', () => {
	it.each(cases.map(({ status, target }) => [status, target.name, target] as const))(
		'a %i to %s: not followed, and the test says it was redirected, with the status',
		async (status, _targetName, target) => {
			redirector.redirect(status, target.location());

			const result = await testCredential(keysCredential().plaidApi, { loaded });

			expect(result.status).toBe('Error');
			expect(result.message).toMatch(new RegExp(`^The URL answered with a redirect \\(HTTP ${status}\\)`));
			expect(result.message).toContain('Redirects are not followed');
			for (const text of target.hidden) expect(result.message).not.toContain(text);
			expectNothingFollowed();
			expect(redirector.requests).toHaveLength(1);
		},
	);

	it('through a gateway: not followed either', async () => {
		redirector.redirect(307, TARGETS[0].location());

		const result = await testCredential(gatewayCredential().plaidApi, { loaded });

		expect(result.message).toMatch(/^The URL answered with a redirect \(HTTP 307\)/);
		expectNothingFollowed();
	});
});

describe('the trigger’s key fetch, set off by an unauthenticated webhook caller', () => {
	let calls = 0;

	it.each(cases.map(({ status, target }) => [status, target.name, target] as const))(
		'a %i to %s: not followed; the webhook is answered 500 and the log names status and origin',
		async (status, _targetName, target) => {
			redirector.redirect(status, target.location());
			calls += 1;
			// A client of its own per test: the trigger keeps keys and a fetch budget per client.
			const credentials = { plaidApi: { ...keysCredential().plaidApi, clientId: `client-redirect-${calls}` } };
			const trigger = await startTriggerServer({ loaded, credentials, parameters: { events: ['*'] } });
			const logsBefore = capturedLogs.length;
			try {
				const answer = await emulator.sendWebhook(trigger.url, { webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: `item-${calls}` });

				expect(answer).toMatchObject({ status: 500, body: { error: 'verification key unavailable' } });
				expect(trigger.started).toHaveLength(0);
				expectNothingFollowed();
				expect(redirector.requests.map((request) => request.url)).toEqual(['/plaid/webhook_verification_key/get']);
				const warnings = capturedLogs.slice(logsBefore).filter((line) => line.level === 'warn').map((line) => line.message);
				expect(warnings).toHaveLength(1);
				expectRedirectNamed(warnings[0], status, target);
				expect(JSON.stringify(answer)).not.toContain(emulator.secret);
			} finally {
				await trigger.close();
			}
		},
	);
});

describe('a redirect whose Location embeds the keys it received', () => {
	/** The host part carries the secret (or token) as received; the path and query carry it too. */
	const echoingLocation = (header: 'plaid-secret' | 'authorization') => (request: { headers: Record<string, unknown> }) => {
		const value = String(request.headers[header] ?? '').replace(/^Bearer /, '');
		return `http://${value.toLowerCase()}.localhost:${recorder.port}/${value}?k=${value}`;
	};

	it.each(everyOperation().map((operation) => [operationName(operation), operation] as const))(
		'%s: the error does not repeat the secret, in the origin or anywhere',
		async (_name, operation) => {
			redirector.redirect(307, echoingLocation('plaid-secret'));

			const run = await runWorkflow(plaidWorkflow({ resource: operation.resource, operation: operation.operation, ...operation.parameters }), {
				credentials: keysCredential(),
				loaded,
			});

			const { message } = run.nodeError('Plaid');
			expect(message).toContain('redirected (HTTP 307)');
			expect(message).not.toContain(emulator.secret);
			expectNothingFollowed();
			expect(everythingLeftBy(run)).not.toContain(emulator.secret);
		},
	);

	it('through a gateway: the token is not repeated, whatever its case', async () => {
		redirector.redirect(308, echoingLocation('authorization'));

		const run = await runWorkflow(plaidWorkflow({ resource: 'user', operation: 'get', userId: 'usr_every' }), { credentials: gatewayCredential(), loaded });

		const left = everythingLeftBy(run).toLowerCase();
		expect(run.nodeError('Plaid').message).toContain('redirected (HTTP 308)');
		expect(left).not.toContain(GATEWAY_TOKEN.toLowerCase());
		expectNothingFollowed();
	});

	it('the trigger’s log line does not repeat the secret', async () => {
		redirector.redirect(302, echoingLocation('plaid-secret'));
		const credentials = { plaidApi: { ...keysCredential().plaidApi, clientId: 'client-redirect-echo' } };
		const trigger = await startTriggerServer({ loaded, credentials, parameters: { events: ['*'] } });
		const logsBefore = capturedLogs.length;
		try {
			const answer = await emulator.sendWebhook(trigger.url, { webhook_type: 'ITEM', webhook_code: 'ERROR', item_id: 'item-echo' });

			expect(answer.status).toBe(500);
			const logged = JSON.stringify(capturedLogs.slice(logsBefore));
			expect(logged).toContain('redirected (HTTP 302)');
			expect(logged).not.toContain(emulator.secret);
			expectNothingFollowed();
		} finally {
			await trigger.close();
		}
	});
});
