import { InvalidInputError } from '../../shared/InvalidInputError';
import { describeType, parseRequiredString } from './parse';
import { assertTokenEnvironment, environmentOfToken } from '../../shared/tokens';

/** Plaid's `maxLength` counts characters (code points, as JSON Schema does), not UTF-16 units. */
function characterCount(text: string): number {
	return [...text].length;
}

function assertMaxLength(text: string, parameterName: string, maxLength: number | undefined): void {
	if (maxLength !== undefined && characterCount(text) > maxLength) {
		throw new InvalidInputError(
			`${parameterName}: at most ${maxLength} characters, got ${characterCount(text)}`,
		);
	}
}

/** A required text of at most `maxLength` characters, trimmed. */
export function parseBoundedString(value: unknown, parameterName: string, maxLength: number): string {
	const text = parseRequiredString(value, parameterName);
	assertMaxLength(text, parameterName, maxLength);
	return text;
}

/**
 * An optional text: nothing, null or blank means "not given" (undefined), so the field is left
 * out of the request. Numbers and objects from expressions are refused, not converted.
 */
export function parseOptionalString(
	value: unknown,
	parameterName: string,
	maxLength?: number,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') {
		throw new InvalidInputError(`${parameterName}: must be text, got ${describeType(value)}`);
	}
	const text = value.trim();
	if (text === '') return undefined;
	assertMaxLength(text, parameterName, maxLength);
	return text;
}

/**
 * One of Plaid's enum values. The UI offers them as options, but an expression can produce
 * anything: a value Plaid does not know is refused here, before a request is spent on it.
 */
export function parseEnumValue<T extends string>(
	value: unknown,
	allowed: readonly T[],
	parameterName: string,
): T {
	const text = parseRequiredString(value, parameterName);
	if (!(allowed as readonly string[]).includes(text)) {
		throw new InvalidInputError(
			`${parameterName}: "${text}" is not one of Plaid's values (${allowed.join(', ')})`,
		);
	}
	return text as T;
}

/** Like parseEnumValue, but blank or missing means "not given" (undefined). */
export function parseOptionalEnumValue<T extends string>(
	value: unknown,
	allowed: readonly T[],
	parameterName: string,
): T | undefined {
	if (parseOptionalString(value, parameterName) === undefined) return undefined;
	return parseEnumValue(value, allowed, parameterName);
}

/**
 * A switch: true or false, or `fallback` when it is not set (an option not added). Anything else
 * from an expression, null included, is refused rather than converted: "false" as text is truthy.
 */
export function parseBoolean(value: unknown, parameterName: string, fallback: boolean): boolean {
	if (value === undefined) return fallback;
	if (typeof value !== 'boolean') {
		throw new InvalidInputError(`${parameterName}: must be true or false, got ${describeType(value)}`);
	}
	return value;
}

/**
 * The access token of an Item, of the credential's environment. A value of another shape (an
 * item_id, a public_token) is a mapping mistake upstream; the message never repeats the value.
 */
export function parseAccessToken(value: unknown, credentialEnvironment: string | undefined, parameterName = 'Access Token'): string {
	const token = parseRequiredString(value, parameterName);
	const environment = environmentOfToken(token, 'access');
	if (environment === undefined) {
		throw new InvalidInputError(
			`${parameterName}: not a Plaid access token (those start with "access-", e.g. access-sandbox-…); check that it is the Item's access_token, not its item_id or a public_token`,
		);
	}
	assertTokenEnvironment(environment, 'access', parameterName, credentialEnvironment);
	return token;
}
