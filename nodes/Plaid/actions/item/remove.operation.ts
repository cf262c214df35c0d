import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ITEM_REMOVE_REASONS, reasonFields, reasonNoteProperty } from '../../helpers/reasons';
import { readIrreversibleOptions } from '../../removal/options';
import { removeSingleTarget } from '../../removal/singleTarget';
import { irreversibleNotice } from '../common/irreversibleNotice';
import { accessTokenProperty, getAccessToken, itemRemoval } from './accessToken';
import type { Irreversible, OperationOption } from '../operation';
import type { PlaidEndpoint } from '../../transport';

export const option: OperationOption = {
	name: 'Remove',
	value: 'remove',
	action: 'Remove an item',
	description:
		'Disconnect one Item (bank connection) by its access token: Plaid deletes its data, ends its billing and invalidates the token. Cannot be undone; reconnecting needs Link again.',
};

export const endpoints: PlaidEndpoint[] = ['/item/remove', '/item/get'];

export const irreversible: Irreversible = { verifiable: true };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid deletes the Item’s data, ends its billing and invalidates the access token; reconnecting needs Link again.'),
	accessTokenProperty(),
	{
		displayName: 'Reason Code',
		name: 'reasonCode',
		type: 'options',
		default: '',
		options: [
			{ name: 'Not Given', value: '', description: 'Send no reason code' },
			...ITEM_REMOVE_REASONS,
		],
		description: 'Why the Item is removed, as Plaid records it (optional)',
	},
	reasonNoteProperty(),
];

/**
 * Removes one Item with /item/remove: its data is deleted, its billing ends and the access token
 * stops working. Cannot be undone. A repeat, a typo and a token of another environment are all
 * answered INVALID_ACCESS_TOKEN: `not_found`, which proves nothing was removed by this call.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasons = reasonFields(this.getNodeParameter('reasonCode', i, ''), this.getNodeParameter('reasonNote', i, ''), ITEM_REMOVE_REASONS, true);
	const options = readIrreversibleOptions.call(this, i);
	return await removeSingleTarget.call(this, i, itemRemoval('/item/remove', accessToken, reasons), options);
}
