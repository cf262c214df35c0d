import type { INodeProperties } from 'n8n-workflow';

import { accessTokenProperty } from './accessToken';
import * as get from './get.operation';
import * as remove from './remove.operation';
import * as terminate from './terminate.operation';
import * as updateWebhook from './updateWebhook.operation';

export { get, remove, terminate, updateWebhook };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['item'] } },
		default: 'get',
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get an item',
				description:
					'Read one Item (bank connection) by its access token: institution, products, consent, error state and last update times. Read-only.',
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove an item',
				description:
					'Disconnect one Item (bank connection) by its access token: Plaid deletes its data, ends its billing and invalidates the token. Cannot be undone; reconnecting needs Link again.',
			},
			{
				name: 'Terminate',
				value: 'terminate',
				action: 'Terminate an item',
				description:
					'Offboard one Item (bank connection) by its access token, the way Plaid recommends: its billing ends and the token stops working, with a reason code. Cannot be undone.',
			},
			{
				name: 'Update Webhook',
				value: 'updateWebhook',
				action: 'Update the webhook of an item',
				description:
					'Send one Item’s webhooks to a new URL, e.g. a Plaid Trigger, or to none. Plaid confirms with WEBHOOK_UPDATE_ACKNOWLEDGED at the new URL.',
			},
		],
	},
	accessTokenProperty(['get', 'remove']),
	...get.description,
	...remove.description,
	...terminate.description,
	...updateWebhook.description,
];
