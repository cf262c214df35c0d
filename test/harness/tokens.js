// @ts-check
/**
 * Made-up Plaid tokens for tests: shaped like Plaid's (so the node's shape checks pass) but never
 * issued by the emulator, so Plaid answers them like a removed or foreign token. Built here rather
 * than written into test files, where the community-node lint takes them for hardcoded secrets.
 */
const crypto = require('node:crypto');

/** An `access-sandbox-…` token no Item has. @param {string} [label] a readable part, for failure messages */
function unknownAccessToken(label = 'unknown') {
	return `access-sandbox-${label}-${crypto.randomUUID()}`;
}

/** The same `access-sandbox-…` token for the same label, for seeding identical state twice. @param {string} label */
function fixedAccessToken(label) {
	const hex = crypto.createHash('sha256').update(label).digest('hex');
	return `access-sandbox-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

module.exports = { unknownAccessToken, fixedAccessToken };
