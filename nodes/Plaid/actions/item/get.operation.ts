import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyItem } from '../../helpers/simplifyItem';
import { plaidApiRequest } from '../../transport';
import { getSimplify, simplifyProperties } from '../common/simplify';
import { getAccessToken } from './accessToken';

/** The access token is shared with Item → Remove (see Item.resource.ts). */
export const description: INodeProperties[] = [...simplifyProperties({ resource: ['item'], operation: ['get'] })];

/** Reads one Item and its status with /item/get. Read-only: nothing changes at Plaid. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const simplify = getSimplify.call(this, i);
	// Plaid's answer: { item, status, request_id }. It never contains the access token.
	const response = await plaidApiRequest.call(this, '/item/get', { access_token: accessToken }, { itemIndex: i });
	return simplify ? { ...simplifyItem(response.item as IDataObject), request_id: response.request_id } : response;
}
