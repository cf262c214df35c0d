// @ts-check
'use strict';

// Plaid's error object (spec `PlaidError`) and the HTTP status Plaid documents for each code
// (/work/shared/plaid/errors.md). `status` is NOT put in the body: Plaid includes it only in errors
// delivered by webhooks.

const { newRequestId } = require('./ids');

/**
 * @typedef {object} PlaidErrorBody
 * @property {string} error_type
 * @property {string} error_code
 * @property {string} error_message
 * @property {string | null} display_message
 * @property {string} [request_id]
 * @property {string} [documentation_url]
 * @property {string | null} [suggested_action]
 */

/** @typedef {{ type: string, status: number, message: string, page: string }} CatalogEntry */

/** @type {(type: string, status: number, page: string, message: string) => CatalogEntry} */
const entry = (type, status, page, message) => ({ type, status, page, message });

/** @type {Record<string, CatalogEntry>} */
const ERROR_CATALOG = {
	MISSING_FIELDS: entry('INVALID_REQUEST', 400, 'invalid-request', 'the following required fields are missing'),
	UNKNOWN_FIELDS: entry('INVALID_REQUEST', 400, 'invalid-request', 'the following fields are not recognized by this endpoint'),
	INVALID_FIELD: entry('INVALID_REQUEST', 400, 'invalid-request', 'a field has an invalid value'),
	INVALID_BODY: entry('INVALID_REQUEST', 400, 'invalid-request', 'body could not be parsed as JSON'),
	INVALID_HEADERS: entry('INVALID_REQUEST', 400, 'invalid-request', 'a required header is missing'),
	// errors.md: the 2024 page says 400, an older copy 404. We follow the newer page.
	NOT_FOUND: entry('INVALID_REQUEST', 400, 'invalid-request', 'not found'),
	SANDBOX_ONLY: entry('INVALID_REQUEST', 400, 'invalid-request', 'this endpoint is only available in the Sandbox environment'),
	INVALID_API_KEYS: entry('INVALID_INPUT', 400, 'invalid-input', 'invalid client_id or secret provided'),
	UNAUTHORIZED_ROUTE_ACCESS: entry('INVALID_INPUT', 400, 'invalid-input', 'client is not authorized to access this route'),
	INVALID_ACCESS_TOKEN: entry('INVALID_INPUT', 400, 'invalid-input', 'could not find matching access token'),
	INVALID_USER_TOKEN: entry('INVALID_INPUT', 400, 'invalid-input', 'could not find matching user token'),
	// errors.md: listed by Plaid, its page not retrieved; 400 like the other INVALID_INPUT codes.
	INVALID_USER_ID: entry('INVALID_INPUT', 400, 'invalid-input', 'the user_id is not valid for this request'),
	INVALID_PUBLIC_TOKEN: entry('INVALID_INPUT', 400, 'invalid-input', 'could not find matching public token'),
	INVALID_WEBHOOK_VERIFICATION_KEY_ID: entry('INVALID_INPUT', 400, 'invalid-input', 'invalid key_id provided'),
	INVALID_INSTITUTION: entry('INVALID_INPUT', 400, 'invalid-input', 'invalid institution_id provided'),
	USER_PERMISSION_REVOKED: entry('INVALID_INPUT', 400, 'invalid-input', 'the user has revoked access to this Item'),
	ITEM_NOT_FOUND: entry('ITEM_ERROR', 400, 'item', 'the Item you requested cannot be found'),
	ITEM_LOGIN_REQUIRED: entry('ITEM_ERROR', 400, 'item', 'the login details of this Item have changed'),
	ITEM_CONCURRENTLY_DELETED: entry('ITEM_ERROR', 400, 'item', 'this Item was deleted while the operation was in progress'),
	USER_NOT_FOUND: entry('USER_ERROR', 400, 'user', 'the user you requested cannot be found: it does not exist or was removed'),
	SANDBOX_WEBHOOK_INVALID: entry('SANDBOX_ERROR', 400, 'sandbox', 'the Item has no webhook URL to fire the webhook to'),
	SANDBOX_PRODUCT_NOT_ENABLED: entry('SANDBOX_ERROR', 400, 'sandbox', 'the Item does not have the product this webhook is for'),
	RATE_LIMIT: entry('RATE_LIMIT_EXCEEDED', 429, 'rate-limit-exceeded', 'too many requests: rate limit exceeded for this client'),
	ITEM_GET_LIMIT: entry('RATE_LIMIT_EXCEEDED', 429, 'rate-limit-exceeded', 'rate limit exceeded for /item/get'),
	INSTITUTIONS_GET_LIMIT: entry('RATE_LIMIT_EXCEEDED', 429, 'rate-limit-exceeded', 'rate limit exceeded for /institutions/get'),
	// Plaid's invalid-input page: an audit_copy_token that is invalid or was revoked by /asset_report/audit_copy/remove or /asset_report/remove.
	INVALID_AUDIT_COPY_TOKEN: entry('INVALID_INPUT', 400, 'invalid-input', 'the audit copy token supplied to the server was invalid'),
	// Plaid's assets page: a copy endpoint named an Asset Report that does not exist (never created, or deleted).
	INVALID_PARENT: entry('ASSET_REPORT_ERROR', 400, 'assets', 'the Asset Report this request names does not exist'),
	INTERNAL_SERVER_ERROR: entry('API_ERROR', 500, 'api', 'an unexpected error occurred'),
	PLANNED_MAINTENANCE: entry('API_ERROR', 503, 'api', 'the Plaid API is temporarily unavailable due to planned maintenance'),
	// Not Plaid codes: answers of shapes (shapes.js) where Plaid documents no code, shaped like its neighbours.
	USER_ALREADY_EXISTS: entry('USER_ERROR', 400, 'user', 'a user has already been created for the given client_user_id'),
	INVALID_REQUEST: entry('INVALID_REQUEST', 400, 'invalid-request', 'the request could not be processed'),
	INVALID_ASSET_REPORT_TOKEN: entry('INVALID_INPUT', 400, 'invalid-input', 'could not find matching asset report token'),
	ASSET_REPORT_NOT_FOUND: entry('ASSET_REPORT_ERROR', 400, 'assets', 'the Asset Report you requested cannot be found'),
};

