import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { credentialEnvironmentOf, plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { parseUserId, userIdProperty } from './userIdentity';
import type { OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	action: 'Get a user',
	description:
		'Retrieve a Plaid user of the new user APIs: client_user_id, identity and when it was created. Read-only.',
};

export const endpoints: PlaidEndpoint[] = ['/user/get'];

export const description: INodeProperties[] = [
	// /user/get takes a user_id only: users of Plaid's legacy user-token API cannot be read with it.
	userIdProperty('The Plaid user_id of the user (users created with the new user APIs)'),
];

/** Reads one user with /user/get. Read-only: nothing changes at Plaid. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const userId = parseUserId(this.getNodeParameter('userId', i, ''), credentialEnvironmentOf(this));
	// Plaid's answer as it is: user_id, client_user_id, created_at, updated_at, identity, request_id.
	return await plaidApiRequest.call(this, '/user/get', { user_id: userId }, { itemIndex: i });
}
