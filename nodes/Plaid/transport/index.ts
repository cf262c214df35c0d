import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { keysInjectedByGateway, resolveBaseUrl } from './baseUrl';

export type PlaidContext = IExecuteFunctions | IWebhookFunctions;

/** The Plaid endpoints this package calls (all POST with a JSON body). */
export type PlaidEndpoint =
	| '/user/items/remove'
	| '/user/items/get'
	| '/user/remove'
	| '/user/create'
	| '/user/products/terminate'
	| '/item/remove'
	| '/item/get'
	| '/institutions/get'
	| '/webhook_verification_key/get';

/** Plaid's error object (spec `PlaidError`), as far as we read it. */
export interface PlaidErrorBody {
	error_type: string;
	error_code: string;
	error_message?: string;
	display_message?: string | null;
	request_id?: string;
}

export function isPlaidErrorBody(body: unknown): body is PlaidErrorBody {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as IDataObject).error_code === 'string' &&
		typeof (body as IDataObject).error_type === 'string'
	);
}

/** The Plaid fields of a failed call, kept on the error for continue-on-fail output. */
export interface PlaidErrorDetails {
	error_code?: string;
	error_type?: string;
	request_id?: string;
}

export type PlaidNodeApiError = NodeApiError & { plaid?: PlaidErrorDetails };

function describePlaidError(body: PlaidErrorBody): string {
	const parts = [`error_type: ${body.error_type}`];
	if (body.display_message) parts.push(`display_message: ${body.display_message}`);
	if (body.request_id) parts.push(`request_id: ${body.request_id}`);
	return parts.join(' · ');
}

/** Builds the error for a Plaid error object: the message starts with Plaid's `error_code`. */
export function plaidError(context: PlaidContext, body: PlaidErrorBody, httpCode: number): PlaidNodeApiError {
	const message = body.error_message ? `${body.error_code}: ${body.error_message}` : body.error_code;
	const error: PlaidNodeApiError = new NodeApiError(context.getNode(), body as unknown as JsonObject, {
		message,
		description: describePlaidError(body),
		httpCode: String(httpCode),
	});
	error.plaid = {
		error_code: body.error_code,
		error_type: body.error_type,
		...(body.request_id ? { request_id: body.request_id } : {}),
	};
	return error;
}

/**
 * An answer that is not Plaid's JSON (an HTML page from a proxy, an empty body): a short
 * message with the status, never the page itself. A 401/403 from a gateway is the gateway
 * refusing n8n, not Plaid refusing the keys, and is said so.
 */
function unexpectedResponseError(
	context: PlaidContext,
	statusCode: number,
	baseURL: string,
	viaGateway: boolean,
): NodeApiError {
	let message: string;
	let description: string;
	if (statusCode >= 200 && statusCode < 300) {
		message = `Plaid answered HTTP ${statusCode} without the expected JSON body`;
		description = 'The response was not the JSON object Plaid sends, so the outcome is unknown.';
	} else if (viaGateway && (statusCode === 401 || statusCode === 403)) {
		message = `The gateway at ${baseURL} refused the call (HTTP ${statusCode}); Plaid was not reached`;
		description =
			'Check the Gateway Token in the Plaid credential, and that the gateway accepts calls from this n8n instance.';
	} else {
		message = `Plaid request failed with HTTP ${statusCode} and a response that is not Plaid's JSON`;
		description =
			'The response did not come from the Plaid API (for example a proxy or gateway error page). Check the Environment or Base URL, or try again later.';
	}
	return new NodeApiError(
		context.getNode(),
		{ message, httpCode: String(statusCode) },
		{ message, description, httpCode: String(statusCode) },
	);
}

/**
 * A request that got no HTTP answer at all. The original error is not attached: axios errors
 * carry the request configuration, and with it the PLAID-SECRET header.
 */
function connectionError(context: PlaidContext, error: unknown, baseURL: string): NodeApiError {
	const code =
		typeof error === 'object' && error !== null && typeof (error as IDataObject).code === 'string'
			? ((error as IDataObject).code as string)
			: undefined;
	const reason = code ?? 'no response';
	const message = `Could not reach Plaid at ${baseURL} (${reason})`;
	return new NodeApiError(
		context.getNode(),
		{ message, ...(code ? { code } : {}) },
		{ message, description: 'The request got no HTTP answer. Check the Environment or Base URL and the network.' },
	);
}

function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return Buffer.isBuffer(body) ? parseJsonBody(body.toString('utf8')) : body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/**
 * The only function that talks to Plaid. The credential's `authenticate` adds the keys (headers
 * only) and the base URL; resolving the URL here first refuses a bad one before any request,
 * with a message for this item.
 */
export async function plaidApiRequest(
	this: PlaidContext,
	endpoint: PlaidEndpoint,
	body: IDataObject,
): Promise<IDataObject> {
	const credentials = await this.getCredentials('plaidApi');
	const baseURL = resolveBaseUrl(credentials);

	const options: IHttpRequestOptions = {
		method: 'POST',
		baseURL,
		url: endpoint,
		body,
		json: true,
		// Plaid's answer decides success, not axios: every status comes back as a response.
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	};

	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			'plaidApi',
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		throw connectionError(this, error, baseURL);
	}

	const { statusCode } = response;
	const parsed = parseJsonBody(response.body);
	if (statusCode >= 200 && statusCode < 300) {
		if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
			return parsed as IDataObject;
		}
		throw unexpectedResponseError(this, statusCode, baseURL, false);
	}
	if (isPlaidErrorBody(parsed)) throw plaidError(this, parsed, statusCode);
	throw unexpectedResponseError(this, statusCode, baseURL, keysInjectedByGateway(credentials));
}
