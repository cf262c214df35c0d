// @ts-check
/**
 * The demo: offboard two customers through n8n's real engine against the embedded Plaid
 * emulator, with the toolkit: list a user's Items, remove them, list again, end the user's
 * subscriptions, delete the user; and close one bank connection of another customer.
 * No Plaid account and no network needed. Run with `npm run demo`.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { runWorkflow } = require('../test/harness/engine');
const { emulatorCredentials } = require('../test/harness/workflows');
const { startEmulator, seedDemo } = require('../test/emulator');

const EXAMPLE = path.join(__dirname, '..', 'examples', 'offboard-user.workflow.json');

/** @param {number} count @param {string} noun */
const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * One line saying what a Plaid node did, from its parameters and its output.
 * @param {{ parameters: Record<string, any> }} node
 * @param {Record<string, any>} json the node's (single) output item
 * @param {(userId: string) => string[]} itemsLeft
 */
function describe(node, json, itemsLeft) {
	const { operation, reasonCode } = node.parameters;
	switch (operation) {
		case 'getItems': {
			const names = json.items.map((/** @type {any} */ item) => item.institution_name);
			return `${plural(names.length, 'Item')}${names.length ? `: ${names.join(', ')}` : ''}`;
		}
		case 'removeItems': {
			const left = itemsLeft(json.user_id).length;
			const call = json.request_id ? 'in one call' : '(none to remove, no call)';
			return `removed ${plural(json.item_ids.length, 'Item')} ${call}; ${left} left`;
		}
		case 'terminateProducts':
			return `user-based subscriptions ended (${reasonCode})`;
		case 'remove':
			return `user ${json.user_id} deleted at Plaid, with its Items`;
		default:
			return JSON.stringify(json);
	}
}

async function main() {
	const emulator = await startEmulator();
	try {
		seedDemo(emulator);
		const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
		console.log(`Running "${workflow.name}"\nin n8n's engine against the Plaid emulator at ${emulator.url}\n`);
		const run = await runWorkflow(workflow, { credentials: emulatorCredentials(emulator) });
		if (run.status !== 'success') {
			throw new Error(`The workflow did not succeed: ${run.error?.message ?? run.status}`);
		}

		const plaidNodes = workflow.nodes.filter((/** @type {any} */ node) => node.type === 'n8n-nodes-plaid.plaid');
		const width = Math.max(...plaidNodes.map((/** @type {any} */ node) => node.name.length));
		for (const node of plaidNodes) {
			for (const { json } of run.output(node.name)) {
				console.log(`  ${node.name.padEnd(width)}  ${describe(node, json, (userId) => emulator.itemIdsOf(userId))}`);
			}
		}

		const calls = emulator.requests.map((request) => request.path);
		const removeCalls = calls.filter((call) => call === '/user/items/remove').length;
		console.log(`\nPlaid calls: ${calls.length} in all, ${removeCalls} to /user/items/remove (one per user: all or nothing).`);
	} finally {
		await emulator.close();
	}
}

main().catch((error) => {
	console.error(`Demo failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
});
