/**
 * The webhook verifier on its own: Plaid-signed tokens from the emulator's signer, the key lookup
 * replaced by a counting function over the keys the emulator serves, a fixed clock.
 */
import * as crypto from 'node:crypto';
import fc from 'fast-check';

import { type KeyLookup, VerificationKeyStore } from '../../../nodes/PlaidTrigger/verificationKeys';
import { type VerifyWebhookOptions, verifyWebhook } from '../../../nodes/PlaidTrigger/verifyWebhook';
import { WebhookSigner } from '../../emulator/webhooks';

const NOW_MS = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW_S = NOW_MS / 1000;
const payload = {
	webhook_type: 'ITEM',
	webhook_code: 'USER_PERMISSION_REVOKED',
	item_id: 'eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6',
	user_id: 'usr_8c3ZbDBYjaqUXZ',
	environment: 'sandbox',
};
const rawText = JSON.stringify(payload, null, 2);
const rawBody = Buffer.from(rawText);

let signer: WebhookSigner;
let fetched: string[];
let lookup: (kid: string) => Promise<KeyLookup>;

beforeEach(() => {
	signer = new WebhookSigner();
	fetched = [];
	lookup = async (kid) => {
		const key = signer.jwkFor(kid);
		return key ? { key } : { unknownKeyId: true };
	};
});

function options(overrides: Partial<VerifyWebhookOptions> = {}): VerifyWebhookOptions {
	return {
		fetchKey: async (kid) => {
			fetched.push(kid);
			return await lookup(kid);
		},
		keys: new VerificationKeyStore(),
		scope: 'sandbox',
		requestsPerFetch: 1,
		now: () => NOW_MS,
		...overrides,
	};
}

function sign(body: string = rawText, signOptions: Parameters<WebhookSigner['sign']>[1] = {}): string {
	return signer.sign(body, { iat: NOW_S - 10, ...signOptions });
}

