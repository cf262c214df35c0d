import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as associateItems from './associateItems.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getItems from './getItems.operation';
import * as remove from './remove.operation';
import * as removeItems from './removeItems.operation';
import * as terminateProducts from './terminateProducts.operation';
import { userIdentityProperties } from './userIdentity';

export { associateItems, create, get, getItems, remove, removeItems, terminateProducts };

/** Operations whose user is named by identifyBy / userId / userToken. */
const operationsNamingAUser = ['removeItems', 'getItems', 'remove'];

const operationOptions: INodePropertyOptions[] = [
	{
		name: 'Associate Items',
		value: 'associateItems',
		action: 'Associate items with a user',
		description:
			'Link up to 100 Items (bank connections) to a Plaid user, e.g. Items connected without a user, so that the user operations reach them',
	},
	{
		name: 'Create',
		value: 'create',
		action: 'Create a user',
		description:
			'Create a Plaid user for one of your customers (one per Client User ID) and get the user_id that Link and the other user operations take',
	},
	{
		name: 'Get',
		value: 'get',
		action: 'Get a user',
		description:
			'Retrieve a Plaid user of the new user APIs: client_user_id, identity and when it was created. Read-only.',
	},
	{
		name: 'Get Items',
		value: 'getItems',
		action: 'Get items of a user',
		description:
			'List the user’s Items (bank connections) with institution, products and error state. Read-only.',
	},
	{
		name: 'Remove',
		value: 'remove',
		action: 'Remove a user',
		description:
			'Delete the Plaid user together with every Item it has, ending their billing. Cannot be undone: the user_id stops working.',
	},
	{
		name: 'Remove Items',
		value: 'removeItems',
		action: 'Remove items from a user',
		description:
			'Disconnect some or all of a user’s Items (bank connections) in one all-or-nothing call. Ends their billing; cannot be undone.',
	},
	{
		name: 'Terminate Products',
		value: 'terminateProducts',
		action: 'Terminate products of a user',
		description:
			'End the user’s user-based subscriptions (Financial Management, Plaid Protect, CRA Cash Flow Updates) so they are no longer billed. Cannot be undone; Items are not removed.',
	},
];

function operationProperty(version: number | { _cnd: { gte: number } }, defaultOperation: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'], '@version': [version] } },
		default: defaultOperation,
		options: operationOptions,
	};
}

export const description: INodeProperties[] = [
	// n8n saves only parameters that differ from their default: version 1 keeps Remove Items as its
	// default so that its saved workflows still remove; from 1.1 a new node opens on a read.
	operationProperty(1, 'removeItems'),
	operationProperty({ _cnd: { gte: 1.1 } }, 'getItems'),
	...userIdentityProperties(operationsNamingAUser),
	...removeItems.description,
	...getItems.description,
	...remove.description,
	...create.description,
	...terminateProducts.description,
	...associateItems.description,
	...get.description,
];
