/**
 * Property-based tests (fast-check) of User → Remove Items' inputs, through n8n's engine against
 * the emulator. Values come from the workflow's start items through `={{ $json.x }}` expressions,
 * as they would from a CRM or a spreadsheet. Every case ends in exactly one of two ways:
 *   - exactly one request, whose body the emulator's schema check accepts, or
 *   - a NodeOperationError naming the parameter, with no request at all.
 * One package load and one emulator serve all cases; the emulator is reset before each case.
 */
import fc from 'fast-check';

import { describeOperation, type Run } from '../../harness/plaidNode';

const suite = describeOperation('user', 'removeItems');
const emulator = () => suite.emulator;

jest.setTimeout(180_000);

type IdentifyBy = 'userId' | 'userToken';

async function removeItems(identifyBy: IdentifyBy, user: unknown, ids: unknown): Promise<Run> {
	const who = identifyBy === 'userId' ? { userId: '={{ $json.user }}' } : { identifyBy: 'userToken', userToken: '={{ $json.user }}' };
	const startItem: Record<string, unknown> = {};
	if (user !== undefined) startItem.user = user;
	if (ids !== undefined) startItem.ids = ids;
	return await suite.run({ ...who, itemIds: '={{ $json.ids }}' }, { startItems: [startItem] });
}

/** The emulator's schema verdict: Plaid's schema errors all have error_type INVALID_REQUEST. */
function acceptedBySchema(response: { status: number | null; body?: unknown }): boolean {
	const errorType = (response.body as { error_type?: string } | undefined)?.error_type;
	return response.status !== null && errorType !== 'INVALID_REQUEST';
}

/** The property every case must satisfy; returns which way it went. */
function expectOneRequestOrInputError(run: Run): 'sent' | 'refused' {
	const error = run.nodeError('Plaid');
	if (emulator().requests.length === 0) {
		expect(run.status).toBe('error');
		expect(error?.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^(Item IDs|User ID|User Token): /);
		expect(error.context.itemIndex).toBe(0);
		return 'refused';
	}
	// One removal; when Plaid refuses it for its Items, one read of the user's Items to say which are attached.
	const [request, ...reads] = emulator().requests;
	expect(request.path).toBe('/user/items/remove');
	expect(acceptedBySchema(request.response)).toBe(true);
	const userUnknown = ['USER_NOT_FOUND', 'INVALID_USER_TOKEN'].includes((request.response.body as { error_code?: string } | undefined)?.error_code ?? '');
	expect(reads.map((read) => read.path)).toEqual(request.response.status === 200 || userUnknown ? [] : ['/user/items/get']);
	if (error) expect(error.name).toBe('NodeApiError');
	return 'sent';
}

// --- generators ---

/** Characters that separate Item IDs in a string: commas and any Unicode white space. */
const SEPARATOR = /[\s,]/u;
const separators = fc.constantFrom(',', ' ', '\n', '\t', ' , ', '\r\n', ',,', '\u00a0', '\u2003', '\u3000', '\ufeff');
const unicodeText = (minLength: number) =>
	fc.oneof(fc.string({ minLength, maxLength: 40 }), fc.string({ minLength, maxLength: 40, unit: 'grapheme' }), fc.string({ minLength, maxLength: 20, unit: 'binary' }));
const itemId = unicodeText(1).filter((id) => !SEPARATOR.test(id));
const padding = fc.array(separators.filter((s) => s.trim() === ''), { maxLength: 2 }).map((parts) => parts.join(''));
const identifier = unicodeText(1).filter((text) => text.trim() === text && text !== '');
const identifyBy = fc.constantFrom<IdentifyBy>('userId', 'userToken');
/** A legacy user token: Plaid's shape, `user-<environment>-` and no white space. */
const userToken = unicodeText(1)
	.filter((text) => !/\s/u.test(text))
	.map((text) => `user-sandbox-${text}`);

/** Distinct intended IDs, with the list long now and then. */
const intendedIds = fc.oneof(
	{ weight: 9, arbitrary: fc.uniqueArray(itemId, { minLength: 1, maxLength: 30 }) },
	{ weight: 1, arbitrary: fc.uniqueArray(itemId, { minLength: 500, maxLength: 1500 }) },
);

