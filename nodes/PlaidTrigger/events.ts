import type { INodePropertyOptions } from 'n8n-workflow';

export const ALL_EVENTS = '*';

/** The ITEM webhooks that matter when a customer's bank connection goes away or breaks. */
export const eventOptions: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: ALL_EVENTS,
		description: 'Every webhook Plaid sends to this URL, of any type',
	},
	{
		name: 'Item: Error',
		value: 'ITEM.ERROR',
		description: 'The Item entered an error state, e.g. ITEM_LOGIN_REQUIRED',
	},
	{
		name: 'Item: Login Repaired',
		value: 'ITEM.LOGIN_REPAIRED',
		description: 'The Item left ITEM_LOGIN_REQUIRED without going through update mode',
	},
	{
		name: 'Item: New Accounts Available',
		value: 'ITEM.NEW_ACCOUNTS_AVAILABLE',
		description: 'Plaid detected new accounts at the institution',
	},
	{
		name: 'Item: Pending Disconnect',
		value: 'ITEM.PENDING_DISCONNECT',
		description: 'The Item is expected to disconnect in 7 days (US/CA)',
	},
	{
		name: 'Item: Pending Expiration',
		value: 'ITEM.PENDING_EXPIRATION',
		description: 'The end user’s consent expires in 7 days (Europe/UK)',
	},
	{
		name: 'Item: User Account Revoked',
		value: 'ITEM.USER_ACCOUNT_REVOKED',
		description: 'The end user revoked access to one account at the institution',
	},
	{
		name: 'Item: User Permission Revoked',
		value: 'ITEM.USER_PERMISSION_REVOKED',
		description: 'The end user revoked the permission they gave for the Item',
	},
	{
		name: 'Item: Webhook Update Acknowledged',
		value: 'ITEM.WEBHOOK_UPDATE_ACKNOWLEDGED',
		description: 'The Item’s webhook URL was changed, e.g. with /item/webhook/update',
	},
];

/** `"<webhook_type>.<webhook_code>"` of a webhook body, as the `events` parameter names it. */
export function eventNameOf(body: Record<string, unknown>): string {
	return `${String(body.webhook_type)}.${String(body.webhook_code)}`;
}

export function isSelectedEvent(selected: string[], body: Record<string, unknown>): boolean {
	return selected.includes(ALL_EVENTS) || selected.includes(eventNameOf(body));
}
