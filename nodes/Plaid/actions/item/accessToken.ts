import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseAccessToken } from '../../helpers/fields';

/** The Item an operation acts on, named by its access token (a secret). */
export function accessTokenProperty(operations: string[], resource = 'item'): INodeProperties {
	return {
		displayName: 'Access Token',
		name: 'accessToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: 'e.g. access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6',
		description:
			'The access_token of the Item, from the public token exchange. It is sent to Plaid only and never appears in the output or in errors. Keep it out of AI agent tools: a value a model fills in passes through the model provider.',
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}

/** Reads and validates the access token of item `i`. */
export function getAccessToken(this: IExecuteFunctions, i: number): string {
	return parseAccessToken(this.getNodeParameter('accessToken', i, ''));
}

/**
 * What Plaid answers for an access token whose Item is gone (errors.md: INVALID_ACCESS_TOKEN "already
 * removed via /item/remove"; ITEM_NOT_FOUND "removed via /item/remove"). It answers a token that never
 * existed the same way.
 */
export const ITEM_GONE_CODES = ['INVALID_ACCESS_TOKEN', 'ITEM_NOT_FOUND'];

/** What a preview shows of the Item an access token opens, from /item/get. */
export function describeItemForPreview(read: IDataObject): IDataObject {
	const item = (read.item ?? {}) as IDataObject;
	return {
		item_id: item.item_id,
		institution_id: item.institution_id ?? null,
		institution_name: item.institution_name ?? null,
		products: item.products ?? [],
		billed_products: item.billed_products ?? [],
	};
}
