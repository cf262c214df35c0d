import type { INodeProperties } from 'n8n-workflow';

import { parseEnumValue, parseOptionalEnumValue, parseOptionalString } from './fields';
import { byName, type ValueOption, valuesOf } from './valueOptions';

/**
 * Plaid's reason codes, offered as options and used to validate values from expressions.
 * Values as in Plaid's API (ItemRemoveReasonCode, ProductsTerminateReasonCode of plaid 47.0.0,
 * API 2020-09-14_1.740.1); names and descriptions are ours. Sorted by name, as n8n lists options.
 */
const FRAUD_REASONS: ValueOption[] = [
	{
		name: 'Fraud: Abuse',
		value: 'FRAUD_ABUSE',
		description: 'The end user abuses your service through the connected account',
	},
	{
		name: 'Fraud: False Identity',
		value: 'FRAUD_FALSE_IDENTITY',
		description: 'The connection was made with a false identity or stolen credentials',
	},
	{
		name: 'Fraud: First Party',
		value: 'FRAUD_FIRST_PARTY',
		description: 'The owner of the connected account committed fraud',
	},
	{
		name: 'Fraud: Other',
		value: 'FRAUD_OTHER',
		description: 'Another kind of fraud by the end user; explain it in the reason note',
	},
];

const OTHER_REASON: ValueOption = {
	name: 'Other',
	value: 'OTHER',
	description: 'None of the listed reasons; explain it in the reason note',
};

/** Plaid's `ItemRemoveReasonCode`, for Item → Remove. */
export const ITEM_REMOVE_REASONS: ValueOption[] = [
	...FRAUD_REASONS,
	OTHER_REASON,
	{
		name: 'Connection Is Non-Functional',
		value: 'CONNECTION_IS_NON_FUNCTIONAL',
		description: 'The connection to the bank is broken and cannot be repaired',
	},
].sort(byName);

/** Plaid's `ProductsTerminateReasonCode`, for User → Terminate Products. */
export const PRODUCTS_TERMINATE_REASONS: ValueOption[] = [
	...FRAUD_REASONS,
	OTHER_REASON,
	{
		name: 'Fraud: Transaction',
		value: 'FRAUD_TRANSACTION',
		description: 'Fraud on a transaction: unauthorised payment, card testing, chargeback, return or dispute',
	},
	{
		name: 'Billing Termination',
		value: 'BILLING_TERMINATION',
		description: 'Your billing or subscription relationship with the end user has ended',
	},
	{
		name: 'Consumer Account Closed',
		value: 'CONSUMER_ACCOUNT_CLOSED',
		description: 'The end user closed their account with you',
	},
	{
		name: 'Consumer Charge-Off',
		value: 'CONSUMER_CHARGE_OFF',
		description: 'The end user’s account was charged off',
	},
	{
		name: 'Consumer Loan Paid Off',
		value: 'CONSUMER_LOAN_PAID_OFF',
		description: 'The end user repaid their loan and no longer needs the product',
	},
	{
		name: 'Consumer Payment Method Switched',
		value: 'CONSUMER_PAYMENT_METHOD_SWITCHED',
		description: 'The end user pays another way now and no longer needs the product',
	},
	{
		name: 'Duplicate Item',
		value: 'DUPLICATE_ITEM',
		description: 'The connection duplicates another active one of the same user',
	},
	{
		name: 'User Offboarding',
		value: 'USER_OFFBOARDING',
		description: 'The end user is leaving your service',
	},
].sort(byName);

/** Plaid's limit for `reason_note` (spec ItemRemoveRequest, UserProductsTerminateRequest). */
const REASON_NOTE_MAX_LENGTH = 512;

/** The optional free-text reason of Item → Remove and User → Terminate Products. */
export function reasonNoteProperty(): INodeProperties {
	return {
		displayName: 'Reason Note',
		name: 'reasonNote',
		type: 'string',
		default: '',
		placeholder: 'e.g. Customer closed their account',
		description: `Optional context for Plaid, at most ${REASON_NOTE_MAX_LENGTH} characters. No personal data (email addresses, phone numbers).`,
	};
}

/** The reason note to send, or undefined when blank (the field is then left out). */
export function parseReasonNote(value: unknown): string | undefined {
	return parseOptionalString(value, 'Reason Note', REASON_NOTE_MAX_LENGTH);
}

/** The required Reason Code of the products-terminate endpoints (User → Terminate Products, Item → Terminate). */
export function productsTerminateReasonProperty(description: string): INodeProperties {
	return {
		displayName: 'Reason Code',
		name: 'reasonCode',
		type: 'options',
		default: 'USER_OFFBOARDING',
		required: true,
		options: PRODUCTS_TERMINATE_REASONS,
		description,
	};
}

/**
 * `reason_code` and `reason_note` for a request body, from the parameters' values: the code checked
 * against Plaid's list (required unless `optional`), a blank note left out.
 */
export function reasonFields(
	code: unknown,
	note: unknown,
	allowed: ValueOption[],
	optional = false,
): { reason_code?: string; reason_note?: string } {
	const values = valuesOf(allowed);
	const reasonCode = optional ? parseOptionalEnumValue(code, values, 'Reason Code') : parseEnumValue(code, values, 'Reason Code');
	const reasonNote = parseReasonNote(note);
	return {
		...(reasonCode !== undefined ? { reason_code: reasonCode } : {}),
		...(reasonNote !== undefined ? { reason_note: reasonNote } : {}),
	};
}
