// @ts-check
'use strict';

// Where Plaid's documents are silent, the emulator does not guess once: each open question is a named
// shape with several plausible answers, chosen per emulator (constructor option, setShapes(), a CLI
// flag, POST /__emulator/shapes). A client must be right under every value. This catalogue is the one
// source of the names, values, defaults, CLI flags and --help lines.

/**
 * @typedef {object} Shapes
 * @property {'new' | 'legacy'} userApi which User API this client is on. Plaid decides it by the date
 *   the client began using /user/create (before 2025-12-10: legacy), not by the request body. 'new'
 *   (default): /user/create answers `{ user_id: 'usr_…' }` and is idempotent per client_user_id.
 *   'legacy': it answers `{ user_token: 'user-<env>-…', user_id: <29 letters and digits> }` and
 *   refuses a repeat client_user_id; `with_upgraded_user: true` or the header
 *   `Plaid-New-User-API-Enabled: true` still makes a new-API user.
 * @property {'always-200' | '201-on-create'} createdStatus the spec lists 200 and 201 for /user/create
 *   without saying when: always 200 (default), or 201 for a new new-API user and 200 for a repeat.
 * @property {'INVALID_FIELD' | 'USER_ALREADY_EXISTS'} legacyRepeatAnswer a legacy client's repeat
 *   client_user_id ("the user has been created for the given client_user_id"; no code documented):
 *   INVALID_REQUEST / INVALID_FIELD (default), or USER_ERROR / USER_ALREADY_EXISTS (not a Plaid code).
 * @property {'INVALID_USER_ID' | 'USER_NOT_FOUND'} legacyUserIdAnswer a legacy user's user_id sent
 *   without its user_token (Plaid: it cannot stand in for the token; the code is not documented), and a
 *   user token sent in user_id by a client that has not migrated.
 * @property {boolean} legacyUsersMigrated Plaid's migration path: every legacy user's user_token is
 *   accepted in `user_id` (default false; one user can be marked `migrated` when seeded).
 * @property {'ITEM_NOT_FOUND' | 'INVALID_FIELD' | 'INVALID_REQUEST'} notAttachedAnswer /user/items/remove
 *   with an Item not attached to the user: the whole call fails and nothing is removed (spec); the code
 *   is not documented: ITEM_ERROR / ITEM_NOT_FOUND (default), INVALID_REQUEST / INVALID_FIELD, or
 *   INVALID_REQUEST with the unspecific code INVALID_REQUEST.
 * @property {'names-ids' | 'generic'} notAttachedMessage whether that error_message lists the IDs.
 * @property {number} readLagMs an Item removed by any route (and a removed user) is still listed by
 *   /user/items/get for this long, on the emulator's clock (reported against Plaid's Sandbox,
 *   plaid/plaid-node#687). Writes see the removal at once. Default 0.
 * @property {boolean} readLagItemGet during that lag /item/get also still answers the removed Item
 *   (default false: only the list lags).
 * @property {'INVALID_PARENT' | 'INVALID_ASSET_REPORT_TOKEN' | 'ASSET_REPORT_NOT_FOUND' | 'INVALID_FIELD'} unknownAssetReportAnswer
 *   /asset_report/remove and /asset_report/get with a token Plaid does not know (never issued, removed,
 *   other environment): undocumented. ASSET_REPORT_ERROR / INVALID_PARENT (default: the one documented
 *   code for a report that "does not exist ... because it was deleted", there for the copy endpoints),
 *   INVALID_INPUT / INVALID_ASSET_REPORT_TOKEN and ASSET_REPORT_ERROR / ASSET_REPORT_NOT_FOUND (not Plaid
 *   codes, shaped like its token and not-found codes), or INVALID_REQUEST / INVALID_FIELD.
 * @property {'forgotten' | 'listed'} terminatedItems what /user/items/get shows of an Item ended by
 *   /item/products/terminate (Plaid does not say): nothing (default), or the Item with its dead token.
 */

/** @typedef {keyof Shapes} ShapeName */
/**
 * @typedef {object} ShapeSpec
 * @property {readonly (string | boolean)[] | 'non-negative number'} values
 * @property {string | number | boolean} default
 * @property {string} flag the CLI flag
 * @property {string} help one line for --help
 */

