import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parseBoolean, parseOptionalEnumValue } from '../helpers/fields';
import { InvalidInputError } from '../../shared/InvalidInputError';

/** How an irreversible operation runs for one item, from its Options. */
export interface IrreversibleOptions {
	/** Send nothing irreversible: read, and say what would happen. */
	preview: boolean;
	/**
	 * "Not Found Is Success" (options.alreadyRemovedIsSuccess): uncertain, not_found, not_attached and
	 * partial go to the success output, and Remove Items sends the still-attached IDs once more. It never
	 * makes any of them a removal.
	 */
	unprovenIsSuccess: boolean;
	/** After Plaid accepts, read the state back until the target is gone, for at most verifyWithinMs. */
	verify: boolean;
	verifyWithinMs: number;
	/** Output → Evidence Row: one flat row per item, for a Data Table or a spreadsheet. */
	evidenceRow: boolean;
}

export const OUTPUT_FORMATS = ['full', 'evidenceRow'] as const;

export const VERIFY_WITHIN_SECONDS = { default: 30, min: 1, max: 300 } as const;

/**
 * Node version 1 keeps an unproven outcome a failure when the option is not set, so that workflows
 * saved with it keep their meaning; from 1.1 on it goes to the success output, saying what it is.
 */
export function readIrreversibleOptions(this: IExecuteFunctions, i: number): IrreversibleOptions {
	const options = (this.getNodeParameter('options', i, {}) as IDataObject | null) ?? {};
	const fromVersion11 = this.getNode().typeVersion >= 1.1;
	return {
		preview: parseBoolean(options.preview, 'Preview Only', false),
		unprovenIsSuccess: parseBoolean(options.alreadyRemovedIsSuccess, 'Not Found Is Success', fromVersion11),
		verify: parseBoolean(options.verifyRemoval, 'Verify Removal', false),
		verifyWithinMs: verifyWithinSeconds(options.verifyWithin) * 1000,
		evidenceRow: parseOptionalEnumValue(options.output, OUTPUT_FORMATS, 'Output') === 'evidenceRow',
	};
}

function verifyWithinSeconds(value: unknown): number {
	if (value === undefined || value === null || value === '') return VERIFY_WITHIN_SECONDS.default;
	const { min, max } = VERIFY_WITHIN_SECONDS;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new InvalidInputError(`Verify Within: must be a whole number of seconds from ${min} to ${max}`);
	}
	return value;
}
