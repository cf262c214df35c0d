import type { INodeProperties } from 'n8n-workflow';

import * as createTestItem from './createTestItem.operation';
import * as fireWebhook from './fireWebhook.operation';

export { createTestItem, fireWebhook };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sandbox'] } },
		default: 'createTestItem',
		options: [
			{
				name: 'Create Test Item',
				value: 'createTestItem',
				action: 'Create a test item in the sandbox',
				description:
					'Create an Item at a Sandbox test bank, without Link, and get its item_id and access_token. Sandbox credentials only.',
			},
			{
				name: 'Fire Webhook',
				value: 'fireWebhook',
				action: 'Fire a test webhook in the sandbox',
				description:
					'Have Plaid send a test webhook, e.g. USER_PERMISSION_REVOKED, to a Sandbox Item’s webhook URL. Sandbox credentials only.',
			},
		],
	},
	...createTestItem.description,
	...fireWebhook.description,
];