async function verify(token: string | undefined, body: Buffer = rawBody, opts = options()) {
	const headers = token === undefined ? {} : { 'plaid-verification': token };
	return await verifyWebhook({ headers, rawBody: body }, opts);
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const bodySha256 = crypto.createHash('sha256').update(rawBody).digest('hex');
const claims = () => ({ iat: NOW_S, request_body_sha256: bodySha256 });

describe('a webhook signed by Plaid', () => {
	it('verifies and names the key, the time and the body hash it was signed with', async () => {
		expect(await verify(sign())).toEqual({ ok: true, keyId: signer.current.kid, issuedAt: NOW_S - 10, bodySha256 });
		expect(fetched).toEqual([signer.current.kid]);
	});

	it('reads the header in any case', async () => {
		for (const name of ['Plaid-Verification', 'PLAID-VERIFICATION', 'plaid-verification']) {
			expect(await verifyWebhook({ headers: { [name]: sign() }, rawBody }, options())).toMatchObject({ ok: true });
		}
	});

	it('accepts a token up to 5 minutes old and up to 2 minutes ahead of our clock', async () => {
		expect(await verify(sign(rawText, { iat: NOW_S - 299 }))).toMatchObject({ ok: true });
		expect(await verify(sign(rawText, { iat: NOW_S + 119 }))).toMatchObject({ ok: true });
	});
});

describe('refused with 401', () => {
	const refused = (reason: string) => ({ ok: false, status: 401, reason });

	it('a body changed by one byte', async () => {
		const tampered = Buffer.from(rawBody);
		tampered[tampered.indexOf('U'.charCodeAt(0))] = 'V'.charCodeAt(0);
		expect(await verify(sign(), tampered)).toEqual(refused('body does not match the signed hash'));
		expect(fetched).toEqual([]);
	});

	it('the same JSON parsed and re-serialised (the hash is of the bytes Plaid sent)', async () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawText)));
		expect(await verify(sign(), reserialised)).toEqual(refused('body does not match the signed hash'));
	});

	it('a key id Plaid does not know', async () => {
		expect(await verify(sign(rawText, { kid: 'a9f4c1e2-0000-4000-8000-000000000000' }))).toEqual(refused('unknown verification key'));
		expect(fetched).toEqual(['a9f4c1e2-0000-4000-8000-000000000000']);
	});

	it('a key Plaid has expired, even with a valid signature', async () => {
		expect(await verify(sign(rawText, { key: 'expired' }))).toEqual(refused('verification key expired'));
	});

	it('a token issued 6 minutes ago, without asking Plaid for a key', async () => {
		expect(await verify(sign(rawText, { iat: NOW_S - 6 * 60 }))).toEqual(refused('verification token too old'));
		expect(fetched).toEqual([]);
	});

	it('a token just outside the window: 301 s old, or 121 s ahead', async () => {
		expect(await verify(sign(rawText, { iat: NOW_S - 301 }))).toEqual(refused('verification token too old'));
		expect(await verify(sign(rawText, { iat: NOW_S + 121 }))).toEqual(refused('verification token issued in the future'));
	});

	it('a token issued beyond the clock skew in the future', async () => {
		expect(await verify(sign(rawText, { iat: NOW_S + 3 * 60 }))).toEqual(refused('verification token issued in the future'));
		expect(fetched).toEqual([]);
	});

	it('alg "none", before any key work', async () => {
		const token = `${b64({ alg: 'none', kid: signer.current.kid, typ: 'JWT' })}.${b64(claims())}.`;
		expect(await verify(token)).toEqual(refused('unsupported token algorithm'));
		expect(fetched).toEqual([]);
	});

	it('HS256 signed with Plaid’s public key as the HMAC secret, before any key work', async () => {
		const publicKey = crypto.createPublicKey({ key: signer.current.jwk as crypto.JsonWebKey, format: 'jwk' });
		const signingInput = `${b64({ alg: 'HS256', kid: signer.current.kid, typ: 'JWT' })}.${b64(claims())}`;
		for (const secret of [publicKey.export({ type: 'spki', format: 'pem' }), JSON.stringify(signer.current.jwk)]) {
			const mac = crypto.createHmac('sha256', secret).update(signingInput).digest('base64url');
			expect(await verify(`${signingInput}.${mac}`)).toEqual(refused('unsupported token algorithm'));
		}
		expect(fetched).toEqual([]);
	});

	it('any algorithm but ES256, spelled exactly', async () => {
		for (const alg of ['RS256', 'ES384', 'es256', 'PS256', 'ES256 ', '']) {
			expect(await verify(sign(rawText, { alg }))).toEqual(refused('unsupported token algorithm'));
		}
		expect(fetched).toEqual([]);
	});

	it('no Plaid-Verification header, or an empty or repeated one', async () => {
		expect(await verify(undefined)).toEqual(refused('missing Plaid-Verification header'));
		expect(await verify('')).toEqual(refused('missing Plaid-Verification header'));
		const repeated = { 'plaid-verification': [sign(), sign()] };
		expect(await verifyWebhook({ headers: repeated, rawBody }, options())).toEqual(refused('missing Plaid-Verification header'));
	});

	it('a malformed JWT: 2 or 4 parts, bad base64, bad JSON, missing or mistyped claims', async () => {
		const [header, body, signature] = sign().split('.');
		const malformed = [
			`${header}.${body}`,
			`${header}.${body}.${signature}.${signature}`,
			`${header}!.${body}.${signature}`,
			`${header}.${body}=.${signature}`,
			`${b64('{"alg":"ES256",')}.${body}.${signature}`,
			`${b64(['ES256'])}.${body}.${signature}`,
			`${header}.${b64('not json')}.${signature}`,
			`${b64({ alg: 'ES256', typ: 'JWT' })}.${body}.${signature}`,
			`${header}.${b64({ ...claims(), iat: String(NOW_S) })}.${signature}`,
			`${header}.${b64({ iat: NOW_S })}.${signature}`,
		];
		for (const token of malformed) {
			expect(await verify(token)).toEqual(refused('malformed verification token'));
		}
		expect(fetched).toEqual([]);
	});

	it('a signature from a key Plaid never served, or no valid signature at all', async () => {
		expect(await verify(sign(rawText, { key: 'foreign' }))).toEqual(refused('invalid signature'));
		const [header, body] = sign().split('.');
		for (const signature of ['', 'AAAA', crypto.randomBytes(64).toString('base64url'), 'not*base64']) {
			expect(await verify(`${header}.${body}.${signature}`)).toEqual(refused('invalid signature'));
		}
	});
});

