import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseWebhookUrl } from '../../helpers/webhookUrl';
import { plaidApiRequest, type PlaidEndpoint } from '../../transport';
import { accessTokenProperty, getAccessToken } from './accessToken';
import type { OperationOption } from '../operation';

export const option: OperationOption = {
	name: 'Update Webhook',
	value: 'updateWebhook',
	action: 'Update the webhook of an item',
	description:
		'Send one Item’s webhooks to a new URL, e.g. a Plaid Trigger, or to none. Plaid confirms with WEBHOOK_UPDATE_ACKNOWLEDGED at the new URL.',
};

export const endpoints: PlaidEndpoint[] = ['/item/webhook/update'];

export const description: INodeProperties[] = [
	accessTokenProperty(),
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/plaid',
		description:
			'Where Plaid sends this Item’s webhooks from now on, e.g. the production URL of a Plaid Trigger. Leave empty to remove the Item’s webhook.',
	},
];

/**
 * Sets (or removes) the Item's webhook URL with /item/webhook/update. Plaid then sends
 * WEBHOOK_UPDATE_ACKNOWLEDGED to the new URL.
 */
export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const accessToken = getAccessToken.call(this, i);
	const webhook = parseWebhookUrl(this.getNodeParameter('webhookUrl', i, ''));
	// Plaid's answer as it is: { item, request_id }, the Item with its new webhook; never the token.
	return await plaidApiRequest.call(this, '/item/webhook/update', { access_token: accessToken, webhook }, { itemIndex: i });
}
