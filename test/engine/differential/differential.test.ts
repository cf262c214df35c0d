/**
 * Our Remove Items and the official `plaid` SDK's userItemsRemove put the same call on the wire.
 */
import { officialClient, wireCall } from '../../harness/differential';
import { describeOperation } from '../../harness/plaidNode';

const suite = describeOperation('user', 'removeItems');

async function viaNode(parameters: Record<string, unknown>) {
	suite.emulator.clearRequests();
	const result = await suite.run(parameters);
	expect(result.status).toBe('success');
	expect(suite.emulator.requests).toHaveLength(1);
	return wireCall(suite.emulator.requests[0]);
}

async function viaSdk(request: Record<string, unknown>) {
	suite.emulator.clearRequests();
	await officialClient(suite.emulator).userItemsRemove(request as never);
	expect(suite.emulator.requests).toHaveLength(1);
	return wireCall(suite.emulator.requests[0]);
}

describe('/user/items/remove: node vs official SDK', () => {
	it('by user_id, IDs typed as text', async () => {
		const seed = () => suite.emulator.addUser({ user_id: 'usr_same', items: ['item-1', 'item-2', 'item-3'] });
		seed();
		const node = await viaNode({ userId: 'usr_same', itemIds: 'item-2, item-1\nitem-3' });
		suite.emulator.reset();
		seed();
		const sdk = await viaSdk({ user_id: 'usr_same', item_ids: ['item-2', 'item-1', 'item-3'] });

		expect(node).toEqual(sdk);
	});

	it('by user_token', async () => {
		const seed = () => suite.emulator.addUser({ user_id: 'usr_tok', user_token: 'user-sandbox-diff-token', items: ['item-1'] });
		seed();
		const node = await viaNode({ identifyBy: 'userToken', userToken: 'user-sandbox-diff-token', itemIds: 'item-1' });
		suite.emulator.reset();
		seed();
		const sdk = await viaSdk({ user_token: 'user-sandbox-diff-token', item_ids: ['item-1'] });

		expect(node).toEqual(sdk);
	});
});
