/**
 * Concurrency and the execution-wide rate limiter, through n8n's engine against the emulator:
 * outputs keep input order and pairing, the emulator never sees more than "Concurrency" requests
 * at once, a rate-limited run loses no user, and two executions do not share any state.
 */
import { startEmulator, PlaidEmulator } from '../../emulator';
import { runWorkflow } from '../../harness/engine';
import { packagePerFile } from '../../harness/engineFixtures';
import { until } from '../../harness/eventLoop';
import { emulatorCredentials, plaidWorkflow } from '../../harness/workflows';
import { removedJson } from '../../harness/plaidNode';

type OnError = 'continueRegularOutput' | 'continueErrorOutput';
type BenchUser = { userId: string; itemIds: string[] };

const loaded = packagePerFile();
const emulators: PlaidEmulator[] = [];

afterAll(async () => await Promise.all(emulators.map(async (emulator) => await emulator.close())));

async function emulatorWith(options: Parameters<typeof startEmulator>[0]): Promise<PlaidEmulator> {
	const emulator = await startEmulator(options);
	emulators.push(emulator);
	return emulator;
}

/** `count` users named usr_<prefix>_<n>, each with two Items, seeded unless `seeded` says no. */
function seedUsers(emulator: PlaidEmulator, prefix: string, count: number, seeded: (n: number) => boolean = () => true): BenchUser[] {
	return Array.from({ length: count }, (_, n) => {
		const user = { userId: `usr_${prefix}_${n}`, itemIds: [`item_${prefix}_${n}_a`, `item_${prefix}_${n}_b`] };
		if (seeded(n)) emulator.addUser({ user_id: user.userId, items: user.itemIds });
		return user;
	});
}

async function removeAll(emulator: PlaidEmulator, users: Array<Record<string, unknown>>, options: Record<string, unknown>, onError?: OnError) {
	const parameters = { resource: 'user', operation: 'removeItems', userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}', options };
	return await runWorkflow(plaidWorkflow(parameters, { onError }), {
		credentials: emulatorCredentials(emulator),
		startItems: users,
		loaded,
	});
}

const removeRequests = (emulator: PlaidEmulator) => emulator.requestsTo('/user/items/remove');

