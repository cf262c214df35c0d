import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { parseWebhookUrl } from '../../helpers/webhookUrl';
import { plaidApiRequest } from '../../transport';
import { accessTokenProperty, getAccessToken } from './accessToken';

const show = { resource: ['item'], operation: ['updateWebhook'] };

export const description: INodeProperties[] = [
	accessTokenProperty(['updateWebhook']),
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/plaid',
		description:
			'Where Plaid sends this Item’s webhooks from now on, e.g. the production URL of a Plaid Trigger. Leave empty to remove the Item’s webhook.',
		displayOptions: { show },
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
