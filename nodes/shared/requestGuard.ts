/**
 * The request options that would let a node choose how the Plaid keys travel: through a proxy of
 * its own, over a TLS connection whose certificate is not checked, to another socket, or under
 * another virtual host. The credential's `authenticate` refuses a request that sets any of them
 * (it never drops one silently), so that no node, n8n's HTTP Request node included, can hand the
 * keys to anyone but the credential's own URL. Where n8n reads each option, for n8n 1.85 (n8n-core
 * 1.84) to 2.41 (@n8n/backend-network), is listed in docs/security.md.
 */

/** Any value but undefined or null routes the request: `proxy: false` too, as it overrides n8n's own proxy. */
const PROXY_OPTIONS = ['proxy'] as const;

/** Agents and connection hooks replace the socket n8n would open, whatever they hold. */
const CONNECTION_OPTIONS = ['agent', 'httpAgent', 'httpsAgent', 'lookup', 'socketPath', 'hostname', 'host'] as const;

/** TLS settings that change which server certificate is accepted. */
const TRUST_OPTIONS = ['ca', 'pfx', 'checkServerIdentity'] as const;

/** Certificate checking, by the names n8n's request paths and nodes use: only its "on" value passes. */
const CHECK_OPTIONS: ReadonlyArray<{ name: string; on: boolean }> = [
	{ name: 'rejectUnauthorized', on: true },
	{ name: 'strictSSL', on: true },
	{ name: 'skipSslCertificateValidation', on: false },
	{ name: 'allowUnauthorizedCerts', on: false },
];

/**
 * What `agentOptions` may hold: a client certificate for a gateway that asks for one. Everything
 * else in it reaches the TLS connection as is (the server's certificate check, trusted CAs, the
 * host, port or socket to connect to), so it is refused.
 */
const CLIENT_CERTIFICATE_FIELDS = new Set(['cert', 'key', 'passphrase']);

const isSet = (value: unknown) => value !== undefined && value !== null;

function refusedAgentOptions(agentOptions: unknown): string[] {
	if (!isSet(agentOptions)) return [];
	if (typeof agentOptions !== 'object' || Array.isArray(agentOptions)) return ['`agentOptions`'];
	return Object.entries(agentOptions as Record<string, unknown>)
		.filter(([name, value]) => isSet(value) && !CLIENT_CERTIFICATE_FIELDS.has(name) && !(name === 'rejectUnauthorized' && value === true))
		.map(([name, value]) => (name === 'rejectUnauthorized' ? `\`agentOptions.rejectUnauthorized: ${String(value)}\`` : `\`agentOptions.${name}\``));
}

function hasHostHeader(headers: unknown): boolean {
	if (typeof headers !== 'object' || headers === null) return false;
	return Object.keys(headers).some((name) => name.trim().toLowerCase() === 'host');
}

/**
 * Each option of `options` that the credential refuses, named as the message shows it (never
 * with its value, which may hold a proxy's password). Empty when the request may go.
 */
export function refusedRequestOptions(options: object): string[] {
	const fields = options as Record<string, unknown>;
	const refused: string[] = [];
	for (const name of [...PROXY_OPTIONS, ...CONNECTION_OPTIONS, ...TRUST_OPTIONS]) {
		if (isSet(fields[name])) refused.push(name === 'proxy' && fields[name] === false ? '`proxy: false`' : `\`${name}\``);
	}
	for (const { name, on } of CHECK_OPTIONS) {
		const value = fields[name];
		if (isSet(value) && value !== on) refused.push(`\`${name}: ${typeof value === 'boolean' ? String(value) : typeof value}\``);
	}
	refused.push(...refusedAgentOptions(fields.agentOptions));
	if (hasHostHeader(fields.headers)) refused.push('a `Host` header');
	return refused;
}

/** Thrown by the credential, before anything is sent, for a request that sets a refused option. */
export class RefusedRequestOptionError extends Error {
	/** Shown by n8n under the message (NodeApiError takes a cause's `description`). */
	description: string;

	constructor(message: string, description: string) {
		super(message);
		this.name = 'RefusedRequestOptionError';
		this.description = description;
	}
}

function listed(names: string[]): string {
	return names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The error for a request that sets `refused` (from refusedRequestOptions), naming each option. */
export function refusedRequestOptionError(baseUrl: string, refused: string[]): RefusedRequestOptionError {
	return new RefusedRequestOptionError(
		`The Plaid API credential sends its keys only straight to its own URL (${baseUrl}), with the server's certificate checked; this request sets ${listed(refused)}, so nothing was sent.`,
		'In n8n’s HTTP Request node these come from the Proxy, Ignore SSL Issues and SSL Certificates options and from a Host header: remove them, or use the Plaid node. A proxy set for all of n8n by its administrator (HTTPS_PROXY) is not affected.',
	);
}
