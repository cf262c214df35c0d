/**
 * Item → Terminate (/item/products/terminate) through n8n's engine against the emulator, whichever
 * way the emulator shows a terminated Item (Plaid does not say whether it stays listed).
 */
import {
	describeOperation,
	everythingLeftBy,
	expectInputError,
	expectPlaidError,
	refusedJson,
	unprovenFailureItem,
	removedJson,
	type Run,
} from '../../harness/plaidNode';
import { unknownAccessToken } from '../../harness/tokens';

const FAST = { retryDelay: 1 };

const paths = (run: { emulator: { requests: Array<{ path: string }> } }) => run.emulator.requests.map((request) => request.path);

describe.each(['forgotten', 'listed'] as const)('terminated Items %s by /user/items/get', (terminatedItems) => {
	const suite = describeOperation('item', 'terminate', { terminatedItems });

	function seedItem(itemId = 'item-1') {
		suite.emulator.addUser({ user_id: `usr_of_${itemId}`, items: [itemId, `${itemId}-kept`] });
		return suite.emulator.accessTokenOf(itemId) as string;
	}

	it('sends one POST /item/products/terminate with USER_OFFBOARDING; outputs the request_id; the token dies and appears nowhere', async () => {
		const token = seedItem();

		const result = await suite.run({ accessToken: token });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.method, request.path, request.body]).toEqual(['POST', '/item/products/terminate', { access_token: token, reason_code: 'USER_OFFBOARDING' }]);
		expect(request.headers['plaid-secret']).toBe(suite.emulator.secret);
		expect(result.output('Plaid')).toEqual([
			{ json: { ...removedJson({}, '/item/products/terminate', 'item.terminate'), request_id: request.response.body.request_id }, pairedItem: { item: 0 } },
		]);
		expect(suite.emulator.accessTokenOf('item-1')).toBeUndefined();
		expect(suite.emulator.terminationOf('item-1')).toMatchObject({ reason_code: 'USER_OFFBOARDING', reason_note: null });
		expect(suite.emulator.accessTokenOf('item-1-kept')).toEqual(expect.any(String));
		expect(everythingLeftBy(result)).not.toContain(token);
	});

	it('a second termination fails with INVALID_ACCESS_TOKEN: the token no longer works', async () => {
		const token = seedItem();
		await suite.run({ accessToken: token });

		const again = await suite.run({ accessToken: token });

		expectPlaidError(again, 'INVALID_ACCESS_TOKEN');
		expect(everythingLeftBy(again)).not.toContain(token);
	});

	it('dropped after Plaid terminated it: the retry answers INVALID_ACCESS_TOKEN: uncertain (1.1: success output), never terminated', async () => {
		const token = seedItem();
		suite.emulator.injectFaults({ path: '/item/products/terminate', drop: 'after' });

		const run = await suite.run({ accessToken: token, options: FAST }, { typeVersion: 1.1 });

		expect(run.status).toBe('success');
		expect(run.output('Plaid')).toEqual([{ json: refusedJson('uncertain', {}, '/item/products/terminate', 'item.terminate', 'INVALID_ACCESS_TOKEN'), pairedItem: { item: 0 } }]);
		expect(paths(suite)).toEqual(['/item/products/terminate', '/item/products/terminate']);
	});
});

