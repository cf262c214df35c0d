import type { INodeProperties } from 'n8n-workflow';

import * as removeItems from './removeItems.operation';
import { userIdentityProperties } from './userIdentity';

export { removeItems };

/** Operations whose user is named by identifyBy / userId / userToken. */
const operationsNamingAUser = ['removeItems'];

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		default: 'removeItems',
		options: [
			{
				name: 'Remove Items',
				value: 'removeItems',
				action: 'Remove items from a user',
				description:
					'Disconnect some or all of a user’s Items (bank connections) in one all-or-nothing call. Ends their billing; cannot be undone.',
			},
		],
	},
	...userIdentityProperties(operationsNamingAUser),
	...removeItems.description,
];
