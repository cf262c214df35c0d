import { InvalidInputError } from '../../shared/InvalidInputError';

/** Item IDs in a string may be separated by commas, any white space or new lines. */
const ITEM_ID_SEPARATORS = /[\s,]+/u;

/** "a number", "an object", "null": how a wrong value is named in a message, never the value itself. */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Normalises the Item IDs parameter: a string of IDs separated by commas, white space or new
 * lines, or an array of strings from an expression. Entries are trimmed, blank ones dropped and
 * duplicates removed (first occurrence kept, order kept). Anything that is not a string is
 * refused rather than converted: `42` or `{}` in a list of IDs is a mistake upstream, and
 * guessing would remove the wrong Items or fail the whole all-or-nothing call at Plaid.
 */
export function parseItemIds(value: unknown, parameterName = 'Item IDs'): string[] {
	let entries: string[];
	if (typeof value === 'string') {
		entries = value.split(ITEM_ID_SEPARATORS);
	} else if (Array.isArray(value)) {
		entries = value.map((entry: unknown, index) => {
			if (typeof entry !== 'string') {
				throw new InvalidInputError(
					`${parameterName}: entry ${index + 1} is ${describeType(entry)}, but every Item ID must be a string`,
				);
			}
			return entry;
		});
	} else if (value === undefined || value === null) {
		entries = [];
	} else {
		throw new InvalidInputError(
			`${parameterName}: expected a list of Item IDs (text or an array of strings), got ${describeType(value)}`,
		);
	}

	const ids: string[] = [];
	const seen = new Set<string>();
	for (const entry of entries) {
		const id = entry.trim();
		if (id === '' || seen.has(id)) continue;
		if (ITEM_ID_SEPARATORS.test(id)) {
			// An array entry like "a b" or "a,b" is two IDs glued together, not one ID.
			throw new InvalidInputError(
				`${parameterName}: "${id}" contains a comma or white space; give one Item ID per array entry`,
			);
		}
		seen.add(id);
		ids.push(id);
	}
	if (ids.length === 0) {
		throw new InvalidInputError(`${parameterName}: no Item ID given`);
	}
	return ids;
}

/**
 * A required identifier (user ID, access token, ...): must be a non-empty string once trimmed.
 * Numbers and objects from expressions are refused, not converted.
 */
export function parseRequiredString(value: unknown, parameterName: string): string {
	if (typeof value !== 'string') {
		if (value === undefined || value === null) {
			throw new InvalidInputError(`${parameterName}: required`);
		}
		throw new InvalidInputError(`${parameterName}: must be text, got ${describeType(value)}`);
	}
	const trimmed = value.trim();
	if (trimmed === '') throw new InvalidInputError(`${parameterName}: required`);
	return trimmed;
}
