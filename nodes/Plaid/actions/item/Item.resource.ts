import type { INodeProperties } from 'n8n-workflow';

import { accessTokenProperty } from './accessToken';
import * as get from './get.operation';
import * as remove from './remove.operation';

export { get, remove };

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
		],
	},
	accessTokenProperty(['get', 'remove']),
	...get.description,
	...remove.description,
];
