import type { INodePropertyOptions } from 'n8n-workflow';

/** An option of a fixed list of Plaid's values (reason codes, products, webhook codes). */
export interface ValueOption extends INodePropertyOptions {
	value: string;
}

/** n8n lists options sorted by name. */
export const byName = (a: ValueOption, b: ValueOption) => a.name.localeCompare(b.name);

/** The values of a list of options: what an expression's value is checked against. */
export const valuesOf = (options: ValueOption[]): string[] => options.map((option) => option.value);
