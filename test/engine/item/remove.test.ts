/**
 * Item → Remove (/item/remove) through n8n's engine against the emulator.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { describeOperation, everythingLeftBy, expectInputError, expectPlaidError, unprovenFailureItem, removedJson } from '../../harness/plaidNode';

const suite = describeOperation('item', 'remove');

const TOKEN = fakeTokens.itemRemove.accessToken;

function seedItem(itemId = 'item-1', accessToken = TOKEN) {
	suite.emulator.addUser({ user_id: `usr_of_${itemId}`, items: [{ item_id: itemId, access_token: accessToken }, `${itemId}-kept`] });
}

describe('removing an Item', () => {
	it('sends one POST /item/remove with the token; outputs only the request_id; the token appears nowhere', async () => {
		seedItem();

		const result = await suite.run({ accessToken: TOKEN });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.method, request.path, request.body]).toEqual(['POST', '/item/remove', { access_token: TOKEN }]);
		expect(request.headers['plaid-client-id']).toBe(suite.emulator.clientId);
		expect(result.output('Plaid')).toEqual([
			{ json: { ...removedJson({}, '/item/remove', 'item.remove'), request_id: request.response.body.request_id }, pairedItem: { item: 0 } },
		]);
		expect(suite.emulator.accessTokenOf('item-1')).toBeUndefined();
		expect(suite.emulator.itemIdsOf('usr_of_item-1')).toEqual(['item-1-kept']);
		expect(everythingLeftBy(result)).not.toContain(TOKEN);
	});

	it('sends a reason code and a trimmed note when given', async () => {
		seedItem();

		await suite.run({ accessToken: TOKEN, reasonCode: 'FRAUD_FIRST_PARTY', reasonNote: ' flagged by risk team ' });

		expect(suite.emulator.requests[0].body).toEqual({ access_token: TOKEN, reason_code: 'FRAUD_FIRST_PARTY', reason_note: 'flagged by risk team' });
	});

	it('a second removal fails with INVALID_ACCESS_TOKEN, as Plaid documents, without echoing the token', async () => {
		seedItem();
		await suite.run({ accessToken: TOKEN });

		const again = await suite.run({ accessToken: TOKEN });

		expectPlaidError(again, 'INVALID_ACCESS_TOKEN');
		expect(everythingLeftBy(again)).not.toContain(TOKEN);
	});

	it('takes tokens from the input items, one request each, outputs paired', async () => {
		seedItem('item-a', 'access-sandbox-aaaa');
		seedItem('item-b', 'access-sandbox-bbbb');

		const result = await suite.run(
			{ accessToken: '={{ $json.token }}', reasonCode: '={{ $json.reason }}' },
			{ startItems: [{ token: 'access-sandbox-aaaa', reason: 'OTHER' }, { token: 'access-sandbox-bbbb', reason: '' }] },
		);

		expect(suite.emulator.requests.map((r) => r.body)).toEqual([
			{ access_token: 'access-sandbox-aaaa', reason_code: 'OTHER' },
			{ access_token: 'access-sandbox-bbbb' },
		]);
		expect(result.output('Plaid').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});

describe('bad input fails before any request, without echoing the value', () => {
	it.each([
		['a blank token', { accessToken: '   ' }, 'Access Token: required'],
		['a token that is a number', { accessToken: '={{ 42 }}' }, 'Access Token: must be text, got a number'],
		['an item_id instead of a token', { accessToken: fakeTokens.itemRemove.itemIdNotAToken }, 'Access Token: not a Plaid access token'],
		['a public token instead of an access token', { accessToken: fakeTokens.itemRemove.publicTokenNotAnAccessToken }, 'Access Token: not a Plaid access token'],
		['a reason code outside Plaid’s list', { accessToken: TOKEN, reasonCode: '={{ "USER_OFFBOARDING" }}' }, 'Reason Code: "USER_OFFBOARDING" is not one of Plaid\'s values'],
		['a 513-character note', { accessToken: TOKEN, reasonNote: 'n'.repeat(513) }, 'Reason Note: at most 512 characters'],
	])('%s', async (_label, parameters, message) => {
		const result = await suite.run(parameters);

		expectInputError(result, suite.emulator, message);
		const { message: text, description } = result.nodeError('Plaid');
		expect(`${text} ${description ?? ''}`).not.toContain(String(parameters.accessToken).slice(0, 20));
	});
});

describe('Continue On Fail', () => {
	it('regular output: the failed Item carries the Plaid fields and its pairedItem; the others are removed', async () => {
		seedItem('item-a', 'access-sandbox-aaaa');

		const result = await suite.run(
			{ accessToken: '={{ $json.token }}' },
			{ onError: 'continueRegularOutput', startItems: [{ token: 'access-sandbox-gone' }, { token: 'access-sandbox-aaaa' }] },
		);

		expect(result.output('Plaid')).toEqual([
			unprovenFailureItem('not_found', 'INVALID_ACCESS_TOKEN', 'INVALID_INPUT', 0, { endpoint: '/item/remove', operation: 'item.remove', fields: {} }, suite.emulator.requests[0].response.body.request_id),
			{ json: removedJson({}, '/item/remove', 'item.remove'), pairedItem: { item: 1 } },
		]);
		expect(JSON.stringify(result.output('Plaid'))).not.toContain('access-sandbox-');
	});

	it('error output: the failed Item goes to the error output with the code leading `error`', async () => {
		const result = await suite.run({ accessToken: TOKEN }, { onError: 'continueErrorOutput' });

		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([
			['INVALID_ACCESS_TOKEN', { item: 0 }],
		]);
		expect(everythingLeftBy(result)).not.toContain(TOKEN);
	});
});
