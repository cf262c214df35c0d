// @ts-check
'use strict';

// Identifiers shaped like Plaid's (spec examples): request_id `m8MDnv9okwxFNBV`, item_id of 37 letters and
// digits, `access-sandbox-<uuid>`, `user-sandbox-<uuid>`, new-API user_id `usr_9nSp2KuZ2x4JDw`, legacy
// user_id `wz666MBjYWTp2PDzzggYhM6oWWmBb`, `assets-sandbox-<uuid>` with an asset_report_id that is a UUID,
// audit copy `a-sandbox-3TAU2CWVYBDVRHUCAAAI27ULU4`. Tokens carry the environment that issued them.

const crypto = require('node:crypto');

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** @param {number} length */
function randomAlphanumeric(length) {
	let text = '';
	for (let i = 0; i < length; i++) text += ALPHANUMERIC[crypto.randomInt(ALPHANUMERIC.length)];
	return text;
}

/**
 * The same letters for the same seed, so demo data has stable IDs from run to run.
 * @param {string} seed
 * @param {number} length
 */
function seededAlphanumeric(seed, length) {
	let text = '';
	for (let round = 0; text.length < length; round++) {
		const digest = crypto.createHash('sha256').update(`${seed}#${round}`).digest();
		for (const byte of digest) {
			// Bytes >= 248 would bias the modulo; skip them.
			if (byte < 248 && text.length < length) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
		}
	}
	return text;
}

/** A UUID v4-shaped string derived from a seed. @param {string} seed */
function seededUuid(seed) {
	const hex = crypto.createHash('sha256').update(seed).digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The 26 letters of an audit copy token (base32). @param {string} [seed] a seed for a stable one */
function base32(seed) {
	const digest = crypto.createHash('sha256').update(seed ?? crypto.randomBytes(16)).digest();
	let text = '';
	for (let i = 0; text.length < 26; i++) text += BASE32[digest[i] & 31];
	return text;
}

/** @typedef {'sandbox' | 'production'} Environment */

const newRequestId = () => randomAlphanumeric(15);
const newItemId = () => randomAlphanumeric(37);
const newUserId = () => `usr_${randomAlphanumeric(14)}`;
/** A user_id of Plaid's legacy user-token API: no prefix. */
const newLegacyUserId = () => randomAlphanumeric(29);
/** @param {Environment} [environment] */
const newAccessToken = (environment = 'sandbox') => `access-${environment}-${crypto.randomUUID()}`;
/** @param {Environment} [environment] */
const newUserToken = (environment = 'sandbox') => `user-${environment}-${crypto.randomUUID()}`;
/** @param {Environment} [environment] */
const newAssetReportToken = (environment = 'sandbox') => `assets-${environment}-${crypto.randomUUID()}`;
/** @param {Environment} [environment] @param {string} [seed] */
const newAuditCopyToken = (environment = 'sandbox', seed) => `a-${environment}-${base32(seed)}`;
const newSecret = () => `emulator-secret-${crypto.randomBytes(12).toString('hex')}`;

module.exports = {
	randomAlphanumeric,
	seededAlphanumeric,
	seededUuid,
	newRequestId,
	newItemId,
	newUserId,
	newLegacyUserId,
	newAccessToken,
	newUserToken,
	newAssetReportToken,
	newAuditCopyToken,
	newSecret,
};
