import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseOptionalEnumValue } from '../../helpers/fields';
import { ITEM_REMOVE_REASONS, parseReasonNote, reasonNoteProperty, valuesOf } from '../../helpers/reasons';
import { plaidApiRequest } from '../../transport';
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

/**
 * Removes one Item with /item/remove: its data is deleted, its billing ends and the access
 * token stops working. Cannot be undone; a repeat call answers INVALID_ACCESS_TOKEN.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasonCode = parseOptionalEnumValue(
		this.getNodeParameter('reasonCode', i, ''),
		valuesOf(ITEM_REMOVE_REASONS),
		'Reason Code',
	);
	const reasonNote = parseReasonNote(this.getNodeParameter('reasonNote', i, ''));

	const response = await plaidApiRequest.call(this, '/item/remove', {
		access_token: accessToken,
		...(reasonCode !== undefined ? { reason_code: reasonCode } : {}),
		...(reasonNote !== undefined ? { reason_note: reasonNote } : {}),
	});
	// Plaid answers only a request_id; the token is never part of the output.
	return { request_id: response.request_id };
}
