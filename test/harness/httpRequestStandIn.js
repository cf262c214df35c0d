// @ts-check
/**
 * A stand-in for n8n's HTTP Request node (n8n-nodes-base is not a dependency of this package),
 * reduced to how version 4.x makes its request with a predefined credential type, as in
 * n8n-nodes-base 2.41.1 (nodes/HttpRequest/V3/HttpRequestV3.node.ts): the credential's "Allowed
 * HTTP Request Domains" read with n8n-workflow's getCredentialAllowedDomains; options built with
 * the absolute URL in `uri`, `followRedirect` / `followAllRedirects` / `maxRedirects` from the
 * Redirects option (followed by default from 4.0), `sendCredentialsOnCrossOriginRedirect` true
 * before 4.4; then `helpers.requestWithAuthentication` (n8n-core's legacy request adapter).
 * The Proxy and Ignore SSL Issues options, headers (lowercased, the node's default) and SSL
 * Certificates (the httpSslAuth credential's fields, given here as the `sslCertificates`
 * parameter) become `proxy`, `rejectUnauthorized` and `agentOptions` as the node builds them.
 * `requestStyle` (not a parameter of the real node) makes the same request the two other ways a
 * node can use a credential: the legacy helper with `url`, or `httpRequestWithAuthentication`,
 * where these options take the shapes of that path (see axiosPathOptions).
 * Only a JSON body, the JSON response format and Continue On Fail are modelled.
 */
const {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	getCredentialAllowedDomains,
	injectDomainRestrictionFields,
} = require('n8n-workflow');

const { loadPackage } = require('./engine');
const secretHunt = require('./secretHunt');

/** @param {unknown} value @param {string} secret */
const holds = (value, secret) => secretHunt.stringsIn(value).some((text) => text.includes(secret));

const NODE_TYPE = 'n8n-nodes-base.httpRequest';

const description = {
	displayName: 'HTTP Request',
	name: 'httpRequest',
	group: ['output'],
	version: [4, 4.1, 4.2, 4.3, 4.4, 4.5],
	description: 'HTTP Request (test stand-in)',
	defaults: { name: 'HTTP Request' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [
		{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
		{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		{ displayName: 'Authentication', name: 'authentication', type: 'string', default: 'predefinedCredentialType' },
		{ displayName: 'Credential Type', name: 'nodeCredentialType', type: 'string', default: 'plaidApi' },
		{ displayName: 'Send Body', name: 'sendBody', type: 'boolean', default: false },
		{ displayName: 'JSON Body', name: 'jsonBody', type: 'json', default: '{}' },
		{ displayName: 'Send Headers', name: 'sendHeaders', type: 'boolean', default: false },
		{ displayName: 'Headers', name: 'headers', type: 'json', default: {} },
		{ displayName: 'SSL Certificates (test only: the httpSslAuth credential)', name: 'sslCertificates', type: 'json', default: {} },
		{ displayName: 'Request Style (test only)', name: 'requestStyle', type: 'string', default: 'httpRequestNode' },
		{ displayName: 'Options', name: 'options', type: 'json', default: {} },
	],
};

/**
 * The request options version 4.x builds, as far as a URL, a method, a JSON body and the
 * Redirects, Never Error and cross-origin options go.
 * @param {any} ctx @param {number} itemIndex @param {string | undefined} allowedDomains
 */
function legacyRequestOptions(ctx, itemIndex, allowedDomains) {
	const nodeVersion = ctx.getNode().typeVersion;
	const url = String(ctx.getNodeParameter('url', itemIndex)).trim();
	if (!url.startsWith('http://') && !url.startsWith('https://')) {
		throw new NodeOperationError(ctx.getNode(), `Invalid URL: ${url}. URL must start with "http" or "https".`);
	}
	const method = ctx.getNodeParameter('method', itemIndex);
	const { redirect, response, sendCredentialsOnCrossOriginRedirect, proxy, allowUnauthorizedCerts } = ctx.getNodeParameter('options', itemIndex, {});
	/** @type {Record<string, any>} */
	let options = {
		headers: {},
		method,
		uri: url,
		gzip: true,
		rejectUnauthorized: !allowUnauthorizedCerts || false,
		followRedirect: false,
		resolveWithFullResponse: true,
		sendCredentialsOnCrossOriginRedirect: sendCredentialsOnCrossOriginRedirect ?? nodeVersion < 4.4,
		allowedDomains,
	};
	if (method !== 'GET' && nodeVersion >= 4.1) options = { ...options, followAllRedirects: false };
	const defaultRedirect = nodeVersion >= 4 && redirect === undefined;
	if (redirect?.redirect?.followRedirects || defaultRedirect) {
		options.followRedirect = true;
		options.followAllRedirects = true;
	}
	if (redirect?.redirect?.maxRedirects || defaultRedirect) options.maxRedirects = redirect?.redirect?.maxRedirects;
	if (response?.response?.neverError) options.simple = false;
	if (proxy) options.proxy = proxy;
	options.timeout = 300_000;
	if (ctx.getNodeParameter('sendBody', itemIndex, false)) options.body = JSON.parse(String(ctx.getNodeParameter('jsonBody', itemIndex)));
	if (ctx.getNodeParameter('sendHeaders', itemIndex, false)) {
		const headers = /** @type {Record<string, unknown>} */ (ctx.getNodeParameter('headers', itemIndex, {}));
		options.headers = { ...options.headers, ...Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])) };
	}
	options.json = true;
	const certificates = /** @type {Record<string, string>} */ (ctx.getNodeParameter('sslCertificates', itemIndex, {}));
	if (Object.keys(certificates).length > 0) {
		options.agentOptions = Object.fromEntries(['ca', 'cert', 'key', 'passphrase'].filter((name) => certificates[name]).map((name) => [name, certificates[name]]));
	}
	if (options.headers.accept === undefined) options.headers.accept = 'application/json,text/*;q=0.99';
	return options;
}

