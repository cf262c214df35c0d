// @ts-check
/** Small builders for the workflows the tests run (Start → Plaid (→ …)) and their credentials. */
const fakeTokens = require('../fixtures/fakeTokens.json');

/** What n8n does when a node fails: stop the workflow (its default), or continue on either output. */
const ON_ERROR_SETTINGS = /** @type {const} */ (['stop', 'continueRegularOutput', 'continueErrorOutput']);

/**
 * A workflow whose Manual Trigger feeds one Plaid node.
 * @param {Record<string, unknown>} parameters the Plaid node's parameters
 * @param {{ onError?: 'stop' | 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput', name?: string }} [options]
 *   `stop` leaves the setting out, as a node added in the editor has it
 */
function plaidWorkflow(parameters, options = {}) {
	const name = options.name ?? 'Plaid';
	const onError = options.onError === 'stop' ? undefined : options.onError;
	return {
		name: 'test',
		nodes: [
			{
				id: 'start',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'plaid',
				name,
				type: 'n8n-nodes-plaid.plaid',
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { plaidApi: { id: '1', name: 'Plaid account' } },
				...(onError ? { onError } : {}),
			},
		],
		connections: { Start: { main: [[{ node: name, type: 'main', index: 0 }]] } },
	};
}

/**
 * The plaidApi credential data for an emulator (environment "custom", its loopback URL).
 * @param {{ url: string, clientId: string, secret: string }} emulator
 * @param {Record<string, unknown>} [overrides]
 */
function emulatorCredentials(emulator, overrides = {}) {
	return {
		plaidApi: {
			environment: 'custom',
			baseUrl: emulator.url,
			clientId: emulator.clientId,
			secret: emulator.secret,
			...overrides,
		},
	};
}

/**
 * The plaidApi credential data of gateway mode: a custom URL, no keys, the token the tests' gateways
 * take (test/fixtures/fakeTokens.json).
 * @param {string} baseUrl
 * @param {Record<string, unknown>} [overrides]
 */
function gatewayCredentials(baseUrl, overrides = {}) {
	return {
		plaidApi: { environment: 'custom', baseUrl, keysInjectedByGateway: true, gatewayToken: fakeTokens.gateway.gatewayToken, ...overrides },
	};
}

module.exports = { plaidWorkflow, emulatorCredentials, gatewayCredentials, ON_ERROR_SETTINGS };