describe('Item → Terminate', () => {
	const suite = describeOperation('item', 'terminate');

	it('sends the chosen reason code and a trimmed note', async () => {
		const item = suite.emulator.addItem();

		await suite.run({ accessToken: item.access_token, reasonCode: 'FRAUD_TRANSACTION', reasonNote: ' flagged by risk team ' });

		expect(suite.emulator.requests[0].body).toEqual({ access_token: item.access_token, reason_code: 'FRAUD_TRANSACTION', reason_note: 'flagged by risk team' });
		expect(suite.emulator.terminationOf(item.item_id)).toMatchObject({ reason_code: 'FRAUD_TRANSACTION', reason_note: 'flagged by risk team' });
	});

	it('terminates Items linked without a user, one request per input item, outputs paired', async () => {
		const [first, second] = [suite.emulator.addItem(), suite.emulator.addItem()];

		const result = await suite.run(
			{ accessToken: '={{ $json.token }}', reasonCode: '={{ $json.reason }}' },
			{ startItems: [{ token: first.access_token, reason: 'DUPLICATE_ITEM' }, { token: second.access_token, reason: 'USER_OFFBOARDING' }] },
		);

		expect(suite.emulator.requests.map((request) => [request.body.access_token, request.body.reason_code])).toEqual([
			[first.access_token, 'DUPLICATE_ITEM'],
			[second.access_token, 'USER_OFFBOARDING'],
		]);
		expect(result.output('Plaid').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect([first, second].map((item) => suite.emulator.accessTokenOf(item.item_id))).toEqual([undefined, undefined]);
	});

	it('works the same in node version 1.1', async () => {
		const item = suite.emulator.addItem();

		const result = await suite.run({ accessToken: item.access_token }, { typeVersion: 1.1 });

		expect(result.output('Plaid')).toEqual([{ json: removedJson({}, '/item/products/terminate', 'item.terminate'), pairedItem: { item: 0 } }]);
		expect(paths(suite)).toEqual(['/item/products/terminate']);
	});

	it('a 503 PLANNED_MAINTENANCE did nothing: the refusal after it is not_found, though the Item is in fact there', async () => {
		const item = suite.emulator.addItem();
		suite.emulator.injectFaults(
			{ path: '/item/products/terminate', status: 503 },
			{ path: '/item/products/terminate', body: { error_type: 'INVALID_INPUT', error_code: 'INVALID_ACCESS_TOKEN', error_message: 'stale' } },
		);

		const run = await suite.run({ accessToken: item.access_token, options: FAST });

		expectPlaidError(run, 'INVALID_ACCESS_TOKEN');
		expect(run.nodeError('Plaid').description).toContain('Plaid does not know this access token');
		expect(run.nodeError('Plaid').description).not.toContain('may have');
		expect(paths(suite)).toEqual(['/item/products/terminate', '/item/products/terminate']);
		expect(suite.emulator.accessTokenOf(item.item_id)).toBe(item.access_token);
	});

	it('a first-attempt INVALID_ACCESS_TOKEN stays an error, with no check', async () => {
		const run = await suite.run({ accessToken: unknownAccessToken(), options: FAST });

		expectPlaidError(run, 'INVALID_ACCESS_TOKEN');
		expect(paths(suite)).toEqual(['/item/products/terminate']);
	});
});

describe('bad input fails before any request, without echoing the token', () => {
	const suite = describeOperation('item', 'terminate');

	type Item = ReturnType<typeof suite.emulator.addItem>;
	it.each<[string, (item: Item) => Record<string, unknown>, string]>([
		['a blank token', () => ({ accessToken: '   ' }), 'Access Token: required'],
		['the item_id instead of the token', (item) => ({ accessToken: item.item_id }), 'Access Token: not a Plaid access token'],
		['a reason code of Item → Remove only', () => ({ reasonCode: '={{ "CONNECTION_IS_NON_FUNCTIONAL" }}' }), 'Reason Code: "CONNECTION_IS_NON_FUNCTIONAL" is not one of Plaid\'s values'],
		['no reason code from an expression', () => ({ reasonCode: '={{ "" }}' }), 'Reason Code: required'],
		['a 513-character note', () => ({ reasonNote: 'n'.repeat(513) }), 'Reason Note: at most 512 characters'],
	])('%s', async (_label, parameters, message) => {
		const item = suite.emulator.addItem();

		const result: Run = await suite.run({ accessToken: item.access_token, ...parameters(item) });

		expectInputError(result, suite.emulator, message);
		expect(everythingLeftBy(result)).not.toContain(item.access_token);
		expect(suite.emulator.accessTokenOf(item.item_id)).toBe(item.access_token);
	});
});

describe('Continue On Fail', () => {
	const suite = describeOperation('item', 'terminate');

	it('regular output: the failed Item carries the Plaid fields and its pairedItem; the others are terminated', async () => {
		const item = suite.emulator.addItem();

		const result = await suite.run(
			{ accessToken: '={{ $json.token }}' },
			{ onError: 'continueRegularOutput', startItems: [{ token: unknownAccessToken('gone') }, { token: item.access_token }] },
		);

		expect(result.output('Plaid')).toEqual([
			unprovenFailureItem('not_found', 'INVALID_ACCESS_TOKEN', 'INVALID_INPUT', 0, { endpoint: '/item/products/terminate', operation: 'item.terminate', fields: {} }, suite.emulator.requests[0].response.body.request_id),
			{ json: removedJson({}, '/item/products/terminate', 'item.terminate'), pairedItem: { item: 1 } },
		]);
		expect(suite.emulator.accessTokenOf(item.item_id)).toBeUndefined();
	});

	it('error output: the failed Item goes there with the code leading `error`, paired', async () => {
		const result = await suite.run({ accessToken: unknownAccessToken('gone') }, { onError: 'continueErrorOutput' });

		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([['INVALID_ACCESS_TOKEN', { item: 0 }]]);
		expect(result.output('Plaid', 0)).toEqual([]);
	});
});