/**
 * The same request for `httpRequestWithAuthentication` (n8n's axios path), in the shapes that
 * path's options take where n8n itself builds them (n8n-core 2.41 routing-node.js, for a
 * declarative node's Proxy and Ignore SSL Issues options): `proxy` as { protocol, host, port },
 * `skipSslCertificateValidation`; headers and `agentOptions` as they are.
 * @param {Record<string, any>} legacy the options legacyRequestOptions built
 */
function axiosPathOptions(legacy) {
	const { uri: url, method, body, headers, proxy, rejectUnauthorized, agentOptions } = legacy;
	/** @type {Record<string, any>} */
	const options = { url, method, body, json: true, headers };
	if (proxy) {
		const parsed = new URL(proxy);
		options.proxy = { protocol: parsed.protocol.replace(/:$/, ''), host: parsed.hostname, port: Number(parsed.port) };
	}
	if (rejectUnauthorized === false) options.skipSslCertificateValidation = true;
	if (agentOptions) options.agentOptions = agentOptions;
	return options;
}

/** @param {any} ctx @param {number} itemIndex */
async function requestOnce(ctx, itemIndex) {
	const credentialType = ctx.getNodeParameter('nodeCredentialType', itemIndex);
	if (ctx.getNodeParameter('authentication', itemIndex) !== 'predefinedCredentialType') {
		throw new Error('test stand-in: only a predefined credential type is implemented');
	}
	const credentialData = await ctx.getCredentials(credentialType, itemIndex);
	const allowedDomains = getCredentialAllowedDomains({ node: ctx.getNode(), credentialData, surface: 'HTTP Request or GraphQL' });
	const options = legacyRequestOptions(ctx, itemIndex, allowedDomains);
	const style = ctx.getNodeParameter('requestStyle', itemIndex);
	if (style === 'httpRequestNode') {
		return (await ctx.helpers.requestWithAuthentication.call(ctx, credentialType, options, undefined, itemIndex)).body;
	}
	if (style === 'legacyUrl') {
		const { uri, ...rest } = options;
		return (await ctx.helpers.requestWithAuthentication.call(ctx, credentialType, { ...rest, url: uri }, undefined, itemIndex)).body;
	}
	if (style === 'httpRequestWithAuthentication') {
		return await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, axiosPathOptions(options));
	}
	throw new Error(`test stand-in: unknown request style "${style}"`);
}

/** @type {any} */
const httpRequestStandIn = {
	description,
	/** @this {any} */
	async execute() {
		const items = this.getInputData();
		const returnItems = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const body = await requestOnce(this, itemIndex);
				returnItems.push({ json: typeof body === 'object' && body !== null ? body : { data: body }, pairedItem: { item: itemIndex } });
			} catch (/** @type {any} */ reason) {
				const error = reason instanceof NodeApiError || reason instanceof NodeOperationError ? reason : new NodeApiError(this.getNode(), reason, { itemIndex });
				if (!this.continueOnFail()) throw error;
				returnItems.push({ json: { error }, pairedItem: { item: itemIndex } });
			}
		}
		return [returnItems];
	},
};

/**
 * The package as n8n loads it, with the stand-in beside it, and the credential given the "Allowed
 * HTTP Request Domains" fields that n8n 2.41 adds to every credential that authenticates
 * (injectDomainRestrictionFields, called by its LoadNodesAndCredentials).
 */
