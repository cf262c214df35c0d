import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES, DEFAULT_RETRY_DELAY_MS, DEFAULT_TIMEOUT_MS } from '../../transport';
import { DEFAULT_CONCURRENCY, OPTION_LIMITS } from './requestSettings';
import { VERIFY_WITHIN_SECONDS } from '../../removal/options';

/** Operation values, as the Options' displayOptions name them (`/operation`). */
export interface OperationKinds {
	/** Operations that cannot be undone: Preview Only and Not Found Is Success. */
	irreversible: string[];
	/** Those Plaid lets us read back: Verify Removal. */
	verifiable: string[];
}

/**
 * The node-wide "Options": how every Plaid call of an item is retried and timed out, and how
 * many items run at once. Shown for every resource and operation, but the irreversible ones'
 * options; read per item (Concurrency: once per execution).
 */
export const optionsProperty = ({ irreversible, verifiable }: OperationKinds): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Concurrency',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.concurrency.min, maxValue: OPTION_LIMITS.concurrency.max, numberPrecision: 0 },
			default: DEFAULT_CONCURRENCY,
			description:
				'How many input items are processed at once (their Plaid requests in flight together). Output keeps the input order. On a rate limit (429) requests are paced to the rate Plaid allows, then speed up again. Read from the first item.',
		},
		{
			displayName: 'Max Rate-Limit Wait (Seconds)',
			name: 'maxRateLimitWait',
			type: 'number',
			typeOptions: {
				minValue: OPTION_LIMITS.maxRateLimitWait.min,
				maxValue: OPTION_LIMITS.maxRateLimitWait.max,
				numberPrecision: 0,
			},
			default: 300,
			description:
				'How long a call keeps retrying while Plaid answers 429 (rate limit), counted from its first 429. Plaid’s limits are per minute, so the default waits out several windows. 0: a 429 fails the item at once.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.maxRetries.min, maxValue: OPTION_LIMITS.maxRetries.max, numberPrecision: 0 },
			default: DEFAULT_MAX_RETRIES,
			description:
				'How many times a call is tried again after a Plaid server error (5xx), a timeout or a dropped connection. 0 turns these retries off. Rate limits have their own limit, Max Rate-Limit Wait; other errors are never retried.',
		},
		{
			displayName: 'Not Found Is Success',
			name: 'alreadyRemovedIsSuccess',
			type: 'boolean',
			default: true,
			description:
				'Whether an outcome Plaid did not prove as a removal goes to the success output instead of failing the item: not_found (Plaid does not know the token or user: removed earlier, never existed, other environment or a typo), not_attached and partial (requested Items not attached to the user), uncertain (an answer was lost). It never makes them removals: only outcome removed (or partial, for the Items listed in item_ids) means Plaid removed something. With it on, Remove Items also removes the requested Items still attached, in one more call. When this option is not added: on from node version 1.1, off in version 1.',
			displayOptions: { show: { '/operation': irreversible } },
		},
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			default: 'full',
			options: [
				{ name: 'Full', value: 'full', description: 'Plaid’s answer with the outcome and its audit record (nested)' },
				{
					name: 'Evidence Row',
					value: 'evidenceRow',
					description:
						'One flat row per input item, plain values only (user_id, item_id, operation, outcome, removed, item_ids, not_attached_item_ids, request_id, answered_at, environment, verified, preview, execution_id, workflow_id, node_name), to append to an n8n Data Table or a spreadsheet',
				},
			],
			description: 'Whether to output the full outcome or one evidence row per item, as a compliance record keeps it',
			displayOptions: { show: { '/operation': irreversible } },
		},
		{
			displayName: 'Preview Only',
			name: 'preview',
			type: 'boolean',
			default: false,
			description:
				'Whether to send nothing that cannot be undone: read what Plaid has (the user’s Items, the Item behind the access token) and output what the operation would do, with preview: true',
			displayOptions: { show: { '/operation': irreversible } },
		},
		{
			displayName: 'Retry Delay (Ms)',
			name: 'retryDelay',
			type: 'number',
			typeOptions: { minValue: OPTION_LIMITS.retryDelay.min, maxValue: OPTION_LIMITS.retryDelay.max, numberPrecision: 0 },
			default: DEFAULT_RETRY_DELAY_MS,
			description:
				'After a server error, timeout or dropped connection, the first retry waits a random time up to this; each further retry doubles the ceiling (at most 30 s per wait, 60 s in all). A Retry-After from Plaid is obeyed instead.',
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
			displayName: 'Verify Removal',
			name: 'verifyRemoval',
			type: 'boolean',
			default: false,
			description:
				'Whether to read Plaid’s state back after it accepts the removal, until the Items, the token or the user no longer show (Plaid’s reads may lag a removal), and output verified: true or false with the read’s request_id in audit.verified_by',
			displayOptions: { show: { '/operation': verifiable } },
		},
		{
			displayName: 'Verify Within (Seconds)',
			name: 'verifyWithin',
			type: 'number',
			typeOptions: { minValue: VERIFY_WITHIN_SECONDS.min, maxValue: VERIFY_WITHIN_SECONDS.max, numberPrecision: 0 },
			default: 30,
			description: 'How long Verify Removal keeps reading before it says verified: false',
			displayOptions: { show: { '/operation': verifiable } },
		},
	],
});
