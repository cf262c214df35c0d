// @ts-check
/**
 * If (v2.2) and Switch (v3.2, mode Rules) as the example workflows use them. Their conditions are
 * `filter` parameters, evaluated by n8n-core itself (getNodeParameter with extractValue runs
 * n8n-workflow's executeFilter), so a condition means here what it means in the app. The nodes
 * route items the way the real ones do (If: true / false; Switch: the first matching rule, then the
 * fallback output); options the examples do not set are refused.
 */
const { NodeConnectionTypes } = require('n8n-workflow');
const { unsupported } = require('./unsupported');

/** The filter's own settings, as n8n-nodes-base declares them (If/V2/utils.js getTypeValidationStrictness). @param {number} looseFrom @param {string} filterVersion */
const filterProperty = (looseFrom, filterVersion) => ({
	displayName: 'Conditions',
	name: 'conditions',
	type: 'filter',
	default: {},
	typeOptions: {
		filter: {
			caseSensitive: '={{!$parameter.options.ignoreCase}}',
			typeValidation: `={{ ($nodeVersion < ${looseFrom} ? $parameter.options.looseTypeValidation :  $parameter.looseTypeValidation) ? "loose" : "strict" }}`,
			version: filterVersion,
		},
	},
});

const looseTypeValidation = { displayName: 'Convert Types Where Required', name: 'looseTypeValidation', type: 'boolean', default: false };

/** Options the stand-ins accept: none but the fallback output of Switch. @param {any} context @param {number} i @param {string[]} allowed */
function readOptions(context, i, allowed) {
	const options = context.getNodeParameter('options', i, {});
	const extra = Object.keys(options).filter((name) => !allowed.includes(name));
	if (extra.length > 0) throw unsupported(`the option(s) ${extra.join(', ')}`);
	if (context.getNodeParameter('looseTypeValidation', i, false)) throw unsupported('Convert Types Where Required');
	return options;
}

const ifNode = {
	description: {
		displayName: 'If',
		name: 'if',
		group: ['transform'],
		version: [2.2],
		description: 'If (test stand-in)',
		defaults: { name: 'If' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['true', 'false'],
		properties: [
			filterProperty(2.1, '={{ $nodeVersion >= 2.3 ? 3 : $nodeVersion >= 2.2 ? 2 : 1 }}'),
			looseTypeValidation,
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	/** @this {any} */
	async execute() {
		/** @type {any[]} */
		const trueItems = [];
		/** @type {any[]} */
		const falseItems = [];
		this.getInputData().forEach((/** @type {any} */ item, /** @type {number} */ i) => {
			readOptions(this, i, []);
			const pass = this.getNodeParameter('conditions', i, false, { extractValue: true });
			if (item.pairedItem === undefined) item.pairedItem = { item: i };
			(pass ? trueItems : falseItems).push(item);
		});
		return [trueItems, falseItems];
	},
};

/** Switch's outputs: one per rule, named by its Output Name when renamed (SwitchV3's configuredOutputs). @param {any} parameters */
const configuredOutputs = (parameters) =>
	(parameters.rules?.values ?? []).map((/** @type {any} */ rule, /** @type {number} */ index) => ({ type: 'main', displayName: rule.outputKey || index.toString() }));

const switchNode = {
	description: {
		displayName: 'Switch',
		name: 'switch',
		group: ['transform'],
		version: [3.2],
		description: 'Switch (test stand-in)',
		defaults: { name: 'Switch' },
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'options', options: [{ name: 'Rules', value: 'rules' }], default: 'rules' },
			{
				displayName: 'Routing Rules',
				name: 'rules',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				default: {},
				options: [
					{
						name: 'values',
						displayName: 'Routing Rule',
						values: [
							filterProperty(3.1, '={{ $nodeVersion >=3.4 ? 3 : $nodeVersion >= 3.2 ? 2 : 1 }}'),
							{ displayName: 'Rename Output', name: 'renameOutput', type: 'boolean', default: false },
							{ displayName: 'Output Name', name: 'outputKey', type: 'string', default: '' },
						],
					},
				],
			},
			looseTypeValidation,
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	/**
	 * The first rule an item matches takes it; an item matching none goes to the Fallback Output
	 * when that names a rule's output (by its index), and is dropped when it is "none".
	 * @this {any}
	 */
	async execute() {
		if (this.getNodeParameter('mode', 0) !== 'rules') throw unsupported('mode Expression');
		const rules = this.getNodeParameter('rules.values', 0, []);
		/** @type {any[][]} */
		const outputs = rules.map(() => []);
		this.getInputData().forEach((/** @type {any} */ item, /** @type {number} */ i) => {
			const { fallbackOutput = 'none' } = readOptions(this, i, ['fallbackOutput']);
			if (fallbackOutput !== 'none' && (typeof fallbackOutput !== 'number' || !(fallbackOutput in outputs))) {
				throw unsupported(`Fallback Output "${fallbackOutput}"`);
			}
			item.pairedItem = { item: i };
			const matched = rules.findIndex((/** @type {unknown} */ _rule, /** @type {number} */ r) =>
				this.getNodeParameter(`rules.values[${r}].conditions`, i, false, { extractValue: true }),
			);
			if (matched >= 0) outputs[matched].push(item);
			else if (fallbackOutput !== 'none') outputs[fallbackOutput].push(item);
		});
		return outputs.length > 0 ? outputs : [[]];
	},
};

module.exports = { ifNode, switchNode };
