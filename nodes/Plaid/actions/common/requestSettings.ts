import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InvalidInputError } from '../../../shared/InvalidInputError';
import {
	DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
	DEFAULT_MAX_RETRIES,
	DEFAULT_RETRY_DELAY_MS,
	DEFAULT_TIMEOUT_MS,
	MAX_SINGLE_WAIT_MS,
	MAX_TOTAL_WAIT_MS,
	type RequestSettings,
} from '../../transport';

/** Bounds of the node's "Options" (actions/common/options.ts shows the same ones). */
export const OPTION_LIMITS = {
	maxRetries: { min: 0, max: 10 },
	// Below a second is shorter than Plaid's own answers take.
	timeout: { min: 1000, max: 600_000 },
	maxRateLimitWait: { min: 0, max: 3600 },
	retryDelay: { min: 0, max: MAX_SINGLE_WAIT_MS },
	concurrency: { min: 1, max: 50 },
} as const;

export const DEFAULT_CONCURRENCY = 5;

/** A whole number within bounds; values from expressions are checked, not coerced. */
function wholeNumber(value: unknown, fallback: number, name: keyof typeof OPTION_LIMITS, displayName: string): number {
	if (value === undefined || value === null || value === '') return fallback;
	const { min, max } = OPTION_LIMITS[name];
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new InvalidInputError(`${displayName}: must be a whole number from ${min} to ${max}`);
	}
	return value;
}

/** The retry and timeout settings for item `itemIndex`, from the node's "Options". */
export function readRequestSettings(context: IExecuteFunctions, itemIndex: number): RequestSettings {
	const options = (context.getNodeParameter('options', itemIndex, {}) as IDataObject | null) ?? {};
	return {
		retry: {
			maxRetries: wholeNumber(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries', 'Max Retries'),
			baseDelayMs: wholeNumber(options.retryDelay, DEFAULT_RETRY_DELAY_MS, 'retryDelay', 'Retry Delay'),
			maxDelayMs: MAX_SINGLE_WAIT_MS,
			maxTotalWaitMs: MAX_TOTAL_WAIT_MS,
			maxRateLimitWaitMs:
				wholeNumber(options.maxRateLimitWait, DEFAULT_MAX_RATE_LIMIT_WAIT_MS / 1000, 'maxRateLimitWait', 'Max Rate-Limit Wait') * 1000,
		},
		timeoutMs: wholeNumber(options.timeout, DEFAULT_TIMEOUT_MS, 'timeout', 'Timeout'),
	};
}

/**
 * How many items of this execution run at once ("Concurrency"). One value for the whole
 * execution, so it is read from the first item's Options.
 */
export function readConcurrency(context: IExecuteFunctions): number {
	const options = (context.getNodeParameter('options', 0, {}) as IDataObject | null) ?? {};
	return wholeNumber(options.concurrency, DEFAULT_CONCURRENCY, 'concurrency', 'Concurrency');
}
