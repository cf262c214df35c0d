/**
 * Where a request made with the Plaid credential would go, and whether that is under the
 * credential's own base URL. The credential's `authenticate` refuses anything else, so that no
 * node (the HTTP Request node offers every credential that authenticates) can carry the keys to
 * another address.
 */

/** axios's test for a URL that replaces `baseURL`: a scheme and `//`, or a protocol-relative `//host`. */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/**
 * The URL axios would send a request to: an absolute `target` as it is, a relative one appended to
 * the base (axios's combineURLs), no target the base itself. undefined when that is not a URL at
 * all (axios then fails too, e.g. on a protocol-relative `//host` in Node).
 */
export function resolveRequestUrl(baseUrl: string, target: string): URL | undefined {
	let full = baseUrl;
	if (ABSOLUTE_URL.test(target)) full = target;
	else if (target) full = `${baseUrl.replace(/\/?\/$/, '')}/${target.replace(/^\/+/, '')}`;
	return URL.canParse(full) ? new URL(full) : undefined;
}

/**
 * Whether `url` is under `baseUrl`: the same origin (scheme, host and port) and, when the base has
 * a path, that path or below it (`/plaid` covers `/plaid/user/get`, not `/plaid-other` or `/`).
 * Dot segments are already resolved by the URL parser, as they are before the request is sent.
 */
export function isUnderBaseUrl(baseUrl: string, url: URL): boolean {
	const base = new URL(baseUrl);
	if (url.origin === 'null' || url.origin !== base.origin) return false;
	const prefix = base.pathname.replace(/\/+$/, '');
	return prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
}

/** Thrown by the credential, before anything is sent, for a request to somewhere else. */
export class ForeignRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ForeignRequestError';
	}
}

/**
 * The error for a request whose `target` is not under `baseUrl`. It names the base URL (origin and
 * path, which the credential holds without user name, password or query) and at most the origin
 * asked for, never its path or query; `scrub` takes out the credential's secrets, should the
 * address have been built from them.
 */
export function foreignRequestError(baseUrl: string, target: string, scrub: (text: string) => string): ForeignRequestError {
	const url = resolveRequestUrl(baseUrl, target);
	let asked = 'an address that is not a valid URL';
	if (url && url.origin !== 'null') {
		asked = url.origin === new URL(baseUrl).origin ? 'a path outside it' : scrub(url.origin);
	}
	return new ForeignRequestError(
		`The Plaid API credential sends its keys only to its own URL (${baseUrl}); this request was for ${asked}, so nothing was sent. Use the Plaid node, or a URL under ${baseUrl}.`,
	);
}
