import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Plaid keys travel in headers (never in a request body), so that nothing the node logs or
 * outputs can contain them. Plaid-Version pins the API version our requests and parsing follow.
 */
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
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Your Plaid client_id, from the Keys page of the Plaid Dashboard',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret for the chosen environment, from the Keys page of the Plaid Dashboard',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'PLAID-CLIENT-ID': '={{$credentials.clientId}}',
				'PLAID-SECRET': '={{$credentials.secret}}',
				'Plaid-Version': '2020-09-14',
			},
		},
	};

	// /institutions/get is the cheapest call that needs valid keys. Plaid answers a bad key with
	// HTTP 400, so the status is not enough: the body's error_code says what is wrong.
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.environment === "custom" ? String($credentials.baseUrl).replace(/\\/+$/, "") : "https://" + $credentials.environment + ".plaid.com" }}',
			url: '/institutions/get',
			method: 'POST',
			body: { count: 1, offset: 0, country_codes: ['US'] },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
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
						'The Environment did not answer like the Plaid API. Check the Environment, or that the Base URL points at Plaid or a gateway in front of it.',
				},
			},
		],
	};
}
