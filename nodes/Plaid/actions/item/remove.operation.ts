import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseOptionalEnumValue } from '../../helpers/fields';
import { ITEM_REMOVE_REASONS, parseReasonNote, reasonNoteProperty, valuesOf } from '../../helpers/reasons';
import { alreadyRemovedField, goneWhenNotFound, plaidApiRequest } from '../../transport';
import { getAccessToken } from './accessToken';

const show = { resource: ['item'], operation: ['remove'] };

export const description: INodeProperties[] = [
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

/** What Plaid answers for an access token whose Item is gone (errors.md: "already removed"). */
const ITEM_GONE = ['INVALID_ACCESS_TOKEN', 'ITEM_NOT_FOUND'];

/**
 * Removes one Item with /item/remove: its data is deleted, its billing ends and the access
 * token stops working. Cannot be undone; a repeat call answers INVALID_ACCESS_TOKEN, so a retry
 * after an attempt that may have gone through checks with /item/get that the Item is gone.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasonCode = parseOptionalEnumValue(
		this.getNodeParameter('reasonCode', i, ''),
		valuesOf(ITEM_REMOVE_REASONS),
		'Reason Code',
	);
	const reasonNote = parseReasonNote(this.getNodeParameter('reasonNote', i, ''));

	const body = {
		access_token: accessToken,
		...(reasonCode !== undefined ? { reason_code: reasonCode } : {}),
		...(reasonNote !== undefined ? { reason_note: reasonNote } : {}),
	};
	const response = await plaidApiRequest.call(this, '/item/remove', body, {
		itemIndex: i,
		removal: goneWhenNotFound.call(this, ITEM_GONE, { endpoint: '/item/get', body: { access_token: accessToken } }, i),
	});
	// Plaid answers only a request_id; the token is never part of the output.
	return { request_id: response.request_id, ...alreadyRemovedField(response) };
}
