import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readIrreversibleOptions } from '../../removal/options';
import { removeSingleTarget } from '../../removal/singleTarget';
import { itemIdsOf } from '../../removal/userItems';
import { hashOf } from '../../removal/workKeys';
import { irreversibleNotice } from '../common/irreversibleNotice';
import { getUserIdentity, publicUserFields, USER_GONE_CODES, userIdentityProperties } from './userIdentity';
import type { Irreversible, OperationOption } from '../operation';
import type { PlaidEndpoint } from '../../transport';

export const option: OperationOption = {
	name: 'Remove',
	value: 'remove',
	action: 'Remove a user',
	description:
		'Delete the Plaid user together with every Item it has, ending their billing. Cannot be undone: the user_id stops working.',
};

export const endpoints: PlaidEndpoint[] = ['/user/remove', '/user/items/get'];

export const irreversible: Irreversible = { verifiable: true };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid deletes the user and every Item it has; its user_id stops working.'),
	...userIdentityProperties(),
];

/**
 * Deletes the user at Plaid with /user/remove, and with it every Item the user has. Cannot be
 * undone. A repeat, a user never created and one of another environment are all answered
 * USER_NOT_FOUND: `not_found`, which proves nothing was removed by this call.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const identity = getUserIdentity.call(this, i);
	const options = readIrreversibleOptions.call(this, i);
	const read = { endpoint: '/user/items/get' as const, body: { ...identity } };
	return await removeSingleTarget.call(
		this,
		i,
		{
			endpoint: '/user/remove',
			workKey: hashOf('/user/remove', identity),
			targetKey: hashOf('/user/remove', identity),
			fields: publicUserFields(identity),
			body: { ...identity },
			notFoundCodes: USER_GONE_CODES,
			targetName: 'user',
			// The Items that would go with the user.
			previewRead: { ...read, describe: (answer) => ({ item_ids: itemIdsOf(answer) }) },
			verifyRead: { ...read, goneCodes: USER_GONE_CODES },
		},
		options,
	);
}
