/**
 * The credential's reading of where a request goes (nodes/shared/requestTarget.ts): the
 * same URL as the axios inside n8n's HTTP client, for any address a node may pass, and "under the
 * base URL" meaning the same origin and the base's path or below.
 */
import fc from 'fast-check';

import { isUnderBaseUrl, resolveRequestUrl } from '../../../nodes/shared/requestTarget';
import { axiosRequestUrl } from '../../harness/axiosTarget';

const BASES = ['http://127.0.0.1:4000', 'http://127.0.0.1:4000/plaid', 'https://gw.example.com/plaid/v1', 'https://sandbox.plaid.com'];

/** Pieces that URL parsers treat specially, mixed with anything at all. */
const piece = fc.oneof(
	fc.constantFrom('', '/', '//', '///', 'http://', 'https://', 'HTTP://', 'http:', '\\', '\\\\', '.', '..', '%2e%2e', '%2F', '/plaid', '/plaid-x'),
	fc.constantFrom('127.0.0.1', '127.0.0.1:4000', 'localhost', 'gw.example.com', 'sandbox.plaid.com', '[::1]', 'user:pw@', ':443', ':4000'),
	fc.constantFrom('?', '#', '@', ' ', '\t', '\n', 'ftp://', 'javascript:', 'data:', 'file:///'),
	fc.string({ maxLength: 6 }),
);
const target = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));

describe('resolveRequestUrl', () => {
	it('gives the URL axios would request, for any base and any address (20,000 runs)', () => {
		fc.assert(
			fc.property(fc.constantFrom(...BASES), target, (base, url) => {
				const axiosUrl = axiosRequestUrl(base, url);
				// Where axios refuses the address nothing is sent, whatever the credential thinks of it.
				if (axiosUrl === undefined) return;
				expect(resolveRequestUrl(base, url)?.href).toBe(axiosUrl);
			}),
			{ numRuns: 20_000 },
		);
	});

	it.each([
		['http://127.0.0.1:4000/plaid', '/user/get', 'http://127.0.0.1:4000/plaid/user/get'],
		['http://127.0.0.1:4000/plaid/', 'user/get', 'http://127.0.0.1:4000/plaid/user/get'],
		['http://127.0.0.1:4000/plaid', '', 'http://127.0.0.1:4000/plaid'],
		['http://127.0.0.1:4000/plaid', 'https://other.example/x', 'https://other.example/x'],
	])('%s + %j → %s', (base, url, expected) => {
		expect(resolveRequestUrl(base, url)?.href).toBe(expected);
	});

	it('a protocol-relative address is no URL on its own: refused, as axios fails on it in Node', () => {
		expect(resolveRequestUrl('https://sandbox.plaid.com', '//other.example/x')).toBeUndefined();
	});
});

describe('isUnderBaseUrl', () => {
	const under = (base: string, url: string) => isUnderBaseUrl(base, new URL(url));

	it.each([
		['https://sandbox.plaid.com', 'https://sandbox.plaid.com/user/get'],
		['https://sandbox.plaid.com', 'https://SANDBOX.plaid.com:443/user/get?x=1'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/plaid'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/plaid/'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/plaid/x/../user/get'],
	])('%s covers %s', (base, url) => {
		expect(under(base, url)).toBe(true);
	});

	it.each([
		['https://sandbox.plaid.com', 'http://sandbox.plaid.com/user/get'],
		['https://sandbox.plaid.com', 'https://sandbox.plaid.com:8443/user/get'],
		['https://sandbox.plaid.com', 'https://production.plaid.com/user/get'],
		['https://sandbox.plaid.com', 'https://sandbox.plaid.com.evil.example/user/get'],
		['http://127.0.0.1:4000/plaid', 'http://localhost:4000/plaid/user/get'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/plaid-admin/x'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/plaid/../admin'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/'],
		['http://127.0.0.1:4000/plaid', 'http://127.0.0.1:4000/Plaid/user/get'],
		['http://127.0.0.1:4000', 'file:///etc/passwd'],
	])('%s does not cover %s', (base, url) => {
		expect(under(base, url)).toBe(false);
	});

	it('whatever it covers has the base’s origin and starts with its path (20,000 runs)', () => {
		fc.assert(
			fc.property(fc.constantFrom(...BASES), target, (base, url) => {
				const resolved = resolveRequestUrl(base, url);
				if (!resolved || !isUnderBaseUrl(base, resolved)) return;
				const { origin, pathname } = new URL(base);
				expect(resolved.origin).toBe(origin);
				expect(`${resolved.pathname}/`.startsWith(`${pathname.replace(/\/+$/, '')}/`)).toBe(true);
			}),
			{ numRuns: 20_000 },
		);
	});
});
