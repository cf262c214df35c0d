/**
 * The credential is offered to n8n's HTTP Request node ("predefined credential type"), whose
 * absolute URL would replace the credential's base URL. Through a stand-in that makes its request
 * the way HTTP Request 4.x does (test/harness/httpRequestStandIn.js), and the two other ways a node
 * can use a credential: a URL not under the credential's own URL gets nothing, in any form; a URL
 * under it works; a redirect from it is not followed, whatever the node's Redirects option says;
 * n8n's "Allowed HTTP Request Domains" setting still applies on top.
 */
import { startEmulator } from '../../emulator';
import { reportedErrors, runWorkflow } from '../../harness/engine';
import { forgetRequests, perFile } from '../../harness/fixtures';
import { startGateway } from '../../harness/gateway';
import { startRecorder, startRedirector } from '../../harness/hostileServers';
import { httpRequestWorkflow, loadPackageWithHttpRequest, recordHttpRequestRun, takeLeaksBesidesRequestCopies } from '../../harness/httpRequestStandIn';
import { stringsIn } from '../../harness/secretHunt';

const INSTITUTIONS_BODY = JSON.stringify({ count: 1, offset: 0, country_codes: ['US'] });
const STYLES = ['httpRequestNode', 'legacyUrl', 'httpRequestWithAuthentication'] as const;
const VERSIONS = [4, 4.1, 4.2, 4.3, 4.4, 4.5];

const { loaded, emulator, base, recorder, redirector } = perFile(
	async () => {
		const emulator = await startEmulator();
		return {
			loaded: await loadPackageWithHttpRequest(),
			emulator,
			/** The credential's own URL: a plain proxy under /plaid in front of the emulator. */
			base: await startGateway({ upstream: emulator.url, prefix: '/plaid' }),
			recorder: await startRecorder(),
			redirector: await startRedirector(),
		};
	},
	({ emulator, base, recorder }) => {
		emulator.reset();
		forgetRequests(base, recorder);
	},
);

const credentialFor = (baseUrl: string, extra: Record<string, unknown> = {}) => ({
	plaidApi: { environment: 'custom', baseUrl, clientId: emulator.clientId, secret: emulator.secret, ...extra },
});

async function request(
	url: string,
	options: { style?: (typeof STYLES)[number]; version?: number; baseUrl?: string; method?: string; nodeOptions?: Record<string, unknown>; credential?: Record<string, unknown> } = {},
) {
	const workflow = httpRequestWorkflow(
		{ url, method: options.method ?? 'POST', sendBody: true, jsonBody: INSTITUTIONS_BODY, requestStyle: options.style ?? 'httpRequestNode', options: options.nodeOptions ?? {} },
		{ typeVersion: options.version },
	);
	const run = await runWorkflow(workflow, { credentials: credentialFor(options.baseUrl ?? base.url, options.credential), loaded });
	recordHttpRequestRun(run);
	return run;
}

/** Every string the node's error holds, the live object with its cause chain included. */
const errorText = (run: Awaited<ReturnType<typeof request>>) => stringsIn(run.nodeError('HTTP Request')).join('\n');

describe('a URL that is not under the credential’s URL', () => {
	const origin = () => new URL(base.url).origin;
	const port = () => new URL(base.url).port;
	const foreign: Array<[string, () => string, string[]]> = [
		['another server', () => `${recorder.url}/plaid/institutions/get?copy=1`, ['copy=1']],
		['another host name for the same server', () => `http://localhost:${port()}/plaid/institutions/get`, []],
		['https on the same host and port', () => `https://127.0.0.1:${port()}/plaid/institutions/get`, []],
		['a path outside the base path', () => `${origin()}/admin/institutions/get?q=1`, ['admin', 'q=1']],
		['a path that only starts like the base path', () => `${origin()}/plaid-internal/institutions/get`, ['plaid-internal']],
		['dot segments out of the base path', () => `${base.url}/../admin/institutions/get`, ['admin']],
		['encoded dot segments out of the base path', () => `${base.url}/%2e%2e/admin/institutions/get`, ['admin']],
	];

	it.each(STYLES.flatMap((style) => foreign.map(([name, url, hidden]) => [style, name, url, hidden] as const)))(
		'%s, %s: refused before anything is sent, naming only origins',
		async (style, _name, url, hidden) => {
			const run = await request(url(), { style });

			expect(run.status).toBe('error');
			const { message } = run.nodeError('HTTP Request');
			expect(message).toMatch(new RegExp(`^The Plaid API credential sends its keys only to its own URL \\(${base.url}\\); this request was for `));
			expect(message).toContain('so nothing was sent');
			for (const text of hidden) expect(message).not.toContain(text);
			expect(recorder.requests).toHaveLength(0);
			expect(base.requests).toHaveLength(0);
			expect(emulator.requests).toHaveLength(0);
			expect(errorText(run)).not.toContain(emulator.secret);
		},
	);

	it.each(VERSIONS)('HTTP Request %s, GET and POST: refused alike', async (version) => {
		for (const method of ['GET', 'POST']) {
			const run = await request(`${recorder.url}/collect`, { version, method });
			expect(run.nodeError('HTTP Request').message).toContain(`this request was for ${recorder.url}, so nothing was sent`);
		}
		expect(recorder.requests).toHaveLength(0);
	});

	it('a Sandbox credential keeps its keys off a URL that is not Plaid’s Sandbox', async () => {
		const run = await request(`${recorder.url}/institutions/get`, { credential: { environment: 'sandbox' } });

		expect(run.nodeError('HTTP Request').message).toContain('only to its own URL (https://sandbox.plaid.com)');
		expect(recorder.requests).toHaveLength(0);
	});
});

