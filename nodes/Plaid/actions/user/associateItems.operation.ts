import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InvalidInputError } from '../../../shared/InvalidInputError';
import { parseItemIds } from '../../helpers/parse';
import { credentialEnvironmentOf, plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { itemIdsProperty, parseUserId, publicUserFields, userIdProperty } from './userIdentity';
import type { OperationOption } from '../operation';

/** Spec /user/items/associate: "This operation supports a max of 100 Items." */
const MAX_ITEMS = 100;

export const option: OperationOption = {
	name: 'Associate Items',
	value: 'associateItems',
	action: 'Associate items with a user',
	description:
		'Link up to 100 Items (bank connections) to a Plaid user, e.g. Items connected without a user, so that the user operations reach them',
};

export const endpoints: PlaidEndpoint[] = ['/user/items/associate'];

export const description: INodeProperties[] = [
	userIdProperty('The Plaid user_id the Items are linked to'),
	itemIdsProperty(
		`The item_id of each Item to link to the user (at most ${MAX_ITEMS}), separated by commas, spaces or new lines, or an array of strings from an expression. An Item linked to another user moves to this one.`,
	),
];

/**
 * Links Items to a user with /user/items/associate, so that the user's operations (Get Items,
 * Remove Items, Remove) reach Items that were linked without a user. One call per user, never
 * split: more than Plaid's 100 is refused here rather than half done.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const userId = parseUserId(this.getNodeParameter('userId', i, ''), credentialEnvironmentOf(this));
	const itemIds = parseItemIds(this.getNodeParameter('itemIds', i));
	if (itemIds.length > MAX_ITEMS) {
		throw new InvalidInputError(
			`Item IDs: Plaid links at most ${MAX_ITEMS} Items in one call, got ${itemIds.length}; give the rest in another input item`,
		);
	}

	const response = await plaidApiRequest.call(this, '/user/items/associate', { user_id: userId, item_ids: itemIds }, { itemIndex: i });
	return { request_id: response.request_id, item_ids: itemIds, ...publicUserFields({ user_id: userId }) };
}
