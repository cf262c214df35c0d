import type { INodePropertyOptions } from 'n8n-workflow';

export const ALL_EVENTS = '*';

/**
 * The webhooks an offboarding and a Plaid Check (consumer report) integration receive, as the
 * plaid SDK's webhook schemas name them (`webhook_type`.`webhook_code`). Sorted by name, as
 * n8n lists options; values, once shipped, never change.
 */
export const eventOptions: INodePropertyOptions[] = [
	{
		name: 'All Events',
		value: ALL_EVENTS,
		description: 'Every webhook Plaid sends to this URL, of any type',
	},
	{
		name: 'Auth: Automatically Verified',
		value: 'AUTH.AUTOMATICALLY_VERIFIED',
		description: 'An account was verified by automated micro-deposits',
	},
	{
		name: 'Auth: Verification Expired',
		value: 'AUTH.VERIFICATION_EXPIRED',
		description: 'Automated micro-deposits did not verify the account within seven days',
	},
	{
		name: 'Base Report: Error',
		value: 'BASE_REPORT.ERROR',
		description: 'A Base Report could not be generated (error_type BASE_REPORT_ERROR)',
	},
	{
		name: 'Cash Flow Updates: Cash Flow Insights Updated',
		value: 'CASH_FLOW_UPDATES.CASH_FLOW_INSIGHTS_UPDATED',
		description: 'Cash Flow Updates (CRA) has new insights for the user',
	},
	{
		name: 'Cash Flow Updates: Expected Deposit Missed',
		value: 'CASH_FLOW_UPDATES.EXPECTED_DEPOSIT_MISSED',
		description: 'An update found that an expected deposit did not arrive',
	},
	{
		name: 'Cash Flow Updates: Insights Updated',
		value: 'CASH_FLOW_UPDATES.INSIGHTS_UPDATED',
		description: 'Status of a Cash Flow Updates refresh for one of the user’s Items',
	},
	{
		name: 'Cash Flow Updates: Large Deposit Detected',
		value: 'CASH_FLOW_UPDATES.LARGE_DEPOSIT_DETECTED',
		description: 'An update found a deposit over $5,000',
	},
	{
		name: 'Cash Flow Updates: Low Balance Detected',
		value: 'CASH_FLOW_UPDATES.LOW_BALANCE_DETECTED',
		description: 'An update found a balance below $100',
	},
	{
		name: 'Cash Flow Updates: New Income Stream Detected',
		value: 'CASH_FLOW_UPDATES.NEW_INCOME_STREAM_DETECTED',
		description: 'An update found a new source of income',
	},
	{
		name: 'Cash Flow Updates: New Loan Payment Detected',
		value: 'CASH_FLOW_UPDATES.NEW_LOAN_PAYMENT_DETECTED',
		description: 'An update found a new loan payment',
	},
	{
		name: 'Cash Flow Updates: NSF Overdraft Detected',
		value: 'CASH_FLOW_UPDATES.NSF_OVERDRAFT_DETECTED',
		description: 'An update found an overdraft (non-sufficient funds) transaction',
	},
	{
		name: 'Check Report: Check Report Failed',
		value: 'CHECK_REPORT.CHECK_REPORT_FAILED',
		description: 'A Check Report could not be generated; the user’s Items carry the errors',
	},
	{
		name: 'Check Report: Check Report Ready',
		value: 'CHECK_REPORT.CHECK_REPORT_READY',
		description: 'A Check Report can be retrieved, for the next 24 hours',
	},
	{
		name: 'Check Report: Upgrade Failed',
		value: 'CHECK_REPORT.UPGRADE_FAILED',
		description: 'Upgrading a Check Report failed',
	},
	{
		name: 'Check Report: User Check Report Failed',
		value: 'CHECK_REPORT.USER_CHECK_REPORT_FAILED',
		description: 'A Check Report for a user could not be generated',
	},
	{
		name: 'Check Report: User Check Report Ready',
		value: 'CHECK_REPORT.USER_CHECK_REPORT_READY',
		description: 'A Check Report for a user can be retrieved, for the next 24 hours',
	},
	{
		name: 'CRA Income: Bank Income Complete',
		value: 'CRA_INCOME.BANK_INCOME_COMPLETE',
		description: 'A bank income report finished generating, or failed to',
	},
	{
		name: 'CRA Income: Error',
		value: 'CRA_INCOME.ERROR',
		description: 'A bank income report failed to generate',
	},
	{
		name: 'CRA Insights: Partner Insights Complete',
		value: 'CRA_INSIGHTS.PARTNER_INSIGHTS_COMPLETE',
		description: 'A partner insights report is ready',
	},
	{
		name: 'CRA Insights: Partner Insights Error',
		value: 'CRA_INSIGHTS.PARTNER_INSIGHTS_ERROR',
		description: 'A partner insights report failed to generate',
	},
	{
		name: 'CRA Report: CRA Report Updated',
		value: 'CRA_REPORT.CRA_REPORT_UPDATED',
		description: 'A subscribed consumer report was updated; the body names the report',
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
