import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { nodeProperties, resources } from './actions/resources';
import { router } from './actions/router';

export class Plaid implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plaid',
		name: 'plaid',
		icon: { light: 'file:plaid.svg', dark: 'file:plaid.dark.svg' },
		group: ['transform'],
		// 1.1: a new node opens on Get Items, and an unproven outcome goes to the success output unless turned off.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Work with Plaid users and their Items (bank connections): read them, and offboard customers',
		defaults: { name: 'Plaid' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plaidApi', required: true }],
		properties: nodeProperties(resources),
	};

	async execute(this: IExecuteFunctions) {
		return await router.call(this, resources);
	}
}
