/**
 * Item → Get (/item/get) through n8n's engine against the emulator.
 */
import fakeTokens from '../../fixtures/fakeTokens.json';
import { describeOperation, everythingLeftBy, expectPlaidError, itFailsBeforeAnyRequest } from '../../harness/plaidNode';

const suite = describeOperation('item', 'get');

const TOKEN = fakeTokens.itemGet.accessToken;

describe('reading an Item', () => {
	it('sends one POST /item/get and outputs Plaid’s { item, status, request_id } unchanged, without the token', async () => {
		suite.emulator.addUser({ user_id: 'usr_alice', items: [{ item_id: 'item-1', access_token: TOKEN }] });

		const result = await suite.run({ accessToken: TOKEN });

		expect(result.status).toBe('success');
		const [request] = suite.emulator.requests;
		expect([request.method, request.path, request.body]).toEqual(['POST', '/item/get', { access_token: TOKEN }]);
		expect(result.output('Plaid')).toEqual([{ json: request.response.body, pairedItem: { item: 0 } }]);
		expect(Object.keys(result.output('Plaid')[0].json).sort()).toEqual(['item', 'request_id', 'status']);
		expect(result.output('Plaid')[0].json.item).toMatchObject({ item_id: 'item-1', institution_id: 'ins_109508', error: null });
		expect(everythingLeftBy(result)).not.toContain(TOKEN);
		// Read-only: the Item is still there.
		expect(suite.emulator.accessTokenOf('item-1')).toBe(TOKEN);
	});

	it('reads several Items, each output paired to its input', async () => {
		suite.emulator.addUser({
			user_id: 'usr_alice',
			items: [
				{ item_id: 'item-a', access_token: 'access-sandbox-aaaa' },
				{ item_id: 'item-b', access_token: 'access-sandbox-bbbb' },
			],
		});

		const result = await suite.run({ accessToken: '={{ $json.token }}' }, { startItems: [{ token: 'access-sandbox-bbbb' }, { token: 'access-sandbox-aaaa' }] });

		expect(result.output('Plaid').map((item) => [item.json.item.item_id, item.pairedItem])).toEqual([
			['item-b', { item: 0 }],
			['item-a', { item: 1 }],
		]);
	});
});

describe('errors', () => {
	itFailsBeforeAnyRequest(suite, [
		['a blank token', { accessToken: ' ' }, 'Access Token: required'],
		['an item_id instead of a token', { accessToken: 'item-1' }, 'Access Token: not a Plaid access token'],
	]);

	it('a removed Item fails with INVALID_ACCESS_TOKEN, without echoing the token', async () => {
		const result = await suite.run({ accessToken: TOKEN });

		expectPlaidError(result, 'INVALID_ACCESS_TOKEN');
		expect(everythingLeftBy(result)).not.toContain(TOKEN);
	});

	it('Continue (using error output): the failed Item goes to the error output', async () => {
		const result = await suite.run({ accessToken: TOKEN }, { onError: 'continueErrorOutput' });

		expect(result.output('Plaid', 1).map((item) => [item.json.error.split(':')[0], item.pairedItem])).toEqual([
			['INVALID_ACCESS_TOKEN', { item: 0 }],
		]);
	});
});
