// @ts-check
'use strict';

// An embedded Plaid API emulator: a real HTTP server on 127.0.0.1 for tests, demos and benchmarks.
// It holds users and Items in memory, checks requests the way Plaid does, records every request,
// injects faults on demand and signs webhooks like Plaid.

const http = require('node:http');
const { EmulatorState } = require('./state');
const { WebhookSigner, postWebhook, mergeHeaders } = require('./webhooks');
const { FaultQueue, faultAnswer, replacesAnswer } = require('./faults');
const { WebhookOutbox } = require('./outbox');
const { answerCall } = require('./pipeline');
const { readBody, parseJson, sendAnswer, failureAnswer } = require('./http-io');
const { plaidError, httpStatusOf, PlaidFailure } = require('./errors');
const { ENDPOINT_SCHEMAS } = require('./schemas');
const { newSecret } = require('./ids');
const { seedDemo } = require('./seed');
const { isInspectPath, answerInspect } = require('./inspect-routes');

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

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [clientId] default 'emulator-client-id'
 * @property {string} [secret] default 'emulator-secret-<random hex>'
 * @property {number} [port] default 0 (a free port)
 * @property {number} [latencyMs] delay of every answer, for benchmarks
 * @property {number} [jitter] fraction of latencyMs to vary it by, up or down, drawn uniformly (0.2 → 80%..120%)
 * @property {number} [rateLimitPerSecond] past this many requests in a one-second window: 429
 * @property {string} [gatewayToken] `Authorization: Bearer <token>` then stands in for the keys,
 *   like a gateway that adds them server-side
 * @property {boolean} [inspectRoutes] serve the test-only /__emulator/ routes (inspect-routes.js), for a
 *   suite that runs the emulator in another process
 * @property {'sandbox' | 'production'} [environment] the Plaid environment it plays (default sandbox): in
 *   production the /sandbox/ endpoints answer SANDBOX_ONLY; webhooks name it in `environment`
 * @property {'forgotten' | 'listed'} [terminatedItems] what /user/items/get shows of a terminated Item
 *   (Plaid does not say): nothing (default), or the Item with its dead token
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path without the query string
 * @property {import('node:http').IncomingHttpHeaders} headers lower-cased names, as received
 * @property {string} rawBody
 * @property {any} body the parsed JSON, or undefined (any: tests read into it freely)
 * @property {number} receivedAt Date.now() when the body had arrived
 * @property {{ status: number | null, body?: any, dropped?: 'before' | 'after' }} response null until answered; body is the JSON sent back, if any
 */

const HOST = '127.0.0.1';
const KEY_PATH = '/webhook_verification_key/get';

/** Plaid names the limit after the endpoint where it has one (errors.md). @param {string} path */
const rateLimitCodeFor = (path) =>
	({ '/item/get': 'ITEM_GET_LIMIT', '/institutions/get': 'INSTITUTIONS_GET_LIMIT' })[path] ?? 'RATE_LIMIT';

