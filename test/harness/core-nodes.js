// @ts-check
/**
 * The few n8n-nodes-base nodes our example workflows start from, reduced to what they do when
 * the engine runs them with start data: pass their input on. n8n-nodes-base itself (hundreds
 * of integrations) is not a dependency of this package; the real nodes are exercised by the
 * end-to-end suite in the n8n app.
 */
const { NodeConnectionTypes } = require('n8n-workflow');

/** @param {string} name @param {string} displayName @param {string[]} group */
function passThroughNode(name, displayName, group) {
	return {
		description: {
			displayName,
			name,
			group,
			version: [1, 1.1, 2],
			description: `${displayName} (test stand-in)`,
			defaults: { name: displayName },
			inputs: group.includes('trigger') ? [] : [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		/** @this {any} */
		async execute() {
			return [this.getInputData()];
		},
	};
}

const coreNodeTypes = {
	'n8n-nodes-base.manualTrigger': passThroughNode('manualTrigger', 'Manual Trigger', ['trigger']),
	'n8n-nodes-base.noOp': passThroughNode('noOp', 'No Operation, do nothing', ['organization']),
};

module.exports = { coreNodeTypes };
