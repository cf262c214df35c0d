import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_MAX_RETRIES,
	DEFAULT_RETRY_DELAY_MS,
	DEFAULT_TIMEOUT_MS,
} from '../../transport/retryPolicy';
import { DEFAULT_CONCURRENCY, OPTION_LIMITS } from '../../transport/settings';

/**
 * The node-wide "Options": how every Plaid call of an item is retried and timed out, and how
 * many items run at once. No displayOptions, so every resource and operation shows it; the
 * transport reads it per item (Concurrency: the router, once per execution).
 */
export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.maxRetries.min, maxValue: OPTION_LIMITS.maxRetries.max, numberPrecision: 0 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How many times a call is tried again after a rate limit (429), a Plaid server error (5xx), a timeout or a dropped connection. 0 turns retries off. Other errors are never retried.',
		},
		{
			displayName: 'Retry Delay (Ms)',
			name: 'retryDelay',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.retryDelay.min, maxValue: OPTION_LIMITS.retryDelay.max, numberPrecision: 0 },
			default: DEFAULT_RETRY_DELAY_MS,
			description:
				'The first retry waits a random time up to this; each further retry doubles the ceiling (at most 30 s per wait, 60 s in all). A Retry-After from Plaid is obeyed instead.',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.timeout.min, maxValue: OPTION_LIMITS.timeout.max, numberPrecision: 0 },
			default: DEFAULT_TIMEOUT_MS,
			description:
				'How long to wait for Plaid to answer one request before giving up on it (and retrying, if retries are left)',
		},
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.concurrency.min, maxValue: OPTION_LIMITS.concurrency.max, numberPrecision: 0 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many input items are processed at once (their Plaid requests in flight together). Output keeps the input order. On a rate limit (429) the whole run slows down, then speeds up again. Read from the first item.',
		},
	],
};
