// @ts-check
/**
 * The few n8n-nodes-base nodes our example workflows use, reduced to what the real ones compute
 * for the parameters the examples set; anything else they refuse, so an example cannot quietly
 * rely on behaviour the stand-in does not have. n8n-nodes-base itself (hundreds of integrations)
 * is not a dependency of this package; the real nodes are exercised by the end-to-end suite in
 * the n8n app.
 */
const { NodeConnectionTypes, NodeOperationError, deepCopy, validateFieldType } = require('n8n-workflow');
const { unsupported } = require('./unsupported');
const { postgresNode, postgresDatabase } = require('./postgres-standin');
const { dataTableNode, dataTables } = require('./dataTable-standin');
const { ifNode, switchNode } = require('./routing-standins');

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

/**
 * Webhook (v2): a POST with a JSON body, answered immediately ("onReceived"), no authentication,
 * no options. Its item is the real node's: headers, params, query, body, webhookUrl,
 * executionMode. (When a run is started with data, the engine passes that data through a
 * webhook node instead of calling webhook().)
 */
const webhookNode = {
	description: {
		displayName: 'Webhook',
		name: 'webhook',
		group: ['trigger'],
		version: [1, 1.1, 2, 2.1],
		description: 'Webhook (test stand-in)',
		defaults: { name: 'Webhook' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: '={{$parameter["httpMethod"] || "GET"}}',
				isFullPath: true,
				responseMode: '={{$parameter["responseMode"]}}',
				path: '={{$parameter["path"]}}',
			},
		],
		properties: [
			{ displayName: 'HTTP Method', name: 'httpMethod', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '' },
			{ displayName: 'Authentication', name: 'authentication', type: 'string', default: 'none' },
			{ displayName: 'Respond', name: 'responseMode', type: 'string', default: 'onReceived' },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	/** @this {any} */
	async webhook() {
		const settings = ['httpMethod', 'authentication', 'responseMode'].map((name) => this.getNodeParameter(name));
		if (settings.join() !== 'POST,none,onReceived') throw unsupported(`a webhook set to ${settings.join(', ')}`);
		if (Object.keys(this.getNodeParameter('options', {})).length > 0) throw unsupported('webhook options');
		const request = this.getRequestObject();
		const executionMode = this.getMode() === 'manual' ? 'test' : 'production';
		let webhookUrl = this.getNodeWebhookUrl('default');
		if (executionMode === 'test') webhookUrl = webhookUrl.replace('/webhook/', '/webhook-test/');
		const query = Object.fromEntries(new URL(request.url ?? '/', 'http://localhost').searchParams);
		const json = { headers: request.headers, params: request.params ?? {}, query, body: request.body, webhookUrl, executionMode };
		return { workflowData: [[{ json }]] };
	},
};

/**
 * One assignment of Edit Fields (Set) v3.3+, as the real node's validateEntry computes it: null
 * stays null, a string field stringifies its value, n8n-workflow's validateFieldType converts or
 * refuses the rest.
 * @param {any} node @param {{ name: string, type: string, value: unknown }} assignment @param {number} itemIndex
 */
function assignedValue(node, { name, type, value }, itemIndex) {
	if (/[.[]/.test(name)) throw unsupported(`dot notation in the field name "${name}"`);
	if (value === undefined || value === null) return null;
	const input = type === 'string' ? (typeof value === 'object' ? JSON.stringify(value) : String(value)) : value;
	const result = validateFieldType(name, input, /** @type {any} */ (type));
	if (!result.valid) {
		throw new NodeOperationError(node, `${result.errorMessage} [item ${itemIndex}]`, { itemIndex });
	}
	return result.newValue ?? null;
}

/**
 * Edit Fields (Set) v3.3 / v3.4 in "Manual Mapping" mode: each output item holds the assigned
 * fields, paired to its input item; with "Include Other Input Fields" on (Input Fields to Include:
 * All), a copy of the input item's fields first, the assigned ones set over them.
 */
const setNode = {
	description: {
		displayName: 'Edit Fields (Set)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'Edit Fields (test stand-in)',
		defaults: { name: 'Edit Fields' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'manual' },
			{ displayName: 'Fields to Set', name: 'assignments', type: 'assignmentCollection', default: {} },
			{ displayName: 'Include Other Input Fields', name: 'includeOtherFields', type: 'boolean', default: false },
			{ displayName: 'Input Fields to Include', name: 'include', type: 'string', default: 'all' },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	/** @this {any} */
	async execute() {
		const node = this.getNode();
		return [
			this.getInputData().map((/** @type {any} */ item, /** @type {number} */ i) => {
				if (this.getNodeParameter('mode', i) !== 'manual') throw unsupported('a mode other than Manual Mapping');
				const includeOther = this.getNodeParameter('includeOtherFields', i, false);
				if (includeOther && this.getNodeParameter('include', i, 'all') !== 'all') throw unsupported('including only some input fields');
				if (Object.keys(this.getNodeParameter('options', i, {})).length > 0) throw unsupported('Edit Fields options');
				const { assignments = [] } = this.getNodeParameter('assignments', i, {});
				const assigned = assignments.map((/** @type {any} */ assignment) => [assignment.name, assignedValue(node, assignment, i)]);
				const json = { ...(includeOther ? deepCopy(item.json) : {}), ...Object.fromEntries(assigned) };
				return { json, pairedItem: { item: i } };
			}),
		];
	},
};

const coreNodeTypes = {
	'n8n-nodes-base.manualTrigger': passThroughNode('manualTrigger', 'Manual Trigger', ['trigger']),
	'n8n-nodes-base.noOp': passThroughNode('noOp', 'No Operation, do nothing', ['organization']),
	'n8n-nodes-base.webhook': webhookNode,
	'n8n-nodes-base.set': setNode,
	'n8n-nodes-base.postgres': postgresNode,
	'n8n-nodes-base.if': ifNode,
	'n8n-nodes-base.switch': switchNode,
	'n8n-nodes-base.dataTable': dataTableNode,
};

module.exports = { coreNodeTypes, postgresDatabase, dataTables };
