import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseBoolean } from '../../helpers/fields';
import { simplifyItem } from '../../helpers/simplifyItem';
import { plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { getSimplify, simplifyProperties } from '../common/simplify';
import { getUserIdentity, userIdentityProperties } from './userIdentity';
import type { OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Get Items',
	value: 'getItems',
	action: 'Get items of a user',
	description:
		'List the user’s Items (bank connections) with institution, products and error state. Read-only.',
};

export const endpoints: PlaidEndpoint[] = ['/user/items/get'];

export const description: INodeProperties[] = [
	...userIdentityProperties(),
	{
		displayName: 'Split Into Items',
		name: 'splitIntoItems',
		type: 'boolean',
		default: true,
		description:
			'Whether to output one item per Plaid Item (a user without Items then outputs nothing; the node setting "Always Output Data" gives an empty item instead), or one item holding the whole list as "items" with the request_id',
	},
	...simplifyProperties(),
];

/** Reads the user's Items with /user/items/get. Read-only: nothing changes at Plaid. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject | IDataObject[]> {
	const identity = getUserIdentity.call(this, i);
	const split = parseBoolean(this.getNodeParameter('splitIntoItems', i, true), 'Split Into Items', true);

	const simplify = getSimplify.call(this, i);

	const response = await plaidApiRequest.call(this, '/user/items/get', { ...identity }, { itemIndex: i });
	const answered = Array.isArray(response.items) ? (response.items as IDataObject[]) : [];
	// Simplify off: Plaid's Items unchanged (item_id, institution, products, error state and the rest).
	const items = simplify ? answered.map(simplifyItem) : answered;
	return split ? items : { items, request_id: response.request_id };
}
