/**
 * Which request options the credential refuses (nodes/shared/requestGuard.ts), in every shape
 * n8n's two request paths or a node may give them, and which it lets through: what keeps the
 * certificate check on and the route n8n's own. The engine tests (keysOrigin.requestOptions)
 * show the refusal end to end.
 */
import { PlaidApi } from '../../../credentials/PlaidApi.credentials';
import { refusedRequestOptionError, refusedRequestOptions } from '../../../nodes/shared/requestGuard';

const refused: Array<[string, Record<string, unknown>, string[]]> = [
	['a proxy URL (HTTP Request node, legacy path)', { proxy: 'http://127.0.0.1:3128' }, ['`proxy`']],
	['a proxy object (declarative nodes, axios path)', { proxy: { protocol: 'http', host: '127.0.0.1', port: 3128 } }, ['`proxy`']],
	['a proxy with a password: named, never shown', { proxy: 'http://user:hunter22@proxy.example.com:3128' }, ['`proxy`']],
	['proxy: false, which overrides the administrator’s proxy', { proxy: false }, ['`proxy: false`']],
	['an empty proxy string', { proxy: '' }, ['`proxy`']],
	['an agent', { agent: {} }, ['`agent`']],
	['an http agent', { httpAgent: {} }, ['`httpAgent`']],
	['an https agent', { httpsAgent: {} }, ['`httpsAgent`']],
	['a DNS lookup', { lookup: () => undefined }, ['`lookup`']],
	['a Unix socket', { socketPath: '/tmp/socket' }, ['`socketPath`']],
	['a host name to connect to', { hostname: 'attacker.example.com' }, ['`hostname`']],
	['a host to connect to', { host: 'attacker.example.com' }, ['`host`']],
	['trusted CAs', { ca: '-----BEGIN CERTIFICATE-----' }, ['`ca`']],
	['a PFX (it can carry trusted CAs)', { pfx: Buffer.from('pfx') }, ['`pfx`']],
	['a certificate check of its own', { checkServerIdentity: () => undefined }, ['`checkServerIdentity`']],
	['rejectUnauthorized: false (Ignore SSL Issues, legacy path)', { rejectUnauthorized: false }, ['`rejectUnauthorized: false`']],
	['rejectUnauthorized as text', { rejectUnauthorized: 'false' }, ['`rejectUnauthorized: string`']],
	['strictSSL: false', { strictSSL: false }, ['`strictSSL: false`']],
	['skipSslCertificateValidation: true (Ignore SSL Issues, axios path)', { skipSslCertificateValidation: true }, ['`skipSslCertificateValidation: true`']],
	['allowUnauthorizedCerts: true', { allowUnauthorizedCerts: true }, ['`allowUnauthorizedCerts: true`']],
	['agentOptions with a CA (SSL Certificates)', { agentOptions: { ca: 'pem', cert: 'pem', key: 'pem' } }, ['`agentOptions.ca`']],
	['agentOptions that turn the check off', { agentOptions: { rejectUnauthorized: false } }, ['`agentOptions.rejectUnauthorized: false`']],
	['agentOptions that connect elsewhere', { agentOptions: { host: 'x', port: 1, socketPath: '/s', lookup: () => undefined, servername: 'x' } }, ['`agentOptions.host`', '`agentOptions.port`', '`agentOptions.socketPath`', '`agentOptions.lookup`', '`agentOptions.servername`']],
	['agentOptions that are not an object', { agentOptions: 'ca' }, ['`agentOptions`']],
	['a Host header', { headers: { Host: 'other.example.com' } }, ['a `Host` header']],
	['a host header, lowercased as the HTTP Request node sends it', { headers: { host: 'other.example.com' } }, ['a `Host` header']],
	['a HOST header with spaces around its name', { headers: { ' HOST ': 'other.example.com' } }, ['a `Host` header']],
	['several at once, each named', { proxy: 'http://p', rejectUnauthorized: false, headers: { host: 'h' } }, ['`proxy`', '`rejectUnauthorized: false`', 'a `Host` header']],
];

const allowed: Array<[string, Record<string, unknown>]> = [
	['nothing of the kind', { url: '/user/get', method: 'POST', body: { user_id: 'u' }, headers: { 'content-type': 'application/json' } }],
	['the HTTP Request node’s defaults: rejectUnauthorized: true, no proxy', { rejectUnauthorized: true, uri: 'https://sandbox.plaid.com/x', followRedirect: true, proxy: undefined }],
	['checks left on by name', { strictSSL: true, skipSslCertificateValidation: false, allowUnauthorizedCerts: false }],
	['a null proxy (n8n then uses its own)', { proxy: null }],
	['a client certificate (SSL Certificates without a CA)', { agentOptions: { cert: 'pem', key: 'pem', passphrase: 'p', rejectUnauthorized: true } }],
	['headers that only look like Host', { headers: { 'X-Forwarded-Host': 'a', 'x-host': 'b', Hostname: 'c' } }],
];

describe('refusedRequestOptions', () => {
	it.each(refused)('refuses %s', (_name, options, names) => {
		expect(refusedRequestOptions(options)).toEqual(names);
	});

	it.each(allowed)('lets through %s', (_name, options) => {
		expect(refusedRequestOptions(options)).toEqual([]);
	});

	it('never puts a value in what it names (a proxy password, a CA, a host)', () => {
		const names = refused.flatMap(([, options]) => refusedRequestOptions(options)).join(' ');
		for (const value of ['hunter22', 'BEGIN CERTIFICATE', 'attacker.example.com', 'other.example.com', '/tmp/socket']) expect(names).not.toContain(value);
	});
});

describe('the credential’s authenticate', () => {
	const credential = new PlaidApi();
	const keys = { environment: 'sandbox', clientId: 'client-id', secret: 'sandbox-secret-for-the-guard-tests' };

	it('throws before adding any key, naming each option and that nothing was sent', async () => {
		const options = { url: '/institutions/get', method: 'POST' as const, proxy: { host: '127.0.0.1', port: 3128 }, skipSslCertificateValidation: true };

		await expect(credential.authenticate(keys, options)).rejects.toThrow(
			"The Plaid API credential sends its keys only straight to its own URL (https://sandbox.plaid.com), with the server's certificate checked; this request sets `proxy` and `skipSslCertificateValidation: true`, so nothing was sent.",
		);
		expect(options).not.toHaveProperty('headers');
	});

	it('says where the options come from in the HTTP Request node', () => {
		expect(refusedRequestOptionError('https://sandbox.plaid.com', ['`proxy`']).description).toMatch(/^In n8n’s HTTP Request node these come from the Proxy, Ignore SSL Issues and SSL Certificates options and from a Host header/);
	});

	it('adds the keys to a request without them', async () => {
		const authenticated = await credential.authenticate(keys, { url: '/institutions/get', rejectUnauthorized: true } as never);

		expect(authenticated.headers).toMatchObject({ 'PLAID-SECRET': keys.secret });
	});
});