describe('when Plaid cannot give the key', () => {
	const unavailable = { ok: false, status: 500, reason: 'verification key unavailable' };

	it('answers 500 (so Plaid retries) and never accepts, whether the lookup throws or fails', async () => {
		const keys = new VerificationKeyStore();
		lookup = async () => {
			throw new Error('ECONNREFUSED');
		};
		expect(await verify(sign(), rawBody, options({ keys }))).toEqual(unavailable);
		lookup = async () => ({ unavailable: true });
		expect(await verify(sign(), rawBody, options({ keys }))).toEqual(unavailable);
		expect(keys.describe('sandbox', NOW_MS)).toMatchObject({ heldKeys: 0, unknownKeyIds: 0 });
		expect(fetched).toHaveLength(2);
	});

	it('answers 500 for a key that is not an ES256 P-256 key for that id', async () => {
		const good = signer.current.jwk;
		const unusable = [{ ...good, kid: signer.expired.kid }, { ...good, alg: 'RS256' }, { ...good, crv: 'P-384' }, { ...good, x: 42 }, { ...good, expired_at: 'soon' }, null];
		for (const key of unusable) {
			lookup = async () => ({ key } as unknown as KeyLookup);
			expect(await verify(sign())).toEqual(unavailable);
		}
	});
});

describe('the key store', () => {
	it('fetches a key once, then verifies from the store', async () => {
		const keys = new VerificationKeyStore();
		await verify(sign(), rawBody, options({ keys }));
		expect(await verify(sign(), rawBody, options({ keys }))).toMatchObject({ ok: true });
		expect(fetched).toEqual([signer.current.kid]);
	});

	it('keeps environments apart: a key held for one scope is fetched again for another', async () => {
		const keys = new VerificationKeyStore();
		await verify(sign(), rawBody, options({ keys, scope: 'production' }));
		await verify(sign(), rawBody, options({ keys, scope: 'sandbox' }));
		expect(fetched).toEqual([signer.current.kid, signer.current.kid]);
	});

	it('remembers a key id Plaid does not know instead of asking again', async () => {
		const keys = new VerificationKeyStore();
		const token = sign(rawText, { kid: 'unknown-kid' });
		await verify(token, rawBody, options({ keys }));
		expect(await verify(token, rawBody, options({ keys }))).toEqual({ ok: false, status: 401, reason: 'unknown verification key' });
		expect(fetched).toEqual(['unknown-kid']);
		expect(keys.describe('sandbox', NOW_MS)).toMatchObject({ heldKeys: 0, unknownKeyIds: 1 });
	});
});

describe('whatever arrives', () => {
	const reasons = new Set([
		'missing Plaid-Verification header',
		'malformed verification token',
		'unsupported token algorithm',
		'verification token too old',
		'verification token issued in the future',
		'body does not match the signed hash',
		'unknown verification key',
		'verification key expired',
		'invalid signature',
		'verification key lookups paused',
	]);
	const keys = new VerificationKeyStore();
	const jwtLike = fc.oneof(
		fc.string(),
		fc.array(fc.base64String().map((text) => text.replace(/=/g, '')), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')),
		fc.record({ alg: fc.constantFrom('ES256', 'none', 'HS256'), kid: fc.string() }).map((header) => `${b64(header)}.${b64(claims())}.${b64('sig')}`),
	);

	it('never throws, never accepts, and answers with a fixed reason that quotes nothing', async () => {
		await fc.assert(
			fc.asyncProperty(jwtLike, fc.uint8Array({ maxLength: 64 }), async (token, body) => {
				const result = await verify(token, Buffer.from(body), options({ keys }));
				expect(result.ok).toBe(false);
				expect(reasons.has((result as { reason: string }).reason)).toBe(true);
			}),
			{ numRuns: 300 },
		);
	});
});
