// @ts-check
'use strict';

// In-memory users and their Items (and Asset Reports, assetReports.js). Items carry the fields of
// Plaid's `Item` / `ItemWithConsentFields` schemas plus the access_token, which only the emulator (and
// the test that seeded it) knows. What Plaid leaves open is read from the shapes at each call.

const { newItemId, newAccessToken, newUserId, newLegacyUserId, newUserToken, randomAlphanumeric } = require('./ids');
const { defaultShapes } = require('./shapes');
const { ReadLag } = require('./readLag');
const { AssetReportStore } = require('./assetReports');

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
 * @property {boolean} [migrated] a legacy user whose client has migrated: its user_token is accepted in user_id
 * @property {string} client_user_id
 * @property {string} created_at
 * @property {Record<string, unknown> | null} [identity]
 * @property {{ reason_code: string, reason_note: string | null, terminated_at: string }} [products_terminated]
 * @property {Map<string, StoredItem>} items
 */

/**
 * @typedef {object} NewUser
 * @property {string} [user_id] default: a generated `usr_...` ID, or for a legacy user (one with a
 *   user_token) an unprefixed one, as Plaid's legacy API gives
 * @property {string | true} [user_token] a legacy user token; `true` generates one
 * @property {boolean} [migrated] see EmulatorUser.migrated
 * @property {string} [client_user_id]
 * @property {Record<string, unknown> | null} [identity]
 * @property {Array<string | Partial<StoredItem>>} [items] an item_id, or Item fields to override
 */

/**
 * An Item and the user it was linked for. `null`: linked without a user, as most Auth, Transactions and
 * Balance integrations do; /user/items/get then never lists it, only its access token reaches it.
 * @typedef {{ user: EmulatorUser | null, item: StoredItem }} OwnedItem
 */

/**
 * What /item/products/terminate left of an Item (its token no longer works either way).
 * @typedef {object} Termination
 * @property {string} item_id
 * @property {string} reason_code
 * @property {string | null} reason_note
 * @property {string} terminated_at
 */

/**
 * @typedef {object} StateOptions
 * @property {import('./shapes').Shapes} [shapes] what Plaid's documents leave open (shapes.js); the
 *   state reads them at each call, so setShapes() takes effect at once
 * @property {{ now: () => number }} [clock] for the read lag
 * @property {import('./ids').Environment} [environment] the environment in the tokens it mints
 */

/** Plaid writes timestamps without milliseconds: 2019-01-22T04:32:00Z. */
const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** @param {string | Partial<StoredItem>} spec @param {import('./ids').Environment} [environment] @returns {StoredItem} */
function buildItem(spec, environment = 'sandbox') {
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
		access_token: newAccessToken(environment),
		...overrides,
	};
}

class EmulatorState {
	/** @param {StateOptions} [options] */
	constructor({ shapes = defaultShapes(), clock = { now: () => Date.now() }, environment = 'sandbox' } = {}) {
		this.shapes = shapes;
		this.environment = environment;
		/** Removed Items and users that reads still see (shape readLagMs). */
		this.lag = new ReadLag(clock);
		this.assetReports = new AssetReportStore(environment);
		/** @type {Map<string, EmulatorUser>} */
		this.users = new Map();
		/** @type {Map<string, OwnedItem>} */
		this.itemsById = new Map();
		/** @type {Map<string, OwnedItem>} */
		this.itemsByAccessToken = new Map();
		/** @type {Map<string, Termination>} by item_id */
		this.terminations = new Map();
		/** @type {Map<string, { item: Partial<StoredItem>, user: EmulatorUser | null, expiresAt: number }>} by public_token */
		this.publicTokens = new Map();
	}

