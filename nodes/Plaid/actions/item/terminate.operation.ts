import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PRODUCTS_TERMINATE_REASONS, productsTerminateReasonProperty, reasonFields, reasonNoteProperty } from '../../helpers/reasons';
import { irreversibleNotice, removeSingleTarget } from '../common/irreversible';
import { accessTokenProperty, describeItemForPreview, getAccessToken, ITEM_GONE_CODES } from './accessToken';

const show = { resource: ['item'], operation: ['terminate'] };

export const description: INodeProperties[] = [
	irreversibleNotice(show, 'Plaid ends every product of the Item, stops billing it and invalidates the access token.'),
	accessTokenProperty(['terminate']),
	productsTerminateReasonProperty(show, 'Why the Item is terminated, as Plaid records it'),
	reasonNoteProperty(show),
];

/**
 * Terminates one Item with /item/products/terminate, Plaid's recommended offboarding of an Item:
 * its billing ends and the access token stops working. Cannot be undone. Plaid's spec: "once
 * terminated, the access_token ... is no longer valid", so /item/get answering INVALID_ACCESS_TOKEN
 * is what "already terminated" looks like.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasons = reasonFields(this.getNodeParameter('reasonCode', i, ''), this.getNodeParameter('reasonNote', i, ''), PRODUCTS_TERMINATE_REASONS);

	// Plaid answers only a request_id; the token is never part of the output.
	return await removeSingleTarget.call(this, i, {
		operation: 'item.terminate',
		endpoint: '/item/products/terminate',
		body: { access_token: accessToken, ...reasons },
		fields: {},
		check: { endpoint: '/item/get', body: { access_token: accessToken }, goneCodes: ITEM_GONE_CODES },
		describe: (read) => ({ ...describeItemForPreview(read), reason_code: reasons.reason_code }),
	});
}
