/**
 * examples/revoked-permission.workflow.json end to end against the emulator: a signed
 * USER_PERMISSION_REVOKED webhook reaches the example's trigger, and the run it starts removes
 * exactly that Item at Plaid.
 */
import example from '../../../examples/revoked-permission.workflow.json';
import { runWorkflow } from '../../harness/engine';
import { packagePerFile, triggerPerFile } from '../../harness/engineFixtures';
import { emulatorPerFile } from '../../harness/fixtures';
import { emulatorCredentials } from '../../harness/workflows';
import { removedJson } from '../../harness/plaidNode';

const triggerNode = example.nodes.find((node) => node.type === 'n8n-nodes-plaid.plaidTrigger') as (typeof example.nodes)[0];

const loaded = packagePerFile();
const emulator = emulatorPerFile();
const trigger = triggerPerFile({ emulator, loaded }, { node: triggerNode });

function webhookFor(code: string, userId: string, itemId: string) {
	return { webhook_type: 'ITEM', webhook_code: code, item_id: itemId, user_id: userId, environment: 'sandbox' };
}

it('uses only real node types, with the trigger listening for revoked permissions', () => {
	expect(example.nodes.map((node) => node.type)).toEqual(['n8n-nodes-plaid.plaidTrigger', 'n8n-nodes-plaid.plaid']);
	expect(triggerNode.parameters.events).toEqual(['ITEM.USER_PERMISSION_REVOKED']);
	expect(triggerNode.webhookId).toEqual(expect.any(String));
});

it('removes the Item whose permission was revoked, and only that one', async () => {
	emulator.addUser({ user_id: 'usr_revoked', items: [{}, {}] });
	const [revokedItem, keptItem] = emulator.itemIdsOf('usr_revoked');

	const delivery = await emulator.sendWebhook(trigger.url, webhookFor('USER_PERMISSION_REVOKED', 'usr_revoked', revokedItem));
	expect(delivery.status).toBe(200);
	expect(trigger.started).toHaveLength(1);
	const startItems = (trigger.started[0].items ?? []).map((item) => item.json);

	const result = await runWorkflow(example, {
		credentials: emulatorCredentials(emulator),
		startNode: 'Plaid Trigger',
		startItems,
		loaded,
	});

	expect(result.status).toBe('success');
	const removals = emulator.requestsTo('/user/items/remove');
	expect(removals).toHaveLength(1);
	expect(removals[0].body).toEqual({ user_id: 'usr_revoked', item_ids: [revokedItem] });
	expect(emulator.itemIdsOf('usr_revoked')).toEqual([keptItem]);
	expect(result.output('Remove the revoked Item')).toEqual([
		{
			json: {
				...removedJson({ item_ids: [revokedItem], not_attached_item_ids: [], user_id: 'usr_revoked' }, '/user/items/remove', 'user.removeItems'),
				request_id: (removals[0].response.body as { request_id: string }).request_id,
			},
			pairedItem: { item: 0 },
		},
	]);
});

it('starts nothing for another Item event, and removes nothing', async () => {
	emulator.addUser({ user_id: 'usr_pending', items: [{}] });
	const [itemId] = emulator.itemIdsOf('usr_pending');

	const delivery = await emulator.sendWebhook(trigger.url, webhookFor('PENDING_DISCONNECT', 'usr_pending', itemId));

	expect(delivery.status).toBe(200);
	expect(trigger.started).toHaveLength(0);
	expect(emulator.itemIdsOf('usr_pending')).toEqual([itemId]);
});
