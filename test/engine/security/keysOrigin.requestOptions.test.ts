/**
 * Someone who may only use a shared Plaid credential tries to read its keys through n8n's HTTP
 * Request node, whose URL must stay under the credential's own: a TLS-intercepting proxy with
 * "Ignore SSL Issues" on, a plain proxy, certificate checking off against an impostor, a CA of
 * their own, or a Host header. Through n8n's own request helpers, in both of its request paths
 * (test/harness/httpRequestStandIn.js), in every kind of credential: the request is refused
 * before anything is sent, naming the option, and no proxy or impostor receives a connection,
 * let alone a key or the gateway token. The same request without those options goes out.
 */
import { startEmulator } from '../../emulator';
import fakeTokens from '../../fixtures/fakeTokens.json';
import { reportedErrors, runWorkflow } from '../../harness/engine';
import { forgetRequests, perFile } from '../../harness/fixtures';
import { startGateway } from '../../harness/gateway';
import { startRecorder } from '../../harness/hostileServers';
import { httpRequestWorkflow, loadPackageWithHttpRequest, recordHttpRequestRun, takeLeaksBesidesRequestCopies } from '../../harness/httpRequestStandIn';
import { selfSignedCertificate, startInterceptingProxy, startTlsImpostor } from '../../harness/interceptingProxy';
import { stringsIn } from '../../harness/secretHunt';
import { gatewayCredentials } from '../../harness/workflows';

const GATEWAY_TOKEN = fakeTokens.gateway.gatewayToken;
const PATHS = ['httpRequestNode', 'httpRequestWithAuthentication'] as const;
const INSTITUTIONS_BODY = JSON.stringify({ count: 1, offset: 0, country_codes: ['US'] });

const { loaded, certificate, emulator, gateway, interceptor, plainProxy, impostor } = perFile(
	async () => {
		const certificate = selfSignedCertificate();
		const emulator = await startEmulator();
		return {
			loaded: await loadPackageWithHttpRequest(),
			certificate,
			emulator,
			gateway: await startGateway({ upstream: emulator.url, token: GATEWAY_TOKEN, injectKeys: { clientId: emulator.clientId, secret: emulator.secret } }),
			interceptor: await startInterceptingProxy(certificate),
			plainProxy: await startRecorder(),
			impostor: await startTlsImpostor(certificate),
		};
	},
	({ emulator, gateway, interceptor, plainProxy, impostor }) => {
		emulator.reset();
		forgetRequests(gateway);
		for (const server of [interceptor, plainProxy, impostor]) {
			server.requests.length = 0;
			server.stats.connections = 0;
		}
	},
);

interface Mode {
	credential: Record<string, unknown>;
	url: string;
	/** What must reach nobody but Plaid (or the gateway): the secret, or the gateway token. */
	secret: string;
}

const keys = () => ({ clientId: emulator.clientId, secret: emulator.secret });

/** Each kind of credential, with a URL under its own. The proxies stand in for Plaid's hosts. */
const MODES: Record<string, () => Mode> = {
	sandbox: () => ({ credential: { environment: 'sandbox', ...keys() }, url: 'https://sandbox.plaid.com/institutions/get', secret: emulator.secret }),
	production: () => ({ credential: { environment: 'production', ...keys() }, url: 'https://production.plaid.com/institutions/get', secret: emulator.secret }),
	'custom https': () => ({ credential: { environment: 'custom', baseUrl: impostor.url, ...keys() }, url: `${impostor.url}/institutions/get`, secret: emulator.secret }),
	'custom loopback http': () => ({ credential: { environment: 'custom', baseUrl: emulator.url, ...keys() }, url: `${emulator.url}/institutions/get`, secret: emulator.secret }),
	gateway: () => ({
		credential: gatewayCredentials(gateway.url).plaidApi,
		url: `${gateway.url}/institutions/get`,
		secret: GATEWAY_TOKEN,
	}),
};

interface NodeSettings {
	options?: Record<string, unknown>;
	headers?: Record<string, string>;
	sslCertificates?: Record<string, string>;
}

async function request(path: (typeof PATHS)[number], mode: Mode, settings: NodeSettings = {}) {
	const workflow = httpRequestWorkflow({
		url: mode.url,
		method: 'POST',
		sendBody: true,
		jsonBody: INSTITUTIONS_BODY,
		requestStyle: path,
		options: settings.options ?? {},
		...(settings.headers ? { sendHeaders: true, headers: settings.headers } : {}),
		...(settings.sslCertificates ? { sslCertificates: settings.sslCertificates } : {}),
	});
	const run = await runWorkflow(workflow, { credentials: { plaidApi: mode.credential }, loaded });
	recordHttpRequestRun(run);
	return run;
}

/** Everything every server here received, as text. */
const everythingReceived = () => JSON.stringify([interceptor.requests, plainProxy.requests, impostor.requests, emulator.requests, gateway.requests]);

