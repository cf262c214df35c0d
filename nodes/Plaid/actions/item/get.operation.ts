import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { plaidApiRequest } from '../../transport';
import { getAccessToken } from './accessToken';

/** Only the access token, shared with Item → Remove (see Item.resource.ts). */
export const description: INodeProperties[] = [];

/** Reads one Item and its status with /item/get. Read-only: nothing changes at Plaid. */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	// Plaid's answer as it is: { item, status, request_id }. It never contains the access token.
	return await plaidApiRequest.call(this, '/item/get', { access_token: getAccessToken.call(this, i) }, { itemIndex: i });
}
