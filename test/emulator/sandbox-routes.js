// @ts-check
'use strict';

// Plaid's Sandbox test endpoints: make a test Item (/sandbox/public_token/create, then the public token
// exchange every Link integration does) and fire a test webhook at an Item's webhook URL
// (/sandbox/item/fire_webhook). The /sandbox/ paths answer SANDBOX_ONLY when the emulator plays Production.

const crypto = require('node:crypto');
const { PlaidFailure } = require('./errors');
const { institutionName } = require('./institutions');
const { randomAlphanumeric } = require('./ids');
const { userById } = require('./users');

/** @typedef {import('./routes').RouteHandler} RouteHandler */
/** @typedef {import('./routes').RouteContext} RouteContext */
/** @typedef {import('./state').OwnedItem} OwnedItem */

/** Spec /item/public_token/exchange: "The public_token is ephemeral and expires after 30 minutes." */
const PUBLIC_TOKEN_LIFETIME_MS = 30 * 60 * 1000;

/** @param {RouteContext} context */
function assertSandbox({ environment }) {
	if (environment !== 'sandbox') throw new PlaidFailure('SANDBOX_ONLY', 'this endpoint is only available in the Sandbox environment');
}

/** The user a Sandbox Item is created for, if the request names one. @param {RouteContext} context @param {any} body */
function sandboxUser({ state }, body) {
	if (body.user_id !== undefined) return userById(state, body.user_id);
	if (body.user_token !== undefined) {
		const user = state.userByToken(body.user_token);
		if (!user) throw new PlaidFailure('INVALID_USER_TOKEN');
		return user;
	}
	return null;
}

/**
 * Spec /sandbox/public_token/create: a public_token that "maps to a new Sandbox Item" for the institution
 * and products. The Item appears when the token is exchanged; an unused token just expires.
 * @type {RouteHandler}
 */
function createSandboxPublicToken(body, context) {
	assertSandbox(context);
	const name = institutionName(body.institution_id);
	if (name === null) throw new PlaidFailure('INVALID_INSTITUTION');
	const user = sandboxUser(context, body);
	const products = /** @type {string[]} */ ([...new Set(body.initial_products)]);
	const publicToken = `public-${context.environment}-${crypto.randomUUID()}`;
	context.state.publicTokens.set(publicToken, {
		item: {
			institution_id: body.institution_id,
			institution_name: name,
			products,
			billed_products: products,
			consented_products: products,
			webhook: body.options?.webhook ?? null,
		},
		user,
		expiresAt: Date.now() + PUBLIC_TOKEN_LIFETIME_MS,
	});
	return { public_token: publicToken };
}

/**
 * Spec /item/public_token/exchange. A public token is taken once: a second exchange of the same one
 * answers INVALID_PUBLIC_TOKEN, as an expired one does.
 * @type {RouteHandler}
 */
function exchangePublicToken(body, { state }) {
	const pending = state.publicTokens.get(body.public_token);
	state.publicTokens.delete(body.public_token);
	if (!pending || pending.expiresAt < Date.now()) throw new PlaidFailure('INVALID_PUBLIC_TOKEN');
	const item = state.addItem(pending.item, pending.user);
	return { access_token: item.access_token, item_id: item.item_id };
}

/**
 * Each code's webhook_type, and the product the Item needs for it (spec /sandbox/item/fire_webhook: "If
 * the Item does not support the product, a SANDBOX_PRODUCT_NOT_ENABLED error will result").
 * DEFAULT_UPDATE takes its type from the request.
 * @type {Readonly<Record<string, { type: string, product?: string }>>}
 */
const FIXED_WEBHOOKS = Object.freeze({
	NEW_ACCOUNTS_AVAILABLE: { type: 'ITEM' },
	USER_PERMISSION_REVOKED: { type: 'ITEM' },
	USER_ACCOUNT_REVOKED: { type: 'ITEM' },
	PENDING_DISCONNECT: { type: 'ITEM' },
	LOGIN_REPAIRED: { type: 'ITEM' },
	SMS_MICRODEPOSITS_VERIFICATION: { type: 'AUTH', product: 'auth' },
	RECURRING_TRANSACTIONS_UPDATE: { type: 'TRANSACTIONS', product: 'transactions' },
	SYNC_UPDATES_AVAILABLE: { type: 'TRANSACTIONS', product: 'transactions' },
	PRODUCT_READY: { type: 'ASSETS', product: 'assets' },
	ERROR: { type: 'ASSETS', product: 'assets' },
});

