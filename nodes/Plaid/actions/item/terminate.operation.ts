import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PRODUCTS_TERMINATE_REASONS, productsTerminateReasonProperty, reasonFields, reasonNoteProperty } from '../../helpers/reasons';
import { readIrreversibleOptions } from '../../removal/options';
import { removeSingleTarget } from '../../removal/singleTarget';
import { irreversibleNotice } from '../common/irreversibleNotice';
import { accessTokenProperty, getAccessToken, itemRemoval } from './accessToken';
import type { Irreversible, OperationOption } from '../operation';
import type { PlaidEndpoint } from '../../transport';

export const option: OperationOption = {
	name: 'Terminate',
	value: 'terminate',
	action: 'Terminate an item',
	description:
		'Offboard one Item (bank connection) by its access token, the way Plaid recommends: its billing ends and the token stops working, with a reason code. Cannot be undone.',
};

export const endpoints: PlaidEndpoint[] = ['/item/products/terminate', '/item/get'];

export const irreversible: Irreversible = { verifiable: true };

export const description: INodeProperties[] = [
	irreversibleNotice('Plaid ends every product of the Item, stops billing it and invalidates the access token.'),
	accessTokenProperty(),
	productsTerminateReasonProperty('Why the Item is terminated, as Plaid records it'),
	reasonNoteProperty(),
];

/**
 * Terminates one Item with /item/products/terminate, Plaid's recommended offboarding of an Item: its
 * billing ends and the access token stops working (spec: "once terminated, the access_token ... is no
 * longer valid"). Cannot be undone. A token Plaid does not know is `not_found`, never "terminated".
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const reasons = reasonFields(this.getNodeParameter('reasonCode', i, ''), this.getNodeParameter('reasonNote', i, ''), PRODUCTS_TERMINATE_REASONS);
	const options = readIrreversibleOptions.call(this, i);
	return await removeSingleTarget.call(this, i, itemRemoval('/item/products/terminate', accessToken, reasons), options);
}
