/**
 * What the emulator does and records when something is removed, over HTTP: /user/items/remove's answer
 * to an Item that is not attached in every shape (`notAttachedAnswer`, `notAttachedMessage`), all or
 * nothing; Items linked without a user; the removal log (`emulator.removals`) with what reached the
 * client; read lag on a virtual clock (`readLagMs`, `readLagItemGet`); environment prefixes.
 */
import { startEmulator } from '../index';
import { expectPlaidError, inspectRoute, plaidCall } from '../../harness/emulatorCalls';
import { emulatorPerFile } from '../../harness/fixtures';
import { VirtualClock } from '../../harness/virtualTime';

const clock = new VirtualClock(Date.parse('2026-12-01T10:00:00Z'));
const emulator = emulatorPerFile({ clock, inspectRoutes: true }, (emulator) =>
	emulator.setShapes({ notAttachedAnswer: 'ITEM_NOT_FOUND', notAttachedMessage: 'names-ids', readLagMs: 0, readLagItemGet: false }),
);

const call = (path: string, body: Record<string, unknown>) => plaidCall(emulator, path, body);
const listed = async (userId: string) => ((await call('/user/items/get', { user_id: userId })).body.items ?? []).map((item: { item_id: string }) => item.item_id);

describe('/user/items/remove with an Item that is not attached to the user', () => {
	const seed = () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-a1', 'item-a2'] });
		emulator.addUser({ user_id: 'usr_b', items: ['item-b1'] });
		emulator.addItem('item-loose');
	};

	it.each([
		['ITEM_NOT_FOUND', 'ITEM_ERROR'],
		['INVALID_FIELD', 'INVALID_REQUEST'],
		['INVALID_REQUEST', 'INVALID_REQUEST'],
	] as const)('notAttachedAnswer %s: another user’s, a token-only or an unknown Item fails the whole call (%s); nothing is removed', async (code, type) => {
		emulator.setShapes({ notAttachedAnswer: code });
		seed();
		for (const stranger of ['item-b1', 'item-loose', 'item-never']) {
			const answer = await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-a1', stranger] });
			expectPlaidError(answer, type, code);
			expect(answer.body.error_message).toContain(stranger);
		}
		expect([emulator.itemIdsOf('usr_a'), emulator.itemIdsOf('usr_b'), emulator.accessTokenOf('item-loose')]).toEqual([
			['item-a1', 'item-a2'],
			['item-b1'],
			expect.stringMatching(/^access-sandbox-/),
		]);
		expect(emulator.removals).toEqual([]);
	});

	it('notAttachedMessage generic: the message names no Item', async () => {
		emulator.setShapes({ notAttachedMessage: 'generic' });
		seed();
		const answer = await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-a1', 'item-b1'] });
		expectPlaidError(answer, 'ITEM_ERROR', 'ITEM_NOT_FOUND');
		expect(answer.body.error_message).not.toMatch(/item-/);
	});
});

