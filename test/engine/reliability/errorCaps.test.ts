/**
 * Text a server chose is cut before it reaches an error. A Plaid error whose error_message lists
 * 100,000 IDs and whose other text fields list thousands, with more IDs in a field of its own:
 * for every operation, the message still starts with Plaid's error_code and says how much was
 * left out, and what n8n keeps (the stored error, a Continue On Fail item, the error output, the
 * run data) stays under 64 KB. Each operation is run with one of the three error settings, in
 * turn, so that the suite stays quick with bodies of megabytes.
 */
import { capText, MAX_SERVER_TEXT } from '../../../nodes/Plaid/helpers/text';
import { everyOperation, operationName } from '../../harness/everyOperation';
import { plaidSuite } from '../../harness/plaidNode';
import { ON_ERROR_SETTINGS } from '../../harness/workflows';

const suite = plaidSuite();

const ids = (count: number) => Array.from({ length: count }, (_, i) => `item-${String(i).padStart(8, '0')}-xxxxxxxxxxxxxxxxxxxxxxxxx`);
const listed = (count: number) => ids(count).join(', ');
const STORED_LIMIT = 64 * 1024;

const hugeError = {
	error_type: 'INVALID_REQUEST',
	error_code: 'INVALID_FIELD',
	error_message: `these item_ids are not attached: ${listed(100_000)}`,
	display_message: listed(2_000),
	error_code_reason: listed(2_000),
	suggested_action: listed(2_000),
	documentation_url: `https://plaid.com/docs/errors/#${listed(2_000)}`,
	listed_item_ids: ids(2_000),
};

const storedSize = (value: unknown) => JSON.stringify(value).length;
const cases = everyOperation().map((operation, index) => [operationName(operation), ON_ERROR_SETTINGS[index % ON_ERROR_SETTINGS.length], operation] as const);

it('runs every error setting', () => {
	expect(new Set(cases.map(([, onError]) => onError))).toEqual(new Set(ON_ERROR_SETTINGS));
});

it.each(cases)('%s, on error %s: the text is cut, led by the code, and what n8n keeps stays under 64 KB', async (_name, onError, operation) => {
	suite.emulator.injectFaults({ status: 400, body: hugeError, times: Infinity });

	const run = await suite.run(
		{ resource: operation.resource, operation: operation.operation, ...operation.parameters, options: { maxRetries: 0 } },
		{ onError },
	);

	const cut = /… and \d+ more characters/;
	if (onError === 'stop') {
		const error = run.nodeError('Plaid');
		expect(error.message).toMatch(/^INVALID_FIELD: these item_ids are not attached: item-00000000-/);
		expect(error.message).toMatch(cut);
		expect(error.description).toMatch(/display_message: item-00000000-.*… and \d+ more characters/);
		expect(storedSize(error)).toBeLessThan(STORED_LIMIT);
		expect(storedSize(run.error)).toBeLessThan(STORED_LIMIT);
	} else {
		const items = run.output('Plaid', onError === 'continueErrorOutput' ? 1 : 0);
		expect(items).toHaveLength(1);
		expect(items[0].json.error).toMatch(/^INVALID_FIELD: these item_ids are not attached: item-00000000-/);
		expect(items[0].json.error).toMatch(cut);
	}
	expect(storedSize(run.run.data.resultData.runData.Plaid)).toBeLessThan(STORED_LIMIT);
});

describe('capText', () => {
	it('keeps text up to the bound as it is', () => {
		const text = 'x'.repeat(MAX_SERVER_TEXT);
		expect(capText(text)).toBe(text);
	});

	it('cuts longer text at the bound and says how much was left out', () => {
		expect(capText('abcdefghij', 4)).toBe('abcd… and 6 more characters');
	});

	it('never splits a character in two', () => {
		expect(capText('abc😀def', 4)).toBe('abc… and 5 more characters');
	});
});

describe('a removal of 100,000 Item IDs refused as not attached', () => {
	const removal = plaidSuite({ resource: 'user', operation: 'removeItems' });
	const requested = ['kept-1', 'kept-2', ...ids(99_998)];

	it.each(['stop', 'continueRegularOutput'] as const)('on error %s: the stored error stays under 64 KB, its notes list a few IDs and say how many more', async (onError) => {
		removal.emulator.addUser({ user_id: 'usr_many', items: ['kept-1', 'kept-2'] });

		const run = await removal.run({ userId: 'usr_many', itemIds: requested.join(',') }, { onError });

		if (onError === 'stop') {
			const error = run.nodeError('Plaid');
			expect(error.description).toMatch(/not attached: item-00000000-\S+, .* … and 99978 more/);
			expect(storedSize(error)).toBeLessThan(STORED_LIMIT);
			expect(storedSize(run.error)).toBeLessThan(STORED_LIMIT);
			expect(storedSize(run.run.data.resultData.runData.Plaid)).toBeLessThan(STORED_LIMIT);
		} else {
			// The Continue On Fail item is output, not an error: it lists every ID, for the workflow to use.
			const [item] = run.output('Plaid');
			expect(item.json).toMatchObject({ outcome: 'not_attached', attached_item_ids: ['kept-1', 'kept-2'] });
			expect((item.json.not_attached_item_ids as string[]).length).toBe(99_998);
		}
		expect(removal.emulator.itemIdsOf('usr_many')).toEqual(['kept-1', 'kept-2']);
	});
});
