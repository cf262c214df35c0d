// @ts-check
/**
 * Differential checks against Plaid's official Node SDK: for the same inputs, the SDK and our
 * node must put the same call on the wire (method, path, JSON body, auth header values).
 */
const { Configuration, PlaidApi } = require('plaid');

/**
 * The official client, pointed at the emulator with the same keys our credential uses.
 * @param {{ url: string, clientId: string, secret: string }} emulator
 */
function officialClient(emulator) {
	return new PlaidApi(
		new Configuration({
			basePath: emulator.url,
			baseOptions: { headers: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret } },
		}),
	);
}

/**
 * What Plaid sees of a call, for comparison. Transport details (user agent, content length,
 * accept headers) are left out: they are not part of Plaid's contract.
 * @param {{ method: string, path: string, headers: Record<string, unknown>, body: unknown }} request
 */
function wireCall(request) {
	return {
		method: request.method,
		path: request.path,
		body: request.body,
		contentType: String(request.headers['content-type']).split(';')[0],
		clientId: request.headers['plaid-client-id'],
		secret: request.headers['plaid-secret'],
		plaidVersion: request.headers['plaid-version'],
	};
}

module.exports = { officialClient, wireCall };
