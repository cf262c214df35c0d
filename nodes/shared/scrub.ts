import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { isUserToken } from './tokens';

/** Shorter values would be replaced inside ordinary words; Plaid's secrets are 30 characters. */
const MIN_SCRUBBED_LENGTH = 8;

export const REDACTED = '[redacted]';

/** The credential's values that must never be passed on: the secret and the gateway token. */
export function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	return [credentials.secret, credentials.gatewayToken].filter(
		(value): value is string => typeof value === 'string' && value.length >= MIN_SCRUBBED_LENGTH,
	);
}

/** The request fields that carry a token of the call's own: each unlocks an Item, a user or a report. */
const TOKEN_FIELDS = ['access_token', 'user_token', 'public_token', 'asset_report_token', 'audit_copy_token'];

/**
 * The tokens a request body carries, which must never be passed on either: a server that
 * echoes the request into its error (a gateway, a debugging proxy) would otherwise put them in
 * the node's error, its logs and its Continue On Fail output.
 */
export function tokensOf(body: IDataObject): string[] {
	const tokens = TOKEN_FIELDS.map((field) => body[field]);
	if (isUserToken(body.user_id)) tokens.push(body.user_id);
	return tokens.filter((value): value is string => typeof value === 'string' && value.length >= MIN_SCRUBBED_LENGTH);
}

export function scrubText(text: string, secrets: readonly string[]): string {
	let scrubbed = text;
	for (const secret of secrets) {
		if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(REDACTED);
	}
	return scrubbed;
}

/**
 * A copy of `value` with the secrets replaced in every string, keys included. Whatever a server
 * answers (a gateway or proxy echoing the request headers into an error, say) is passed on only
 * through this.
 */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
	if (secrets.length === 0) return value;
	const scrub = (current: unknown): unknown => {
		if (typeof current === 'string') return scrubText(current, secrets);
		if (Array.isArray(current)) return current.map(scrub);
		if (current !== null && typeof current === 'object' && !Buffer.isBuffer(current)) {
			return Object.fromEntries(Object.entries(current).map(([key, entry]) => [scrubText(key, secrets), scrub(entry)]));
		}
		return current;
	};
	return scrub(value) as T;
}
