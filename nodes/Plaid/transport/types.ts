import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

/** What calls Plaid: an operation (IExecuteFunctions) or the trigger's webhook (IWebhookFunctions). */
export type PlaidContext = IExecuteFunctions | IWebhookFunctions;

/** A Plaid endpoint: a path, called with POST and a JSON body (the operations list theirs). */
export type PlaidEndpoint = `/${string}`;

/** Which call an answer or error belongs to: what an audit record names. */
export interface CallRecord {
	endpoint: string;
	/** The credential's environment: sandbox, production or custom. */
	environment: string;
	baseURL: string;
	/** When the (last) answer arrived, ISO 8601. */
	answeredAt: string;
}

/** A Plaid answer with what an audit record needs. */
export interface PlaidAnswer {
	body: IDataObject;
	call: CallRecord;
	attempts: number;
}

export interface RetrySettings {
	/** Further attempts after a server error, timeout or dropped connection; 0 turns that off. */
	maxRetries: number;
	/** Ceiling of the first wait after such a failure; each further wait doubles it (full jitter below it). */
	baseDelayMs: number;
	/** No single wait is longer than this. */
	maxDelayMs: number;
	/** The waits after such failures together stay under this, so the total time is bounded. */
	maxTotalWaitMs: number;
	/**
	 * Rate limits are retried for this long after the call's first 429, however many attempts that
	 * takes: Plaid's limits are per minute, so a count of quick retries would give up long before
	 * the window resets. 0: a 429 fails the call at once.
	 */
	maxRateLimitWaitMs: number;
}

/** How one call is retried and timed out: the node's Options for an item, or the trigger's own. */
export interface RequestSettings {
	retry: RetrySettings;
	timeoutMs: number;
}

export interface PlaidRequestOptions {
	/** The input item being processed: its settings apply and its accepted calls are recorded. Default 0. */
	itemIndex?: number;
	/** Settings for this call; by default the item's, as the router read them from the node's Options. */
	settings?: RequestSettings;
	/** A call that cannot be undone: once Plaid accepts it, it is recorded for the execution's report. */
	irreversible?: boolean;
}

/** Where one call goes and what it sends. */
export interface Target {
	environment: string;
	baseURL: string;
	endpoint: PlaidEndpoint;
	body: IDataObject;
	timeoutMs: number;
	viaGateway: boolean;
	/** The credential's secret and gateway token, and the call's own tokens: scrubbed from whatever the server answers. */
	secrets: string[];
}
