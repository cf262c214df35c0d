/**
 * The outcome invariant, fuzzed through n8n's engine against the emulator: random runs of removals
 * with lost answers (Plaid acted, the answer never arrived), maintenance errors, server errors, typos,
 * another user's and unlinked Items, and duplicate input items, under random shapes of
 * what Plaid leaves unsaid. Whatever happens: an output says `removed: true` exactly when the emulator
 * delivered an accepted removal of those Items with that output's request_id (truthfulness.ts).
 */
import fc from 'fast-check';

import { plaidSuite } from '../../harness/plaidNode';
import { fixedAccessToken } from '../../harness/tokens';
import { expectStateMatches } from '../../harness/truthfulness';

const faultOf = {
	lostAfterActing: { drop: 'after' as const },
	lostBeforeActing: { drop: 'before' as const },
	maintenance: { status: 503 },
	serverErrorAfterActing: { apply: true, status: 500 },
	serverError: { status: 500 },
};
const faults = (path: string) =>
	fc.array(fc.constantFrom(...Object.values(faultOf)).map((fault) => ({ path, ...fault })), { maxLength: 3 });

const shapes = fc.record({
	notAttachedAnswer: fc.constantFrom('ITEM_NOT_FOUND', 'INVALID_FIELD', 'INVALID_REQUEST'),
	readLagMs: fc.constantFrom(0, 60_000),
});
const runSettings = fc.record({ typeVersion: fc.constantFrom(1, 1.1), concurrency: fc.integer({ min: 1, max: 3 }) });

/** Input items, some repeating an earlier one exactly (a duplicate in the same run). */
function withRepeats<T>(entry: fc.Arbitrary<T>): fc.Arbitrary<T[]> {
	return fc
		.array(fc.oneof(entry.map((value) => ({ value })), fc.nat({ max: 3 }).map((earlier) => ({ earlier }))), { minLength: 1, maxLength: 4 })
		.map((choices) => {
			const items: T[] = [];
			for (const choice of choices) {
				if ('value' in choice) items.push(choice.value);
				else if (items.length > 0) items.push(items[choice.earlier % items.length]);
			}
			return items.length > 0 ? items : [];
		})
		.filter((items) => items.length > 0);
}

describe('User → Remove Items: removed ⇔ Plaid delivered an accepted removal', () => {
	const suite = plaidSuite({ resource: 'user', operation: 'removeItems' });
	const ITEM_IDS = ['a-1', 'a-2', 'b-1', 'unlinked-1', 'a-1-typo'];
	const request = fc.record({
		user: fc.constantFrom('usr_a', 'usr_a', 'usr_b', 'usr_typo'),
		ids: fc.uniqueArray(fc.constantFrom(...ITEM_IDS), { minLength: 1, maxLength: 3 }),
	});

	it('holds for any run', async () => {
		await fc.assert(
			fc.asyncProperty(shapes, runSettings, withRepeats(request), faults('/user/items/remove'), async (shape, settings, inputs, injected) => {
				suite.emulator.reset();
				suite.emulator.setShapes(shape);
				suite.emulator.addUser({ user_id: 'usr_a', items: ['a-1', 'a-2'] });
				suite.emulator.addUser({ user_id: 'usr_b', items: ['b-1'] });
				suite.emulator.addItem({ item_id: 'unlinked-1' });
				suite.emulator.injectFaults(...injected);

				const run = await suite.run(
					{ userId: '={{ $json.user }}', itemIds: '={{ $json.ids }}', options: { retryDelay: 1, concurrency: settings.concurrency } },
					{ typeVersion: settings.typeVersion, onError: 'continueRegularOutput', startItems: inputs.map(({ user, ids }) => ({ user, ids })) },
				);

				expect(run.status).toBe('success');
				expectStateMatches(run, suite.emulator);
			}),
			{ numRuns: 100 },
		);
	}, 120_000);
});

describe('Item → Remove: removed ⇔ Plaid delivered an accepted removal', () => {
	const suite = plaidSuite({ resource: 'item', operation: 'remove' });
	const tokens = ['one', 'two', 'typo'].map((label) => fixedAccessToken(`property-${label}`));

	it('holds for any run', async () => {
		await fc.assert(
			fc.asyncProperty(runSettings, withRepeats(fc.constantFrom(...tokens)), faults('/item/remove'), async (settings, inputs, injected) => {
				suite.emulator.reset();
				suite.emulator.addUser({ user_id: 'usr_a', items: [{ item_id: 'item-one', access_token: tokens[0] }] });
				suite.emulator.addItem({ item_id: 'item-two', access_token: tokens[1] });
				suite.emulator.injectFaults(...injected);

				const run = await suite.run(
					{ accessToken: '={{ $json.token }}', options: { retryDelay: 1, concurrency: settings.concurrency } },
					{ typeVersion: settings.typeVersion, onError: 'continueRegularOutput', startItems: inputs.map((token) => ({ token })) },
				);

				expect(run.status).toBe('success');
				expectStateMatches(run, suite.emulator);
			}),
			{ numRuns: 60 },
		);
	}, 120_000);
});
