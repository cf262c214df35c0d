// @ts-check
'use strict';

// Webhook signing as Plaid does it (webhooks.md): a `Plaid-Verification` header holding an ES256 JWT
// whose header names the key (`kid`) and whose payload carries `iat` and `request_body_sha256`, the
// hex SHA-256 of the raw body. Verifiers fetch the public key with /webhook_verification_key/get.

const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

/**
 * @typedef {object} JwkPublicKey spec `JWKPublicKey`
 * @property {string} alg
 * @property {string} crv
 * @property {string} kid
 * @property {string} kty
 * @property {string} use
 * @property {string} x
 * @property {string} y
 * @property {number} created_at
 * @property {number | null} expired_at
 */

/**
 * @typedef {object} SignOptions
 * @property {string} [kid] default: the kid of the chosen key (the current kid for 'foreign')
 * @property {number} [iat] default: now, in Unix seconds
 * @property {string} [alg] written into the JWT header; the signature is always ES256
 * @property {'current' | 'expired' | 'foreign' | string} [key] 'foreign' signs with a key that is never served;
 *   any other string is the kid of a served key (one rotated out, say)
 * @property {string} [bodyHashOverride] replaces request_body_sha256
 * @property {Record<string, unknown>} [header] extra or replacement JWT header fields
 * @property {Record<string, unknown>} [payload] extra or replacement JWT claims
 */

/**
 * @typedef {SignOptions & { rawBody?: string, headers?: Record<string, string | null | undefined> }} SendWebhookOptions
 * `rawBody` is sent (and hashed) instead of JSON.stringify(payload); a header set to null is not sent.
 */

/** @typedef {{ status: number, headers: import('node:http').IncomingHttpHeaders, body: unknown }} WebhookDelivery */

/** @typedef {{ kid: string, privateKey: crypto.KeyObject, jwk: JwkPublicKey }} SigningKey */

const DAY_SECONDS = 24 * 60 * 60;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** @param {number} createdAt @param {number | null} expiredAt @returns {SigningKey} */
function makeSigningKey(createdAt, expiredAt) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
	const kid = crypto.randomUUID();
	const { x, y } = publicKey.export({ format: 'jwk' });
	if (!x || !y) throw new Error('EC public key export lacks x/y');
	const jwk = { alg: 'ES256', crv: 'P-256', kid, kty: 'EC', use: 'sig', x, y, created_at: createdAt, expired_at: expiredAt };
	return { kid, privateKey, jwk };
}

/** @param {unknown} value */
const base64urlJson = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** @param {string} text */
const sha256Hex = (text) => crypto.createHash('sha256').update(text).digest('hex');

class WebhookSigner {
	constructor() {
		const now = nowSeconds();
		this.current = makeSigningKey(now - DAY_SECONDS, null);
		// Rotated out: still served (verifiers must look at expired_at), but it must not be trusted.
		this.expired = makeSigningKey(now - 90 * DAY_SECONDS, now - 30 * DAY_SECONDS);
		// Never served: a signature from someone who is not Plaid.
		this.foreign = makeSigningKey(now, null);
		/** @type {SigningKey[]} every key Plaid serves, oldest first */
		this.served = [this.expired, this.current];
	}

	/** The served public key for a kid, or undefined (→ INVALID_WEBHOOK_VERIFICATION_KEY_ID). @param {string} kid */
	jwkFor(kid) {
		const key = this.served.find((candidate) => candidate.kid === kid);
		return key ? { ...key.jwk } : undefined;
	}

	/**
	 * Plaid starts signing with a new key. The one it replaces is still served, unexpired, until
	 * expireKey() is called for it: Plaid's documents do not say how long that takes.
	 * @returns {{ current: string, previous: string }} the kids
	 */
	rotate() {
		const previous = this.current;
		this.current = makeSigningKey(nowSeconds(), null);
		this.served.push(this.current);
		return { current: this.current.kid, previous: previous.kid };
	}

	/**
	 * Plaid marks a served key expired: from now on /webhook_verification_key/get returns it with
	 * `expired_at` set. The current key may be expired too (then rotate() to sign with a valid one).
	 * @param {string} [kid] default: the current key
	 * @param {number} [at] `expired_at`, Unix seconds; default now
	 * @returns {JwkPublicKey} the key as now served
	 */
	expireKey(kid = this.current.kid, at = nowSeconds()) {
		const key = this.served.find((candidate) => candidate.kid === kid);
		if (!key) throw new Error(`no served key ${kid}`);
		key.jwk.expired_at = at;
		return { ...key.jwk };
	}

	/** @param {SignOptions['key']} choice @returns {SigningKey} */
	signingKey(choice = 'current') {
		if (choice === 'current' || choice === 'expired' || choice === 'foreign') return this[choice];
		const key = this.served.find((candidate) => candidate.kid === choice);
		if (!key) throw new Error(`no served key ${choice}`);
		return key;
	}

	/**
	 * A `Plaid-Verification` JWT for the raw body.
	 * @param {string} rawBody
	 * @param {SignOptions} [options]
	 */
	sign(rawBody, options = {}) {
		const key = this.signingKey(options.key);
		// A forged token names Plaid's current kid: the signature is what gives it away.
		const defaultKid = options.key === 'foreign' ? this.current.kid : key.kid;
		const header = { alg: options.alg ?? 'ES256', kid: options.kid ?? defaultKid, typ: 'JWT', ...options.header };
		const payload = {
			iat: options.iat ?? nowSeconds(),
			request_body_sha256: options.bodyHashOverride ?? sha256Hex(rawBody),
			...options.payload,
		};
		const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
		// JWS ES256 wants the raw r||s pair (IEEE P1363), not DER.
		const signature = crypto.sign('sha256', Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
		return `${signingInput}.${signature.toString('base64url')}`;
	}
}

/**
 * Header names compared case-insensitively; a null/undefined value removes the header.
 * @param {Record<string, string>} base
 * @param {Record<string, string | null | undefined>} [extra]
 */
function mergeHeaders(base, extra = {}) {
	/** @type {Map<string, [string, string | null | undefined]>} */
	const byLowerName = new Map();
	for (const [name, value] of [...Object.entries(base), ...Object.entries(extra)]) byLowerName.set(name.toLowerCase(), [name, value]);
	/** @type {Record<string, string>} */
	const headers = {};
	for (const [name, value] of byLowerName.values()) if (value !== null && value !== undefined) headers[name] = value;
	return headers;
}

/** @param {string} text @returns {unknown} */
function parseJsonOrText(text) {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/**
 * POSTs a webhook the way Plaid delivers one. No keep-alive agent, so nothing lingers after the call.
 * @param {string} url
 * @param {string} rawBody
 * @param {Record<string, string>} headers
 * @returns {Promise<WebhookDelivery>}
 */
function postWebhook(url, rawBody, headers) {
	const target = new URL(url);
	const transport = target.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = transport.request(
			target,
			{ method: 'POST', agent: false, headers: { ...headers, 'Content-Length': Buffer.byteLength(rawBody) } },
			(response) => {
				/** @type {Buffer[]} */
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('error', reject);
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parseJsonOrText(text) });
				});
			},
		);
		request.on('error', reject);
		request.end(rawBody);
	});
}

module.exports = { WebhookSigner, postWebhook, mergeHeaders, sha256Hex };
