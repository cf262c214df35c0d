// @ts-check
'use strict';

// In-memory users and their Items. Items carry the fields of Plaid's `Item` / `ItemWithConsentFields`
// schemas plus the access_token, which only the emulator (and the test that seeded it) knows.

const { newItemId, newAccessToken, newUserId, newUserToken, randomAlphanumeric } = require('./ids');

/**
 * @typedef {object} Item
 * @property {string} item_id
 * @property {string | null} institution_id
 * @property {string | null} institution_name
 * @property {string | null} webhook
 * @property {string | null} auth_method
 * @property {Record<string, unknown> | null} error
 * @property {string[]} available_products
 * @property {string[]} billed_products
 * @property {string[]} products
 * @property {string[]} consented_products
 * @property {string | null} consent_expiration_time
 * @property {'background' | 'user_present_required'} update_type
 * @property {string} created_at
 * @property {string[]} consented_use_cases
 * @property {string[]} consented_data_scopes
 */

/** @typedef {Item & { access_token: string }} StoredItem */

/**
 * @typedef {object} EmulatorUser
 * @property {string} user_id
 * @property {string} [user_token] only for users of Plaid's legacy user-token API
 * @property {string} client_user_id
 * @property {string} created_at
 * @property {Record<string, unknown> | null} [identity]
 * @property {{ reason_code: string, reason_note: string | null, terminated_at: string }} [products_terminated]
 * @property {Map<string, StoredItem>} items
 */

/**
 * @typedef {object} NewUser
 * @property {string} [user_id] default: a generated `usr_...` ID
 * @property {string | true} [user_token] a legacy user token; `true` generates one
 * @property {string} [client_user_id]
 * @property {Record<string, unknown> | null} [identity]
 * @property {Array<string | Partial<StoredItem>>} [items] an item_id, or Item fields to override
 */

/** @typedef {{ user: EmulatorUser, item: StoredItem }} OwnedItem */

/** Plaid writes timestamps without milliseconds: 2019-01-22T04:32:00Z. */
const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** @param {string | Partial<StoredItem>} spec @returns {StoredItem} */
function buildItem(spec) {
	const overrides = typeof spec === 'string' ? { item_id: spec } : spec;
	return {
		item_id: newItemId(),
		institution_id: 'ins_109508',
		institution_name: 'First Platypus Bank',
		webhook: null,
		auth_method: null,
		error: null,
		available_products: ['balance', 'identity'],
		billed_products: ['auth', 'transactions'],
		products: ['auth', 'transactions'],
		consented_products: ['auth', 'transactions'],
		consent_expiration_time: null,
		update_type: 'background',
		created_at: isoNow(),
		consented_use_cases: [],
		consented_data_scopes: ['account_balance_info', 'account_routing_number', 'transactions'],
		access_token: newAccessToken(),
		...overrides,
	};
}

class EmulatorState {
	constructor() {
		/** @type {Map<string, EmulatorUser>} */
		this.users = new Map();
		/** @type {Map<string, OwnedItem>} */
		this.itemsById = new Map();
		/** @type {Map<string, OwnedItem>} */
		this.itemsByAccessToken = new Map();
	}

	/** @param {NewUser} spec @returns {EmulatorUser} */
	addUser(spec = {}) {
		const user_id = spec.user_id ?? newUserId();
		if (this.users.has(user_id)) throw new Error(`addUser: user ${user_id} already exists`);
		/** @type {EmulatorUser} */
		const user = {
			user_id,
			client_user_id: spec.client_user_id ?? `client-user-${randomAlphanumeric(10)}`,
			created_at: isoNow(),
			items: new Map(),
		};
		if (spec.user_token !== undefined) user.user_token = spec.user_token === true ? newUserToken() : spec.user_token;
		if (spec.identity !== undefined) user.identity = spec.identity;
		const items = (spec.items ?? []).map(buildItem);
		this.assertItemsAreNew(items);
		this.users.set(user_id, user);
		for (const item of items) this.attachItem(user, item);
		return user;
	}

	/** @param {StoredItem[]} items */
	assertItemsAreNew(items) {
		const seen = new Set();
		for (const { item_id, access_token } of items) {
			if (this.itemsById.has(item_id) || seen.has(item_id)) throw new Error(`addUser: Item ${item_id} already exists`);
			if (this.itemsByAccessToken.has(access_token)) throw new Error(`addUser: access token ${access_token} is taken`);
			seen.add(item_id);
		}
	}

	/** @param {EmulatorUser} user @param {StoredItem} item */
	attachItem(user, item) {
		user.items.set(item.item_id, item);
		this.itemsById.set(item.item_id, { user, item });
		this.itemsByAccessToken.set(item.access_token, { user, item });
	}

	/** @param {string} userToken */
	userByToken(userToken) {
		for (const user of this.users.values()) if (user.user_token === userToken) return user;
		return undefined;
	}

	/** @param {string} clientUserId */
	userByClientUserId(clientUserId) {
		for (const user of this.users.values()) if (user.client_user_id === clientUserId) return user;
		return undefined;
	}

	/** @param {EmulatorUser} user @param {Iterable<string>} itemIds */
	removeItems(user, itemIds) {
		for (const itemId of itemIds) {
			const item = user.items.get(itemId);
			if (!item) continue;
			user.items.delete(itemId);
			this.itemsById.delete(itemId);
			this.itemsByAccessToken.delete(item.access_token);
		}
	}

	/** Removes the user and, like Plaid's /user/remove, all of its Items. @param {EmulatorUser} user */
	removeUser(user) {
		this.removeItems(user, [...user.items.keys()]);
		this.users.delete(user.user_id);
	}

	reset() {
		this.users.clear();
		this.itemsById.clear();
		this.itemsByAccessToken.clear();
	}
}

module.exports = { EmulatorState, buildItem, isoNow };
