import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseItemIds } from '../../helpers/parse';
import { alreadyRemovedField, plaidApiRequest } from '../../transport';
import { getUserIdentity, publicUserFields, type UserIdentity } from './userIdentity';

const show = { resource: ['user'], operation: ['removeItems'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Items to Remove',
		name: 'itemSelection',
		type: 'options',
		noDataExpression: true,
		default: 'specific',
		options: [
			{
				name: 'Specific Items',
				value: 'specific',
				description: 'Remove the Items whose IDs are given below',
			},
			{
				name: 'All Items of the User',
				value: 'all',
				description: 'Read the user’s Items with /user/items/get, then remove every one of them',
			},
		],
		displayOptions: { show },
	},
	{
		displayName: 'Item IDs',
		name: 'itemIds',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		placeholder: 'e.g. eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6, 6bDr7MEBaLUQrqXLKGZQtzRvXbzDjNsm4Ga3D',
		description:
			'The item_id of each Item to remove, separated by commas, spaces or new lines, or an array of strings from an expression. All of them must belong to the user: Plaid removes all or none.',
		displayOptions: { show: { ...show, itemSelection: ['specific'] } },
	},
];

/** The item_ids of the user's Items now, read with /user/items/get. */
async function currentItemIds(this: IExecuteFunctions, identity: UserIdentity, i: number): Promise<string[]> {
	const { items } = await plaidApiRequest.call(this, '/user/items/get', { ...identity }, { itemIndex: i });
	return Array.isArray(items) ? items.map((item) => (item as IDataObject).item_id as string) : [];
}

/**
 * Removes the Items in ONE /user/items/remove call. Plaid applies the call all or nothing, so
 * the list is never split: a partial removal would leave a customer half offboarded. If a retry
 * finds the Items gone after an attempt that may have gone through, the user's current Items
 * decide: none of them left means that attempt removed them.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	const selection = this.getNodeParameter('itemSelection', i, 'specific') as string;

	let itemIds: string[];
	if (selection === 'all') {
		itemIds = await currentItemIds.call(this, identity, i);
		if (itemIds.length === 0) return { item_ids: [], ...publicUserFields(identity) };
	} else {
		itemIds = parseItemIds(this.getNodeParameter('itemIds', i));
	}

	const response = await plaidApiRequest.call(
		this,
		'/user/items/remove',
		{ ...identity, item_ids: itemIds },
		{
			itemIndex: i,
			removal: {
				notFoundCodes: ['ITEM_NOT_FOUND'],
				confirmRemoved: async () => {
					const remaining = new Set(await currentItemIds.call(this, identity, i));
					return itemIds.every((itemId) => !remaining.has(itemId));
				},
			},
		},
	);
	return {
		request_id: response.request_id,
		item_ids: itemIds,
		...publicUserFields(identity),
		...alreadyRemovedField(response),
	};
}
