// @ts-check
'use strict';

// Decides the answer to one request, checking in Plaid's order: endpoint, method, JSON body, API keys,
// body schema, then the endpoint's own rules.

const { PlaidFailure, fieldListFailure } = require('./errors');
const { ENDPOINT_SCHEMAS } = require('./schemas');
const { ROUTES } = require('./routes');
const { validateBody, isJsonObject } = require('./validate');
const { isJsonContentType, jsonAnswer, failureAnswer, WithStatus } = require('./http-io');

/** @typedef {import('./http-io').Answer} Answer */
/** @typedef {import('node:http').IncomingHttpHeaders} IncomingHttpHeaders */
/** @typedef {{ method: string, path: string, headers: IncomingHttpHeaders, body: unknown }} IncomingCall */
/**
 * @typedef {object} PipelineContext
 * @property {import('./state').EmulatorState} state
 * @property {import('./webhooks').WebhookSigner} signer
 * @property {string} clientId
 * @property {string} secret
 * @property {string} [gatewayToken] a bearer token that stands in for the keys (a key-injecting gateway)
 * @property {'sandbox' | 'production'} environment
 * @property {import('./routes').OutgoingWebhook[]} webhooks filled by the endpoint with what to deliver after answering
 * @property {import('./removals').RemovalWork[]} removals filled by an irreversible endpoint with what it did
 */

/** @param {IncomingHttpHeaders} headers @param {string} name */
function singleHeader(headers, name) {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Plaid takes the keys from the PLAID-CLIENT-ID / PLAID-SECRET headers or from the body (spec
 * APIClientID / APISecret); a header wins when both are there.
 * @param {IncomingHttpHeaders} headers
 * @param {Record<string, unknown>} body
 * @param {PipelineContext} context
 */
function checkApiKeys(headers, body, context) {
	const bearer = singleHeader(headers, 'authorization');
	const clientId = singleHeader(headers, 'plaid-client-id') ?? body.client_id;
	const secret = singleHeader(headers, 'plaid-secret') ?? body.secret;
	const viaGateway = context.gatewayToken !== undefined && bearer === `Bearer ${context.gatewayToken}`;
	if (viaGateway && clientId === undefined && secret === undefined) return;
	const missing = [clientId === undefined && 'client_id', secret === undefined && 'secret'].filter((name) => typeof name === 'string');
	if (missing.length > 0) throw fieldListFailure('MISSING_FIELDS', /** @type {string[]} */ (missing));
	if (clientId !== context.clientId || secret !== context.secret) throw new PlaidFailure('INVALID_API_KEYS');
}

/**
 * Throws the PlaidFailure for a request that cannot reach its endpoint, else returns its JSON object.
 * @param {IncomingCall} call
 * @param {PipelineContext} context
 * @returns {Record<string, unknown>}
 */
function admit(call, context) {
	if (!Object.hasOwn(ENDPOINT_SCHEMAS, call.path)) throw new PlaidFailure('NOT_FOUND', `${call.path} is not a Plaid endpoint`);
	if (call.method !== 'POST') {
		throw new PlaidFailure('NOT_FOUND', `${call.method} ${call.path} is not supported: Plaid endpoints take POST`, 405);
	}
	if (!isJsonContentType(singleHeader(call.headers, 'content-type'))) {
		throw new PlaidFailure('INVALID_BODY', 'Content-Type must be application/json');
	}
	if (!isJsonObject(call.body)) throw new PlaidFailure('INVALID_BODY', 'body could not be parsed as a JSON object');
	checkApiKeys(call.headers, call.body, context);
	validateBody(ENDPOINT_SCHEMAS[call.path], call.body);
	return call.body;
}

/**
 * @param {IncomingCall} call
 * @param {PipelineContext} context
 * @returns {Answer}
 */
function answerCall(call, context) {
	try {
		const body = admit(call, context);
		const { state, signer, environment, webhooks, removals } = context;
		const result = ROUTES[call.path](body, { state, signer, headers: call.headers, environment, webhooks, removals });
		return result instanceof WithStatus ? jsonAnswer(result.status, result.body) : jsonAnswer(200, result);
	} catch (error) {
		if (error instanceof PlaidFailure) {
			const answer = failureAnswer(error);
			if (error.status === 405) answer.headers.Allow = 'POST';
			return answer;
		}
		throw error;
	}
}

module.exports = { answerCall };
