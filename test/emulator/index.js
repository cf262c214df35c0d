// @ts-check
'use strict';

// An embedded Plaid API emulator: a real HTTP server on 127.0.0.1 for tests, demos and benchmarks.
// It holds users, Items and Asset Reports in memory, checks requests the way Plaid does, records every
// request and every removal, injects faults on demand and signs webhooks like Plaid. Where Plaid's
// documents are silent it offers shapes (shapes.js) instead of one guess.

const { EmulatorServer } = require('./server');
const { plaidError, httpStatusOf } = require('./errors');
const { ENDPOINT_SCHEMAS } = require('./schemas');
const { seedDemo } = require('./seed');
const { pickShapes } = require('./shapes');
const { answerInspect } = require('./inspect-routes');

/** @typedef {import('./state').Item} Item */
/** @typedef {import('./state').StoredItem} StoredItem */
/** @typedef {import('./state').EmulatorUser} EmulatorUser */
/** @typedef {import('./state').NewUser} NewUser */
/** @typedef {import('./faults').Fault} Fault */
/** @typedef {import('./webhooks').SignOptions} SignOptions */
/** @typedef {import('./webhooks').SendWebhookOptions} SendWebhookOptions */
/** @typedef {import('./webhooks').WebhookDelivery} WebhookDelivery */
/** @typedef {import('./webhooks').JwkPublicKey} JwkPublicKey */
/** @typedef {import('./errors').PlaidErrorBody} PlaidErrorBody */
/** @typedef {import('./http-io').Answer} Answer */
/** @typedef {import('./outbox').SentWebhook} SentWebhook */
/** @typedef {import('./rateLimits').RateLimitSpec} RateLimitSpec */
/** @typedef {import('./shapes').Shapes} Shapes */
/** @typedef {import('./removals').Removal} Removal */
/** @typedef {import('./assetReports').NewAssetReport} NewAssetReport */
/** @typedef {import('./assetReports').AssetReport} AssetReport */
/** @typedef {import('./assetReports').AuditCopy} AuditCopy */
/** @typedef {import('./server').EmulatorOptions} EmulatorOptions */
/** @typedef {import('./server').RecordedRequest} RecordedRequest */
/** @typedef {import('./server').RecordedResponse} RecordedResponse */

const KEY_PATH = '/webhook_verification_key/get';

class PlaidEmulator extends EmulatorServer {
	// --- seeding and inspecting state ---

	/** @param {NewUser} [spec] @returns {EmulatorUser} the stored (live) user */
	addUser(spec) {
		return this.state.addUser(spec);
	}

	/** @param {string} userId @returns {EmulatorUser | undefined} */
	getUser(userId) {
		return this.state.users.get(userId);
	}

	/** The user's current item_ids; [] when the user does not exist. @param {string} userId @returns {string[]} */
	itemIdsOf(userId) {
		return [...(this.getUser(userId)?.items.keys() ?? [])];
	}

	/** Adds an Item linked without a user (an access-token integration). @param {string | Partial<StoredItem>} [spec] @returns {StoredItem} */
	addItem(spec) {
		return this.state.addItem(spec);
	}

	/** The access token of a live Item, or undefined once it is removed or terminated. @param {string} itemId @returns {string | undefined} */
	accessTokenOf(itemId) {
		const token = this.state.itemsById.get(itemId)?.item.access_token;
		return token !== undefined && this.state.itemsByAccessToken.has(token) ? token : undefined;
	}

	/** What /item/products/terminate recorded for an Item, if it was terminated. @param {string} itemId */
	terminationOf(itemId) {
		return this.state.terminations.get(itemId);
	}

