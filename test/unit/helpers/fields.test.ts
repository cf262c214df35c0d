/**
 * The pure parsers behind the toolkit operations' parameters, and the reason codes offered in
 * the UI checked against the official SDK's enums.
 */
import fc from 'fast-check';
import { ItemRemoveReasonCode, ProductsTerminateReasonCode } from 'plaid';

import { buildClientUserIdentity, parseCountryCode, parseDateOfBirth } from '../../../nodes/Plaid/helpers/clientUserIdentity';
import {
	parseAccessToken,
	parseBoundedString,
	parseEnumValue,
	parseOptionalEnumValue,
	parseOptionalString,
} from '../../../nodes/Plaid/helpers/fields';
import { InvalidInputError } from '../../../nodes/shared/InvalidInputError';
import { ITEM_REMOVE_REASONS, PRODUCTS_TERMINATE_REASONS, parseReasonNote } from '../../../nodes/Plaid/helpers/reasons';
import { valuesOf } from '../../../nodes/Plaid/helpers/valueOptions';

describe('reason codes offered in the UI', () => {
	it.each([
		['Item → Remove', ITEM_REMOVE_REASONS, ItemRemoveReasonCode],
		['User → Terminate Products', PRODUCTS_TERMINATE_REASONS, ProductsTerminateReasonCode],
	])('%s offers exactly the values of Plaid’s enum in the official SDK', (_label, options, sdkEnum) => {
		expect(valuesOf(options).sort()).toEqual(Object.values(sdkEnum).sort());
	});

	it('are sorted by name and have unique names', () => {
		for (const options of [ITEM_REMOVE_REASONS, PRODUCTS_TERMINATE_REASONS]) {
			const names = options.map((option) => option.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
			expect(new Set(names).size).toBe(names.length);
		}
	});
});

describe('parseOptionalString', () => {
	it.each([undefined, null, '', '   ', '\n'])('treats %p as not given', (value) => {
		expect(parseOptionalString(value, 'Note')).toBeUndefined();
	});

	it('trims, and counts the limit in characters', () => {
		expect(parseOptionalString('  a note ', 'Note', 6)).toBe('a note');
		expect(parseOptionalString('💳'.repeat(3), 'Note', 3)).toBe('💳💳💳');
		expect(() => parseOptionalString('💳'.repeat(4), 'Note', 3)).toThrow('Note: at most 3 characters, got 4');
	});

	it.each([[42, 'a number'], [{}, 'an object'], [[], 'an array'], [true, 'a boolean']])('refuses %p', (value, type) => {
		expect(() => parseOptionalString(value, 'Note')).toThrow(new InvalidInputError(`Note: must be text, got ${type}`));
	});

	it('never returns a blank or untrimmed string (fuzzed)', () => {
		fc.assert(
			fc.property(fc.string(), (value) => {
				const parsed = parseOptionalString(value, 'Note');
				return parsed === undefined || (parsed.trim() === parsed && parsed !== '');
			}),
		);
	});
});

describe('parseBoundedString', () => {
	it('requires a value and applies the limit', () => {
		expect(parseBoundedString(' c-1 ', 'Client User ID', 128)).toBe('c-1');
		expect(() => parseBoundedString('', 'Client User ID', 128)).toThrow('Client User ID: required');
		expect(() => parseBoundedString('x'.repeat(129), 'Client User ID', 128)).toThrow('at most 128 characters, got 129');
	});
});

describe('parseEnumValue / parseOptionalEnumValue', () => {
	const allowed = ['OTHER', 'FRAUD_ABUSE'] as const;

	it('accepts an allowed value, trimmed', () => {
		expect(parseEnumValue(' OTHER ', allowed, 'Reason Code')).toBe('OTHER');
	});

	it.each([
		['BORED', 'Reason Code: "BORED" is not one of Plaid\'s values (OTHER, FRAUD_ABUSE)'],
		['other', 'Reason Code: "other" is not one of'],
		[7, 'Reason Code: must be text, got a number'],
		['', 'Reason Code: required'],
	])('refuses %p', (value, message) => {
		expect(() => parseEnumValue(value, allowed, 'Reason Code')).toThrow(message);
	});

	it('optional: blank means not given, anything else must be allowed', () => {
		expect(parseOptionalEnumValue('', allowed, 'Reason Code')).toBeUndefined();
		expect(parseOptionalEnumValue(undefined, allowed, 'Reason Code')).toBeUndefined();
		expect(parseOptionalEnumValue('FRAUD_ABUSE', allowed, 'Reason Code')).toBe('FRAUD_ABUSE');
		expect(() => parseOptionalEnumValue('NOPE', allowed, 'Reason Code')).toThrow('"NOPE" is not one of');
	});
});

describe('parseReasonNote', () => {
	it('allows 512 characters, not 513', () => {
		expect(parseReasonNote('n'.repeat(512))).toHaveLength(512);
		expect(() => parseReasonNote('n'.repeat(513))).toThrow('Reason Note: at most 512 characters');
	});
});

describe('parseAccessToken', () => {
	it.each(['access-sandbox-de3ce8ef-33f8-452c-a685-8671031fc0f6', 'access-production-1', ' access-sandbox-x '])('accepts %p', (token) => {
		expect(parseAccessToken(token, undefined)).toBe(token.trim());
	});

	it.each([
		['eVBnVMp7zdTJLkRNr33Rs6zr7KNJqBFL9DrE6', 'not a Plaid access token'],
		['public-sandbox-5c224a01', 'not a Plaid access token'],
		['access-sandbox-a b', 'not a Plaid access token'],
		['', 'Access Token: required'],
		[12, 'Access Token: must be text, got a number'],
	])('refuses %p', (value, message) => {
		expect(() => parseAccessToken(value, undefined)).toThrow(message);
	});

	it('never repeats the value in its message (fuzzed)', () => {
		fc.assert(
			fc.property(fc.string(), fc.constantFrom('', 'access-', 'access-sandbox-', 'public-sandbox-'), (tail, head) => {
				try {
					parseAccessToken(`${head}${tail}§secret`, undefined);
					return true;
				} catch (error) {
					return !(error as Error).message.includes('§secret');
				}
			}),
		);
	});
});

describe('dates of birth and countries', () => {
	it.each([['1990-04-17'], ['2000-02-29']])('accepts %p', (date) => expect(parseDateOfBirth(date)).toBe(date));
	it.each(['1990-02-30', '1900-02-29', '1990-4-17', '17/04/1990', '1990-13-01'])('refuses %p', (date) => {
		expect(() => parseDateOfBirth(date)).toThrow('Date of Birth: must be a real date written yyyy-mm-dd');
	});
	it('upper-cases two-letter codes and refuses others', () => {
		expect(parseCountryCode(' gb ')).toBe('GB');
		expect(() => parseCountryCode('GBR')).toThrow('Country: must be a two-letter country code');
	});
});

describe('buildClientUserIdentity', () => {
	it('is undefined when nothing is given', () => {
		expect(buildClientUserIdentity({})).toBeUndefined();
		expect(buildClientUserIdentity({ givenName: ' ', withUpgradedUser: true })).toBeUndefined();
		expect(buildClientUserIdentity(undefined)).toBeUndefined();
	});

	it('builds only the parts given', () => {
		expect(buildClientUserIdentity({ email: 'a@b.co', country: 'us' })).toEqual({
			emails: [{ data: 'a@b.co', primary: true }],
			addresses: [{ country: 'US', primary: true }],
		});
	});

	it('refuses a collection that is not an object', () => {
		expect(() => buildClientUserIdentity('x')).toThrow('Additional Fields: expected a collection, got a string');
	});
});
