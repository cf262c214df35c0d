import { parseOptionalString } from './fields';
import { InvalidInputError } from '../../shared/InvalidInputError';

/**
 * The webhook URL to give an Item: null (no webhook) when nothing is given, else an absolute
 * http(s) URL, sent as written. Plaid echoes the URL in every answer about the Item, so a user
 * name or password in it would travel into outputs and logs: refused.
 */
export function parseWebhookUrl(value: unknown, parameterName = 'Webhook URL'): string | null {
	const text = parseOptionalString(value, parameterName);
	if (text === undefined) return null;
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
		throw new InvalidInputError(
			`${parameterName}: not an http(s) URL; give one such as https://n8n.example.com/webhook/plaid, or leave it empty to remove the Item's webhook`,
		);
	}
	if (url.username || url.password) {
		throw new InvalidInputError(`${parameterName}: must not contain a user name or password (Plaid shows the URL in its answers)`);
	}
	return text;
}
