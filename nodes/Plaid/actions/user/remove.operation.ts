import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { plaidApiRequest } from '../../transport';
import { getUserIdentity, publicUserFields } from './userIdentity';

/** Only the user identification, shared with the other user operations (see User.resource.ts). */
export const description: INodeProperties[] = [];

/**
 * Deletes the user at Plaid with /user/remove, and with it every Item the user has. Cannot be
 * undone: a second call for the same user answers USER_NOT_FOUND.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	const response = await plaidApiRequest.call(this, '/user/remove', { ...identity });
	return { request_id: response.request_id, ...publicUserFields(identity) };
}
