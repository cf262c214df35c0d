import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { optionsProperty } from './actions/common/options';
import { router } from './actions/router';
import * as item from './actions/item/Item.resource';
import * as sandbox from './actions/sandbox/Sandbox.resource';
import * as user from './actions/user/User.resource';

export class Plaid implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Plaid',
		name: 'plaid',
		icon: { light: 'file:plaid.svg', dark: 'file:plaid.dark.svg' },
		group: ['transform'],
		// 1.1: a new node opens on Get Items, and "already removed" is a success unless turned off.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Work with Plaid users and their Items (bank connections): read them, and offboard customers',
		defaults: { name: 'Plaid' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'plaidApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Item', value: 'item' },
					{ name: 'Sandbox', value: 'sandbox' },
					{ name: 'User', value: 'user' },
				],
				default: 'user',
			},
			...user.description,
			...item.description,
			...sandbox.description,
			optionsProperty,
		],
	};

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}
}