class PlaidEmulator {
	/** @param {EmulatorOptions} [options] */
	constructor(options = {}) {
		this.clientId = options.clientId ?? 'emulator-client-id';
		this.secret = options.secret ?? newSecret();
		this.options = { port: 0, latencyMs: 0, jitter: 0, ...options };
		/** Set by listen(): `http://127.0.0.1:<port>`. */
		this.url = '';
		/** @type {RecordedRequest[]} every request received, in order */
		this.requests = [];
		/** Plaid requests received and not yet answered (or dropped), and the most seen at once. */
		this.inFlight = { now: 0, max: 0 };
		this.state = new EmulatorState({ terminatedItems: options.terminatedItems });
		this.environment = options.environment ?? 'sandbox';
		this.outbox = new WebhookOutbox((url, payload) => this.sendWebhook(url, payload));
		this.signer = new WebhookSigner();
		this.faults = new FaultQueue();
		this.rateWindow = { second: -1, count: 0 };
		/** @type {Set<import('node:net').Socket>} */
		this.sockets = new Set();
		/** @type {Set<NodeJS.Timeout>} */
		this.timers = new Set();
		this.server = http.createServer((request, response) => {
			this.handle(request, response).catch(() => request.socket.destroy());
		});
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	/** Starts listening on 127.0.0.1 only. @returns {Promise<this>} */
	listen() {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port, HOST, () => {
				const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
				this.url = `http://${HOST}:${address.port}`;
				resolve(this);
			});
		});
	}

	/** Stops the server, destroying open sockets and cancelling pending delays. @returns {Promise<void>} */
	close() {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		const closed = new Promise((resolve) => this.server.close(() => resolve(undefined)));
		for (const socket of this.sockets) socket.destroy();
		return closed.then(() => undefined);
	}

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

	/** Forgets users, Items, queued faults and recorded requests; the webhook keys stay as they are. */
	reset() {
		this.state.reset();
		this.faults.clear();
		this.clearRequests();
		this.rateWindow = { second: -1, count: 0 };
		this.outbox.clear();
	}

	// --- recording and faults ---

	clearRequests() {
		this.requests.length = 0;
		this.inFlight.max = this.inFlight.now;
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

	/** A `Plaid-Verification` JWT for this raw body. @param {string} rawBody @param {SignOptions} [options] */
	signWebhook(rawBody, options) {
		return this.signer.sign(rawBody, options);
	}

	/**
	 * POSTs a signed webhook, as Plaid delivers one to an Item's webhook URL.
	 * @param {string} url
	 * @param {Record<string, unknown>} payload
	 * @param {SendWebhookOptions} [options]
	 * @returns {Promise<WebhookDelivery>}
	 */
	sendWebhook(url, payload, options = {}) {
		const { rawBody = JSON.stringify(payload), headers, ...signOptions } = options;
		const verification = this.signWebhook(rawBody, signOptions);
		return postWebhook(url, rawBody, mergeHeaders({ 'Content-Type': 'application/json', 'Plaid-Verification': verification }, headers));
	}

	// --- request handling ---

	/** @param {http.IncomingMessage} request @param {http.ServerResponse} response */
	async handle(request, response) {
		const rawBody = await readBody(request);
		const { pathname } = new URL(request.url ?? '/', 'http://emulator.invalid');
		if (this.options.inspectRoutes && isInspectPath(pathname)) {
			return sendAnswer(response, answerInspect(this, { method: request.method ?? '', pathname, rawBody, remoteAddress: request.socket.remoteAddress }));
		}
		this.inFlight.now += 1;
		this.inFlight.max = Math.max(this.inFlight.max, this.inFlight.now);
		try {
			await this.answer(request, response, rawBody);
		} finally {
			this.inFlight.now -= 1;
		}
	}

	/** @param {http.IncomingMessage} request @param {http.ServerResponse} response @param {string} rawBody */
	async answer(request, response, rawBody) {
		const record = this.record(request, rawBody);
		const fault = this.faults.take(record.path, record.body);
		if (fault?.delayMs) await this.wait(fault.delayMs);
		if (fault?.drop === 'before') return this.drop(request, record, 'before', null);
		/** @type {import('./routes').OutgoingWebhook[]} */
		const outbox = [];
		const answer = fault && replacesAnswer(fault) && fault.drop !== 'after' ? faultAnswer(fault) : this.decide(record, outbox);
		// Plaid acted even when the answer is lost on the way: its webhooks go out all the same.
		if (fault?.drop === 'after') {
			this.drop(request, record, 'after', answer.status);
			return this.outbox.deliver(outbox);
		}
		await this.wait(this.answerDelayMs());
		record.response = { status: answer.status, body: parseJson(answer.payload) };
		if (!response.destroyed) sendAnswer(response, answer);
		this.outbox.deliver(outbox);
	}

	/** @param {http.IncomingMessage} request @param {string} rawBody @returns {RecordedRequest} */
	record(request, rawBody) {
		const { pathname } = new URL(request.url ?? '/', 'http://emulator.invalid');
		/** @type {RecordedRequest} */
		const record = {
			method: request.method ?? '',
			path: pathname,
			headers: { ...request.headers },
			rawBody,
			body: parseJson(rawBody),
			receivedAt: Date.now(),
			response: { status: null },
		};
		this.requests.push(record);
		return record;
	}

	/**
	 * The normal answer: rate limit, then Plaid's checks and the endpoint, which may queue webhooks in `outbox`.
	 * @param {RecordedRequest} record @param {import('./routes').OutgoingWebhook[]} outbox @returns {Answer}
	 */
	decide(record, outbox) {
		const limited = this.rateLimitAnswer(record.path);
		if (limited) return limited;
		try {
			const { state, signer, clientId, secret, environment } = this;
			return answerCall(record, { state, signer, clientId, secret, gatewayToken: this.options.gatewayToken, environment, webhooks: outbox });
		} catch (error) {
			// A bug in the emulator: answer like Plaid's API_ERROR so the test sees it.
			return failureAnswer(new PlaidFailure('INTERNAL_SERVER_ERROR', `emulator bug: ${error instanceof Error ? error.stack : String(error)}`));
		}
	}

	/** @param {string} path @returns {Answer | undefined} */
	rateLimitAnswer(path) {
		const limit = this.options.rateLimitPerSecond;
		if (limit === undefined) return undefined;
		const second = Math.floor(Date.now() / 1000);
		if (second !== this.rateWindow.second) this.rateWindow = { second, count: 0 };
		this.rateWindow.count += 1;
		return this.rateWindow.count > limit ? failureAnswer(new PlaidFailure(rateLimitCodeFor(path))) : undefined;
	}

	/**
	 * @param {http.IncomingMessage} request
	 * @param {RecordedRequest} record
	 * @param {'before' | 'after'} when
	 * @param {number | null} status the answer that was decided but not sent
	 */
	drop(request, record, when, status) {
		record.response = { status, dropped: when };
		request.socket.destroy();
	}

	answerDelayMs() {
		const { latencyMs = 0, jitter = 0 } = this.options;
		return Math.max(0, latencyMs * (1 + jitter * (2 * Math.random() - 1)));
	}

	/** A delay that close() can cancel. @param {number} ms @returns {Promise<void>} */
	wait(ms) {
		if (ms <= 0) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}
}

/**
 * Starts an emulator on 127.0.0.1 (a random port unless `port` is given).
 * @param {EmulatorOptions} [options]
 * @returns {Promise<PlaidEmulator>}
 */
function startEmulator(options) {
	return new PlaidEmulator(options).listen();
}

module.exports = { startEmulator, PlaidEmulator, plaidError, httpStatusOf, seedDemo, ENDPOINT_SCHEMAS };
