import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseOptionalString } from '../../helpers/fields';
import { InvalidInputError } from '../../../shared/InvalidInputError';
import { parseRequiredString } from '../../helpers/parse';
import { INSTITUTION_ID_SHAPE, parseSandboxProducts, SANDBOX_PRODUCTS } from '../../helpers/sandbox';
import { plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { assertSandboxCredential } from './sandboxOnly';
import type { OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Create Test Item',
	value: 'createTestItem',
	action: 'Create a test item in the sandbox',
	description:
		'Create an Item at a Sandbox test bank, without Link, and get its item_id and access_token. Sandbox credentials only.',
};

export const endpoints: PlaidEndpoint[] = ['/sandbox/public_token/create', '/item/public_token/exchange'];

export const description: INodeProperties[] = [
	{
		displayName: 'Institution ID',
		name: 'institutionId',
		type: 'string',
		default: 'ins_109508',
		required: true,
		placeholder: 'e.g. ins_109508',
		description:
			'The Sandbox test bank of the new Item, e.g. ins_109508 (First Platypus Bank), ins_109509 (First Gingham Credit Union), ins_109510 (Tartan Bank)',
	},
	{
		displayName: 'Initial Products',
		name: 'initialProducts',
		type: 'multiOptions',
		default: ['transactions'],
		required: true,
		options: SANDBOX_PRODUCTS,
		description: 'The products the Item starts with, as Link would add them',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'e.g. usr_8c3ZbDBYjaqUXZ',
		description:
			'Optional: the Plaid user_id to link the Item to, so that the user operations see it. Empty: an Item linked without a user, as most Auth and Transactions integrations have them.',
	},
];

/**
 * Makes a Sandbox Item without Link: /sandbox/public_token/create for the institution and
 * products, then the /item/public_token/exchange every Link integration does. The output holds
 * the Item's access_token: that is what this operation is for (store it like a secret).
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const institutionId = parseRequiredString(this.getNodeParameter('institutionId', i, ''), 'Institution ID');
	if (!INSTITUTION_ID_SHAPE.test(institutionId)) {
		throw new InvalidInputError('Institution ID: Plaid institution IDs read "ins_" and digits, e.g. ins_109508');
	}
	const products = parseSandboxProducts(this.getNodeParameter('initialProducts', i, []));
	const userId = parseOptionalString(this.getNodeParameter('userId', i, ''), 'User ID');
	await assertSandboxCredential.call(this);

	const created = await plaidApiRequest.call(
		this,
		'/sandbox/public_token/create',
		{ institution_id: institutionId, initial_products: products, ...(userId !== undefined ? { user_id: userId } : {}) },
		{ itemIndex: i },
	);
	if (typeof created.public_token !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Plaid answered /sandbox/public_token/create without a public_token', { itemIndex: i });
	}
	const exchanged = await plaidApiRequest.call(this, '/item/public_token/exchange', { public_token: created.public_token }, { itemIndex: i });
	return { item_id: exchanged.item_id, access_token: exchanged.access_token, request_id: exchanged.request_id };
}
