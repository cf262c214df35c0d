import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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
			'The access_token of the Item, from the public token exchange. It is sent to Plaid only and never appears in the output or in errors.',
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}

/** Reads and validates the access token of item `i`. */
export function getAccessToken(this: IExecuteFunctions, i: number): string {
	return parseAccessToken(this.getNodeParameter('accessToken', i, ''));
}
