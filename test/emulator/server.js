// @ts-check
'use strict';

// The emulator's HTTP side: a server on 127.0.0.1 that records every request, answers it the way Plaid
// does (rate limits, checks, the endpoint), and puts latency, faults and dropped connections between
// the decision and the answer. index.js adds the API that tests use to seed and inspect it.

const http = require('node:http');
const { EmulatorState } = require('./state');
const { WebhookSigner, postWebhook, mergeHeaders } = require('./webhooks');
const { FaultQueue, faultAnswer, replacesAnswer } = require('./faults');
const { WebhookOutbox } = require('./outbox');
const { answerCall } = require('./pipeline');
const { readBody, parseJson, sendAnswer, failureAnswer, jsonAnswer } = require('./http-io');
const { plaidError, PlaidFailure } = require('./errors');
const { newSecret } = require('./ids');
const { isInspectPath } = require('./inspect-routes');
const { RateLimits, perSecondSpec } = require('./rateLimits');
const { defaultShapes, pickShapes } = require('./shapes');
const { RemovalLog } = require('./removals');

/** @typedef {import('./webhooks').SignOptions} SignOptions */
/** @typedef {import('./webhooks').SendWebhookOptions} SendWebhookOptions */
/** @typedef {import('./webhooks').WebhookDelivery} WebhookDelivery */
/** @typedef {import('./http-io').Answer} Answer */
/** @typedef {import('./faults').Fault} Fault */
/** @typedef {import('./rateLimits').RateLimitSpec} RateLimitSpec */
/** @typedef {import('./shapes').Shapes} Shapes */
/** @typedef {import('./removals').Removal} Removal */

/**
 * The emulator's options, and the shapes of what Plaid leaves open (shapes.js: `userApi`, `createdStatus`,
 * `legacyRepeatAnswer`, `legacyUserIdAnswer`, `legacyUsersMigrated`, `notAttachedAnswer`,
 * `notAttachedMessage`, `readLagMs`, `readLagItemGet`, `unknownAssetReportAnswer`, `terminatedItems`;
 * each documented there, each switchable later with setShapes()).
 * @typedef {EmulatorSettings & Partial<Shapes>} EmulatorOptions
 */

/**
 * @typedef {object} EmulatorSettings
 * @property {string} [clientId] default 'emulator-client-id'
 * @property {string} [secret] default 'emulator-secret-<random hex>'
 * @property {number} [port] default 0 (a free port)
 * @property {number} [latencyMs] delay of every answer, for benchmarks
 * @property {number} [jitter] fraction of latencyMs to vary it by, up or down, drawn uniformly (0.2 → 80%..120%)
 * @property {number} [rateLimitPerSecond] past this many requests in a one-second window: 429
 *   (the same as `rateLimits: [{ shape: 'fixed-window', limit: N, windowMs: 1000 }]`)
 * @property {RateLimitSpec[]} [rateLimits] limits of any shape and scope (rateLimits.js); all apply
 * @property {{ now: () => number }} [clock] the clock of the rate limits, the read lag and the removal
 *   log's `at` (default Date.now), so tests can run them in virtual time
 * @property {string} [gatewayToken] `Authorization: Bearer <token>` then stands in for the keys,
 *   like a gateway that adds them server-side
 * @property {boolean} [inspectRoutes] serve the test-only /__emulator/ routes (inspect-routes.js), for a
 *   suite that runs the emulator in another process
 * @property {'sandbox' | 'production'} [environment] the Plaid environment it plays (default sandbox): in
 *   production the /sandbox/ endpoints answer SANDBOX_ONLY; webhooks name it in `environment`; the
 *   tokens it mints carry it (`access-production-…`, `user-production-…`, `assets-…`, `a-…`)
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} path without the query string
 * @property {import('node:http').IncomingHttpHeaders} headers lower-cased names, as received
 * @property {string} rawBody
 * @property {any} body the parsed JSON, or undefined (any: tests read into it freely)
 * @property {number} receivedAt Date.now() when the body had arrived
 * @property {RecordedResponse} response
 */

/**
 * @typedef {object} RecordedResponse
 * @property {number | null} status null until answered
 * @property {any} [body] the JSON sent back, if any
 * @property {'before' | 'after'} [dropped]
 * @property {number} [applied] with an `apply` fault: the status the real operation answered
 * @property {true} [clientGone] the client had closed the connection before the answer was ready
 */

const HOST = '127.0.0.1';

class EmulatorServer {
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
		this.environment = options.environment ?? 'sandbox';
		this.clock = options.clock ?? { now: () => Date.now() };
		this.state = new EmulatorState({ shapes: { ...defaultShapes(), ...pickShapes(options) }, clock: this.clock, environment: this.environment });
		/** Every irreversible call Plaid carried out (removals.js), until reset() or clearRequests(). */
		this.removalLog = new RemovalLog(this.clock);
		this.outbox = new WebhookOutbox((url, payload) => this.sendWebhook(url, payload));
		this.signer = new WebhookSigner();
		this.faults = new FaultQueue();
		const { rateLimitPerSecond, rateLimits = [] } = this.options;
		const specs = [...(rateLimitPerSecond === undefined ? [] : [perSecondSpec(rateLimitPerSecond)]), ...rateLimits];
		this.rateLimits = new RateLimits(specs, this.clock, (token) => this.state.itemsByAccessToken.get(token)?.item.item_id);
		/** TCP connections that carried a Plaid request (a client without keep-alive opens one per request). */
		this.connections = 0;
		/** @type {WeakSet<import('node:net').Socket>} */
		this.plaidSockets = new WeakSet();
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

