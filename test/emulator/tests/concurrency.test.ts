import { inspectRoute as inspect, plaidCall } from '../../harness/emulatorCalls';
import { emulatorPerFile } from '../../harness/fixtures';

// What the concurrency tests and the benchmark read from the emulator: how many Plaid requests
// were in flight at once, bulk seeding and counts through the test-only /__emulator/ routes.

describe('emulator: requests in flight, bulk seeding, stats', () => {
	const emulator = emulatorPerFile({ inspectRoutes: true, latencyMs: 50 });
	const removeItems = async (userId: string, itemIds: string[]) => (await plaidCall(emulator, '/user/items/remove', { user_id: userId, item_ids: itemIds })).status;

	it('seeds many users in one call and counts the most requests in flight at once', async () => {
		const users = Array.from({ length: 4 }, (_, u) => ({ user_id: `usr_${u}`, items: [`item_${u}_a`, `item_${u}_b`] }));
		expect(await inspect(emulator, 'POST', 'users', { users })).toEqual({ status: 200, body: { added: 4 } });
		expect(emulator.itemIdsOf('usr_3')).toEqual(['item_3_a', 'item_3_b']);

		const statuses = await Promise.all(users.map((user) => removeItems(user.user_id, user.items)));

		expect(statuses).toEqual([200, 200, 200, 200]);
		expect(emulator.inFlight).toEqual({ now: 0, max: 4 });
		expect((await inspect(emulator, 'GET', 'stats')).body).toMatchObject({
			request_count: 4,
			statuses: { '200': 4 },
			in_flight: 0,
			max_in_flight: 4,
		});
		emulator.reset();
		expect(emulator.inFlight).toEqual({ now: 0, max: 0 });
	});

	it('refuses a seed that is not an array of users, or a duplicate user', async () => {
		expect((await inspect(emulator, 'POST', 'users', { users: 'usr_1' })).status).toBe(400);
		await inspect(emulator, 'POST', 'users', { users: [{ user_id: 'usr_1' }] });
		const duplicate = await inspect(emulator, 'POST', 'users', { users: [{ user_id: 'usr_1' }] });
		expect(duplicate).toEqual({ status: 400, body: { error: 'addUser: user usr_1 already exists' } });
	});
});