/** The product a DEFAULT_UPDATE of each type is about. @type {Readonly<Record<string, string>>} */
const DEFAULT_UPDATE_PRODUCTS = Object.freeze({
	AUTH: 'auth',
	HOLDINGS: 'investments',
	INVESTMENTS_TRANSACTIONS: 'investments',
	LIABILITIES: 'liabilities',
	TRANSACTIONS: 'transactions',
});

/**
 * The webhook_type to fire, or a failure. Plaid does not say what a type that contradicts the code
 * does; here it is refused, so a client that sends one must send the code's own type.
 * @param {string} code @param {string | undefined} requestedType
 */
function webhookTypeFor(code, requestedType) {
	if (code === 'DEFAULT_UPDATE') {
		// Without a type Plaid's older clients fired Transactions updates.
		const type = requestedType ?? 'TRANSACTIONS';
		if (!(type in DEFAULT_UPDATE_PRODUCTS)) throw new PlaidFailure('INVALID_FIELD', `webhook_type ${type} has no DEFAULT_UPDATE webhook`);
		return { type, product: DEFAULT_UPDATE_PRODUCTS[type] };
	}
	const fixed = FIXED_WEBHOOKS[code];
	if (!fixed) throw new PlaidFailure('INVALID_FIELD', `webhook_code ${code} cannot be fired in this Sandbox`);
	if (requestedType !== undefined && requestedType !== fixed.type) {
		throw new PlaidFailure('INVALID_FIELD', `webhook_code ${code} is a ${fixed.type} webhook, not ${requestedType}`);
	}
	return fixed;
}

/**
 * The body Plaid sends for a fired webhook: the ITEM ones as their spec schemas (UserPermissionRevokedWebhook,
 * UserAccountRevokedWebhook, PendingDisconnectWebhook, …); other types with the fields every webhook has.
 * @param {OwnedItem} owned @param {string} type @param {string} code @param {string} environment
 */
function firedWebhookBody({ item, user }, type, code, environment) {
	/** @type {Record<string, unknown>} */
	const body = { webhook_type: type, webhook_code: code, item_id: item.item_id };
	if (user && type === 'ITEM') body.user_id = user.user_id;
	if (code === 'USER_PERMISSION_REVOKED') {
		// Errors in webhooks carry `status` and no request_id (spec PlaidError).
		body.error = {
			error_type: 'ITEM_ERROR',
			error_code: 'USER_PERMISSION_REVOKED',
			error_message: 'the holder of this account has revoked their permission for your application to access it',
			display_message: null,
			status: 400,
		};
	}
	if (code === 'USER_ACCOUNT_REVOKED') body.account_id = randomAlphanumeric(37);
	if (code === 'PENDING_DISCONNECT') {
		body.reason = 'INSTITUTION_MIGRATION';
		body.disconnect_time = new Date(Date.now() + 7 * 24 * 60 * 60 * 1000).toISOString();
	}
	if (code === 'NEW_ACCOUNTS_AVAILABLE') body.error = null;
	body.environment = environment;
	return body;
}

/** @type {RouteHandler} */
function fireSandboxWebhook(body, context) {
	assertSandbox(context);
	const owned = context.state.itemsByAccessToken.get(body.access_token);
	if (!owned) throw new PlaidFailure('INVALID_ACCESS_TOKEN');
	const { type, product } = webhookTypeFor(body.webhook_code, body.webhook_type);
	if (owned.item.webhook === null) throw new PlaidFailure('SANDBOX_WEBHOOK_INVALID');
	if (product !== undefined && !owned.item.products.includes(product)) {
		throw new PlaidFailure('SANDBOX_PRODUCT_NOT_ENABLED', `the Item does not have the ${product} product, which ${type} ${body.webhook_code} webhooks are about`);
	}
	context.webhooks.push({ url: owned.item.webhook, payload: firedWebhookBody(owned, type, body.webhook_code, context.environment) });
	return { webhook_fired: true };
}

/** @type {Readonly<Record<string, RouteHandler>>} */
const SANDBOX_ROUTES = Object.freeze({
	'/sandbox/public_token/create': createSandboxPublicToken,
	'/item/public_token/exchange': exchangePublicToken,
	'/sandbox/item/fire_webhook': fireSandboxWebhook,
});

module.exports = { SANDBOX_ROUTES, FIXED_WEBHOOKS, DEFAULT_UPDATE_PRODUCTS };
