import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { InvalidInputError } from './InvalidInputError';

export const PLAID_ENVIRONMENT_URLS = {
	sandbox: 'https://sandbox.plaid.com',
	production: 'https://production.plaid.com',
} as const;

/** localhost, 127.0.0.0/8 and [::1]: the only hosts that may be reached over plain HTTP. */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host === '::1') return true;
	return /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
}

/** Whether a gateway adds the Plaid keys: only meaningful for a custom URL. */
export function keysInjectedByGateway(credentials: ICredentialDataDecryptedObject): boolean {
	return credentials.environment === 'custom' && credentials.keysInjectedByGateway === true;
}

/**
 * The base URL every Plaid call of this credential goes to. A custom URL must be HTTPS, since
 * the Plaid keys travel in its headers; plain HTTP is allowed only to this machine (emulator,
 * local gateway). A path prefix is kept so that gateways mounted under a path work.
 */
export function resolveBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'sandbox');
	if (environment === 'sandbox' || environment === 'production') {
		return PLAID_ENVIRONMENT_URLS[environment];
	}
	if (environment !== 'custom') {
		throw new InvalidInputError(`Environment: unknown value "${environment}"`);
	}

	const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl.trim() : '';
	if (!raw) throw new InvalidInputError('Base URL: required when the Environment is "Custom URL"');

	const url = URL.canParse(raw) ? new URL(raw) : undefined;
	if (!url) throw new InvalidInputError('Base URL: not a valid URL');
	if (url.username || url.password) {
		throw new InvalidInputError('Base URL: must not contain a user name or password');
	}
	if (url.search || url.hash) {
		throw new InvalidInputError('Base URL: must not contain a query string or fragment');
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new InvalidInputError(
			`Base URL: plain HTTP is only allowed to a loopback host (localhost, 127.0.0.1, [::1]); use https:// for ${url.hostname}`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidInputError('Base URL: must start with https://');
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
