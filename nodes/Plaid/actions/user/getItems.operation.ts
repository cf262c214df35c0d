import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidInputError } from '../../helpers/InvalidInputError';
import { describeType } from '../../helpers/parse';
import { plaidApiRequest } from '../../transport';
import { getUserIdentity } from './userIdentity';

const show = { resource: ['user'], operation: ['getItems'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Split Into Items',
		name: 'splitIntoItems',
		type: 'boolean',
		default: true,
		description:
			'Whether to output one item per Plaid Item (a user without Items then outputs nothing; the node setting "Always Output Data" gives an empty item instead), or one item holding the whole list as "items" with the request_id',
		displayOptions: { show },
	},
];

/** Reads the user's Items with /user/items/get. Read-only: nothing changes at Plaid. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject | IDataObject[]> {
	const identity = getUserIdentity.call(this, i);
	const split = this.getNodeParameter('splitIntoItems', i, true);
	if (typeof split !== 'boolean') {
		throw new InvalidInputError(`Split Into Items: must be true or false, got ${describeType(split)}`);
	}

	const response = await plaidApiRequest.call(this, '/user/items/get', { ...identity }, { itemIndex: i });
	const items = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
	// Plaid's Items unchanged: item_id, institution, products, error state and the rest.
	return split ? items : { items, request_id: response.request_id };
}