describe('Items linked without a user', () => {
	it('no user lists them or can remove them; /user/items/associate links one, and then it can be', async () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-a1'] });
		const loose = emulator.addItem('item-loose');
		expect(await listed('usr_a')).toEqual(['item-a1']);
		expectPlaidError(await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-loose'] }), 'ITEM_ERROR', 'ITEM_NOT_FOUND');

		expect((await call('/user/items/associate', { user_id: 'usr_a', item_ids: ['item-loose'] })).status).toBe(200);
		expect(await listed('usr_a')).toEqual(['item-a1', 'item-loose']);
		expect((await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-loose'] })).status).toBe(200);
		expectPlaidError(await call('/item/get', { access_token: loose.access_token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
	});
});

describe('the removal log', () => {
	it('has one entry per irreversible call Plaid carried out, Items resolved from tokens, delivered', async () => {
		const at = new Date(clock.now()).toISOString();
		emulator.addUser({ user_id: 'usr_a', items: ['item-1', 'item-2', 'item-3', 'item-4'] });
		emulator.addUser({ user_id: 'usr_b', items: ['item-5'] });
		const loose = emulator.addItem('item-loose');
		const answers = [
			await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-1', 'item-1'] }),
			await call('/item/remove', { access_token: emulator.accessTokenOf('item-2') }),
			await call('/item/products/terminate', { access_token: loose.access_token, reason_code: 'USER_OFFBOARDING' }),
			await call('/user/products/terminate', { user_id: 'usr_a', reason_code: 'USER_OFFBOARDING' }),
			await call('/user/remove', { user_id: 'usr_a' }),
		];
		await call('/user/items/remove', { user_id: 'usr_b', item_ids: ['item-1'] }); // refused: no entry
		await call('/item/get', { access_token: emulator.accessTokenOf('item-5') }); // a read: no entry

		expect(emulator.removals).toEqual([
			{ request_id: answers[0].body.request_id, endpoint: '/user/items/remove', item_ids: ['item-1'], user_id: 'usr_a', at, delivered: true },
			{ request_id: answers[1].body.request_id, endpoint: '/item/remove', item_ids: ['item-2'], user_id: 'usr_a', at, delivered: true },
			{ request_id: answers[2].body.request_id, endpoint: '/item/products/terminate', item_ids: ['item-loose'], user_id: null, at, delivered: true },
			{ request_id: answers[3].body.request_id, endpoint: '/user/products/terminate', item_ids: [], user_id: 'usr_a', at, delivered: true },
			{ request_id: answers[4].body.request_id, endpoint: '/user/remove', item_ids: ['item-3', 'item-4'], user_id: 'usr_a', at, delivered: true },
		]);
		expect(emulator.removalsOf('item-3').map((entry) => entry.endpoint)).toEqual(['/user/remove']);
		expect((await inspectRoute(emulator, 'GET', 'removals/item-2')).body).toEqual({ item_id: 'item-2', removals: [emulator.removals[1]] });
		expect((await inspectRoute(emulator, 'GET', 'removals')).body.removals).toHaveLength(5);
	});

	it('delivered is false when the answer was lost or replaced; nothing is logged when Plaid did nothing', async () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-1', 'item-2', 'item-3', 'item-4'] });
		const removeOne = (itemId: string) => call('/user/items/remove', { user_id: 'usr_a', item_ids: [itemId] }).catch(() => undefined);
		emulator.injectFaults({ path: '/user/items/remove', drop: 'before' });
		await removeOne('item-1');
		emulator.injectFaults({ path: '/user/items/remove', status: 503 });
		await removeOne('item-1');
		emulator.injectFaults({ path: '/user/items/remove', drop: 'after' });
		await removeOne('item-1');
		emulator.injectFaults({ path: '/user/items/remove', apply: true, status: 500 });
		await removeOne('item-2');
		emulator.injectFaults({ path: '/user/items/remove', apply: true, drop: 'after' });
		await removeOne('item-3');
		emulator.injectFaults({ path: '/user/items/remove', apply: true, delayMs: 1 });
		await removeOne('item-4');

		expect(emulator.removals.map(({ item_ids, delivered }) => [item_ids, delivered])).toEqual([
			[['item-1'], false],
			[['item-2'], false],
			[['item-3'], false],
			[['item-4'], true],
		]);
		// The request_id is the one Plaid decided, whether or not it reached the client.
		expect(emulator.removals[0].request_id).toMatch(/^[A-Za-z0-9]{15}$/);
		expect(emulator.itemIdsOf('usr_a')).toEqual([]);
	});

	it('is cleared with the recorded requests', async () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-1'] });
		await call('/user/remove', { user_id: 'usr_a' });
		emulator.clearRequests();
		expect(emulator.removals).toEqual([]);
	});
});

describe('read lag (readLagMs) on the emulator’s clock', () => {
	beforeEach(() => emulator.setShapes({ readLagMs: 5_000 }));

	it('a removed Item stays listed by /user/items/get until the lag has passed; a second removal is refused at once', async () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-1', 'item-2'] });
		expect((await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-1'] })).status).toBe(200);
		expect(emulator.itemIdsOf('usr_a')).toEqual(['item-2']);
		expect(await listed('usr_a')).toEqual(['item-2', 'item-1']);
		expectPlaidError(await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-1'] }), 'ITEM_ERROR', 'ITEM_NOT_FOUND');
		clock.time += 4_999;
		expect(await listed('usr_a')).toEqual(['item-2', 'item-1']);
		clock.time += 1;
		expect(await listed('usr_a')).toEqual(['item-2']);
	});

	it.each([
		['/item/remove', (token: string) => ({ access_token: token })],
		['/item/products/terminate', (token: string) => ({ access_token: token, reason_code: 'OTHER' })],
	])('after %s too; /item/get answers INVALID_ACCESS_TOKEN at once unless readLagItemGet', async (path, body) => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-1'] });
		const token = emulator.accessTokenOf('item-1') as string;
		expect((await call(path, body(token))).status).toBe(200);
		expect(await listed('usr_a')).toEqual(['item-1']);
		expectPlaidError(await call('/item/get', { access_token: token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		emulator.setShapes({ readLagItemGet: true });
		expect((await call('/item/get', { access_token: token })).body.item.item_id).toBe('item-1');
		expectPlaidError(await call('/item/remove', { access_token: token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		clock.time += 5_000;
		expectPlaidError(await call('/item/get', { access_token: token }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		expect(await listed('usr_a')).toEqual([]);
	});

	it('after /user/remove the user’s Items are still listed, by user_id and by user_token; writes find no user', async () => {
		emulator.addUser({ user_id: 'usr_a', items: ['item-1'] });
		const legacy = emulator.addUser({ user_token: 'user-sandbox-lagging', items: ['item-2'] });
		expect((await call('/user/remove', { user_id: 'usr_a' })).status).toBe(200);
		expect((await call('/user/remove', { user_token: 'user-sandbox-lagging' })).status).toBe(200);
		expect(await listed('usr_a')).toEqual(['item-1']);
		expect((await call('/user/items/get', { user_token: 'user-sandbox-lagging' })).body.items.map((item: { item_id: string }) => item.item_id)).toEqual(['item-2']);
		expectPlaidError(await call('/user/remove', { user_id: 'usr_a' }), 'USER_ERROR', 'USER_NOT_FOUND');
		expectPlaidError(await call('/user/items/remove', { user_token: legacy.user_token, item_ids: ['item-2'] }), 'INVALID_INPUT', 'INVALID_USER_TOKEN');
		clock.time += 5_000;
		expectPlaidError(await call('/user/items/get', { user_id: 'usr_a' }), 'USER_ERROR', 'USER_NOT_FOUND');
	});

	it('is off by default: a removal shows at once', async () => {
		emulator.setShapes({ readLagMs: 0 });
		emulator.addUser({ user_id: 'usr_a', items: ['item-1'] });
		await call('/user/items/remove', { user_id: 'usr_a', item_ids: ['item-1'] });
		expect(await listed('usr_a')).toEqual([]);
	});
});

describe('environment prefixes', () => {
	it('the tokens an emulator mints carry its environment, as Plaid’s do', async () => {
		const production = await startEmulator({ environment: 'production' });
		try {
			const user = production.addUser({ user_token: true, items: [{}] });
			const report = production.addAssetReport({ item_ids: [...user.items.keys()] });
			expect([user.user_token, [...user.items.values()][0].access_token, report.asset_report_token, production.addAuditCopy(report.asset_report_token).audit_copy_token]).toEqual([
				expect.stringMatching(/^user-production-[0-9a-f-]{36}$/),
				expect.stringMatching(/^access-production-[0-9a-f-]{36}$/),
				expect.stringMatching(/^assets-production-[0-9a-f-]{36}$/),
				expect.stringMatching(/^a-production-[A-Z2-7]{26}$/),
			]);
			expect(emulator.addItem().access_token).toMatch(/^access-sandbox-/);
		} finally {
			await production.close();
		}
	});

	it('a sandbox token is unknown to an emulator playing production', async () => {
		const production = await startEmulator({ environment: 'production' });
		try {
			const sandboxToken = emulator.addItem().access_token;
			expectPlaidError(await plaidCall(production, '/item/remove', { access_token: sandboxToken }), 'INVALID_INPUT', 'INVALID_ACCESS_TOKEN');
		} finally {
			await production.close();
		}
	});
});
