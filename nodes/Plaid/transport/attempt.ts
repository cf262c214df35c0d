import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { boundedErrorBody, type FailedAnswer, isPlaidErrorBody, networkErrorCode } from './errors';
import type { PlaidContext, Target } from './types';
import { type AttemptFailure, isTimeout } from './retryPolicy';
import { scrubSecrets, scrubText } from '../../shared/scrub';
import { capText } from '../helpers/text';

export type AttemptResult =
	| { ok: true; body: IDataObject }
	| { ok: false; failure: AttemptFailure; answer: FailedAnswer };

function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return Buffer.isBuffer(body) ? parseJsonBody(body.toString('utf8')) : body;
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

/** Every Plaid success answer is a JSON object with a request_id; anything else is not Plaid's. */
function isPlaidSuccessBody(body: unknown): body is IDataObject {
	return (
		typeof body === 'object' &&
		body !== null &&
		!Array.isArray(body) &&
		typeof (body as IDataObject).request_id === 'string'
	);
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	const value = headers?.[name];
	if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
	return typeof value === 'string' ? value : undefined;
}

/**
 * Only the origin of where a redirect points: its path and query may carry anything. Its host may
 * carry the keys the server was sent, lowercased as hosts are, so they are scrubbed in that case.
 */
function redirectOrigin(location: string | undefined, target: Target): string | undefined {
	if (!location) return undefined;
	const base = `${target.baseURL}${target.endpoint}`;
	if (!URL.canParse(location, base)) return undefined;
	return scrubText(new URL(location, base).origin, target.secrets.map((secret) => secret.toLowerCase()));
}

/** One HTTP exchange with Plaid, turned into a body or an error plus what the retry policy needs. */
export async function attemptOnce(this: PlaidContext, target: Target): Promise<AttemptResult> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		baseURL: target.baseURL,
		url: target.endpoint,
		body: target.body,
		json: true,
		timeout: target.timeoutMs,
		// Plaid's answer decides success, not axios: every status comes back as a response.
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		// A redirect would take the key headers to wherever it points (the credential's
		// `authenticate` turns following off too, for every node that uses it).
		disableFollowRedirect: true,
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'plaidApi', options)) as IN8nHttpFullResponse;
	} catch (caught) {
		const failure: AttemptFailure = { kind: 'network', code: networkErrorCode(caught) };
		const timedOutAfterMs = isTimeout(failure) ? target.timeoutMs : undefined;
		// Without a network code, n8n's own reason (its SSRF protection, say) is all there is to say why.
		const reason = failure.code === undefined && caught instanceof Error ? capText(scrubText(caught.message, target.secrets), 300) : undefined;
		return { ok: false, failure, answer: { kind: 'network', code: failure.code, reason, timedOutAfterMs } };
	}

	const { statusCode } = response;
	const parsed = scrubSecrets(parseJsonBody(response.body), target.secrets);
	const retryAfter = headerValue(response.headers, 'retry-after');
	if (statusCode >= 200 && statusCode < 300) {
		if (isPlaidSuccessBody(parsed)) return { ok: true, body: parsed };
		return { ok: false, failure: { kind: 'http', status: statusCode }, answer: { kind: 'unexpected', status: statusCode } };
	}
	if (statusCode >= 300 && statusCode < 400) {
		const origin = redirectOrigin(headerValue(response.headers, 'location'), target);
		return { ok: false, failure: { kind: 'http', status: statusCode }, answer: { kind: 'redirect', status: statusCode, origin } };
	}
	if (isPlaidErrorBody(parsed)) {
		const failure: AttemptFailure = { kind: 'http', status: statusCode, errorType: parsed.error_type, errorCode: parsed.error_code, retryAfter };
		return { ok: false, failure, answer: { kind: 'plaid', status: statusCode, body: boundedErrorBody(parsed) } };
	}
	return { ok: false, failure: { kind: 'http', status: statusCode, retryAfter }, answer: { kind: 'unexpected', status: statusCode } };
}
