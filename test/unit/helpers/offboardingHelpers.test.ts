/**
 * The pure helpers of the offboarding and Sandbox operations: webhook URLs, Sandbox products, the
 * simplified Item, and the option lists they offer.
 */
import { InvalidInputError } from '../../../nodes/shared/InvalidInputError';
import { PRODUCTS_TERMINATE_REASONS } from '../../../nodes/Plaid/helpers/reasons';
import { DEFAULT_UPDATE_TYPES, FIRE_WEBHOOK_CODES, parseSandboxProducts, SANDBOX_PRODUCTS } from '../../../nodes/Plaid/helpers/sandbox';
import { simplifyItem } from '../../../nodes/Plaid/helpers/simplifyItem';
import { valuesOf } from '../../../nodes/Plaid/helpers/valueOptions';
import { parseWebhookUrl } from '../../../nodes/Plaid/helpers/webhookUrl';
import { ENDPOINT_SCHEMAS, FIRE_WEBHOOK_CODES as SPEC_FIRE_CODES, PRODUCTS, PRODUCTS_TERMINATE_REASON_CODES, WEBHOOK_TYPES } from '../../emulator/schemas';

describe('parseWebhookUrl', () => {
	it.each([
		['nothing', undefined, null],
		['null', null, null],
		['an empty string', '', null],
		['blanks', ' \n ', null],
		['an https URL, trimmed, as written', ' https://N8N.example.com/webhook/plaid ', 'https://N8N.example.com/webhook/plaid'],
		['an http URL with a port and query', 'http://127.0.0.1:5678/webhook/x?a=1', 'http://127.0.0.1:5678/webhook/x?a=1'],
	])('%s', (_label, input, expected) => {
		expect(parseWebhookUrl(input)).toBe(expected);
	});

	it.each([
		['a number', 5678, 'Webhook URL: must be text, got a number'],
		['an object', { url: 'https://x' }, 'Webhook URL: must be text, got an object'],
		['no scheme', 'n8n.example.com/webhook', 'not an http(s) URL'],
		['another scheme', 'javascript:alert(1)', 'not an http(s) URL'],
		['a file URL', 'file:///etc/passwd', 'not an http(s) URL'],
		['credentials in the URL', 'https://user:secret@n8n.example.com/hook', 'must not contain a user name or password'],
	])('refuses %s', (_label, input, message) => {
		expect(() => parseWebhookUrl(input)).toThrow(InvalidInputError);
		expect(() => parseWebhookUrl(input)).toThrow(message);
	});
});

describe('parseSandboxProducts', () => {
	it('keeps the order, drops duplicates, trims, and takes one product as text', () => {
		expect(parseSandboxProducts(['transactions', ' auth ', 'transactions'])).toEqual(['transactions', 'auth']);
		expect(parseSandboxProducts('liabilities')).toEqual(['liabilities']);
	});

	it.each([
		['an empty list', [], 'choose at least one product'],
		['a number in the list', ['auth', 3], 'entry 2 is a number'],
		['an unknown product', ['auth', 'mortgages'], '"mortgages" is not one of the Sandbox products'],
		['income_verification, which needs options', ['income_verification'], 'is not one of the Sandbox products'],
		['an object', { auth: true }, 'expected a list of products, got an object'],
	])('refuses %s', (_label, input, message) => {
		expect(() => parseSandboxProducts(input)).toThrow(message);
	});
});

describe('simplifyItem', () => {
	const item = {
		item_id: 'item-1',
		institution_id: 'ins_109508',
		institution_name: 'First Platypus Bank',
		webhook: null,
		auth_method: null,
		error: { error_type: 'ITEM_ERROR', error_code: 'ITEM_LOGIN_REQUIRED', error_message: 'x', display_message: null },
		available_products: ['balance'],
		billed_products: ['transactions'],
		products: ['transactions'],
		consented_products: ['transactions'],
		consent_expiration_time: '2027-01-01T00:00:00Z',
		update_type: 'background',
		created_at: '2026-01-01T00:00:00Z',
		consented_use_cases: [],
		consented_data_scopes: [],
	};

	it('keeps nine fields, most used first, the error as its code', () => {
		expect(simplifyItem(item)).toEqual({
			item_id: 'item-1',
			institution_name: 'First Platypus Bank',
			institution_id: 'ins_109508',
			products: ['transactions'],
			billed_products: ['transactions'],
			error_code: 'ITEM_LOGIN_REQUIRED',
			update_type: 'background',
			consent_expiration_time: '2027-01-01T00:00:00Z',
			webhook: null,
		});
	});

	it('gives null or [] for what Plaid left out, never undefined', () => {
		const simplified = simplifyItem({ item_id: 'item-2' });
		expect(Object.values(simplified)).not.toContain(undefined);
		expect(simplified).toMatchObject({ error_code: null, products: [], institution_name: null });
	});
});

describe('the option lists follow Plaid’s spec', () => {
	it('Item → Terminate offers exactly ProductsTerminateReasonCode', () => {
		expect(valuesOf(PRODUCTS_TERMINATE_REASONS).sort()).toEqual([...PRODUCTS_TERMINATE_REASON_CODES].sort());
		expect(ENDPOINT_SCHEMAS['/item/products/terminate'].fields.reason_code.enum).toBe(PRODUCTS_TERMINATE_REASON_CODES);
	});

	it('Sandbox products, webhook codes and types are Plaid’s, each code with a type Plaid has', () => {
		expect(PRODUCTS).toEqual(expect.arrayContaining(valuesOf(SANDBOX_PRODUCTS)));
		expect(SPEC_FIRE_CODES).toEqual(expect.arrayContaining(valuesOf(FIRE_WEBHOOK_CODES)));
		expect(valuesOf(FIRE_WEBHOOK_CODES)).not.toContain('AUTHORIZATION_GRANTED');
		for (const code of FIRE_WEBHOOK_CODES) {
			if (code.value === 'DEFAULT_UPDATE') expect(code.webhookType).toBeUndefined();
			else expect(WEBHOOK_TYPES).toContain(code.webhookType);
		}
		expect(WEBHOOK_TYPES).toEqual(expect.arrayContaining(valuesOf(DEFAULT_UPDATE_TYPES)));
	});
});
