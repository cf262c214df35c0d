import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseAccessToken } from '../../helpers/fields';
import type { SingleTargetRemoval } from '../../removal/singleTarget';
import { hashOf } from '../../removal/workKeys';
import { credentialEnvironmentOf, type PlaidEndpoint } from '../../transport';

/** The Item an operation acts on, named by its access token (a secret). */
export function accessTokenProperty(): INodeProperties {
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
	};
}

/** Reads and validates the access token of item `i`, of the credential's environment. */
export function getAccessToken(this: IExecuteFunctions, i: number): string {
	return parseAccessToken(this.getNodeParameter('accessToken', i, ''), credentialEnvironmentOf(this));
}

/**
 * What Plaid answers for an access token it does not know (errors.md: INVALID_ACCESS_TOKEN "invalid,
 * pertains to a different API environment, or has been removed"; ITEM_NOT_FOUND). It answers a removed
 * Item, a token never issued and a typo alike.
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

/**
 * An irreversible call on the Item behind `accessToken` (Item → Remove, Item → Terminate): the same
 * target for both, previewed and verified with /item/get. The output names no Item: Plaid's answer
 * does not say which one the token opened, and the token itself is never shown.
 */
export function itemRemoval(endpoint: PlaidEndpoint, accessToken: string, reasons: IDataObject): SingleTargetRemoval {
	const read = { endpoint: '/item/get' as const, body: { access_token: accessToken } };
	return {
		endpoint,
		workKey: hashOf(endpoint, accessToken),
		targetKey: hashOf(endpoint, accessToken),
		fields: {},
		body: { access_token: accessToken, ...reasons },
		notFoundCodes: ITEM_GONE_CODES,
		targetName: 'access token',
		previewRead: { ...read, describe: (answer) => ({ ...describeItemForPreview(answer), ...(reasons.reason_code ? { reason_code: reasons.reason_code } : {}) }) },
		verifyRead: { ...read, goneCodes: ITEM_GONE_CODES },
	};
}