describe('a URL under the credential’s URL', () => {
	it.each(STYLES)('%s: goes out with the keys, and the answer comes back', async (style) => {
		const run = await request(`${base.url}/institutions/get?unused=1`, { style });

		expect(run.status).toBe('success');
		expect(run.output('HTTP Request')[0].json).toMatchObject({ institutions: [expect.objectContaining({ institution_id: expect.any(String) })] });
		expect(emulator.requests).toHaveLength(1);
		expect(emulator.requests[0].headers['plaid-secret']).toBe(emulator.secret);
		expect(emulator.requests[0].headers['plaid-version']).toBe('2020-09-14');
	});

	it('the base URL itself, with a trailing slash in the credential', async () => {
		const run = await request(`${base.url}/institutions/get`, { baseUrl: `${base.url}/` });
		expect(run.status).toBe('success');
	});
});

describe('a redirect from the credential’s URL, in the HTTP Request node’s request path', () => {
	const statuses = [301, 302, 303, 307, 308];

	/**
	 * A redirect fails the request, and n8n's legacy adapter keeps its headers on the live error it
	 * reports (see takeLeaksBesidesRequestCopies): that one place, and nothing else, holds the secret.
	 */
	async function failedRun(run: Promise<Awaited<ReturnType<typeof request>>>) {
		const before = reportedErrors.length;
		const finished = await run;
		expect(finished.status).toBe('error');
		expect(takeLeaksBesidesRequestCopies(reportedErrors.slice(before), emulator.secret)).toEqual({
			requestCopies: 1,
			unexplained: 0,
			otherLeaks: [],
		});
		return finished;
	}
	const followEverything = { redirect: { redirect: { followRedirects: true, maxRedirects: 21 } }, sendCredentialsOnCrossOriginRedirect: true };

	it.each(VERSIONS.flatMap((version) => statuses.map((status) => [status, version] as const)))(
		'a %i, HTTP Request %s with its default redirect settings: not followed',
		async (status, version) => {
			redirector.redirect(status, `${recorder.url}/collect?from=redirect`);

			await failedRun(request(`${redirector.url}/plaid/institutions/get`, { baseUrl: `${redirector.url}/plaid`, version }));

			expect(recorder.requests).toHaveLength(0);
			expect(redirector.requests).toHaveLength(1);
		},
	);

	it.each(statuses)('a %i, with Follow Redirects on and credentials allowed across origins: not followed', async (status) => {
		redirector.redirect(status, `http://localhost:${recorder.port}/collect`);

		for (const style of STYLES) {
			await failedRun(request(`${redirector.url}/plaid/institutions/get`, { baseUrl: `${redirector.url}/plaid`, style, nodeOptions: followEverything }));
		}
		expect(recorder.requests).toHaveLength(0);
		expect(redirector.requests).toHaveLength(STYLES.length);
	});

	it('with Never Error on: the redirect is the answer, not followed', async () => {
		redirector.redirect(307, `${recorder.url}/collect`);

		const run = await request(`${redirector.url}/plaid/institutions/get`, {
			baseUrl: `${redirector.url}/plaid`,
			nodeOptions: { ...followEverything, response: { response: { neverError: true } } },
		});

		expect(run.status).toBe('success');
		expect(recorder.requests).toHaveLength(0);
	});
});

describe('n8n’s Allowed HTTP Request Domains on the credential, a second fence', () => {
	it('"None": the HTTP Request node may not use the credential at all', async () => {
		const run = await request(`${base.url}/institutions/get`, { credential: { allowedHttpRequestDomains: 'none' } });

		expect(run.nodeError('HTTP Request').message).toBe('This credential is configured to prevent use within an HTTP Request or GraphQL node');
		expect(base.requests).toHaveLength(0);
	});

	it('"Specific Domains" without the Base URL’s host: refused by n8n before sending', async () => {
		const run = await request(`${base.url}/institutions/get`, { credential: { allowedHttpRequestDomains: 'domains', allowedDomains: 'plaid.com' } });

		expect(run.nodeError('HTTP Request').message).toMatch(/^Domain not allowed/);
		expect(base.requests).toHaveLength(0);
	});

	it('"Specific Domains" with the Base URL’s host: allowed, and a foreign URL still refused by the credential', async () => {
		const credential = { allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' };

		expect((await request(`${base.url}/institutions/get`, { credential })).status).toBe('success');
		const foreign = await request(`${recorder.url}/collect`, { credential });
		expect(foreign.nodeError('HTTP Request').message).toContain('so nothing was sent');
		expect(recorder.requests).toHaveLength(0);
	});
});