/** The intended IDs as a builder might send them: a string with mixed separators, or an array. */
function rendered(ids: string[]): fc.Arbitrary<string | string[]> {
	const withDuplicates = fc
		.array(fc.nat({ max: ids.length - 1 }), { maxLength: 5 })
		.map((extra) => [...ids, ...extra.map((index) => ids[index])]);
	const asString = fc
		.tuple(withDuplicates, fc.array(separators, { minLength: ids.length + 5, maxLength: ids.length + 5 }), padding, padding)
		.map(([list, seps, before, after]) => before + list.map((id, k) => id + seps[k]).join('') + after);
	const asArray = fc
		.tuple(withDuplicates, fc.array(fc.tuple(padding, padding), { minLength: ids.length + 5, maxLength: ids.length + 5 }), fc.array(padding, { maxLength: 3 }))
		.map(([list, pads, blanks]) => [...blanks, ...list.map((id, k) => pads[k][0] + id + pads[k][1])]);
	return fc.oneof(asString, asArray);
}

/** Values that are never a list of Item IDs: each must be refused before anything is sent. */
const notItemIds = fc.oneof(
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.object({ maxDepth: 1 }),
	fc.constantFrom('', '   ', ',', ' ,\n ,\t', [], ['', '  ']),
	fc.tuple(fc.array(itemId, { maxLength: 3 }), fc.oneof(fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }), fc.array(itemId, { minLength: 1, maxLength: 2 }))).map(([ids, junk]) => [...ids, junk]),
	fc.tuple(itemId, itemId).map(([a, b]) => [`${a},${b}`]),
);
const notUserIdentifier = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 }), fc.array(identifier, { maxLength: 2 }), fc.constantFrom('', ' ', '\n\t'));

// --- properties ---

describe('Remove Items inputs, fuzzed through the engine', () => {
	it('any rendering of a user’s IDs sends them once, trimmed, deduplicated, in order, and Plaid removes them', async () => {
		const who = identifyBy.chain((by) => (by === 'userId' ? identifier : userToken).map((user) => ({ by, user })));
		const model = fc.tuple(intendedIds, who, padding, padding).chain(([ids, { user, by }, before, after]) =>
			rendered(ids).map((value) => ({ ids, user, by, userValue: before + user + after, value })),
		);
		await fc.assert(
			fc.asyncProperty(model, async ({ ids, user, by, userValue, value }) => {
				emulator().reset();
				emulator().addUser({ user_id: by === 'userId' ? user : 'usr_fuzz', ...(by === 'userToken' ? { user_token: user } : {}), items: ids });

				const run = await removeItems(by, userValue, value);

				expect(expectOneRequestOrInputError(run)).toBe('sent');
				expect(emulator().requests[0].response.status).toBe(200);
				expect(emulator().requests[0].body).toEqual({ [by === 'userId' ? 'user_id' : 'user_token']: user, item_ids: ids });
				expect(run.output('Plaid')[0].json.item_ids).toEqual(ids);
				expect(emulator().itemIdsOf(by === 'userId' ? user : 'usr_fuzz')).toEqual([]);
			}),
			{ numRuns: 400 },
		);
	});

	it('anything that is not a list of string IDs, or not a user identifier, is refused with no request', async () => {
		const badIds = fc.record({ user: fc.oneof(identifier, notUserIdentifier), ids: notItemIds });
		const badUser = fc.record({ user: notUserIdentifier, ids: fc.array(itemId, { minLength: 1, maxLength: 5 }) });
		await fc.assert(
			fc.asyncProperty(fc.oneof(badIds, badUser), identifyBy, async ({ user, ids }, by) => {
				emulator().reset();

				const run = await removeItems(by, user, ids);

				expect(expectOneRequestOrInputError(run)).toBe('refused');
			}),
			{ numRuns: 300 },
		);
	});

	it('whatever arrives — any JSON value, missing or nested — is one schema-valid request or refused with none', async () => {
		const anyValue = fc.oneof(
			fc.anything({ maxDepth: 3, withNullPrototype: false }),
			fc.array(fc.oneof(itemId, fc.string(), fc.anything({ maxDepth: 1 })), { maxLength: 8 }),
			fc.array(fc.oneof(itemId, fc.string()), { maxLength: 8 }),
			fc.constant(undefined),
		);
		const outcomes = { sent: 0, refused: 0 };
		await fc.assert(
			fc.asyncProperty(fc.oneof(anyValue, identifier), fc.oneof(anyValue, fc.string(), unicodeText(0)), identifyBy, async (user, ids, by) => {
				emulator().reset();

				const run = await removeItems(by, user, ids);

				outcomes[expectOneRequestOrInputError(run)] += 1;
			}),
			{ numRuns: 400 },
		);
		// Both ways were exercised, so neither branch of the property holds vacuously.
		expect(outcomes.sent).toBeGreaterThan(20);
		expect(outcomes.refused).toBeGreaterThan(20);
	});
});
