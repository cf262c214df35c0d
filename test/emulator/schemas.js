// @ts-check
'use strict';

// Request bodies per endpoint, transcribed from Plaid's OpenAPI (2020-09-14_1.697.4): allowed fields,
// JSON types, enums, length/range limits and required fields. Plaid rejects fields it does not know
// (UNKNOWN_FIELDS), so every object here is closed unless marked `open` (the spec's
// `additionalProperties: true` identity objects).

/**
 * @typedef {object} FieldSpec
 * @property {'string' | 'integer' | 'boolean' | 'array' | 'object'} type
 * @property {boolean} [nullable]
 * @property {readonly string[]} [enum]
 * @property {number} [minLength]
 * @property {number} [maxLength]
 * @property {number} [minimum]
 * @property {number} [maximum]
 * @property {number} [minItems]
 * @property {number} [maxItems]
 * @property {'url'} [format] a string that must be an absolute http(s) URL (the spec's `format: url`)
 * @property {FieldSpec} [items] element type of an array
 * @property {Record<string, FieldSpec>} [fields] the closed set of fields of an object
 * @property {string[]} [required] required fields of a closed object
 * @property {boolean} [open] an object whose contents are not checked
 */

/** @typedef {{ fields: Record<string, FieldSpec>, required: string[] }} EndpointSchema */

/** @type {FieldSpec} */
const STRING = { type: 'string' };

// spec CountryCode
const COUNTRY_CODES = Object.freeze([
	'US', 'GB', 'ES', 'NL', 'FR', 'IE', 'CA', 'DE', 'IT', 'PL',
	'DK', 'NO', 'SE', 'EE', 'LT', 'LV', 'PT', 'BE', 'AT', 'FI',
]);

// spec Products
const PRODUCTS = Object.freeze([
	'assets', 'auth', 'balance', 'balance_plus', 'beacon', 'identity', 'identity_match', 'investments',
	'investments_auth', 'liabilities', 'payment_initiation', 'identity_verification', 'transactions',
	'credit_details', 'income', 'income_verification', 'standing_orders', 'transfer', 'employment',
	'recurring_transactions', 'transactions_refresh', 'signal', 'statements', 'processor_payments',
	'processor_identity', 'profile', 'cra_base_report', 'cra_income_insights', 'cra_partner_insights',
	'cra_network_insights', 'cra_cashflow_insights', 'cra_monitoring', 'cra_lend_score',
	'cra_plaid_credit_score', 'layer', 'pay_by_bank', 'protect_linked_bank', 'protect_transactions',
]);

// spec ItemRemoveReasonCode (nullable)
const ITEM_REMOVE_REASON_CODES = Object.freeze([
	'FRAUD_FIRST_PARTY', 'FRAUD_FALSE_IDENTITY', 'FRAUD_ABUSE', 'FRAUD_OTHER',
	'CONNECTION_IS_NON_FUNCTIONAL', 'OTHER',
]);

// spec ProductsTerminateReasonCode, used by UserProductsTerminateReasonCode (not nullable). FRAUD_TRANSACTION
// is newer than the spec transcribed here: it is in API 2020-09-14_1.740.1 (the enum of the plaid 47.0.0 SDK).
const PRODUCTS_TERMINATE_REASON_CODES = Object.freeze([
	'FRAUD_FIRST_PARTY', 'FRAUD_FALSE_IDENTITY', 'FRAUD_ABUSE', 'FRAUD_OTHER', 'FRAUD_TRANSACTION', 'CONSUMER_LOAN_PAID_OFF',
	'CONSUMER_ACCOUNT_CLOSED', 'CONSUMER_CHARGE_OFF', 'CONSUMER_PAYMENT_METHOD_SWITCHED',
	'USER_OFFBOARDING', 'DUPLICATE_ITEM', 'BILLING_TERMINATION', 'OTHER',
]);

// spec WebhookType: what /sandbox/item/fire_webhook takes as webhook_type.
const WEBHOOK_TYPES = Object.freeze(['AUTH', 'HOLDINGS', 'INVESTMENTS_TRANSACTIONS', 'ITEM', 'LIABILITIES', 'TRANSACTIONS', 'ASSETS']);

// spec SandboxItemFireWebhookRequest.webhook_code (AUTHORIZATION_GRANTED is in the enum but not shown in Plaid's docs).
const FIRE_WEBHOOK_CODES = Object.freeze([
	'DEFAULT_UPDATE', 'NEW_ACCOUNTS_AVAILABLE', 'SMS_MICRODEPOSITS_VERIFICATION', 'AUTHORIZATION_GRANTED',
	'USER_PERMISSION_REVOKED', 'USER_ACCOUNT_REVOKED', 'PENDING_DISCONNECT', 'RECURRING_TRANSACTIONS_UPDATE',
	'LOGIN_REPAIRED', 'SYNC_UPDATES_AVAILABLE', 'PRODUCT_READY', 'ERROR',
]);

// Every request schema accepts the keys in the body too (spec APIClientID / APISecret).
const API_KEY_FIELDS = { client_id: STRING, secret: STRING };

/** @param {Record<string, FieldSpec>} fields @param {string[]} [required] @returns {EndpointSchema} */
const endpoint = (fields, required = []) => ({ fields: { ...API_KEY_FIELDS, ...fields }, required });

/** @type {FieldSpec} */
const REASON_NOTE = { type: 'string', nullable: true, maxLength: 512 };

/** @type {FieldSpec} spec SandboxPublicTokenCreateRequestOptions; the product option objects are not checked. */
const SANDBOX_ITEM_OPTIONS = {
	type: 'object',
	fields: {
		webhook: { type: 'string', format: 'url' },
		override_username: { type: 'string', nullable: true },
		override_password: { type: 'string', nullable: true },
		transactions: { type: 'object', nullable: true, open: true },
		statements: { type: 'object', nullable: true, open: true },
		income_verification: { type: 'object', open: true },
	},
};

