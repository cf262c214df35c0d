// @ts-check
'use strict';

// Which user a request names, and /user/create, under Plaid's two User APIs. A client is on one of them
// by the date it began (shape `userApi`). New-API users have `usr_` IDs and no token. Legacy users have
// a user_token and an unprefixed user_id that "cannot [be used] in place of a user_token" until the
// client migrates; after migration the old token is sent in `user_id` (Plaid's migration guide).

const { PlaidFailure, fieldListFailure } = require('./errors');
const { newUserId, newLegacyUserId, newUserToken } = require('./ids');
const { WithStatus } = require('./http-io');

/** @typedef {import('./state').EmulatorState} EmulatorState */
/** @typedef {import('./state').EmulatorUser} EmulatorUser */

/** The shape `legacyUserIdAnswer`. @param {EmulatorState} state */
function legacyIdFailure(state) {
	if (state.shapes.legacyUserIdAnswer === 'USER_NOT_FOUND') return new PlaidFailure('USER_NOT_FOUND');
	return new PlaidFailure('INVALID_USER_ID', 'this user_id belongs to a user of the legacy user-token API: send its user_token');
}

/**
 * The user named by a `user_id` alone. A legacy user's own user_id is refused; its user_token is taken
 * in user_id only once migrated.
 * @param {EmulatorState} state @param {string} userId @returns {EmulatorUser}
 */
function userById(state, userId) {
	const user = state.users.get(userId);
	if (user) {
		if (user.user_token !== undefined) throw legacyIdFailure(state);
		return user;
	}
	const byToken = state.userByToken(userId);
	if (byToken) {
		if (state.isMigrated(byToken)) return byToken;
		throw legacyIdFailure(state);
	}
	throw new PlaidFailure('USER_NOT_FOUND');
}

/**
 * The user a request names by user_id, user_token or both (both must be the same legacy user).
 * @param {EmulatorState} state
 * @param {{ user_id?: string, user_token?: string }} body
 * @returns {EmulatorUser}
 */
function resolveUser(state, body) {
	if (body.user_id === undefined && body.user_token === undefined) {
		throw fieldListFailure('MISSING_FIELDS', ['user_id or user_token']);
	}
	if (body.user_id !== undefined && body.user_token !== undefined) {
		const user = state.users.get(body.user_id);
		if (!user) throw new PlaidFailure('USER_NOT_FOUND');
		if (user.user_token !== body.user_token) throw new PlaidFailure('INVALID_USER_TOKEN');
		return user;
	}
	if (body.user_id !== undefined) return userById(state, body.user_id);
	const user = state.userByToken(/** @type {string} */ (body.user_token));
	if (!user) throw new PlaidFailure('INVALID_USER_TOKEN');
	return user;
}

/**
 * For a read: the user, or during the read lag a user just removed (it then lists only lagging Items).
 * @param {EmulatorState} state @param {{ user_id?: string, user_token?: string }} body
 * @returns {{ user_id: string, items: Map<string, import('./state').StoredItem> }}
 */
function resolveUserForRead(state, body) {
	try {
		return resolveUser(state, body);
	} catch (error) {
		const lagging = error instanceof PlaidFailure && state.lag.user(body);
		if (!lagging) throw error;
		return { user_id: lagging.user_id, items: new Map() };
	}
}

/** A repeat client_user_id under the legacy API (shape `legacyRepeatAnswer`). @param {EmulatorState} state */
function repeatFailure(state) {
	const message = 'a user has already been created for the given client_user_id';
	if (state.shapes.legacyRepeatAnswer === 'USER_ALREADY_EXISTS') return new PlaidFailure('USER_ALREADY_EXISTS', message);
	return new PlaidFailure('INVALID_FIELD', message);
}

/**
 * /user/create. Spec: clients that began on or after 2025-12-10 get a `user_id` only, earlier ones a
 * `user_token` and `user_id`; `with_upgraded_user` or the header Plaid-New-User-API-Enabled asks for the
 * new kind. The new API is idempotent per client_user_id (a repeat returns the same user_id); in the old
 * one a repeat fails. consumer_report_user_identity is accepted under both.
 * @param {any} body
 * @param {{ state: EmulatorState, headers: import('node:http').IncomingHttpHeaders }} context
 * @returns {Record<string, unknown> | WithStatus}
 */
function createUser(body, { state, headers }) {
	const upgraded = body.with_upgraded_user === true || headers['plaid-new-user-api-enabled'] === 'true';
	const newApi = state.shapes.userApi === 'new' || upgraded;
	const existing = state.userByClientUserId(body.client_user_id);
	if (existing) {
		if (newApi && existing.user_token === undefined) return { user_id: existing.user_id };
		throw repeatFailure(state);
	}
	const user = state.addUser({
		user_id: newApi ? newUserId() : newLegacyUserId(),
		client_user_id: body.client_user_id,
		identity: body.identity ?? body.consumer_report_user_identity ?? null,
		...(newApi ? {} : { user_token: newUserToken(state.environment) }),
	});
	if (!newApi) return { user_token: user.user_token, user_id: user.user_id };
	return state.shapes.createdStatus === '201-on-create' ? new WithStatus(201, { user_id: user.user_id }) : { user_id: user.user_id };
}

module.exports = { resolveUser, resolveUserForRead, userById, createUser };