function expectRefusedBeforeSending(run: Awaited<ReturnType<typeof request>>, mode: Mode, option: string) {
	expect(run.status).toBe('error');
	const error = run.nodeError('HTTP Request');
	expect(error.message).toMatch(/^The Plaid API credential sends its keys only straight to its own URL \(.+\), with the server's certificate checked; this request sets /);
	expect(error.message).toContain(option);
	expect(error.message).toContain('so nothing was sent');
	expect(error.description).toContain('Proxy, Ignore SSL Issues and SSL Certificates options');
	expect([interceptor.stats.connections, plainProxy.stats.connections, impostor.stats.connections]).toEqual([0, 0, 0]);
	expect(emulator.requests).toHaveLength(0);
	expect(gateway.requests).toHaveLength(0);
	expect(everythingReceived()).not.toContain(mode.secret);
	expect(stringsIn(error).join('\n')).not.toContain(mode.secret);
}

const cases = (names: string[]) => PATHS.flatMap((path) => names.map((name) => [path, name] as const));

describe.each(cases(Object.keys(MODES)))('%s, %s credential', (path, name) => {
	it('a TLS-intercepting proxy with Ignore SSL Issues on: refused, the proxy gets no connection', async () => {
		const mode = MODES[name]();
		const run = await request(path, mode, { options: { proxy: interceptor.url, allowUnauthorizedCerts: true } });

		expectRefusedBeforeSending(run, mode, '`proxy`');
		expect(run.nodeError('HTTP Request').message).toContain(path === 'httpRequestNode' ? '`rejectUnauthorized: false`' : '`skipSslCertificateValidation: true`');
	});

	it('a plain proxy: refused, the proxy gets no connection', async () => {
		const mode = MODES[name]();
		const run = await request(path, mode, { options: { proxy: plainProxy.url } });

		expectRefusedBeforeSending(run, mode, 'this request sets `proxy`, so nothing was sent');
	});
});

describe.each(PATHS)('%s', (path) => {
	it('Ignore SSL Issues alone, at a custom https URL where an impostor answers: refused, no connection', async () => {
		const mode = MODES['custom https']();
		const run = await request(path, mode, { options: { allowUnauthorizedCerts: true } });

		expectRefusedBeforeSending(run, mode, path === 'httpRequestNode' ? '`rejectUnauthorized: false`' : '`skipSslCertificateValidation: true`');
	});

	it('SSL Certificates with a CA of the caller’s (one that makes the impostor trusted): refused', async () => {
		const mode = MODES['custom https']();
		const run = await request(path, mode, { sslCertificates: { ca: certificate.cert } });

		expectRefusedBeforeSending(run, mode, '`agentOptions.ca`');
	});

	it.each([['Host'], ['host'], ['HOST']])('a %s header: refused, whatever its letter case', async (header) => {
		for (const name of ['custom loopback http', 'gateway']) {
			const mode = MODES[name]();
			const run = await request(path, mode, { headers: { [header]: 'plaid-internal.example.com' } });

			expectRefusedBeforeSending(run, mode, 'a `Host` header');
		}
	});
});

describe('the same requests without those options', () => {
	it.each(PATHS)('%s: a custom loopback URL gets the request with the keys, and answers', async (path) => {
		const run = await request(path, MODES['custom loopback http'](), { headers: { 'X-Request-Label': 'control' } });

		expect(run.status).toBe('success');
		expect(run.output('HTTP Request')[0].json).toMatchObject({ institutions: expect.any(Array) });
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0].headers['plaid-secret']).toBe(emulator.secret);
	});

	it.each(PATHS)('%s: the gateway gets its token, adds the keys, and answers', async (path) => {
		const run = await request(path, MODES.gateway());
		expect(run.status).toBe('success');
		expect(gateway.requests[0].headers.authorization).toBe(`Bearer ${GATEWAY_TOKEN}`);
		expect(gateway.requests[0].headers['plaid-secret']).toBeUndefined();
		expect(emulator.requests).toHaveLength(1);
	});

	it.each(PATHS)('%s: a client certificate alone (SSL Certificates without a CA) is not refused', async (path) => {
		const run = await request(path, MODES['custom loopback http'](), { sslCertificates: { cert: certificate.cert, key: certificate.key } });

		expect(run.status).toBe('success');
		expect(emulator.requests).toHaveLength(1);
	});

	/**
	 * The failed request's error keeps the request n8n sent, key headers included, as n8n's HTTP
	 * client does for any credential (see takeLeaksBesidesRequestCopies): that copy, and nothing
	 * else, holds the secret.
	 */
	it.each(PATHS)('%s: with certificates checked, the impostor at a custom https URL reads nothing', async (path) => {
		const before = reportedErrors.length;
		const run = await request(path, MODES['custom https']());

		expect(run.status).toBe('error');
		expect(impostor.stats.connections).toBe(1);
		expect(impostor.requests).toHaveLength(0);
		expect(takeLeaksBesidesRequestCopies(reportedErrors.slice(before), emulator.secret)).toEqual({ requestCopies: 1, unexplained: 0, otherLeaks: [] });
	});
});
