// @ts-check
'use strict';

// The endpoints' behaviour once a request has passed auth and schema checks. Each handler returns the
// success body without request_id (the server adds a fresh one), or a WithStatus for another status
// than 200, or throws a PlaidFailure. An irreversible one reports what it did in `removals`.

const { PlaidFailure } = require('./errors');
const { queryInstitutions } = require('./institutions');
const { isoNow } = require('./state');
const { SANDBOX_ROUTES } = require('./sandbox-routes');
const { ASSET_REPORT_ROUTES } = require('./asset-routes');
const { resolveUser, resolveUserForRead, userById, createUser } = require('./users');

/** @typedef {import('./state').EmulatorState} EmulatorState */
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
 * @property {import('./removals').RemovalWork[]} removals filled by an irreversible endpoint with what it did
 */
/** @typedef {Record<string, unknown> | import('./http-io').WithStatus} RouteResult */
/** @typedef {(body: any, context: RouteContext) => RouteResult} RouteHandler */

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

/**
 * Spec `UserItemsRemoveRequest.item_ids`: all must belong to the user, "Otherwise, the entire operation
 * will error and no Items will be deleted." The code is undocumented (shape `notAttachedAnswer`).
 * Items linked without a user, or to another user, are not attached.
 * @param {EmulatorState} state @param {string[]} strangers
 */
function notAttachedFailure(state, strangers) {
	const message =
		state.shapes.notAttachedMessage === 'names-ids'
			? `the following Items are not associated with this user: ${strangers.join(', ')}`
			: 'all Items for removal must be associated with the provided user';
	return new PlaidFailure(state.shapes.notAttachedAnswer, message);
}

/** @type {RouteHandler} */
function removeUserItems(body, { state, removals }) {
	const user = resolveUser(state, body);
	const itemIds = [...new Set(/** @type {string[]} */ (body.item_ids))];
	const strangers = itemIds.filter((itemId) => !user.items.has(itemId));
	if (strangers.length > 0) throw notAttachedFailure(state, strangers);
	state.removeItems(user, itemIds);
	removals.push({ item_ids: itemIds, user_id: user.user_id });
	return {};
}

/** During the read lag, the Items just removed are still listed. @type {RouteHandler} */
function getUserItems(body, { state }) {
	const user = resolveUserForRead(state, body);
	const items = [...user.items.values(), ...state.lag.itemsOf(user.user_id)];
	return { items: items.map(publicItem) };
}

/** @type {RouteHandler} */
function removeUser(body, { state, removals }) {
	const user = resolveUser(state, body);
	const itemIds = [...user.items.keys()];
	state.removeUser(user);
	removals.push({ item_ids: itemIds, user_id: user.user_id });
	return {};
}

/** @type {RouteHandler} */
function terminateUserProducts(body, { state, removals }) {
	const user = userById(state, body.user_id);
	user.products_terminated = { reason_code: body.reason_code, reason_note: body.reason_note ?? null, terminated_at: isoNow() };
	removals.push({ item_ids: [], user_id: user.user_id });
	return {};
}

/** @type {RouteHandler} */
function removeItem(body, { state, removals }) {
	const { item, user } = resolveItem(state, body.access_token);
	state.forgetItem(item.item_id);
	removals.push({ item_ids: [item.item_id], user_id: user?.user_id ?? null });
	return {};
}

/**
 * Spec /item/products/terminate: "Once terminated, the access_token associated with the Item is no longer
 * valid, billing for the Item's products is ended, and relevant webhooks are fired." Which webhooks is
 * not said, so none is sent here; whether the Item stays listed is the state's behaviour.
 * @type {RouteHandler}
 */
function terminateItem(body, { state, removals }) {
	const owned = resolveItem(state, body.access_token);
	state.terminateItem(owned, body);
	removals.push({ item_ids: [owned.item.item_id], user_id: owned.user?.user_id ?? null });
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
	const user = userById(state, body.user_id);
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
	const legacy = state.users.get(body.user_id) ?? state.userByToken(body.user_id);
	if (legacy?.user_token !== undefined) {
		throw new PlaidFailure('INVALID_USER_ID', 'this user was created with a user_token; /user/get supports only users of the new user APIs');
	}
	const user = userById(state, body.user_id);
	return {
		user_id: user.user_id,
		client_user_id: user.client_user_id,
		created_at: user.created_at,
		updated_at: user.created_at,
		identity: user.identity ?? null,
	};
}

/** With the shape readLagItemGet, a removed Item still answers during the read lag. @type {RouteHandler} */
function getItem(body, { state }) {
	const lagging = state.shapes.readLagItemGet && !state.itemsByAccessToken.has(body.access_token) ? state.lag.itemByAccessToken(body.access_token) : undefined;
	const item = lagging ?? resolveItem(state, body.access_token).item;
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
	...ASSET_REPORT_ROUTES,
});

module.exports = { ROUTES, publicItem };
