// @ts-check
/**
 * The webhooks the installed plaid SDK (the official client, generated from Plaid's OpenAPI spec)
 * describes: every exported interface whose `webhook_type` and `webhook_code` fields are documented
 * with one literal value each, e.g. `CraCheckReportReadyWebhook` → CHECK_REPORT / CHECK_REPORT_READY.
 * Read from `plaid/dist/api.d.ts`, so the trigger's event list can be checked against it.
 */
const fs = require('node:fs');

const API_TYPES = require.resolve('plaid/dist/api.d.ts');
const INTERFACE = /export interface (\w+) \{([\s\S]*?)\n\}/g;

/**
 * The literal in a field's doc comment: "`ITEM`" (some schemas quote it again: "`\"INCOME\"`").
 * @param {string} body @param {string} field
 */
function documentedLiteral(body, field) {
	const match = new RegExp(`/\\*\\*\\n\\s*\\* ([^\\n]*)\\n(?:\\s*\\*[^\\n]*\\n)*?\\s*\\*/\\n\\s*${field}\\??: string;`).exec(body);
	const literal = match && /^`\\?"?([A-Z_]+)\\?"?`$/.exec(match[1].trim());
	return literal ? literal[1] : undefined;
}

/** @returns {Array<{ schema: string, type: string, code: string }>} */
function sdkWebhooks() {
	const text = fs.readFileSync(API_TYPES, 'utf8');
	const found = [];
	for (const [, schema, body] of text.matchAll(INTERFACE)) {
		const type = documentedLiteral(body, 'webhook_type');
		const code = documentedLiteral(body, 'webhook_code');
		if (type && code) found.push({ schema, type, code });
	}
	return found;
}

/** The SDK's version, to name in test titles. */
const sdkVersion = () => require('plaid/package.json').version;

module.exports = { sdkWebhooks, sdkVersion };
