import { InvalidInputError } from './InvalidInputError';

/**
 * Plaid's tokens carry the environment they belong to: `access-sandbox-…`, `user-production-…`,
 * `assets-sandbox-…`, `a-production-…` (an Audit Copy). Plaid answers a token of the other environment
 * exactly like a removed one, so a mismatch is caught before anything is sent.
 */
export const TOKEN_KINDS = {
	access: { prefix: 'access', name: 'access token', example: 'access-sandbox-…' },
	user: { prefix: 'user', name: 'user token', example: 'user-sandbox-…' },
	assetReport: { prefix: 'assets', name: 'Asset Report token', example: 'assets-sandbox-…' },
	auditCopy: { prefix: 'a', name: 'Audit Copy token', example: 'a-sandbox-…' },
} as const;

export type TokenKind = keyof typeof TOKEN_KINDS;

const ENVIRONMENT_NAMES: Record<string, string> = { sandbox: 'Sandbox', production: 'Production' };

/** `<prefix>-<environment>-<rest>`, e.g. access-sandbox-de3ce8ef-… */
function tokenShape(kind: TokenKind): RegExp {
	return new RegExp(`^${TOKEN_KINDS[kind].prefix}-([a-z]+)-\\S+$`);
}

/** The environment a token names, or undefined when it does not have the token's shape. */
export function environmentOfToken(token: string, kind: TokenKind): string | undefined {
	return tokenShape(kind).exec(token)?.[1];
}

/** A legacy user token (`user-<environment>-…`), which Plaid's migration path accepts in `user_id` as well. */
export function isUserToken(value: unknown): value is string {
	return typeof value === 'string' && environmentOfToken(value.trim(), 'user') !== undefined;
}

/**
 * A token of `kind` for a credential of `credentialEnvironment` (sandbox, production or custom). A
 * custom URL (an emulator, a gateway) may stand for either environment, so it accepts both. The
 * message names the parameter and the token's environment, never the token.
 */
export function parseToken(token: string, kind: TokenKind, parameterName: string, credentialEnvironment: string | undefined): string {
	const { name, example } = TOKEN_KINDS[kind];
	const environment = environmentOfToken(token, kind);
	if (environment === undefined) {
		throw new InvalidInputError(`${parameterName}: not a Plaid ${name} (those read ${example})`);
	}
	assertTokenEnvironment(environment, kind, parameterName, credentialEnvironment);
	return token;
}

export function assertTokenEnvironment(environment: string, kind: TokenKind, parameterName: string, credentialEnvironment: string | undefined): void {
	if (credentialEnvironment !== 'sandbox' && credentialEnvironment !== 'production') return;
	if (environment === credentialEnvironment) return;
	const { name, prefix } = TOKEN_KINDS[kind];
	throw new InvalidInputError(
		`${parameterName}: a ${ENVIRONMENT_NAMES[environment] ?? `"${environment}"`} ${name} (${prefix}-${environment}-…) cannot be used with this ${ENVIRONMENT_NAMES[credentialEnvironment]} credential: Plaid would answer it like a removed one. Nothing was sent.`,
	);
}