describe('Concurrency', () => {
	it('keeps input order and pairing with successes, Plaid errors and bad input mixed, under Continue On Fail', async () => {
		// Wide jitter: answers come back in an order unrelated to the order of the input.
		const emulator = await emulatorWith({ latencyMs: 30, jitter: 0.9 });
		const users = seedUsers(emulator, 'mixed', 30, (n) => n % 4 !== 1);
		const input = users.map((user, n) => (n % 7 === 3 ? { ...user, userId: '  ' } : user));

		const result = await removeAll(emulator, input, { concurrency: 10 }, 'continueRegularOutput');

		expect(result.status).toBe('success');
		const output = result.output('Plaid');
		expect(output.map((entry: { pairedItem: unknown }) => entry.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		output.forEach(({ json }: { json: Record<string, unknown> }, n: number) => {
			if (n % 7 === 3) expect(json).toEqual({ error: 'User ID: required' });
			else if (n % 4 === 1) expect(json).toMatchObject({ error: expect.stringMatching(/^USER_NOT_FOUND/), error_code: 'USER_NOT_FOUND' });
			else expect(json).toEqual(removedJson({ item_ids: users[n].itemIds, not_attached_item_ids: [], user_id: users[n].userId }, '/user/items/remove', 'user.removeItems'));
		});
		expect(emulator.inFlight.max).toBeGreaterThan(1);
		expect(emulator.inFlight.max).toBeLessThanOrEqual(10);
	});

	it('sends the error output items in input order too', async () => {
		const emulator = await emulatorWith({ latencyMs: 20, jitter: 0.9 });
		const users = seedUsers(emulator, 'errout', 12, (n) => n % 3 !== 0);

		const result = await removeAll(emulator, users, { concurrency: 6 }, 'continueErrorOutput');

		expect(result.output('Plaid', 1).map((entry: { pairedItem: { item: number } }) => entry.pairedItem.item)).toEqual([0, 3, 6, 9]);
		expect(result.output('Plaid', 0).map((entry: { pairedItem: { item: number } }) => entry.pairedItem.item)).toEqual([1, 2, 4, 5, 7, 8, 10, 11]);
	});

	it.each([
		[{ concurrency: 3 }, 3],
		[{}, 5],
		[{ concurrency: 1 }, 1],
	])('with options %j the emulator never has more than %i requests in flight', async (options, limit) => {
		const emulator = await emulatorWith({ latencyMs: 15 });
		const users = seedUsers(emulator, `limit${limit}`, 4 * limit + 3);

		const result = await removeAll(emulator, users, options);

		expect(result.status).toBe('success');
		expect(removeRequests(emulator)).toHaveLength(users.length);
		expect(emulator.inFlight.max).toBeLessThanOrEqual(limit);
		if (limit > 1) expect(emulator.inFlight.max).toBeGreaterThan(1);
	});

	it('counts every request of an item: All Items reads then removes, still within the limit', async () => {
		const emulator = await emulatorWith({ latencyMs: 15 });
		const users = seedUsers(emulator, 'all', 12);
		const parameters = { resource: 'user', operation: 'removeItems', userId: '={{ $json.userId }}', itemSelection: 'all', options: { concurrency: 4 } };

		const result = await runWorkflow(plaidWorkflow(parameters), { credentials: emulatorCredentials(emulator), startItems: users, loaded });

		expect(result.status).toBe('success');
		expect(emulator.requests).toHaveLength(24);
		expect(emulator.inFlight.max).toBeLessThanOrEqual(4);
		expect(users.every((user) => emulator.itemIdsOf(user.userId).length === 0)).toBe(true);
	});

	it('without Continue On Fail: starts nothing after a failure, sees the items in flight through, and fails with that item', async () => {
		const emulator = await emulatorWith({ latencyMs: 50 });
		const users = seedUsers(emulator, 'stop', 30);
		const input = users.map((user, n) => (n === 2 ? { ...user, userId: '' } : user));

		const result = await removeAll(emulator, input, { concurrency: 10 });

		expect(result.status).toBe('error');
		const error = result.nodeError('Plaid');
		expect(error.message).toBe('User ID: required');
		expect(error.context.itemIndex).toBe(2);
		// Items 0..9 had started when item 2 failed; the other nine were sent and completed.
		const sent = removeRequests(emulator).map((request) => (request.body as { user_id: string }).user_id);
		expect(sent.sort()).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9].map((n) => users[n].userId).sort());
		expect(removeRequests(emulator).every((request) => request.response.status === 200)).toBe(true);
		expect(emulator.itemIdsOf(users[10].userId)).toEqual(users[10].itemIds);
	});

	it('refuses a Concurrency outside 1–50 before any request', async () => {
		const emulator = await emulatorWith({});
		const users = seedUsers(emulator, 'bad', 2);

		for (const concurrency of [0, 51, 2.5, '3']) {
			const result = await removeAll(emulator, users, { concurrency });
			expect(result.nodeError('Plaid').message).toBe('Concurrency: must be a whole number from 1 to 50');
		}
		expect(emulator.requests).toHaveLength(0);
	});
});

describe('Rate limit (429) across the execution', () => {
	it('a run well over the allowed rate finishes with every user removed and none failed', async () => {
		const emulator = await emulatorWith({ latencyMs: 100, jitter: 0.2, rateLimitPerSecond: 20 });
		const users = seedUsers(emulator, 'rated', 80);

		const result = await removeAll(emulator, users, { concurrency: 20 }, 'continueRegularOutput');

		expect(result.status).toBe('success');
		const output = result.output('Plaid');
		expect(output.filter((entry: { json: Record<string, unknown> }) => entry.json.error !== undefined)).toEqual([]);
		expect(output.map((entry: { json: { user_id: string } }) => entry.json.user_id)).toEqual(users.map((user) => user.userId));
		expect(removeRequests(emulator).some((request) => request.response.status === 429)).toBe(true);
		expect(users.every((user) => emulator.itemIdsOf(user.userId).length === 0)).toBe(true);
	});

	it('two executions at once keep their own Concurrency and their own backoff', async () => {
		const limited = await emulatorWith({ latencyMs: 100, rateLimitPerSecond: 5 });
		const free = await emulatorWith({ latencyMs: 30 });
		const slowUsers = seedUsers(limited, 'slow', 20);
		const fastUsers = seedUsers(free, 'fast', 40);

		const slowRun = removeAll(limited, slowUsers, { concurrency: 2, maxRetries: 10 }, 'continueRegularOutput');
		// The second execution starts once the first one has been told to slow down.
		await until(() => limited.requests.some((request) => request.response.status === 429), 10);
		const fastResult = await removeAll(free, fastUsers, { concurrency: 8 });
		const slowResult = await slowRun;

		// Had the limiter (or the Concurrency) been shared, the 429s would have held this one back.
		expect(fastResult.status).toBe('success');
		expect(free.inFlight.max).toBe(8);
		expect(limited.inFlight.max).toBeLessThanOrEqual(2);
		expect(slowResult.status).toBe('success');
	});
});
