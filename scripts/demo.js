// @ts-check
/**
 * The demo: offboard two customers through n8n's real engine against the embedded Plaid
 * emulator. No Plaid account and no network needed. Run with `npm run demo`.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { runWorkflow } = require('../test/harness/engine');
const { emulatorCredentials } = require('../test/harness/workflows');
const { startEmulator, seedDemo } = require('../test/emulator');

const EXAMPLE = path.join(__dirname, '..', 'examples', 'offboard-user.workflow.json');

/** @param {{ itemIdsOf(userId: string): string[] }} emulator @param {string} userId */
function itemsLeft(emulator, userId) {
	const left = emulator.itemIdsOf(userId);
	return left.length === 0 ? 'none' : left.join(', ');
}

async function main() {
	const emulator = await startEmulator();
	try {
		seedDemo(emulator);
		const users = ['usr_demo_alice', 'usr_demo_bob'];
		const before = Object.fromEntries(users.map((id) => [id, emulator.itemIdsOf(id)]));

		const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
		console.log(`Running "${workflow.name}" in n8n's engine against the Plaid emulator at ${emulator.url}\n`);
		const run = await runWorkflow(workflow, { credentials: emulatorCredentials(emulator) });
		if (run.status !== 'success') {
			throw new Error(`The workflow did not succeed: ${run.error?.message ?? run.status}`);
		}

		for (const node of workflow.nodes.filter((/** @type {any} */ n) => n.type === 'n8n-nodes-plaid.plaid')) {
			for (const { json } of run.output(node.name)) {
				console.log(`${node.name}`);
				console.log(`  user:     ${json.user_id}`);
				console.log(`  removed:  ${json.item_ids.length} of ${before[json.user_id].length} Items`);
				for (const id of json.item_ids) console.log(`            - ${id}`);
				console.log(`  request:  ${json.request_id ?? '(no call needed)'}`);
				console.log(`  left:     ${itemsLeft(emulator, json.user_id)}\n`);
			}
		}

		const removeCalls = emulator.requestsTo('/user/items/remove').length;
		console.log(`Plaid calls: ${emulator.requests.length} in all, ${removeCalls} to /user/items/remove (one per user: all or nothing).`);
	} finally {
		await emulator.close();
	}
}

main().catch((error) => {
	console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
