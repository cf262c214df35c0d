import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseOptionalEnumValue } from '../../helpers/fields';
import { ITEM_REMOVE_REASONS, parseReasonNote, reasonNoteProperty, valuesOf } from '../../helpers/reasons';
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
	const reasonCode = parseOptionalEnumValue(
		this.getNodeParameter('reasonCode', i, ''),
		valuesOf(ITEM_REMOVE_REASONS),
		'Reason Code',
	);
	const reasonNote = parseReasonNote(this.getNodeParameter('reasonNote', i, ''));

	// Plaid answers only a request_id; the token is never part of the output.
	return await removeSingleTarget.call(this, i, {
		operation: 'item.remove',
		endpoint: '/item/remove',
		body: {
			access_token: accessToken,
			...(reasonCode !== undefined ? { reason_code: reasonCode } : {}),
			...(reasonNote !== undefined ? { reason_note: reasonNote } : {}),
		},
		fields: {},
		check: { endpoint: '/item/get', body: { access_token: accessToken }, goneCodes: ITEM_GONE_CODES },
		describe: describeItemForPreview,
	});
}