/** @type {Readonly<Record<string, EndpointSchema>>} */
const ENDPOINT_SCHEMAS = Object.freeze({
	// user_id / user_token: at least one is needed, checked by the handler (the spec marks neither required).
	'/user/items/remove': endpoint(
		{
			user_token: STRING,
			user_id: STRING,
			// The spec gives no minItems; an empty list removes nothing, so the emulator calls it invalid.
			item_ids: { type: 'array', items: STRING, minItems: 1 },
		},
		['item_ids'],
	),
	'/user/items/get': endpoint({ user_token: STRING, user_id: STRING }),
	'/user/remove': endpoint({ user_id: STRING, user_token: STRING }),
	'/user/create': endpoint(
		{
			client_user_id: { type: 'string', minLength: 1, maxLength: 128 },
			identity: { type: 'object', nullable: true, open: true },
			end_customer: { type: 'string', minLength: 0, maxLength: 128 },
			consumer_report_user_identity: { type: 'object', nullable: true, open: true },
			with_upgraded_user: { type: 'boolean' },
		},
		['client_user_id'],
	),
	'/user/products/terminate': endpoint(
		{
			user_id: STRING,
			reason_code: { type: 'string', enum: PRODUCTS_TERMINATE_REASON_CODES },
			reason_note: REASON_NOTE,
		},
		['user_id', 'reason_code'],
	),
	'/item/remove': endpoint(
		{
			access_token: STRING,
			reason_code: { type: 'string', nullable: true, enum: ITEM_REMOVE_REASON_CODES },
			reason_note: REASON_NOTE,
		},
		['access_token'],
	),
	'/item/get': endpoint({ access_token: STRING }, ['access_token']),
	'/institutions/get': endpoint(
		{
			count: { type: 'integer', minimum: 1, maximum: 500 },
			offset: { type: 'integer', minimum: 0 },
			country_codes: { type: 'array', minItems: 1, items: { type: 'string', enum: COUNTRY_CODES } },
			options: {
				type: 'object',
				fields: {
					products: { type: 'array', nullable: true, minItems: 1, items: { type: 'string', enum: PRODUCTS } },
					routing_numbers: { type: 'array', nullable: true, items: STRING },
					oauth: { type: 'boolean', nullable: true },
					include_optional_metadata: { type: 'boolean' },
					include_auth_metadata: { type: 'boolean' },
					include_payment_initiation_metadata: { type: 'boolean' },
				},
			},
		},
		['count', 'offset', 'country_codes'],
	),
	'/webhook_verification_key/get': endpoint({ key_id: STRING }, ['key_id']),
	'/item/products/terminate': endpoint(
		{
			access_token: STRING,
			reason_code: { type: 'string', enum: PRODUCTS_TERMINATE_REASON_CODES },
			reason_note: REASON_NOTE,
		},
		['access_token', 'reason_code'],
	),
	'/item/webhook/update': endpoint({ access_token: STRING, webhook: { type: 'string', nullable: true, format: 'url' } }, ['access_token']),
	// Spec description: "This operation supports a max of 100 Items." No minItems; an empty list is refused like remove's.
	'/user/items/associate': endpoint({ user_id: STRING, item_ids: { type: 'array', items: STRING, minItems: 1, maxItems: 100 } }, [
		'user_id',
		'item_ids',
	]),
	'/user/get': endpoint({ user_id: STRING }, ['user_id']),
	'/sandbox/public_token/create': endpoint(
		{
			institution_id: STRING,
			initial_products: { type: 'array', minItems: 1, items: { type: 'string', enum: PRODUCTS } },
			options: SANDBOX_ITEM_OPTIONS,
			user_token: STRING,
			user_id: STRING,
		},
		['institution_id', 'initial_products'],
	),
	'/item/public_token/exchange': endpoint({ public_token: STRING }, ['public_token']),
	// The Asset Report endpoints, from API 2020-09-14_1.740.1 (the plaid 47.0.0 SDK's api.ts, the newest
	// spec found); their request fields are the same in 1.697.4. user_token of /asset_report/get is
	// hidden from Plaid's docs but in the schema; one of it and asset_report_token is checked by the handler.
	'/asset_report/get': endpoint({
		asset_report_token: STRING,
		user_token: STRING,
		include_insights: { type: 'boolean' },
		fast_report: { type: 'boolean' },
		options: { type: 'object', fields: { days_to_include: { type: 'integer', nullable: true, minimum: 0, maximum: 731 } } },
	}),
	'/asset_report/remove': endpoint({ asset_report_token: STRING }, ['asset_report_token']),
	'/asset_report/audit_copy/create': endpoint({ asset_report_token: STRING, auditor_id: STRING }, ['asset_report_token']),
	'/asset_report/audit_copy/get': endpoint({ audit_copy_token: STRING }, ['audit_copy_token']),
	'/asset_report/audit_copy/remove': endpoint({ audit_copy_token: STRING }, ['audit_copy_token']),
	'/sandbox/item/fire_webhook': endpoint(
		{
			access_token: STRING,
			webhook_type: { type: 'string', enum: WEBHOOK_TYPES },
			webhook_code: { type: 'string', enum: FIRE_WEBHOOK_CODES },
		},
		['access_token', 'webhook_code'],
	),
});

module.exports = {
	ENDPOINT_SCHEMAS,
	COUNTRY_CODES,
	PRODUCTS,
	ITEM_REMOVE_REASON_CODES,
	PRODUCTS_TERMINATE_REASON_CODES,
	WEBHOOK_TYPES,
	FIRE_WEBHOOK_CODES,
};
