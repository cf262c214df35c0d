// @ts-check
'use strict';

// Read lag (shape `readLagMs`): Plaid's Sandbox was seen listing an Item in /user/items/get for a while
// after /item/remove had removed it (plaid/plaid-node#687). The write is done at once; only reads still
// see what was removed, until the lag has passed on the emulator's clock.

/** @typedef {import('./state').StoredItem} StoredItem */
/** @typedef {{ now: () => number }} Clock */
/** @typedef {{ item: StoredItem, userId: string | null, until: number }} LaggingItem */
/** @typedef {{ user_id: string, user_token?: string, until: number }} LaggingUser */

class ReadLag {
	/** @param {Clock} clock */
	constructor(clock) {
		this.clock = clock;
		/** @type {LaggingItem[]} */
		this.items = [];
		/** @type {LaggingUser[]} */
		this.users = [];
	}

	/** @param {StoredItem} item @param {string | null} userId its user when it was removed @param {number} lagMs */
	rememberItem(item, userId, lagMs) {
		if (lagMs > 0) this.items.push({ item, userId, until: this.clock.now() + lagMs });
	}

	/** @param {{ user_id: string, user_token?: string }} user @param {number} lagMs */
	rememberUser({ user_id, user_token }, lagMs) {
		if (lagMs > 0) this.users.push({ user_id, ...(user_token === undefined ? {} : { user_token }), until: this.clock.now() + lagMs });
	}

	/** Removed Items that reads still list for this user, oldest removal first. @param {string} userId */
	itemsOf(userId) {
		return this.live(this.items)
			.filter((lagging) => lagging.userId === userId)
			.map((lagging) => lagging.item);
	}

	/** A removed Item that reads still find by its access token. @param {string} accessToken */
	itemByAccessToken(accessToken) {
		return this.live(this.items).find((lagging) => lagging.item.access_token === accessToken)?.item;
	}

	/** A removed user that reads still find. @param {{ user_id?: string, user_token?: string }} names */
	user({ user_id, user_token }) {
		return this.live(this.users).find((lagging) => (user_id === undefined || lagging.user_id === user_id) && (user_token === undefined || lagging.user_token === user_token));
	}

	/** @template {{ until: number }} T @param {T[]} entries @returns {T[]} */
	live(entries) {
		const now = this.clock.now();
		return entries.filter((entry) => entry.until > now);
	}

	clear() {
		this.items.length = 0;
		this.users.length = 0;
	}
}

module.exports = { ReadLag };
