// @ts-check
'use strict';

// The endpoints' behaviour once a request has passed auth and schema checks. Each handler returns the
// success body without request_id (the server adds a fresh one) or throws a PlaidFailure.

const { PlaidFailure, fieldListFailure } = require('./errors');
const { queryInstitutions } = require('./institutions');
const { newUserId, newUserToken } = require('./ids');
const { isoNow } = require('./state');
const { SANDBOX_ROUTES } = require('./sandbox-routes');

/** @typedef {import('./state').EmulatorState} EmulatorState */
/** @typedef {import('./state').EmulatorUser} EmulatorUser */
/** @typedef {import('./state').StoredItem} StoredItem */
/** @typedef {import('./webhooks').WebhookSigner} WebhookSigner */
/** @typedef {import('node:http').IncomingHttpHeaders} IncomingHttpHeaders */
/** @typedef {{ url: string, payload: Record<string, unknown> }} OutgoingWebhook */
/**
 * @typedef {object} RouteContext
 * @property {EmulatorState} state
 * @property {WebhookSigner} signer
 * @property {IncomingHttpHeaders} headers
 * @property {'sandbox' | 'production'} environment which Plaid environment the emulator plays
 * @property {OutgoingWebhook[]} webhooks what to deliver, signed, once the answer is sent (as Plaid does)
 */
/** @typedef {(body: any, context: RouteContext) => Record<string, unknown>} RouteHandler */

/**
 * The user a request names. user_id wins; a user_token given with it must belong to that user.
 * @param {EmulatorState} state
 * @param {{ user_id?: string, user_token?: string }} body
 * @returns {EmulatorUser}
 */
function resolveUser(state, body) {
	if (body.user_id === undefined && body.user_token === undefined) {
		throw fieldListFailure('MISSING_FIELDS', ['user_id or user_token']);
	}
	if (body.user_id !== undefined) {
		const user = state.users.get(body.user_id);
		if (!user) throw new PlaidFailure('USER_NOT_FOUND');
		if (body.user_token !== undefined && user.user_token !== body.user_token) throw new PlaidFailure('INVALID_USER_TOKEN');
		return user;
	}
	const user = state.userByToken(/** @type {string} */ (body.user_token));
	if (!user) throw new PlaidFailure('INVALID_USER_TOKEN');
	return user;
}

/** @param {EmulatorState} state @param {string} accessToken */
function resolveItem(state, accessToken) {
	const owned = state.itemsByAccessToken.get(accessToken);
	if (!owned) throw new PlaidFailure('INVALID_ACCESS_TOKEN');
	return owned;
}

/** Spec `Item`: what /user/items/get lists. @param {StoredItem} item */
function publicItem(item) {
	const { access_token: _token, created_at: _created, consented_use_cases: _uses, consented_data_scopes: _scopes, ...fields } = item;
	return fields;
}

/** Spec `ItemWithConsentFields`: what /item/get returns. @param {StoredItem} item */
function itemWithConsentFields(item) {
	const { access_token: _token, ...fields } = item;
	return fields;
}

/** Spec `ItemStatusNullable`: only Transactions Items have a transactions status. @param {StoredItem} item */
function itemStatus(item) {
	const transactions = item.products.includes('transactions')
		? { last_successful_update: item.created_at, last_failed_update: null }
		: null;
	return { investments: null, transactions, last_webhook: null };
}

/** @type {RouteHandler} */
function removeUserItems(body, { state }) {
	const user = resolveUser(state, body);
	const itemIds = new Set(/** @type {string[]} */ (body.item_ids));
	// Spec `UserItemsRemoveRequest.item_ids`: all must belong to the user, "Otherwise, the entire
	// operation will error and no Items will be deleted." The error code is undocumented; ITEM_NOT_FOUND fits.
	const strangers = [...itemIds].filter((itemId) => !user.items.has(itemId));
	if (strangers.length > 0) {
		throw new PlaidFailure('ITEM_NOT_FOUND', `the following Items are not associated with this user: ${strangers.join(', ')}`);
	}
	state.removeItems(user, itemIds);
	return {};
}

/** @type {RouteHandler} */
function getUserItems(body, { state }) {
	const user = resolveUser(state, body);
	return { items: [...user.items.values()].map(publicItem) };
}

/** @type {RouteHandler} */
function removeUser(body, { state }) {
	state.removeUser(resolveUser(state, body));
	return {};
}

/**
 * Spec `UserCreateRequest.client_user_id`: "A unique ID representing the end user." One Plaid user per
 * client_user_id, so a second create for a live one fails (Plaid's earlier /user/create docs: "the rest
 * will fail with an error message indicating that the user has been created for the given client_user_id").
 * @type {RouteHandler}
 */
