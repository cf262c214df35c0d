// @ts-check
/** Small builders for the workflows the tests run: Start → Plaid (→ …). */

/**
 * A workflow whose Manual Trigger feeds one Plaid node.
 * @param {Record<string, unknown>} parameters the Plaid node's parameters
 * @param {{ onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput', name?: string }} [options]
 */
function plaidWorkflow(parameters, options = {}) {
	const name = options.name ?? 'Plaid';
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
				...(options.onError ? { onError: options.onError } : {}),
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

module.exports = { plaidWorkflow, emulatorCredentials };
