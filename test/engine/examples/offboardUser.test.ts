/**
 * examples/offboard-user.workflow.json (the demo's workflow) through n8n's engine on the demo
 * seed: Alice's Items listed, all removed in one call, listed again (none), her subscriptions
 * ended and her user deleted; Bob loses exactly the one Item the workflow names.
 */
import example from '../../../examples/offboard-user.workflow.json';
import { seedDemo } from '../../emulator';
import { runWorkflow } from '../../harness/engine';
import { packagePerFile } from '../../harness/engineFixtures';
import { emulatorPerFile } from '../../harness/fixtures';
import { emulatorCredentials } from '../../harness/workflows';
import { removedJson } from '../../harness/plaidNode';

const BOB_CLOSED_ITEM = 'psuc0Kk8NnRVTOA9PhnF1sOoF0pL2ccZaCvdg';

const loaded = packagePerFile();
const emulator = emulatorPerFile();

it('lists, removes, lists again, ends subscriptions and deletes Alice; removes one Item of Bob', async () => {
	seedDemo(emulator);
	const aliceItems = emulator.itemIdsOf('usr_demo_alice');
	const bobItems = emulator.itemIdsOf('usr_demo_bob');

	const result = await runWorkflow(example, { credentials: emulatorCredentials(emulator), loaded });

	expect(result.status).toBe('success');
	expect(emulator.requests.map((request) => [request.path, request.body])).toEqual([
		['/user/items/get', { user_id: 'usr_demo_alice' }],
		['/user/items/get', { user_id: 'usr_demo_alice' }],
		['/user/items/remove', { user_id: 'usr_demo_alice', item_ids: aliceItems }],
		['/user/items/get', { user_id: 'usr_demo_alice' }],
		['/user/products/terminate', { user_id: 'usr_demo_alice', reason_code: 'USER_OFFBOARDING', reason_note: 'Customer closed their account' }],
		['/user/remove', { user_id: 'usr_demo_alice' }],
		['/user/items/remove', { user_id: 'usr_demo_bob', item_ids: [BOB_CLOSED_ITEM] }],
	]);

	const only = (node: string) => {
		const output = result.output(node);
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		return output[0].json;
	};
	const before = only("List Alice's Items");
	expect(before.items.map((item: { item_id: string }) => item.item_id)).toEqual(aliceItems);
	expect(before.items.map((item: { institution_name: string }) => item.institution_name)).toEqual([
		'First Platypus Bank',
		'Tattersall Federal Credit Union',
		'Houndstooth Bank',
	]);
	expect(only("Remove all of Alice's Items")).toEqual(removedJson({ item_ids: aliceItems, not_attached_item_ids: [], user_id: 'usr_demo_alice' }, '/user/items/remove', 'user.removeItems'));
	expect(only("List Alice's Items again")).toEqual({ items: [], request_id: expect.any(String) });
	expect(only("End Alice's subscriptions")).toEqual(removedJson({ user_id: 'usr_demo_alice' }, '/user/products/terminate', 'user.terminateProducts'));
	expect(only('Delete Alice at Plaid')).toEqual(removedJson({ user_id: 'usr_demo_alice' }, '/user/remove', 'user.remove'));
	expect(only("Remove Bob's closed account")).toEqual(removedJson({ item_ids: [BOB_CLOSED_ITEM], not_attached_item_ids: [], user_id: 'usr_demo_bob' }, '/user/items/remove', 'user.removeItems'));

	expect(emulator.getUser('usr_demo_alice')).toBeUndefined();
	expect(emulator.itemIdsOf('usr_demo_bob')).toEqual(bobItems.filter((id) => id !== BOB_CLOSED_ITEM));
});
