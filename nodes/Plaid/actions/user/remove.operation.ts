import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { alreadyRemovedField, goneWhenNotFound, plaidApiRequest } from '../../transport';
import { getUserIdentity, publicUserFields } from './userIdentity';

/** Only the user identification, shared with the other user operations (see User.resource.ts). */
export const description: INodeProperties[] = [];

/** What Plaid answers for a user that is gone: USER_NOT_FOUND by user_id, INVALID_USER_TOKEN by token. */
const USER_GONE = ['USER_NOT_FOUND', 'INVALID_USER_TOKEN'];

/**
 * Deletes the user at Plaid with /user/remove, and with it every Item the user has. Cannot be
 * undone: a second call for the same user answers USER_NOT_FOUND, so a retry after an attempt
 * that may have gone through checks with /user/items/get that the user is really gone.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	const response = await plaidApiRequest.call(this, '/user/remove', { ...identity }, {
		itemIndex: i,
		removal: goneWhenNotFound.call(this, USER_GONE, { endpoint: '/user/items/get', body: { ...identity } }, i),
	});
	return { request_id: response.request_id, ...publicUserFields(identity), ...alreadyRemovedField(response) };
}