	/**
	 * Answers a test-only /__emulator/ route (inspect-routes.js); PlaidEmulator serves them with its API.
	 * @param {import('./inspect-routes').InspectCall} _call @returns {Answer}
	 */
	inspect(_call) {
		return jsonAnswer(404, { error: 'no inspect routes here' });
	}

	/** @param {http.IncomingMessage} request @param {http.ServerResponse} response */
	async handle(request, response) {
		const rawBody = await readBody(request);
		const { pathname } = new URL(request.url ?? '/', 'http://emulator.invalid');
		if (this.options.inspectRoutes && isInspectPath(pathname)) {
			return sendAnswer(response, this.inspect({ method: request.method ?? '', pathname, rawBody, remoteAddress: request.socket.remoteAddress }));
		}
		if (!this.plaidSockets.has(request.socket)) {
			this.plaidSockets.add(request.socket);
			this.connections += 1;
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
		if (fault?.apply) return this.answerAfterApplying(request, response, record, fault);
		if (fault?.delayMs) await this.wait(fault.delayMs);
		if (fault?.drop === 'before') return this.drop(request, record, 'before', null);
		/** @type {import('./routes').OutgoingWebhook[]} */
		const outbox = [];
		/** @type {Removal[]} */
		const removals = [];
		const answer = fault && replacesAnswer(fault) && fault.drop !== 'after' ? faultAnswer(fault) : this.decide(record, outbox, removals);
		// Plaid acted even when the answer is lost on the way: its webhooks go out all the same.
		if (fault?.drop === 'after') {
			this.drop(request, record, 'after', answer.status);
			return this.outbox.deliver(outbox);
		}
		await this.wait(this.answerDelayMs());
		this.send(response, record, answer, undefined, removals);
		this.outbox.deliver(outbox);
	}

	/**
	 * An `apply` fault: the real operation happens (its webhooks go out), then the delay, then the
	 * fault's answer (or the real one, late), or a dropped connection.
	 * @param {http.IncomingMessage} request @param {http.ServerResponse} response
	 * @param {RecordedRequest} record @param {Fault} fault
	 */
	async answerAfterApplying(request, response, record, fault) {
		/** @type {import('./routes').OutgoingWebhook[]} */
		const outbox = [];
		/** @type {Removal[]} */
		const removals = [];
		const applied = this.decide(record, outbox, removals);
		this.outbox.deliver(outbox);
		await this.wait(fault.delayMs ?? 0);
		if (fault.drop === 'after') return this.drop(request, record, 'after', applied.status);
		await this.wait(this.answerDelayMs());
		const real = !replacesAnswer(fault);
		this.send(response, record, real ? applied : faultAnswer(fault), applied.status, real ? removals : []);
	}

	/**
	 * @param {http.ServerResponse} response @param {RecordedRequest} record @param {Answer} answer
	 * @param {number} [applied] the real operation's status, when a fault answers in its place
	 * @param {Removal[]} [removals] the log entries this answer tells of: delivered once it is sent
	 */
	send(response, record, answer, applied, removals = []) {
		const clientGone = response.destroyed || response.socket === null || response.socket.destroyed;
		record.response = {
			status: answer.status,
			body: parseJson(answer.payload),
			...(applied === undefined ? {} : { applied }),
			...(clientGone ? { clientGone: /** @type {true} */ (true) } : {}),
		};
		if (clientGone) return;
		sendAnswer(response, answer);
		for (const removal of removals) removal.delivered = true;
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
	 * The normal answer: rate limit, then Plaid's checks and the endpoint, which may queue webhooks in
	 * `outbox`; what an irreversible endpoint did goes into the removal log and into `removals`.
	 * @param {RecordedRequest} record @param {import('./routes').OutgoingWebhook[]} outbox @param {Removal[]} removals
	 * @returns {Answer}
	 */
	decide(record, outbox, removals) {
		const limited = this.rateLimitAnswer(record);
		if (limited) return limited;
		try {
			const { state, signer, clientId, secret, environment } = this;
			/** @type {import('./removals').RemovalWork[]} */
			const work = [];
			const answer = answerCall(record, { state, signer, clientId, secret, gatewayToken: this.options.gatewayToken, environment, webhooks: outbox, removals: work });
			removals.push(...this.removalLog.add(record.path, work, answer));
			return answer;
		} catch (error) {
			// A bug in the emulator: answer like Plaid's API_ERROR so the test sees it.
			return failureAnswer(new PlaidFailure('INTERNAL_SERVER_ERROR', `emulator bug: ${error instanceof Error ? error.stack : String(error)}`));
		}
	}

	/** A 429 when a rate limit refuses the request, which then changes nothing. @param {RecordedRequest} record @returns {Answer | undefined} */
	rateLimitAnswer(record) {
		const refusal = this.rateLimits.check({ path: record.path, accessToken: record.body?.access_token });
		if (!refusal) return undefined;
		const body = plaidError(refusal.errorCode, refusal.message, { error_type: 'RATE_LIMIT_EXCEEDED' });
		return jsonAnswer(429, { ...body }, refusal.headers);
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
	}}

module.exports = { EmulatorServer };
