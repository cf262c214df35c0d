import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseEnumValue } from '../../helpers/fields';
import { PRODUCTS_TERMINATE_REASONS, parseReasonNote, reasonNoteProperty, valuesOf } from '../../helpers/reasons';
import { alreadyRemovedField, goneWhenNotFound, plaidApiRequest } from '../../transport';
import { accessTokenProperty, getAccessToken } from './accessToken';

const show = { resource: ['item'], operation: ['terminate'] };

export const description: INodeProperties[] = [
	accessTokenProperty(['terminate']),
	{
		displayName: 'Reason Code',
		name: 'reasonCode',
		type: 'options',
		default: 'USER_OFFBOARDING',
		required: true,
		options: PRODUCTS_TERMINATE_REASONS,
		description: 'Why the Item is terminated, as Plaid records it',
		displayOptions: { show },
	},
	reasonNoteProperty(show),
];

/** What Plaid answers for the access token of an Item that is gone (errors.md: "already removed"). */
const ITEM_GONE = ['INVALID_ACCESS_TOKEN', 'ITEM_NOT_FOUND'];

/**
 * Terminates one Item with /item/products/terminate, Plaid's recommended offboarding of an Item:
 * its billing ends and the access token stops working. Cannot be undone. A retry after an attempt
 * that may have gone through finds the token dead, so /item/get decides whether it already was.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasonCode = parseEnumValue(
		this.getNodeParameter('reasonCode', i, ''),
		valuesOf(PRODUCTS_TERMINATE_REASONS),
		'Reason Code',
	);
	const reasonNote = parseReasonNote(this.getNodeParameter('reasonNote', i, ''));

	const body = {
		access_token: accessToken,
		reason_code: reasonCode,
		...(reasonNote !== undefined ? { reason_note: reasonNote } : {}),
	};
	const response = await plaidApiRequest.call(this, '/item/products/terminate', body, {
		itemIndex: i,
		removal: goneWhenNotFound.call(this, ITEM_GONE, { endpoint: '/item/get', body: { access_token: accessToken } }, i),
	});
	// Plaid answers only a request_id; the token is never part of the output.
	return { request_id: response.request_id, ...alreadyRemovedField(response) };
}
