/**
 * Our Remove Items and the official `plaid` SDK's userItemsRemove put the same call on the wire.
 */
import { startEmulator } from './emulator';
import { officialClient, wireCall } from './harness/differential';
import { loadPackage, runWorkflow } from './harness/engine';
import { emulatorCredentials, plaidWorkflow } from './harness/workflows';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

let emulator: Emulator;
let loaded: Awaited<ReturnType<typeof loadPackage>>;

beforeAll(async () => {
	loaded = await loadPackage();
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());

async function viaNode(parameters: Record<string, unknown>) {
	emulator.clearRequests();
	const result = await runWorkflow(plaidWorkflow({ resource: 'user', operation: 'removeItems', ...parameters }), {
		credentials: emulatorCredentials(emulator),
		loaded,
	});
	expect(result.status).toBe('success');
	expect(emulator.requests).toHaveLength(1);
	return wireCall(emulator.requests[0]);
}

async function viaSdk(request: Record<string, unknown>) {
	emulator.clearRequests();
	await officialClient(emulator).userItemsRemove(request as never);
	expect(emulator.requests).toHaveLength(1);
	return wireCall(emulator.requests[0]);
}

describe('/user/items/remove: node vs official SDK', () => {
	it('by user_id, IDs typed as text', async () => {
		const seed = () => emulator.addUser({ user_id: 'usr_same', items: ['item-1', 'item-2', 'item-3'] });
		seed();
		const node = await viaNode({ userId: 'usr_same', itemIds: 'item-2, item-1\nitem-3' });
		emulator.reset();
		seed();
		const sdk = await viaSdk({ user_id: 'usr_same', item_ids: ['item-2', 'item-1', 'item-3'] });

		expect(node).toEqual(sdk);
	});

	it('by user_token', async () => {
		const seed = () => emulator.addUser({ user_id: 'usr_tok', user_token: 'user-sandbox-diff-token', items: ['item-1'] });
		seed();
		const node = await viaNode({ identifyBy: 'userToken', userToken: 'user-sandbox-diff-token', itemIds: 'item-1' });
		emulator.reset();
		seed();
		const sdk = await viaSdk({ user_token: 'user-sandbox-diff-token', item_ids: ['item-1'] });

		expect(node).toEqual(sdk);
	});
});