	/**
	 * Adds an Asset Report over live Items (default token `assets-<environment>-<uuid>`); removing the
	 * Items later leaves it, as at Plaid. @param {NewAssetReport} [spec] @returns {AssetReport}
	 */
	addAssetReport(spec = {}) {
		const itemOf = (/** @type {string} */ itemId) => {
			const item = this.state.itemsById.get(itemId)?.item;
			return item && { item_id: itemId, institution_id: item.institution_id ?? '', institution_name: item.institution_name ?? '', date_last_updated: item.created_at };
		};
		const user = spec.user_id ? this.getUser(spec.user_id) : undefined;
		return this.state.assetReports.add({ client_user_id: user?.client_user_id ?? null, ...spec }, itemOf, new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
	}

	/**
	 * Adds an Audit Copy of a live report (default token `a-<environment>-<26 base32 letters>`).
	 * @param {string} reportToken @param {{ audit_copy_token?: string, auditor_id?: string | null }} [spec] @returns {AuditCopy}
	 */
	addAuditCopy(reportToken, spec) {
		const copy = this.state.assetReports.addCopy(reportToken, spec);
		if (!copy) throw new Error(`addAuditCopy: no live Asset Report ${reportToken}`);
		return copy;
	}

	/** Whether an Asset Report (by token) is live. @param {string} reportToken */
	hasAssetReport(reportToken) {
		return this.state.assetReports.reports.has(reportToken);
	}

	/** Whether an Audit Copy (by token) is live: its report is live and the copy was not removed. @param {string} copyToken */
	hasAuditCopy(copyToken) {
		return this.state.assetReports.reportOfCopy(copyToken) !== undefined;
	}

	/** The live Asset Reports without their tokens, each with its count of live Audit Copies. */
	describeAssetReports() {
		return this.state.assetReports.describe();
	}

	// --- shapes and the removal log ---

	/** The shapes in force (shapes.js). @returns {Readonly<Shapes>} */
	get shapes() {
		return { ...this.state.shapes };
	}

	/** Switches shapes from the next request on; unknown names and values throw. @param {Partial<Shapes>} shapes */
	setShapes(shapes) {
		Object.assign(this.state.shapes, pickShapes(shapes, { strict: true }));
	}

	/** Every irreversible call Plaid carried out since the last reset() or clearRequests(), in order. @returns {readonly Removal[]} */
	get removals() {
		return this.removalLog.entries;
	}

	/** The entries that removed or ended this Item (an Asset Report removal names no Item). @param {string} itemId */
	removalsOf(itemId) {
		return this.removalLog.of(itemId);
	}

	/** Forgets users, Items, Asset Reports, queued faults, recorded requests, removals and rate-limit counts (the limits and shapes stay); the webhook keys stay as they are. */
	reset() {
		this.state.reset();
		this.faults.clear();
		this.clearRequests();
		this.outbox.clear();
		this.rateLimits.reset();
	}

	/** Replaces the rate limits, counts forgotten; [] turns them off. @param {RateLimitSpec[]} specs */
	setRateLimits(specs) {
		this.rateLimits.set(specs);
	}

	// --- recording and faults ---

	/** Forgets the recorded requests and the removal log (the state stays). */
	clearRequests() {
		this.requests.length = 0;
		this.removalLog.clear();
		this.inFlight.max = this.inFlight.now;
		this.connections = 0;
		this.plaidSockets = new WeakSet();
	}

	/** @param {string} path @returns {RecordedRequest[]} */
	requestsTo(path) {
		return this.requests.filter((request) => request.path === path);
	}

	/** Queues faults; each matching request consumes one, in order. @param {...Fault} faults */
	injectFaults(...faults) {
		this.faults.add(faults);
	}

	// --- webhooks ---

	get currentKeyId() {
		return this.signer.current.kid;
	}

	get expiredKeyId() {
		return this.signer.expired.kid;
	}

	/** Every key served to verifiers, oldest first, as /webhook_verification_key/get returns it. @returns {JwkPublicKey[]} */
	get webhookKeys() {
		return this.signer.served.map((key) => ({ ...key.jwk }));
	}

	/** Plaid signs with a new key from now on; the previous one stays served. @returns {{ current: string, previous: string }} */
	rotateWebhookKey() {
		return this.signer.rotate();
	}

	/** Plaid sets `expired_at` on a served key (default: the current one). @param {string} [kid] @param {number} [at] Unix seconds */
	expireWebhookKey(kid, at) {
		return this.signer.expireKey(kid, at);
	}

	/**
	 * Requests received at /webhook_verification_key/get since the last reset, answered or not
	 * (a 429 counts: it is what a verifier costs the client's rate limit). With `kid`, those for it.
	 * @param {string} [kid]
	 */
	keyFetchCount(kid) {
		return this.requestsTo(KEY_PATH).filter((request) => kid === undefined || request.body?.key_id === kid).length;
	}

	/** Every webhook the endpoints sent (acknowledgements, fired Sandbox webhooks), once delivered or failed. */
	get sentWebhooks() {
		return this.outbox.sent;
	}

	/** Resolves once every webhook the endpoints sent so far has been delivered (or failed). */
	webhooksSettled() {
		return this.outbox.settled();
	}

	/** @param {import('./inspect-routes').InspectCall} call */
	inspect(call) {
		return answerInspect(this, call);
	}
}

/**
 * Starts an emulator on 127.0.0.1 (a random port unless `port` is given). Bad options (an unknown shape
 * value) reject.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<PlaidEmulator>}
 */
async function startEmulator(options) {
	return new PlaidEmulator(options).listen();
}

module.exports = { startEmulator, PlaidEmulator, plaidError, httpStatusOf, seedDemo, ENDPOINT_SCHEMAS };
