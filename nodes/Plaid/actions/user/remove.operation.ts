import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { irreversibleNotice, removeSingleTarget } from '../common/irreversible';
import { getUserIdentity, itemIdsOf, publicUserFields, USER_GONE_CODES } from './userIdentity';

/** Besides the user identification, shared with the other user operations (see User.resource.ts). */
export const description: INodeProperties[] = [
	irreversibleNotice(
		{ resource: ['user'], operation: ['remove'] },
		'Plaid deletes the user and every Item it has; its user_id stops working.',
	),
];

/**
 * Deletes the user at Plaid with /user/remove, and with it every Item the user has. Cannot be
 * undone: a second call for the same user answers USER_NOT_FOUND, so "already removed" is settled
 * by /user/items/get answering the same.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	return await removeSingleTarget.call(this, i, {
		operation: 'user.remove',
		endpoint: '/user/remove',
		body: { ...identity },
		fields: publicUserFields(identity),
		check: { endpoint: '/user/items/get', body: { ...identity }, goneCodes: USER_GONE_CODES },
		// The Items that would go with the user.
		describe: (read) => ({ item_ids: itemIdsOf(read) }),
	});
}
