/**
 * The one way the keys can leave in clear that the package cannot close: n8n sends every request
 * through the proxy its environment names (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY, unless NO_PROXY
 * covers the host), and a request's options cannot opt out. For a plain-http loopback Base URL
 * that proxy receives the whole request, key headers included, and its answer is taken as Plaid's;
 * NO_PROXY with the loopback host keeps it direct. For an https URL the proxy is only asked to
 * CONNECT to the host: it sees no header, and a proxy that intercepts TLS gets no request through,
 * since n8n checks Plaid's certificate (the credential refuses a request that turns the check off).
 * These are n8n 2.41's ways (n8n 1.98 and later); before, n8n sent an https request to an http://
 * proxy in clear (docs/security.md).
 */
import { startEmulator } from '../../emulator';
import { loadPackage, runWorkflow } from '../../harness/engine';
import { forgetRequests, perFile } from '../../harness/fixtures';
import { startRecorder } from '../../harness/hostileServers';
import { selfSignedCertificate, startInterceptingProxy } from '../../harness/interceptingProxy';
import { withEnvironment } from '../../harness/processEnvironment';
import { emulatorCredentials, plaidWorkflow } from '../../harness/workflows';

const NO_PROXY_SETTINGS = { HTTP_PROXY: undefined, http_proxy: undefined, HTTPS_PROXY: undefined, https_proxy: undefined, ALL_PROXY: undefined, all_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };

const { loaded, emulator, proxy, interceptor } = perFile(
	async () => ({
		loaded: await loadPackage(),
		emulator: await startEmulator(),
		/** Stands in for the proxy the environment names. */
		proxy: await startRecorder(),
		interceptor: await startInterceptingProxy(selfSignedCertificate()),
	}),
	({ emulator, proxy, interceptor }) => {
		emulator.reset();
		forgetRequests(proxy, interceptor);
	},
);

async function getUser(variables: Record<string, string | undefined>, credentials: Record<string, Record<string, unknown>> = emulatorCredentials(emulator)) {
	emulator.addUser({ user_id: 'usr_proxy' });
	return await withEnvironment({ ...NO_PROXY_SETTINGS, ...variables }, async () =>
		await runWorkflow(plaidWorkflow({ resource: 'user', operation: 'get', userId: 'usr_proxy', options: { maxRetries: 0 } }), { credentials, loaded }),
	);
}

describe('a plain-http loopback Base URL', () => {
	it('with HTTP_PROXY set and no NO_PROXY: the proxy gets the request, keys in clear, and answers for Plaid', async () => {
		const run = await getUser({ HTTP_PROXY: proxy.url });

		expect(emulator.requests).toHaveLength(0);
		expect(proxy.requests).toHaveLength(1);
		expect(proxy.requests[0].url).toBe(`${emulator.url}/user/get`);
		expect(proxy.requests[0].headers['plaid-secret']).toBe(emulator.secret);
		expect(run.status).toBe('success');
	});

	it.each([['NO_PROXY', '127.0.0.1,localhost,::1'], ['no_proxy', '127.0.0.1'], ['NO_PROXY', '*']])(
		'with %s=%s: straight to the Base URL, the proxy gets nothing',
		async (name, value) => {
			const run = await getUser({ HTTP_PROXY: proxy.url, [name]: value });

			expect(run.status).toBe('success');
			expect(proxy.requests).toHaveLength(0);
			expect(emulator.requests).toHaveLength(1);
		},
	);

	it('NO_PROXY=localhost does not cover 127.0.0.1: n8n matches the host as written', async () => {
		await getUser({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' });

		expect(proxy.requests).toHaveLength(1);
	});
});

describe('an https Base URL behind HTTPS_PROXY', () => {
	it('the proxy is only asked to CONNECT to the host; no header reaches it', async () => {
		const run = await getUser({ HTTPS_PROXY: proxy.url }, { plaidApi: { environment: 'sandbox', clientId: emulator.clientId, secret: emulator.secret } });

		expect(run.status).toBe('error');
		expect(proxy.requests).toEqual([expect.objectContaining({ method: 'CONNECT', url: 'sandbox.plaid.com:443' })]);
		expect(JSON.stringify(proxy.requests)).not.toContain(emulator.secret);
	});

	it('a proxy that intercepts TLS is asked to CONNECT, but n8n does not take its certificate: it reads no request', async () => {
		const run = await getUser({ HTTPS_PROXY: interceptor.url }, { plaidApi: { environment: 'sandbox', clientId: emulator.clientId, secret: emulator.secret } });

		expect(run.status).toBe('error');
		expect(interceptor.requests).toEqual([expect.objectContaining({ via: 'connect', url: 'sandbox.plaid.com:443' })]);
		expect(JSON.stringify(interceptor.requests)).not.toContain(emulator.secret);
	});
});
