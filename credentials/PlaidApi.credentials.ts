import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { foreignRequestError, isUnderBaseUrl, resolveRequestUrl } from '../nodes/shared/requestTarget';
import { keysInjectedByGateway, resolveBaseUrl } from '../nodes/shared/baseUrl';
import { refusedRequestOptionError, refusedRequestOptions } from '../nodes/shared/requestGuard';
import { scrubText, secretsOf } from '../nodes/shared/scrub';

/**
 * Statuses that can carry a Location. n8n's request helpers follow redirects by default and send
 * custom headers such as PLAID-SECRET along to wherever they point, even to another origin.
 */
const REDIRECT_STATUSES = [300, 301, 302, 303, 304, 305, 306, 307, 308];

/**
 * A redirect, named by its status: n8n shows a rule's text as it is, so it cannot say where the
 * redirect pointed (a Plaid node run with the credential does: its error names that origin).
 */
const REDIRECT_RULES: IAuthenticateRuleResponseCode[] = REDIRECT_STATUSES.map((status) => ({
	type: 'responseCode',
	properties: {
		value: status,
		message: `The URL answered with a redirect (HTTP ${status}) instead of Plaid's answer. Redirects are not followed, so the keys were sent nowhere else. Plaid never redirects: check the Environment or Base URL and any proxy in between (a Plaid node run with this credential names the origin the redirect points to).`,
	},
}));

/** What Plaid's answer (any status but a redirect) says about the keys or the URL. */
const ANSWER_RULES: IAuthenticateRuleResponseSuccessBody[] = [
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error_code',
			value: 'INVALID_API_KEYS',
			message:
				'Plaid rejected the Client ID or Secret (INVALID_API_KEYS). Keys are per environment: check that the Secret is the one for the Environment selected here.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error_code',
			value: 'UNAUTHORIZED_ENVIRONMENT',
			message:
				'The keys are valid, but this Plaid account is not enabled for the selected Environment (UNAUTHORIZED_ENVIRONMENT).',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'error_type',
			value: 'RATE_LIMIT_EXCEEDED',
			message: 'Plaid is rate-limiting /institutions/get for this client: try the test again in a minute.',
		},
	},
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'institutions',
			value: undefined,
			message:
				'The URL did not answer like the Plaid API. Check the Environment; for a custom URL, that the Base URL points at Plaid or a gateway in front of it, and the gateway token.',
		},
	},
];

/** The options the legacy request path (helpers.requestWithAuthentication, the HTTP Request node) reads. */
interface LegacyRequestFields {
	uri?: unknown;
	followRedirect?: boolean;
	followAllRedirects?: boolean;
}

/** What turns redirect following off in both of n8n's request paths, and keeps credentials off any hop. */
const NO_REDIRECTS = {
	disableFollowRedirect: true,
	maxRedirects: 0,
	followRedirect: false,
	followAllRedirects: false,
	sendCredentialsOnCrossOriginRedirect: false,
} as const;

/** The absolute or relative addresses a request names: the legacy path reads `url`, then `uri`. */
function requestTargets(requestOptions: IHttpRequestOptions & LegacyRequestFields): string[] {
	return [requestOptions.url, requestOptions.uri].filter((value) => value !== undefined && value !== null).map(String);
}

export class PlaidApi implements ICredentialType {
	name = 'plaidApi';

	displayName = 'Plaid API';

	documentationUrl = 'https://plaid.com/docs/api/#api-keys-and-access';