	/** @param {NewUser} spec @returns {EmulatorUser} */
	addUser(spec = {}) {
		const legacy = spec.user_token !== undefined;
		const user_id = spec.user_id ?? (legacy ? newLegacyUserId() : newUserId());
		if (this.users.has(user_id)) throw new Error(`addUser: user ${user_id} already exists`);
		/** @type {EmulatorUser} */
		const user = {
			user_id,
			client_user_id: spec.client_user_id ?? `client-user-${randomAlphanumeric(10)}`,
			created_at: isoNow(),
			items: new Map(),
		};
		if (legacy) user.user_token = spec.user_token === true ? newUserToken(this.environment) : spec.user_token;
		if (spec.migrated) user.migrated = true;
		if (spec.identity !== undefined) user.identity = spec.identity;
		const items = (spec.items ?? []).map((item) => buildItem(item, this.environment));
		this.assertItemsAreNew(items);
		this.users.set(user_id, user);
		for (const item of items) this.attachItem(user, item);
		return user;
	}

	/**
	 * Adds one Item, linked for `user` or (null) for no user.
	 * @param {string | Partial<StoredItem>} [spec] @param {EmulatorUser | null} [user] @returns {StoredItem}
	 */
	addItem(spec = {}, user = null) {
		const item = buildItem(spec, this.environment);
		this.assertItemsAreNew([item]);
		this.attachItem(user, item);
		return item;
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

	/** @param {EmulatorUser | null} user @param {StoredItem} item */
	attachItem(user, item) {
		user?.items.set(item.item_id, item);
		const owned = { user, item };
		this.itemsById.set(item.item_id, owned);
		this.itemsByAccessToken.set(item.access_token, owned);
	}

	/**
	 * Links the Items to `user`, taking each from the user it had (spec /user/items/associate).
	 * @param {EmulatorUser} user @param {Iterable<string>} itemIds all known (checked by the caller)
	 */
	associateItems(user, itemIds) {
		for (const itemId of itemIds) {
			const owned = /** @type {OwnedItem} */ (this.itemsById.get(itemId));
			owned.user?.items.delete(itemId);
			user.items.set(itemId, owned.item);
			owned.user = user;
		}
	}

	/**
	 * Ends an Item's products: its token stops working; whether it stays listed is the shape `terminatedItems`.
	 * @param {OwnedItem} owned @param {{ reason_code: string, reason_note?: string | null }} reason
	 */
	terminateItem({ item }, reason) {
		this.terminations.set(item.item_id, {
			item_id: item.item_id,
			reason_code: reason.reason_code,
			reason_note: reason.reason_note ?? null,
			terminated_at: isoNow(),
		});
		if (this.shapes.terminatedItems === 'listed') {
			this.itemsByAccessToken.delete(item.access_token);
		} else {
			this.forgetItem(item.item_id);
		}
	}

	/** Drops an Item wherever it is known, its user's list included (reads may lag). @param {string} itemId */
	forgetItem(itemId) {
		const owned = this.itemsById.get(itemId);
		if (!owned) return;
		this.lag.rememberItem(owned.item, owned.user?.user_id ?? null, this.shapes.readLagMs);
		owned.user?.items.delete(itemId);
		this.itemsById.delete(itemId);
		this.itemsByAccessToken.delete(owned.item.access_token);
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
		for (const itemId of itemIds) if (user.items.has(itemId)) this.forgetItem(itemId);
	}

	/** Removes the user and, like Plaid's /user/remove, all of its Items. @param {EmulatorUser} user */
	removeUser(user) {
		this.removeItems(user, [...user.items.keys()]);
		this.users.delete(user.user_id);
		this.lag.rememberUser(user, this.shapes.readLagMs);
	}

	reset() {
		this.users.clear();
		this.itemsById.clear();
		this.itemsByAccessToken.clear();
		this.terminations.clear();
		this.publicTokens.clear();
		this.lag.clear();
		this.assetReports.clear();
	}

	/** Whether a legacy user's user_token is accepted in user_id (Plaid's migration path). @param {EmulatorUser} user */
	isMigrated(user) {
		return user.user_token !== undefined && (user.migrated === true || this.shapes.legacyUsersMigrated);
	}
}

module.exports = { EmulatorState, buildItem, isoNow };