/** @type {Readonly<Record<ShapeName, ShapeSpec>>} */
const SHAPE_SPECS = Object.freeze({
	userApi: { values: ['new', 'legacy'], default: 'new', flag: '--user-api', help: 'the User API this client is on' },
	createdStatus: { values: ['always-200', '201-on-create'], default: 'always-200', flag: '--created-status', help: '/user/create: 200 always, or 201 for a new user' },
	legacyRepeatAnswer: {
		values: ['INVALID_FIELD', 'USER_ALREADY_EXISTS'],
		default: 'INVALID_FIELD',
		flag: '--legacy-repeat-answer',
		help: "a legacy client's repeat client_user_id",
	},
	legacyUserIdAnswer: {
		values: ['INVALID_USER_ID', 'USER_NOT_FOUND'],
		default: 'INVALID_USER_ID',
		flag: '--legacy-user-id-answer',
		help: "a legacy user's user_id sent without its user_token",
	},
	legacyUsersMigrated: { values: [false, true], default: false, flag: '--legacy-users-migrated', help: 'legacy user tokens are accepted in user_id' },
	notAttachedAnswer: {
		values: ['ITEM_NOT_FOUND', 'INVALID_FIELD', 'INVALID_REQUEST'],
		default: 'ITEM_NOT_FOUND',
		flag: '--not-attached-answer',
		help: '/user/items/remove with an Item not attached to the user',
	},
	notAttachedMessage: { values: ['names-ids', 'generic'], default: 'names-ids', flag: '--not-attached-message', help: 'whether that message lists the IDs' },
	readLagMs: { values: 'non-negative number', default: 0, flag: '--read-lag-ms', help: 'a removed Item stays listed by /user/items/get this long' },
	readLagItemGet: { values: [false, true], default: false, flag: '--read-lag-item-get', help: '/item/get also answers a removed Item during the lag' },
	unknownAssetReportAnswer: {
		values: ['INVALID_PARENT', 'INVALID_ASSET_REPORT_TOKEN', 'ASSET_REPORT_NOT_FOUND', 'INVALID_FIELD'],
		default: 'INVALID_PARENT',
		flag: '--unknown-asset-report-answer',
		help: 'an unknown or removed asset_report_token',
	},
	terminatedItems: { values: ['forgotten', 'listed'], default: 'forgotten', flag: '--terminated-items', help: 'what /user/items/get shows of a terminated Item' },
});

const SHAPE_NAMES = /** @type {ShapeName[]} */ (Object.keys(SHAPE_SPECS));

/** @returns {Shapes} */
const defaultShapes = () => /** @type {Shapes} */ (Object.fromEntries(SHAPE_NAMES.map((name) => [name, SHAPE_SPECS[name].default])));

/**
 * Throws a TypeError naming the shape and its values unless `value` is one of them.
 * @param {string} name @param {unknown} value @returns {Shapes[ShapeName]}
 */
function checkShape(name, value) {
	const spec = SHAPE_SPECS[/** @type {ShapeName} */ (name)];
	if (!spec) throw new TypeError(`unknown emulator shape ${name} (known: ${SHAPE_NAMES.join(', ')})`);
	if (spec.values === 'non-negative number') {
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number >= 0 (got ${JSON.stringify(value)})`);
		return value;
	}
	if (!spec.values.includes(/** @type {string | boolean} */ (value))) {
		throw new TypeError(`${name} must be one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(value)})`);
	}
	return /** @type {Shapes[ShapeName]} */ (value);
}

/**
 * The shapes named in `partial` (others ignored), checked. Undefined values are skipped.
 * @param {Record<string, unknown>} partial @param {{ strict?: boolean }} [options] strict: unknown names throw
 * @returns {Partial<Shapes>}
 */
function pickShapes(partial, { strict = false } = {}) {
	/** @type {Record<string, unknown>} */
	const picked = {};
	for (const [name, value] of Object.entries(partial)) {
		if (!Object.hasOwn(SHAPE_SPECS, name)) {
			if (strict) checkShape(name, value);
			continue;
		}
		if (value !== undefined) picked[name] = checkShape(name, value);
	}
	return /** @type {Partial<Shapes>} */ (picked);
}

/**
 * A CLI flag's text value as the shape's value. @param {ShapeName} name @param {string} text
 * @returns {Shapes[ShapeName]}
 */
function parseShapeFlag(name, text) {
	const spec = SHAPE_SPECS[name];
	if (spec.values === 'non-negative number') {
		if (text.trim() === '' || !Number.isFinite(Number(text))) throw new TypeError(`${name} must be a number >= 0 (got ${text})`);
		return checkShape(name, Number(text));
	}
	if (typeof spec.default === 'boolean') return checkShape(name, text === 'true' ? true : text === 'false' ? false : text);
	return checkShape(name, text);
}

/** The --help lines of the shapes: the flag and its values, then what it decides and its default. */
function shapeHelpLines() {
	return SHAPE_NAMES.flatMap((name) => {
		const { flag, values, help } = SHAPE_SPECS[name];
		const choices = values === 'non-negative number' ? 'MS' : values.join('|');
		return [`  ${flag} ${choices}`, `        ${help} (default: ${SHAPE_SPECS[name].default})`];
	});
}

module.exports = { SHAPE_SPECS, SHAPE_NAMES, defaultShapes, checkShape, pickShapes, parseShapeFlag, shapeHelpLines };