	icon = { light: 'file:../nodes/Plaid/plaid.svg', dark: 'file:../nodes/Plaid/plaid.dark.svg' } as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'sandbox',
			options: [
				{ name: 'Sandbox', value: 'sandbox', description: 'https://sandbox.plaid.com' },
				{ name: 'Production', value: 'production', description: 'https://production.plaid.com' },
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'A gateway, proxy or local emulator in front of Plaid',
				},
			],
			description: 'Plaid keys belong to one environment: Sandbox keys fail in Production and vice versa',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://plaid-gateway.example.com',
			required: true,
			description:
				'HTTPS URL that answers like the Plaid API, e.g. an internal gateway. Plain HTTP is accepted only for a loopback host (localhost, 127.0.0.1, [::1]).',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Keys Injected by Gateway',
			name: 'keysInjectedByGateway',
			type: 'boolean',
			default: false,
			description:
				'Whether the gateway at the Base URL adds the Plaid client ID and secret itself, so that n8n stores no Plaid keys and sends none',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Gateway Token',
			name: 'gatewayToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Sent to the gateway as "Authorization: Bearer <token>".',
			displayOptions: { show: { environment: ['custom'], keysInjectedByGateway: [true] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Your Plaid client_id, from the Keys page of the Plaid Dashboard',
			displayOptions: { hide: { keysInjectedByGateway: [true] } },
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret for the chosen environment, from the Keys page of the Plaid Dashboard',
			displayOptions: { hide: { keysInjectedByGateway: [true] } },
		},
	];

	/**
	 * Keys travel in headers only, never in a body, so nothing the node outputs or logs holds them;
	 * Plaid-Version pins the API version our requests and parsing follow. The base URL is set here
	 * too, from the credential alone, so the keys can only ever go where the credential says (and a
	 * plain-HTTP URL to another machine fails before anything is sent, the credential test included).
	 * Because the credential authenticates, n8n offers it to the HTTP Request node, whose absolute
	 * URL would replace the base URL: a request that is not under the base URL is refused before
	 * anything is sent. Redirects are never followed, in either of n8n's request paths, so no
	 * server can pass the keys on. A request that chooses its own proxy, agent or socket, turns
	 * certificate checking off or sets a Host header is refused too (requestGuard.ts): with any of
	 * those, whoever runs the proxy or answers in Plaid's place reads the keys. A function rather
	 * than a generic block, because a gateway that injects the keys must receive no key headers at
	 * all, and a generic block always sends every header it names.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseURL = resolveBaseUrl(credentials);
		const secrets = secretsOf(credentials);
		for (const target of requestTargets(requestOptions)) {
			const url = resolveRequestUrl(baseURL, target);
			if (!url || !isUnderBaseUrl(baseURL, url)) {
				throw foreignRequestError(baseURL, target, (text) => scrubText(text, secrets));
			}
		}
		const refused = refusedRequestOptions(requestOptions);
		if (refused.length > 0) throw refusedRequestOptionError(baseURL, refused);

		const headers: Record<string, string> = { 'Plaid-Version': '2020-09-14' };
		if (keysInjectedByGateway(credentials)) {
			const token = typeof credentials.gatewayToken === 'string' ? credentials.gatewayToken : '';
			if (token) headers.Authorization = `Bearer ${token}`;
		} else {
			headers['PLAID-CLIENT-ID'] = String(credentials.clientId ?? '');
			headers['PLAID-SECRET'] = String(credentials.secret ?? '');
		}
		const authenticated: IHttpRequestOptions & LegacyRequestFields = {
			...requestOptions,
			baseURL,
			headers: { ...requestOptions.headers, ...headers },
			...NO_REDIRECTS,
		};
		return authenticated;
	}

	// /institutions/get is the cheapest call that needs valid keys. Plaid answers a bad key with
	// HTTP 400, so the status is not enough: the body's error_code says what is wrong. A redirect
	// alone is let fail, so that a rule can name its status.
	test: ICredentialTestRequest = {
		request: {
			url: '/institutions/get',
			method: 'POST',
			body: { count: 1, offset: 0, country_codes: ['US'] },
			json: true,
			ignoreHttpStatusErrors: { ignore: true, except: REDIRECT_STATUSES },
			disableFollowRedirect: true,
		},
		// n8n's type takes rules of one kind per list; its credential tester reads each rule by its
		// own type (status rules when the request failed, body rules when it answered).
		rules: [...REDIRECT_RULES, ...ANSWER_RULES] as unknown as IAuthenticateRuleResponseSuccessBody[],
	};
}
