// @ts-check
/**
 * Delivers webhooks to a trigger node the way n8n's webhook server does, as far as a package can
 * without the n8n app: a real HTTP server on 127.0.0.1; each request is given what n8n's body
 * middleware gives it (the bytes as received in `rawBody`, the parsed JSON in `body`); n8n-core's
 * own WebhookContext is built over that request and the real response; the node's webhook() runs.
 * What n8n's server then does is reduced to its outcome, as n8n 2.41's webhook-helpers.ts does it:
 * `noWebhookResponse` means the node answered itself and n8n sends nothing; `workflowData` starts
 * a run (recorded here), with or without `noWebhookResponse`; a run started without
 * `noWebhookResponse` is answered 200 by n8n ("onReceived" mode), and so is a call that starts none.
 */
require('./env');

const http = require('node:http');
const { ExecutionLifecycleHooks, WebhookContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');

const { TestCredentialsHelper, createAdditionalData, loadPackage } = require('./engine');

const HOST = '127.0.0.1';

/**
 * @typedef {object} TriggerCall one request that reached the trigger
 * @property {boolean} started whether webhook() handed n8n data to start a run with
 * @property {any[] | undefined} items the items the run would start with (first output)
 * @property {boolean} answeredByNode whether the node wrote the HTTP answer itself
 * @property {unknown} [error] what webhook() threw, if it did (n8n then answers 500)
 */

/** A trigger node as it sits in a workflow. */
const DEFAULT_TRIGGER_NODE = {
	id: 'plaid-trigger',
	name: 'Plaid Trigger',
	type: 'n8n-nodes-plaid.plaidTrigger',
	typeVersion: 1,
	position: [0, 0],
	webhookId: '0d7e5c4a-5f7e-4c38-9a43-2f0a8c1e7b10',
	parameters: { events: ['*'] },
	credentials: { plaidApi: { id: '1', name: 'Plaid account' } },
};

/** @param {http.IncomingMessage} request @returns {Promise<Buffer>} */
function readRawBody(request) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		request.on('data', (chunk) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

/**
 * What n8n's rawBodyReader + bodyParser leave on the request: `rawBody` (a Buffer of the bytes as
 * received) and `body` (parsed JSON for application/json, else {}).
 * @param {any} request @param {Buffer} rawBody
 */
function applyBodyParsing(request, rawBody) {
	request.rawBody = rawBody;
	const contentType = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	request.contentType = contentType;
	let body = {};
	if (contentType === 'application/json' && rawBody.length > 0) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	request.body = body;
}

/** The node's webhook() and its (only) webhook description. @param {import('n8n-workflow').INodeType} nodeType */
function webhookOf(nodeType) {
	const { webhook } = nodeType;
	const description = nodeType.description.webhooks?.[0];
	if (!webhook || !description) throw new Error(`${nodeType.description.name} is not a webhook trigger`);
	return { webhook, description };
}

/** @param {http.ServerResponse} response @param {number} status @param {unknown} body */
function sendJson(response, status, body) {
	if (response.headersSent) return;
	response.writeHead(status, { 'Content-Type': 'application/json' });
	response.end(JSON.stringify(body));
}

/**
 * Starts a server whose every POST runs the trigger's webhook().
 * @param {{
 *   credentials: Record<string, Record<string, unknown>>,
 *   node?: Record<string, any>,
 *   parameters?: Record<string, unknown>,
 *   loaded?: Awaited<ReturnType<typeof loadPackage>>,
 *   keepRawBody?: boolean,
 * }} options `node` replaces the whole trigger node (e.g. from an example workflow); `parameters`
 *   only its parameters; `keepRawBody: false` leaves `rawBody` off the request.
 */
async function startTriggerServer(options) {
	const loaded = options.loaded ?? (await loadPackage());
	const node = options.node ?? { ...DEFAULT_TRIGGER_NODE, parameters: options.parameters ?? DEFAULT_TRIGGER_NODE.parameters };
	const credentialsHelper = new TestCredentialsHelper(loaded.credentialTypes, options.credentials);
	const { webhook, description } = webhookOf(loaded.nodeTypes.getByNameAndVersion(node.type, node.typeVersion));

	/** @type {TriggerCall[]} */
	const calls = [];

	/** @param {http.IncomingMessage} request @param {http.ServerResponse} response */
	async function handle(request, response) {
		const rawBody = await readRawBody(request);
		applyBodyParsing(request, rawBody);
		if (options.keepRawBody === false) delete (/** @type {any} */ (request).rawBody);

		// A fresh Workflow per call, as n8n builds one for each webhook request.
		const workflowNode = structuredClone(node);
		const workflow = new Workflow({
			id: 'trigger-workflow',
			name: 'trigger test',
			nodes: [/** @type {any} */ (workflowNode)],
			connections: {},
			active: true,
			nodeTypes: /** @type {any} */ (loaded.nodeTypes),
		});
		const hooks = new ExecutionLifecycleHooks('webhook', 'webhook-call', /** @type {any} */ ({ nodes: [workflowNode] }));
		const additionalData = { ...createAdditionalData(hooks, credentialsHelper), httpRequest: request, httpResponse: response };
		const webhookData = {
			httpMethod: description.httpMethod,
			node: workflowNode.name,
			path: `${workflowNode.webhookId}/${description.path}`,
			webhookDescription: description,
			workflowId: workflow.id,
			webhookId: workflowNode.webhookId,
		};
		const context = new WebhookContext(
			workflow,
			/** @type {any} */ (workflow.getNode(workflowNode.name)),
			additionalData,
			'webhook',
			/** @type {any} */ (webhookData),
			[],
			null,
		);

		const result = await webhook.call(/** @type {any} */ (context));
		const started = result.workflowData !== undefined;
		calls.push({ started, items: result.workflowData?.[0], answeredByNode: result.noWebhookResponse === true });
		if (result.noWebhookResponse) return;
		// What n8n answers itself: "onReceived" once a run starts, otherwise "Webhook call received".
		sendJson(response, 200, { message: started ? 'Workflow was started' : 'Webhook call received' });
	}

	const server = http.createServer((request, response) => {
		handle(request, response).catch((error) => {
			calls.push({ started: false, items: undefined, answeredByNode: false, error });
			sendJson(response, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
		});
	});
	await new Promise((resolve) => server.listen(0, HOST, () => resolve(undefined)));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

	return {
		url: `http://${HOST}:${port}/webhook/${node.webhookId}/webhook`,
		calls,
		/** Calls that started a run. */
		get started() {
			return calls.filter((call) => call.started);
		},
		close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
	};
}

module.exports = { startTriggerServer, DEFAULT_TRIGGER_NODE };