async function loadPackageWithHttpRequest() {
	const loaded = await loadPackage();
	for (const type of Object.values(loaded.credentialTypes)) type.properties = injectDomainRestrictionFields(type);
	const { nodeTypes } = loaded;
	return {
		...loaded,
		nodeTypes: {
			/** @param {string} name */
			getByName: (name) => (name === NODE_TYPE ? httpRequestStandIn : nodeTypes.getByName(name)),
			/** @param {string} name @param {number} [version] */
			getByNameAndVersion: (name, version) => (name === NODE_TYPE ? httpRequestStandIn : nodeTypes.getByNameAndVersion(name, version)),
			getKnownTypes: () => ({}),
		},
	};
}

/**
 * Start → HTTP Request with the Plaid credential.
 * @param {Record<string, unknown>} parameters @param {{ typeVersion?: number, continueOnFail?: boolean }} [options]
 */
function httpRequestWorkflow(parameters, options = {}) {
	return {
		name: 'http request with the plaid credential',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'http',
				name: 'HTTP Request',
				type: NODE_TYPE,
				typeVersion: options.typeVersion ?? 4.2,
				position: [220, 0],
				parameters: { authentication: 'predefinedCredentialType', nodeCredentialType: 'plaidApi', ...parameters },
				credentials: { plaidApi: { id: '1', name: 'Plaid account' } },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: { Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
	};
}

/**
 * Hands the secret guard what the stand-in's run shows a user: its outputs and its error as n8n
 * stores them (a node error keeps only the name and message of its cause when stored, see
 * ExecutionBaseError.toJSON). The live error is the test's to check: n8n's legacy request adapter
 * puts the request headers on a failed request's error (`options.headers`), as it does for any
 * credential.
 * @param {any} run a WorkflowRun
 */
function recordHttpRequestRun(run) {
	const task = run.taskOf('HTTP Request');
	if (!task) return;
	secretHunt.recordEvidence('output of "HTTP Request" (as stored)', JSON.parse(JSON.stringify(task.data ?? {})));
	if (task.error) secretHunt.recordEvidence('error of "HTTP Request" (as stored)', JSON.parse(JSON.stringify(task.error)));
}

/**
 * The causes below a reported error: the HTTP client's error sits one level down, or two when
 * n8n wraps it first (a certificate failure becomes a NodeSslError).
 * @param {unknown} error @returns {any[]}
 */
function causeChain(error) {
	const chain = [];
	for (let cause = /** @type {any} */ (error)?.cause; cause && typeof cause === 'object' && chain.length < 3; cause = cause.cause) chain.push(cause);
	return chain;
}

/** Where n8n's HTTP client leaves the request it sent on the error of a failed one. */
const REQUEST_COPIES = ['options', 'config', 'request'];

/**
 * A request that gets an error status fails with n8n's own error around the HTTP client's, and
 * that one keeps the request it sent, the key headers among them: `options.headers` from the
 * legacy adapter (@n8n/backend-network executeLegacyRequest), `config.headers` and `request` from
 * axios (on the error and on its `response`). So it is for any credential and any error status of
 * the HTTP Request node. n8n hands the live error to its error reporter, which logs only the
 * messages of the cause chain and drops warning-level and axios errors before Sentry, and it
 * stores node errors without their cause. This takes the guard's findings and sets aside the
 * reported errors whose only hold on `secret` is such a copy; the test asserts what is left.
 * @param {unknown[]} reported the errors n8n reported during the run
 * @param {string} secret
 */
function takeLeaksBesidesRequestCopies(reported, secret) {
	let requestCopies = 0;
	let unexplained = 0;
	for (const error of reported) {
		if (!holds(error, secret)) continue;
		const holders = causeChain(error).flatMap((cause) => [cause, cause.response]).filter((holder) => holder && typeof holder === 'object');
		const copies = holders.flatMap((holder) =>
			REQUEST_COPIES.filter((field) => holds(holder[field], secret)).map((field) => ({ holder, field, value: holder[field] })),
		);
		for (const { holder, field } of copies) holder[field] = undefined;
		const elsewhere = holds(error, secret);
		for (const { holder, field, value } of copies) holder[field] = value;
		if (copies.length > 0 && !elsewhere) requestCopies += 1;
		else unexplained += 1;
	}
	const otherLeaks = secretHunt.takeLeaks().filter(({ where }) => where !== 'error reported by n8n' || unexplained > 0);
	return { requestCopies, unexplained, otherLeaks };
}

module.exports = { httpRequestStandIn, loadPackageWithHttpRequest, httpRequestWorkflow, recordHttpRequestRun, takeLeaksBesidesRequestCopies };
