// @ts-check
'use strict';

// The workflows the bench runs through n8n's engine, each continuing on failure so that a failed
// user is counted rather than ending the run:
// - remove: Manual Trigger → Plaid, User → Remove Items (one /user/items/remove per user);
// - recipe: Manual Trigger → Get Items → Remove Items of what it read, the CRM offboarding's calls
//   (one /user/items/get, then one /user/items/remove per user).

const { plaidWorkflow } = require('../test/harness/workflows');

/** The Plaid node whose output says whether each user was offboarded. */
const LAST_NODE = { remove: 'Plaid', recipe: 'Remove Items' };

/** @param {number} concurrency the node's Options → Concurrency */
function removeWorkflow(concurrency) {
	return plaidWorkflow(
		{ resource: 'user', operation: 'removeItems', userId: '={{ $json.userId }}', itemIds: '={{ $json.itemIds }}', options: { concurrency } },
		{ onError: 'continueRegularOutput' },
	);
}

/** @param {number} concurrency */
function recipeWorkflow(concurrency) {
	const plaid = (/** @type {string} */ name, /** @type {number} */ x, /** @type {Record<string, unknown>} */ parameters) => ({
		id: name,
		name,
		type: 'n8n-nodes-plaid.plaid',
		typeVersion: 1.1,
		position: [x, 0],
		parameters: { resource: 'user', ...parameters, options: { concurrency } },
		credentials: { plaidApi: { id: '1', name: 'Plaid account' } },
		onError: 'continueRegularOutput',
	});
	return {
		name: 'recipe',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			plaid('Get Items', 220, { operation: 'getItems', userId: '={{ $json.userId }}', splitIntoItems: false }),
			plaid('Remove Items', 440, {
				operation: 'removeItems',
				userId: "={{ $('Start').item.json.userId }}",
				itemSelection: 'specific',
				itemIds: '={{ $json.items.map((item) => item.item_id) }}',
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Get Items', type: 'main', index: 0 }]] },
			'Get Items': { main: [[{ node: 'Remove Items', type: 'main', index: 0 }]] },
		},
	};
}

/**
 * @param {'remove' | 'recipe'} name @param {number} concurrency
 * @returns {{ workflow: { name: string, nodes: any[], connections: any }, lastNode: string, steps: string[] }} steps: each user's Plaid calls in order
 */
function benchWorkflow(name, concurrency) {
	if (name === 'recipe') return { workflow: recipeWorkflow(concurrency), lastNode: LAST_NODE.recipe, steps: ['/user/items/get', '/user/items/remove'] };
	return { workflow: removeWorkflow(concurrency), lastNode: LAST_NODE.remove, steps: ['/user/items/remove'] };
}

module.exports = { benchWorkflow };