/**
 * Builds a Plaid error body with a fresh request_id. Unknown codes need `overrides.error_type`, so a
 * typo in a test fails loudly instead of producing a half-shaped error.
 * @param {string} code
 * @param {string} [message]
 * @param {Partial<PlaidErrorBody> & Record<string, unknown>} [overrides]
 * @returns {PlaidErrorBody}
 */
function plaidError(code, message, overrides = {}) {
	const known = ERROR_CATALOG[code];
	if (!known && !overrides.error_type) {
		throw new TypeError(`plaidError: unknown error code ${code}; pass overrides.error_type`);
	}
	const page = known ? known.page : 'overview';
	return {
		error_type: known ? known.type : String(overrides.error_type),
		error_code: code,
		error_message: message ?? (known ? known.message : code.toLowerCase()),
		display_message: null,
		request_id: newRequestId(),
		documentation_url: `https://plaid.com/docs/errors/${page}/#${code.toLowerCase()}`,
		suggested_action: null,
		...overrides,
	};
}

/**
 * The HTTP status Plaid documents for an error code, or undefined when the code is not catalogued.
 * @param {string | undefined} code
 */
function httpStatusOf(code) {
	return code === undefined ? undefined : ERROR_CATALOG[code]?.status;
}

/** Thrown by validation and endpoint handlers; the server turns it into an error response. */
class PlaidFailure extends Error {
	/**
	 * @param {string} code
	 * @param {string} [message]
	 * @param {number} [status] overrides the catalogued status
	 */
	constructor(code, message, status) {
		super(message ?? code);
		this.code = code;
		this.plaidMessage = message;
		this.status = status ?? httpStatusOf(code) ?? 400;
	}

	/** A fresh body each time, so every response carries its own request_id. */
	toBody() {
		return plaidError(this.code, this.plaidMessage);
	}
}

/**
 * Plaid's style: "the following required fields are missing: a, b".
 * @param {string} code one of MISSING_FIELDS, UNKNOWN_FIELDS
 * @param {string[]} fields
 */
function fieldListFailure(code, fields) {
	return new PlaidFailure(code, `${ERROR_CATALOG[code].message}: ${fields.join(', ')}`);
}

module.exports = { plaidError, httpStatusOf, PlaidFailure, fieldListFailure, ERROR_CATALOG };
