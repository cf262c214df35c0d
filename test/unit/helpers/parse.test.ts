import { InvalidInputError } from '../../../nodes/shared/InvalidInputError';
import { parseItemIds, parseRequiredString } from '../../../nodes/Plaid/helpers/parse';
import { isLoopbackHost, resolveBaseUrl } from '../../../nodes/shared/baseUrl';

describe('parseItemIds', () => {
	it.each([
		['a comma-separated string', 'item-1,item-2', ['item-1', 'item-2']],
		['new lines and blank lines', 'item-1\n\n item-2 \r\nitem-3\n', ['item-1', 'item-2', 'item-3']],
		['spaces and tabs', 'item-1 item-2\titem-3', ['item-1', 'item-2', 'item-3']],
		['duplicates, first kept, order kept', 'b, a, b, c, a', ['b', 'a', 'c']],
		['stray separators', ' ,, item-1 ,, ', ['item-1']],
		['an array from an expression', ['item-1', ' item-2 ', '', '   ', 'item-1'], ['item-1', 'item-2']],
		['non-ASCII IDs as given', ['ítem-ü', 'ítem-ü'], ['ítem-ü']],
	])('normalises %s', (_label, input, expected) => {
		expect(parseItemIds(input)).toEqual(expected);
	});

	it.each([
		['an empty string', '', /Item IDs: no Item ID given/],
		['only separators', ' ,\n, ', /Item IDs: no Item ID given/],
		['an empty array', [], /Item IDs: no Item ID given/],
		['undefined', undefined, /Item IDs: no Item ID given/],
		['a number', 42, /Item IDs: expected a list .* got a number/],
		['an object', { id: 'x' }, /got an object/],
		['a number in an array', ['a', 7], /entry 2 is a number/],
		['null in an array', ['a', null], /entry 2 is null/],
		['an object in an array', [{ item_id: 'a' }], /entry 1 is an object/],
		['a nested array', [['a']], /entry 1 is an array/],
		['two IDs glued in one array entry', ['a, b'], /contains a comma or white space/],
	])('refuses %s', (_label, input, message) => {
		expect(() => parseItemIds(input)).toThrow(InvalidInputError);
		expect(() => parseItemIds(input)).toThrow(message);
	});
});

describe('parseRequiredString', () => {
	it('trims', () => expect(parseRequiredString('  usr_1 ', 'User ID')).toBe('usr_1'));
	it.each([
		['', /User ID: required/],
		['   ', /User ID: required/],
		[undefined, /User ID: required/],
		[null, /User ID: required/],
		[12, /User ID: must be text, got a number/],
		[{}, /User ID: must be text, got an object/],
		[['usr_1'], /User ID: must be text, got an array/],
	])('refuses %p', (input, message) => {
		expect(() => parseRequiredString(input, 'User ID')).toThrow(message);
	});
});

describe('resolveBaseUrl', () => {
	it.each([
		[{ environment: 'sandbox' }, 'https://sandbox.plaid.com'],
		[{ environment: 'production' }, 'https://production.plaid.com'],
		[{}, 'https://sandbox.plaid.com'],
		[{ environment: 'custom', baseUrl: 'https://gw.example.com/plaid/' }, 'https://gw.example.com/plaid'],
		[{ environment: 'custom', baseUrl: 'http://127.0.0.1:8080' }, 'http://127.0.0.1:8080'],
		[{ environment: 'custom', baseUrl: 'http://localhost:3000/' }, 'http://localhost:3000'],
		[{ environment: 'custom', baseUrl: 'http://[::1]:3000' }, 'http://[::1]:3000'],
	])('%p → %s', (credentials, expected) => {
		expect(resolveBaseUrl(credentials)).toBe(expected);
	});

	it.each([
		[{ environment: 'custom', baseUrl: 'http://gw.example.com' }, /plain HTTP is only allowed to a loopback host/],
		[{ environment: 'custom', baseUrl: 'http://10.0.0.5' }, /plain HTTP/],
		[{ environment: 'custom', baseUrl: 'http://127.example.com' }, /plain HTTP/],
		[{ environment: 'custom', baseUrl: '' }, /Base URL: required/],
		[{ environment: 'custom', baseUrl: 'not a url' }, /not a valid URL/],
		[{ environment: 'custom', baseUrl: 'ftp://127.0.0.1' }, /must start with https/],
		[{ environment: 'custom', baseUrl: 'https://user:pw@gw.example.com' }, /user name or password/],
		[{ environment: 'development' }, /Environment: unknown value/],
	])('refuses %p', (credentials, message) => {
		expect(() => resolveBaseUrl(credentials)).toThrow(message);
	});

	it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.255.3.4', '[::1]'])(
		'%s is loopback',
		(host) => expect(isLoopbackHost(host)).toBe(true),
	);
	it.each(['127.0.0.256', '128.0.0.1', 'example.com', '0.0.0.0', '::2', 'localhost.example.com', 'api.localhost'])(
		'%s is not loopback',
		(host) => expect(isLoopbackHost(host)).toBe(false),
	);
});
