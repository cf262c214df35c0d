/**
 * The emulator's two User APIs over HTTP, each shape with each of its values: the API is the client's
 * (`userApi`), not the request body's; /user/create is idempotent under the new one and refuses a repeat
 * under the legacy one (`legacyRepeatAnswer`), with 200 or 201 (`createdStatus`); a legacy user's
 * user_id cannot stand in for its token (`legacyUserIdAnswer`) until the client migrates, and then the
 * old token goes in user_id (`legacyUsersMigrated`, or a user seeded `migrated`).
 */
import { startEmulator } from '../index';
import { expectPlaidError, plaidCall } from '../../harness/emulatorCalls';
import { emulatorPerFile } from '../../harness/fixtures';

const emulator = emulatorPerFile({}, (emulator) =>
	emulator.setShapes({ userApi: 'new', createdStatus: 'always-200', legacyRepeatAnswer: 'INVALID_FIELD', legacyUserIdAnswer: 'INVALID_USER_ID', legacyUsersMigrated: false }),
);

const create = (body: Record<string, unknown>, headers?: Record<string, string>) => plaidCall(emulator, '/user/create', body, headers);

describe('/user/create under the new User API (the default)', () => {
	it('answers a usr_ user_id and no token, and a repeat client_user_id returns the same user', async () => {
		const first = await create({ client_user_id: 'c-1' });
		expect(first).toEqual({ status: 200, body: { user_id: expect.stringMatching(/^usr_[A-Za-z0-9]{14}$/), request_id: expect.any(String) } });
		const again = await create({ client_user_id: 'c-1', identity: { name: { given_name: 'A', family_name: 'B' } } });
		expect(again).toEqual({ status: 200, body: { user_id: first.body.user_id, request_id: expect.any(String) } });
		expect([...emulator.state.users.values()].filter((user) => user.client_user_id === 'c-1')).toHaveLength(1);
	});

	it('takes consumer_report_user_identity without becoming legacy: the API is the client’s', async () => {
		const created = await create({ client_user_id: 'c-2', consumer_report_user_identity: { first_name: 'A' } });
		expect(created.body).not.toHaveProperty('user_token');
		expect(emulator.getUser(created.body.user_id)?.user_token).toBeUndefined();
	});

	it.each([
		['always-200', 200, 200],
		['201-on-create', 201, 200],
	] as const)('createdStatus %s: a new user %i, a repeat %i', async (createdStatus, onCreate, onRepeat) => {
		emulator.setShapes({ createdStatus });
		expect((await create({ client_user_id: 'c-3' })).status).toBe(onCreate);
		expect((await create({ client_user_id: 'c-3' })).status).toBe(onRepeat);
	});
});

