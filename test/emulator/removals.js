// @ts-check
'use strict';

// The removal log: one entry per irreversible call Plaid carried out, whether or not its answer reached
// the client. An invariant checks outputs against it: which Items Plaid removed, under which request_id,
// and whether the client was told.

const { parseJson } = require('./http-io');

/**
 * What an endpoint reports of the work it did, before the answer exists.
 * @typedef {object} RemovalWork
 * @property {string[]} item_ids the Items it removed or ended (resolved from tokens too); [] for none
 * @property {string | null} user_id the user named, or the removed Item's user; null when none
 * @property {string} [asset_report_id] for the Asset Report endpoints: the report (or the report copied)
 */

/**
 * @typedef {object} Removal
 * @property {string} request_id of the answer Plaid decided (sent or not)
 * @property {string} endpoint
 * @property {string[]} item_ids
 * @property {string | null} user_id
 * @property {string} [asset_report_id]
 * @property {string} at ISO 8601 on the emulator's clock, when the work was done
 * @property {boolean} delivered false until the success answer reached the client: a dropped connection,
 *   an `apply` fault answering something else, or a client that had already gone leave it false
 */

class RemovalLog {
	/** @param {{ now: () => number }} clock */
	constructor(clock) {
		this.clock = clock;
		/** @type {Removal[]} */
		this.entries = [];
	}

	/**
	 * Logs the work an endpoint did, under the request_id of its answer. @param {string} endpoint
	 * @param {RemovalWork[]} work @param {import('./http-io').Answer} answer @returns {Removal[]} the new entries
	 */
	add(endpoint, work, answer) {
		const requestId = /** @type {{ request_id?: string } | undefined} */ (parseJson(answer.payload))?.request_id ?? '';
		const at = new Date(this.clock.now()).toISOString();
		const added = work.map((done) => ({ request_id: requestId, endpoint, ...done, item_ids: [...done.item_ids], at, delivered: false }));
		this.entries.push(...added);
		return added;
	}

	/** Every entry that removed this Item, oldest first. @param {string} itemId */
	of(itemId) {
		return this.entries.filter((entry) => entry.item_ids.includes(itemId));
	}

	clear() {
		this.entries.length = 0;
	}
}

module.exports = { RemovalLog };
