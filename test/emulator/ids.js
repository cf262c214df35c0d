// @ts-check
'use strict';

// Identifiers shaped like Plaid's: request_id `m8MDnv9okwxFNBV`, item_id of 37 letters and digits,
// `access-sandbox-<uuid>`, `user-sandbox-<uuid>`, new-API user_id `usr_9nSp2KuZ2x4JDw` (spec examples).

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

const newRequestId = () => randomAlphanumeric(15);
const newItemId = () => randomAlphanumeric(37);
const newUserId = () => `usr_${randomAlphanumeric(14)}`;
const newAccessToken = () => `access-sandbox-${crypto.randomUUID()}`;
const newUserToken = () => `user-sandbox-${crypto.randomUUID()}`;
const newSecret = () => `emulator-secret-${crypto.randomBytes(12).toString('hex')}`;

module.exports = {
	randomAlphanumeric,
	seededAlphanumeric,
	seededUuid,
	newRequestId,
	newItemId,
	newUserId,
	newAccessToken,
	newUserToken,
	newSecret,
};