function createUser(body, { state, headers }) {
	if (state.userByClientUserId(body.client_user_id)) {
		throw new PlaidFailure('INVALID_FIELD', 'a user has already been created for the given client_user_id');
	}
	// Spec /user/create: integrations from before 2025-12-10 send consumer_report_user_identity and get a
	// user_token as well; newer ones (or with_upgraded_user / Plaid-New-User-API-Enabled) get a user_id only.
	const upgraded = body.with_upgraded_user === true || headers['plaid-new-user-api-enabled'] === 'true';
	const legacy = body.consumer_report_user_identity != null && !upgraded;
	const user = state.addUser({
		user_id: newUserId(),
		client_user_id: body.client_user_id,
		identity: body.identity ?? body.consumer_report_user_identity ?? null,
		...(legacy ? { user_token: newUserToken() } : {}),
	});
	return legacy ? { user_token: user.user_token, user_id: user.user_id } : { user_id: user.user_id };
}

/** @type {RouteHandler} */
function terminateUserProducts(body, { state }) {
	const user = state.users.get(body.user_id);
	if (!user) throw new PlaidFailure('USER_NOT_FOUND');
	user.products_terminated = { reason_code: body.reason_code, reason_note: body.reason_note ?? null, terminated_at: isoNow() };
	return {};
}

/** @type {RouteHandler} */
function removeItem(body, { state }) {
	const { item } = resolveItem(state, body.access_token);
	state.forgetItem(item.item_id);
	return {};
}

/**
 * Spec /item/products/terminate: "Once terminated, the access_token associated with the Item is no longer
 * valid, billing for the Item's products is ended, and relevant webhooks are fired." Which webhooks is
 * not said, so none is sent here; whether the Item stays listed is the state's behaviour.
 * @type {RouteHandler}
 */
function terminateItem(body, { state }) {
	state.terminateItem(resolveItem(state, body.access_token), body);
	return {};
}

/**
 * Spec /item/webhook/update: sets (or, with null, removes) the Item's webhook and "triggers a
 * WEBHOOK_UPDATE_ACKNOWLEDGED webhook to the newly specified webhook URL".
 * @type {RouteHandler}
 */
function updateItemWebhook(body, { state, environment, webhooks }) {
	const { item } = resolveItem(state, body.access_token);
	item.webhook = body.webhook ?? null;
	if (item.webhook !== null) {
		webhooks.push({
			url: item.webhook,
			payload: {
				webhook_type: 'ITEM',
				webhook_code: 'WEBHOOK_UPDATE_ACKNOWLEDGED',
				item_id: item.item_id,
				error: null,
				new_webhook_url: item.webhook,
				environment,
			},
		});
	}
	return { item: publicItem(item) };
}

/**
 * Spec /user/items/associate: the Items move to the user, from whichever user had them. An unknown
 * item_id is not documented; here it fails the call and nothing moves.
 * @type {RouteHandler}
 */
function associateUserItems(body, { state }) {
	const user = state.users.get(body.user_id);
	if (!user) throw new PlaidFailure('USER_NOT_FOUND');
	const itemIds = [...new Set(/** @type {string[]} */ (body.item_ids))];
	const unknown = itemIds.filter((itemId) => !state.itemsById.has(itemId));
	if (unknown.length > 0) throw new PlaidFailure('ITEM_NOT_FOUND', `the following Items were not found: ${unknown.join(', ')}`);
	state.associateItems(user, itemIds);
	return {};
}

/**
 * Spec /user/get: "only supports users that were created on the new user API flow, without a user_token".
 * The answer for such a user is not documented; INVALID_USER_ID is the code Plaid lists that fits.
 * @type {RouteHandler}
 */
function getUser(body, { state }) {
	const user = state.users.get(body.user_id);
	if (!user) throw new PlaidFailure('USER_NOT_FOUND');
	if (user.user_token !== undefined) {
		throw new PlaidFailure('INVALID_USER_ID', 'this user was created with a user_token; /user/get supports only users of the new user APIs');
	}
	return {
		user_id: user.user_id,
		client_user_id: user.client_user_id,
		created_at: user.created_at,
		updated_at: user.created_at,
		identity: user.identity ?? null,
	};
}

/** @type {RouteHandler} */
function getItem(body, { state }) {
	const { item } = resolveItem(state, body.access_token);
	return { item: itemWithConsentFields(item), status: itemStatus(item) };
}

/** @type {RouteHandler} */
function getInstitutions(body) {
	return queryInstitutions(body);
}

/** @type {RouteHandler} */
function getWebhookVerificationKey(body, { signer }) {
	const key = signer.jwkFor(body.key_id);
	if (!key) throw new PlaidFailure('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
	return { key };
}

/** @type {Readonly<Record<string, RouteHandler>>} */
const ROUTES = Object.freeze({
	'/user/items/remove': removeUserItems,
	'/user/items/get': getUserItems,
	'/user/remove': removeUser,
	'/user/create': createUser,
	'/user/products/terminate': terminateUserProducts,
	'/item/remove': removeItem,
	'/item/get': getItem,
	'/institutions/get': getInstitutions,
	'/webhook_verification_key/get': getWebhookVerificationKey,
	'/item/products/terminate': terminateItem,
	'/item/webhook/update': updateItemWebhook,
	'/user/items/associate': associateUserItems,
	'/user/get': getUser,
	...SANDBOX_ROUTES,
});

module.exports = { ROUTES, publicItem };
