import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseEnumValue } from '../../helpers/fields';
import { DEFAULT_UPDATE_TYPES, FIRE_WEBHOOK_CODES } from '../../helpers/sandbox';
import { valuesOf } from '../../helpers/valueOptions';
import { plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { accessTokenProperty, getAccessToken } from '../item/accessToken';
import { assertSandboxCredential } from './sandboxOnly';
import type { OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Fire Webhook',
	value: 'fireWebhook',
	action: 'Fire a test webhook in the sandbox',
	description:
		'Have Plaid send a test webhook, e.g. USER_PERMISSION_REVOKED, to a Sandbox Item’s webhook URL. Sandbox credentials only.',
};

export const endpoints: PlaidEndpoint[] = ['/sandbox/item/fire_webhook'];

export const description: INodeProperties[] = [
	accessTokenProperty(),
	{
		displayName: 'Webhook Code',
		name: 'webhookCode',
		type: 'options',
		default: 'USER_PERMISSION_REVOKED',
		required: true,
		options: FIRE_WEBHOOK_CODES.map(({ name, value, description }) => ({ name, value, description })),
		description: 'The webhook Plaid sends to the Item’s webhook URL',
	},
	{
		displayName: 'Webhook Type',
		name: 'webhookType',
		type: 'options',
		default: 'TRANSACTIONS',
		options: DEFAULT_UPDATE_TYPES,
		description: 'The product whose Default Update is fired. The other codes belong to one type each, which the node sends with them.',
		displayOptions: { show: { webhookCode: ['DEFAULT_UPDATE'] } },
	},
];

/**
 * Has Plaid fire a test webhook at the Item's webhook URL with /sandbox/item/fire_webhook, signed
 * like any Plaid webhook, so a Plaid Trigger can be tried without waiting for a real event.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const webhookCode = parseEnumValue(this.getNodeParameter('webhookCode', i, ''), valuesOf(FIRE_WEBHOOK_CODES), 'Webhook Code');
	const webhookType =
		webhookCode === 'DEFAULT_UPDATE'
			? parseEnumValue(this.getNodeParameter('webhookType', i, 'TRANSACTIONS'), valuesOf(DEFAULT_UPDATE_TYPES), 'Webhook Type')
			: FIRE_WEBHOOK_CODES.find((option) => option.value === webhookCode)?.webhookType;
	await assertSandboxCredential.call(this);

	// Plaid's answer as it is: { webhook_fired, request_id }. The webhook itself goes to the Item's URL.
	return await plaidApiRequest.call(
		this,
		'/sandbox/item/fire_webhook',
		{ access_token: accessToken, webhook_type: webhookType, webhook_code: webhookCode },
		{ itemIndex: i },
	);
}