describe('/user/create under the legacy User API', () => {
	beforeEach(() => emulator.setShapes({ userApi: 'legacy' }));

	it('answers a user_token of its environment and an unprefixed user_id, as the spec’s example-2', async () => {
		const created = await create({ client_user_id: 'c-1' });
		expect(created.status).toBe(200);
		expect(created.body).toEqual({
			user_token: expect.stringMatching(/^user-sandbox-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
			user_id: expect.stringMatching(/^[A-Za-z0-9]{29}$/),
			request_id: expect.any(String),
		});
		const production = await startEmulator({ userApi: 'legacy', environment: 'production' });
		try {
			expect((await plaidCall(production, '/user/create', { client_user_id: 'c-1' })).body.user_token).toMatch(/^user-production-/);
		} finally {
			await production.close();
		}
	});

	it.each([
		['INVALID_FIELD', 'INVALID_REQUEST'],
		['USER_ALREADY_EXISTS', 'USER_ERROR'],
	] as const)('legacyRepeatAnswer %s: a repeat client_user_id is refused (%s), saying the user exists, and no second user is made', async (code, type) => {
		emulator.setShapes({ legacyRepeatAnswer: code });
		const first = await create({ client_user_id: 'c-7' });
		const again = await create({ client_user_id: 'c-7' });
		expectPlaidError(again, type, code);
		expect(again.body.error_message).toBe('a user has already been created for the given client_user_id');
		expect([...emulator.state.users.values()].map((user) => user.user_id)).toEqual([first.body.user_id]);
	});

	it.each([
		['with_upgraded_user: true', { with_upgraded_user: true }, {}],
		['the Plaid-New-User-API-Enabled header', {}, { 'Plaid-New-User-API-Enabled': 'true' }],
	])('%s makes a new-API user (usr_ id, no token), idempotent', async (_label, extra, headers) => {
		const upgraded = await create({ client_user_id: 'c-9', ...extra }, headers);
		expect(upgraded.body).toEqual({ user_id: expect.stringMatching(/^usr_/), request_id: expect.any(String) });
		expect((await create({ client_user_id: 'c-9', ...extra }, headers)).body.user_id).toBe(upgraded.body.user_id);
		// The same client_user_id without the upgrade is a legacy repeat: refused.
		expectPlaidError(await create({ client_user_id: 'c-9' }), 'INVALID_REQUEST', 'INVALID_FIELD');
	});

	it('under the new API, a repeat of a legacy user is refused too: there is no user_id to hand back alone', async () => {
		emulator.addUser({ client_user_id: 'c-old', user_token: true });
		emulator.setShapes({ userApi: 'new' });
		expectPlaidError(await create({ client_user_id: 'c-old' }), 'INVALID_REQUEST', 'INVALID_FIELD');
	});
});

describe('a legacy user named by user_id', () => {
	/** A legacy user with a token the emulator makes, and the token. */
	const seedLegacy = (migrated = false) => {
		const user = emulator.addUser({ user_token: true, migrated, items: ['item-1', 'item-2'] });
		return { user, token: user.user_token as string };
	};

	const userCalls = (userId: string): Array<[string, Record<string, unknown>]> => [
		['/user/items/get', { user_id: userId }],
		['/user/items/remove', { user_id: userId, item_ids: ['item-1'] }],
		['/user/products/terminate', { user_id: userId, reason_code: 'USER_OFFBOARDING' }],
		['/user/items/associate', { user_id: userId, item_ids: ['item-1'] }],
		['/user/remove', { user_id: userId }],
	];

	it.each([
		['INVALID_USER_ID', 'INVALID_INPUT'],
		['USER_NOT_FOUND', 'USER_ERROR'],
	] as const)('legacyUserIdAnswer %s: its user_id alone is refused by every user endpoint, and nothing changes', async (code, type) => {
		emulator.setShapes({ legacyUserIdAnswer: code });
		const { user } = seedLegacy();
		for (const [path, body] of userCalls(user.user_id)) expectPlaidError(await plaidCall(emulator, path, body), type, code);
		expect(emulator.itemIdsOf(user.user_id)).toEqual(['item-1', 'item-2']);
		expect(emulator.removals).toEqual([]);
	});

	it('with its user_token (alone or with the user_id) it is found', async () => {
		const { user, token } = seedLegacy();
		expect((await plaidCall(emulator, '/user/items/get', { user_token: token })).body.items).toHaveLength(2);
		expect((await plaidCall(emulator, '/user/items/get', { user_id: user.user_id, user_token: token })).body.items).toHaveLength(2);
	});

	it('its user_token in user_id is refused before migration, like its user_id', async () => {
		const { token } = seedLegacy();
		expectPlaidError(await plaidCall(emulator, '/user/items/get', { user_id: token }), 'INVALID_INPUT', 'INVALID_USER_ID');
		emulator.setShapes({ legacyUserIdAnswer: 'USER_NOT_FOUND' });
		expectPlaidError(await plaidCall(emulator, '/user/items/get', { user_id: token }), 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it.each([
		['a user seeded migrated', true, false],
		['legacyUsersMigrated for every legacy user', false, true],
	])('after migration (%s) its user_token works in user_id everywhere; its old user_id still does not', async (_label, migrated, everyone) => {
		emulator.setShapes({ legacyUsersMigrated: everyone });
		const { user, token } = seedLegacy(migrated);
		expect((await plaidCall(emulator, '/user/items/get', { user_id: token })).body.items).toHaveLength(2);
		expect((await plaidCall(emulator, '/user/items/remove', { user_id: token, item_ids: ['item-1'] })).status).toBe(200);
		expect(emulator.itemIdsOf(user.user_id)).toEqual(['item-2']);
		expect((await plaidCall(emulator, '/user/products/terminate', { user_id: token, reason_code: 'OTHER' })).status).toBe(200);
		expectPlaidError(await plaidCall(emulator, '/user/items/get', { user_id: user.user_id }), 'INVALID_INPUT', 'INVALID_USER_ID');
		// /user/get serves only users made on the new API (spec), migrated or not.
		expectPlaidError(await plaidCall(emulator, '/user/get', { user_id: token }), 'INVALID_INPUT', 'INVALID_USER_ID');
		expect((await plaidCall(emulator, '/user/remove', { user_id: token })).status).toBe(200);
		expect(emulator.getUser(user.user_id)).toBeUndefined();
	});
});

describe('shapes', () => {
	it('are checked: an unknown name or value throws, naming what is allowed', async () => {
		expect(() => emulator.setShapes({ userApi: 'old' as never })).toThrow('userApi must be one of "new", "legacy" (got "old")');
		expect(() => emulator.setShapes({ userAPI: 'new' } as never)).toThrow(/unknown emulator shape userAPI/);
		expect(() => emulator.setShapes({ readLagMs: -1 })).toThrow('readLagMs must be a number >= 0 (got -1)');
		await expect(startEmulator({ notAttachedAnswer: 'NOPE' as never })).rejects.toThrow(/notAttachedAnswer must be one of/);
	});

	it('the defaults are Plaid’s documented behaviour where there is one, today’s answers elsewhere', async () => {
		const fresh = await startEmulator();
		try {
			expect(fresh.shapes).toEqual({
				userApi: 'new',
				createdStatus: 'always-200',
				legacyRepeatAnswer: 'INVALID_FIELD',
				legacyUserIdAnswer: 'INVALID_USER_ID',
				legacyUsersMigrated: false,
				notAttachedAnswer: 'ITEM_NOT_FOUND',
				notAttachedMessage: 'names-ids',
				readLagMs: 0,
				readLagItemGet: false,
				unknownAssetReportAnswer: 'INVALID_PARENT',
				terminatedItems: 'forgotten',
			});
		} finally {
			await fresh.close();
		}
	});
});
