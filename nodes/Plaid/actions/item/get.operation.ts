import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyItem } from '../../helpers/simplifyItem';
import { plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { getSimplify, simplifyProperties } from '../common/simplify';
import { accessTokenProperty, getAccessToken } from './accessToken';
import type { OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	action: 'Get an item',
	description:
		'Read one Item (bank connection) by its access token: institution, products, consent, error state and last update times. Read-only.',
};

export const endpoints: PlaidEndpoint[] = ['/item/get'];

export const description: INodeProperties[] = [accessTokenProperty(), ...simplifyProperties()];

/** Reads one Item and its status with /item/get. Read-only: nothing changes at Plaid. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const simplify = getSimplify.call(this, i);
	// Plaid's answer: { item, status, request_id }. It never contains the access token.
	const response = await plaidApiRequest.call(this, '/item/get', { access_token: accessToken }, { itemIndex: i });
	return simplify ? { ...simplifyItem(response.item as IDataObject), request_id: response.request_id } : response;
}
