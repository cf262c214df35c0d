import { InvalidInputError } from '../../shared/InvalidInputError';
import { describeType } from './parse';
import { byName, type ValueOption, valuesOf } from './valueOptions';

/**
 * The products a Sandbox test Item can start with: the list Plaid's docs show for
 * /sandbox/public_token/create `initial_products` (spec x-override-enum-values-shown), less
 * income_verification, which also needs income options this node does not take.
 */
export const SANDBOX_PRODUCTS: ValueOption[] = [
	{ name: 'Assets', value: 'assets' },
	{ name: 'Auth', value: 'auth' },
	{ name: 'CRA Base Report', value: 'cra_base_report' },
	{ name: 'CRA Income Insights', value: 'cra_income_insights' },
	{ name: 'CRA LendScore', value: 'cra_lend_score' },
	{ name: 'CRA Monitoring', value: 'cra_monitoring' },
	{ name: 'CRA Partner Insights', value: 'cra_partner_insights' },
	{ name: 'Identity', value: 'identity' },
	{ name: 'Investments', value: 'investments' },
	{ name: 'Investments Auth', value: 'investments_auth' },
	{ name: 'Liabilities', value: 'liabilities' },
	{ name: 'Payment Initiation', value: 'payment_initiation' },
	{ name: 'Signal', value: 'signal' },
	{ name: 'Standing Orders', value: 'standing_orders' },
	{ name: 'Statements', value: 'statements' },
	{ name: 'Transactions', value: 'transactions' },
	{ name: 'Transfer', value: 'transfer' },
].sort(byName);

/**
 * The webhooks /sandbox/item/fire_webhook fires (spec SandboxItemFireWebhookRequest, the codes its
 * docs show), each with the webhook_type it belongs to per the endpoint's description. The node
 * sends that type with the code, so Plaid never has to guess it; DEFAULT_UPDATE's type is chosen.
 */
export const FIRE_WEBHOOK_CODES: Array<ValueOption & { webhookType?: string }> = [
	{ name: 'Default Update', value: 'DEFAULT_UPDATE', description: 'A product’s regular update, of the Webhook Type chosen below' },
	{ name: 'Error (Assets)', value: 'ERROR', webhookType: 'ASSETS', description: 'ASSETS: an Asset Report could not be generated' },
	{ name: 'Login Repaired', value: 'LOGIN_REPAIRED', webhookType: 'ITEM', description: 'ITEM: the Item recovered from ITEM_LOGIN_REQUIRED on its own' },
	{ name: 'New Accounts Available', value: 'NEW_ACCOUNTS_AVAILABLE', webhookType: 'ITEM', description: 'ITEM: new accounts can be shared through update mode' },
	{ name: 'Pending Disconnect', value: 'PENDING_DISCONNECT', webhookType: 'ITEM', description: 'ITEM: the Item will stop working soon and needs update mode' },
	{ name: 'Product Ready (Assets)', value: 'PRODUCT_READY', webhookType: 'ASSETS', description: 'ASSETS: an Asset Report is ready' },
	{ name: 'Recurring Transactions Update', value: 'RECURRING_TRANSACTIONS_UPDATE', webhookType: 'TRANSACTIONS', description: 'TRANSACTIONS: recurring transactions changed' },
	{ name: 'SMS Microdeposits Verification', value: 'SMS_MICRODEPOSITS_VERIFICATION', webhookType: 'AUTH', description: 'AUTH: a micro-deposit Item was verified by SMS' },
	{ name: 'Sync Updates Available', value: 'SYNC_UPDATES_AVAILABLE', webhookType: 'TRANSACTIONS', description: 'TRANSACTIONS: new data for /transactions/sync' },
	{ name: 'User Account Revoked', value: 'USER_ACCOUNT_REVOKED', webhookType: 'ITEM', description: 'ITEM: the end user revoked access to one account' },
	{ name: 'User Permission Revoked', value: 'USER_PERMISSION_REVOKED', webhookType: 'ITEM', description: 'ITEM: the end user revoked the permission for the Item' },
].sort(byName);

/** The webhook_type values a Sandbox DEFAULT_UPDATE can have (spec WebhookType, as the endpoint lists them). */
export const DEFAULT_UPDATE_TYPES: ValueOption[] = [
	{ name: 'Auth', value: 'AUTH' },
	{ name: 'Holdings', value: 'HOLDINGS' },
	{ name: 'Investments Transactions', value: 'INVESTMENTS_TRANSACTIONS' },
	{ name: 'Liabilities', value: 'LIABILITIES' },
	{ name: 'Transactions', value: 'TRANSACTIONS' },
].sort(byName);

/** Plaid institution IDs read `ins_` and digits, e.g. ins_109508 (the Sandbox's First Platypus Bank). */
export const INSTITUTION_ID_SHAPE = /^ins_\d+$/;

/**
 * The Initial Products: a list (or, from an expression, one product as text) of Sandbox products,
 * at least one (Plaid: "This array may not be empty"), duplicates dropped, order kept.
 */
export function parseSandboxProducts(value: unknown, parameterName = 'Initial Products'): string[] {
	const entries = typeof value === 'string' ? [value] : value;
	if (!Array.isArray(entries)) {
		throw new InvalidInputError(`${parameterName}: expected a list of products, got ${describeType(value)}`);
	}
	const allowed = valuesOf(SANDBOX_PRODUCTS);
	const products: string[] = [];
	entries.forEach((entry: unknown, index) => {
		if (typeof entry !== 'string') {
			throw new InvalidInputError(`${parameterName}: entry ${index + 1} is ${describeType(entry)}, but every product must be text`);
		}
		const product = entry.trim();
		if (!allowed.includes(product)) {
			throw new InvalidInputError(`${parameterName}: "${product}" is not one of the Sandbox products (${allowed.join(', ')})`);
		}
		if (!products.includes(product)) products.push(product);
	});
	if (products.length === 0) throw new InvalidInputError(`${parameterName}: choose at least one product`);
	return products;
}
