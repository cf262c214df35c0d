import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ITEM_REMOVE_REASONS, reasonFields, reasonNoteProperty } from '../../helpers/reasons';
import { irreversibleNotice, removeSingleTarget } from '../common/irreversible';
import { describeItemForPreview, getAccessToken, ITEM_GONE_CODES } from './accessToken';

const show = { resource: ['item'], operation: ['remove'] };

export const description: INodeProperties[] = [
	irreversibleNotice(
		show,
		'Plaid deletes the Item’s data, ends its billing and invalidates the access token; reconnecting needs Link again.',
	),
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
		displayOptions: { show },
	},
	reasonNoteProperty(show),
];

/**
 * Removes one Item with /item/remove: its data is deleted, its billing ends and the access token
 * stops working. Cannot be undone; a repeat call answers INVALID_ACCESS_TOKEN, so "already removed"
 * is settled by /item/get answering the same.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasons = reasonFields(this.getNodeParameter('reasonCode', i, ''), this.getNodeParameter('reasonNote', i, ''), ITEM_REMOVE_REASONS, true);

	// Plaid answers only a request_id; the token is never part of the output.
	return await removeSingleTarget.call(this, i, {
		operation: 'item.remove',
		endpoint: '/item/remove',
		body: { access_token: accessToken, ...reasons },
		fields: {},
		check: { endpoint: '/item/get', body: { access_token: accessToken }, goneCodes: ITEM_GONE_CODES },
		describe: describeItemForPreview,
	});
}
