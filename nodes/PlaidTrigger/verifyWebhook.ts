import { createHash, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

import type { KeySource, PlaidVerificationKey, VerificationKeyStore } from './verificationKeys';

export type WebhookVerification =
	| {
			ok: true;
			keyId: string;
			/** The token's `iat` (Unix seconds) and `request_body_sha256`: with the key id, what names this delivery. */
			issuedAt: number;
			bodySha256: string;
	  }
	| { ok: false; status: 401 | 500; reason: string };

/** Plaid's own example refuses tokens issued more than 5 minutes ago. */
export const MAX_TOKEN_AGE_SECONDS = 5 * 60;
/** Tolerated difference between Plaid's clock and ours, for tokens that seem to come from the future. */
export const MAX_CLOCK_SKEW_SECONDS = 2 * 60;

export interface WebhookRequestParts {
	/** Request headers; the name `Plaid-Verification` is matched in any case. */
	headers: Record<string, unknown>;
	/** The body bytes exactly as received: a parsed and re-serialised body hashes differently. */
	rawBody: Buffer;
}

export interface VerifyWebhookOptions extends KeySource {
	keys: VerificationKeyStore;
	/** The Plaid environment and client the keys come from: a Sandbox key never verifies a Production call. */
	scope: string;
	/** Milliseconds since the epoch; defaults to Date.now. */
	now?: () => number;
}

interface DecodedToken {
	header: Record<string, unknown>;
	encodedClaims: string;
	encodedSignature: string;
	signingInput: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const refuse = (reason: string): WebhookVerification => ({ ok: false, status: 401, reason });

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON object in `bytes`, or undefined for anything else (invalid JSON, an array, a string …). */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(bytes.toString('utf8'));
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

function decodeJsonPart(part: string): Record<string, unknown> | undefined {
	return BASE64URL.test(part) ? parseJsonObject(Buffer.from(part, 'base64url')) : undefined;
}

function readVerificationHeader(headers: Record<string, unknown>): string | undefined {
	for (const [name, value] of Object.entries(headers)) {
		if (name.toLowerCase() === 'plaid-verification' && typeof value === 'string' && value !== '') {
			return value;
		}
	}
	return undefined;
}

function decodeToken(token: string): DecodedToken | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	const [encodedHeader, encodedClaims, encodedSignature] = parts;
	const header = decodeJsonPart(encodedHeader);
	if (!header) return undefined;
	return { header, encodedClaims, encodedSignature, signingInput: `${encodedHeader}.${encodedClaims}` };
}

function sha256HexMatches(rawBody: Buffer, claimed: string): boolean {
	const actual = Buffer.from(createHash('sha256').update(rawBody).digest('hex'), 'utf8');
	const expected = Buffer.from(claimed, 'utf8');
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The claims Plaid signs: when the token was issued and the hash of the body. */
function checkClaims(
	claims: Record<string, unknown>,
	rawBody: Buffer,
	nowMs: number,
): { issuedAt: number; bodySha256: string } | { problem: string } {
	const { iat, request_body_sha256: bodyHash } = claims;
	if (typeof iat !== 'number' || !Number.isFinite(iat) || typeof bodyHash !== 'string') {
		return { problem: 'malformed verification token' };
	}
	const nowSeconds = nowMs / 1000;
	if (nowSeconds - iat > MAX_TOKEN_AGE_SECONDS) return { problem: 'verification token too old' };
	if (iat - nowSeconds > MAX_CLOCK_SKEW_SECONDS) return { problem: 'verification token issued in the future' };
	if (!sha256HexMatches(rawBody, bodyHash)) return { problem: 'body does not match the signed hash' };
	return { issuedAt: iat, bodySha256: bodyHash };
}

function signatureIsValid(token: DecodedToken, key: PlaidVerificationKey): boolean {
	if (!BASE64URL.test(token.encodedSignature)) return false;
	try {
		const publicKey = createPublicKey({
			key: { kty: key.kty, crv: key.crv, x: key.x, y: key.y },
			format: 'jwk',
		});
		// JWS carries ES256 signatures as the raw r||s pair (IEEE P1363), not DER.
		return verify(
			'sha256',
			Buffer.from(token.signingInput),
			{ key: publicKey, dsaEncoding: 'ieee-p1363' },
			Buffer.from(token.encodedSignature, 'base64url'),
		);
	} catch {
		return false;
	}
}

/**
 * Checks a Plaid webhook the way Plaid documents it: the `Plaid-Verification` JWT must be ES256,
 * signed by Plaid's key for its `kid` (not expired, see VerificationKeyStore), issued within the
 * last 5 minutes, and carry the SHA-256 of the raw body. Never throws: a bad webhook is a result,
 * and its reason never quotes the request.
 */
export async function verifyWebhook(
	request: WebhookRequestParts,
	options: VerifyWebhookOptions,
): Promise<WebhookVerification> {
	const jwt = readVerificationHeader(request.headers);
	if (!jwt) return refuse('missing Plaid-Verification header');
	const token = decodeToken(jwt);
	if (!token) return refuse('malformed verification token');
	// Before any key work: `none` and HS256 (with the public key as the secret) are classic forgeries.
	if (token.header.alg !== 'ES256') return refuse('unsupported token algorithm');
	const keyId = token.header.kid;
	if (typeof keyId !== 'string' || keyId === '') return refuse('malformed verification token');
	const claims = decodeJsonPart(token.encodedClaims);
	if (!claims) return refuse('malformed verification token');

	// Stale or mismatched tokens are refused without asking Plaid for a key.
	const now = options.now ?? Date.now;
	const checked = checkClaims(claims, request.rawBody, now());
	if ('problem' in checked) return refuse(checked.problem);

	const found = await options.keys.find(options.scope, keyId, options, now());
	if (!found.ok) return found;
	if (!signatureIsValid(token, found.key)) return refuse('invalid signature');
	return { ok: true, keyId, ...checked };
}
