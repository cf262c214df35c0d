// @ts-check
/**
 * Runs workflows through n8n's real execution engine (n8n-core WorkflowExecute over an
 * n8n-workflow Workflow), with this package loaded the way n8n loads a community package:
 * PackageDirectoryLoader reads the `n8n` block of package.json and requires the files in dist/.
 * Used by the jest suites and by the demo.
 */
require('./env');

const path = require('node:path');

// n8n-core keeps its own copies of @n8n/di and @n8n/backend-common: use the ones it sees.
/** @param {string} name */
const fromN8nCore = (name) => require(require.resolve(name, { paths: [path.dirname(require.resolve('n8n-core'))] }));
const { Container } = fromN8nCore('@n8n/di');
const { Logger } = fromN8nCore('@n8n/backend-common');
const {
	ErrorReporter,
	ExecuteContext,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	RoutingNode,
	WorkflowExecute,
} = require('n8n-core');
const {
	ICredentialsHelper,
	LoggerProxy,
	NodeHelpers,
	Workflow,
} = require('n8n-workflow');

const { coreNodeTypes } = require('./core-nodes');
const secretHunt = require('./secretHunt');

const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** Every line n8n or a node logs during the run; tests hunt secrets in it. */
const capturedLogs = /** @type {Array<{ level: string, message: string, meta: unknown }>} */ ([]);

/** @returns {any} */
function createRecordingLogger() {
	/** @param {string} level */
	const record = (level) => (/** @type {string} */ message, /** @type {unknown} */ meta) => {
		capturedLogs.push({ level, message: String(message), meta });
		secretHunt.recordEvidence(`log line (${level})`, { message, meta });
	};
	const logger = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
		verbose: record('verbose'),
		scoped: () => logger,
	};
	return logger;
}

const recordingLogger = createRecordingLogger();
LoggerProxy.init(recordingLogger);
Container.set(Logger, recordingLogger);

/**
 * The live error objects n8n hands its error reporter (Sentry, in production) when a node
 * fails: unlike the copy kept in run data, they still hold their `cause` chain.
 */
const reportedErrors = /** @type {unknown[]} */ ([]);
Container.set(ErrorReporter, /** @type {any} */ ({
	error: (/** @type {unknown} */ error) => {
		reportedErrors.push(error);
		secretHunt.recordEvidence('error reported by n8n', error);
	},
}));

/**
 * Loads the package from its root through n8n's own loader.
 * @param {string} [root]
 */
async function loadPackage(root = PACKAGE_ROOT) {
	const loader = new PackageDirectoryLoader(root);
	await loader.loadAll();
	const packageName = loader.packageName;

	/** @type {Record<string, any>} */
	const nodes = { ...coreNodeTypes };
	for (const [name, { type }] of Object.entries(loader.nodeTypes)) {
		nodes[`${packageName}.${name}`] = type;
	}
	/** @type {Record<string, any>} */
	const credentialTypes = {};
	for (const [name, { type }] of Object.entries(loader.credentialTypes)) {
		credentialTypes[name] = type;
	}

	const nodeTypes = {
		/** @param {string} name */
		getByName(name) {
			const type = nodes[name];
			if (!type) throw new Error(`Unknown node type "${name}"`);
			return type;
		},
		/** @param {string} name @param {number} [version] */
		getByNameAndVersion(name, version) {
			return NodeHelpers.getVersionedNodeType(this.getByName(name), version);
		},
		getKnownTypes() {
			return {};
		},
	};
	return { loader, packageName, nodeTypes, credentialTypes };
}

/**
 * Hands a node the credential data a test gives, with the credential type's defaults applied,
 * and applies a generic `authenticate` block the way n8n's server does: each value is an
 * expression resolved against `$credentials`.
 */
class TestCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {Record<string, any>} credentialTypes
	 * @param {Record<string, Record<string, unknown>>} credentialsByType
	 */
	constructor(credentialTypes, credentialsByType) {
		super();
		this.credentialTypes = credentialTypes;
		this.credentialsByType = credentialsByType;
	}

	/** @param {string} type */
	typeOf(type) {
		const credentialType = this.credentialTypes[type];
		if (!credentialType) throw new Error(`Unknown credential type "${type}"`);
		return credentialType;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	/** @param {string} type */
	getCredentialsProperties(type) {
		return this.typeOf(type).properties;
	}

	/** @param {Record<string, unknown>} data @param {string} type */
	withDefaults(data, type) {
		return /** @type {Record<string, unknown>} */ (
			NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), /** @type {any} */ (data), true, false, null, null)
		);
	}

	/**
	 * @param {any} credentials @param {string} typeName @param {any} requestOptions
	 * @param {any} workflow @param {any} node
	 */
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.typeOf(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type !== 'generic') return requestOptions;

		/** @param {string} value */
		const resolve = (value) => {
			if (typeof value !== 'string' || !value.startsWith('=')) return value;
			const resolved = workflow.expression.getSimpleParameterValue(
				node,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			requestOptions[outerKey] = requestOptions[outerKey] ?? {};
			for (const [key, value] of Object.entries(/** @type {Record<string, string>} */ (entries))) {
				requestOptions[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	/** @returns {Promise<any>} */
	async getCredentials() {
		throw new Error('not used by these tests');
	}

	/**
	 * @param {unknown} _additionalData @param {unknown} _nodeCredentials @param {string} type
	 */
	async getDecrypted(_additionalData, _nodeCredentials, type) {
		const data = this.credentialsByType[type];
		if (!data) throw new Error(`No test credentials of type "${type}"`);
		return /** @type {any} */ (this.withDefaults(data, type));
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}
}

/**
 * @param {any} hooks
 * @param {TestCredentialsHelper} credentialsHelper
 * @returns {any}
 */
function createAdditionalData(hooks, credentialsHelper) {
	return {
		hooks,
		credentialsHelper,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used by these tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		userId: 'test-user',
	};
}

/**
 * Runs a workflow (the JSON n8n exports) to the end and returns its run data.
 * @param {{ nodes: any[], connections: any, settings?: any, name?: string }} workflowJson
 * @param {{
 *   credentials: Record<string, Record<string, unknown>>,
 *   startItems?: Array<Record<string, unknown>>,
 *   startNode?: string,
 *   loaded?: Awaited<ReturnType<typeof loadPackage>>,
 *   onStarted?: (cancel: () => void) => void,
 * }} options
 */
async function runWorkflow(workflowJson, options) {
	const since = { logs: capturedLogs.length, reported: reportedErrors.length };
	const loaded = options.loaded ?? (await loadPackage());
	secretHunt.registerRunSecrets(workflowJson, options.credentials, loaded);
	const credentialsHelper = new TestCredentialsHelper(loaded.credentialTypes, options.credentials);

	const workflow = new Workflow({
		id: 'test-workflow',
		name: workflowJson.name ?? 'test',
		nodes: workflowJson.nodes,
		connections: workflowJson.connections,
		settings: workflowJson.settings ?? {},
		active: false,
		nodeTypes: /** @type {any} */ (loaded.nodeTypes),
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', /** @type {any} */ (workflowJson));
	/** @type {(run: any) => void} */
	let resolveRun = () => {};
	const finished = new Promise((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (/** @type {any} */ fullRunData) => resolveRun(fullRunData));

	const startNode = options.startNode
		? workflow.getNode(options.startNode)
		: workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no start node');
	const startItems = (options.startItems ?? [{}]).map((json) => ({ json }));

	/** @type {any} */
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: startNode, data: { main: [startItems] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: null,
		},
	};

	const additionalData = { ...createAdditionalData(hooks, credentialsHelper), executionId: `test-execution-${++executionCount}` };
	const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = execution.processRunExecutionData(workflow);
	let cancelled = false;
	options.onStarted?.(() => {
		cancelled = true;
		running.cancel();
	});
	const last = await running;
	// A cancelled run's after-hook fires at the cancellation with what was there then; the engine
	// finishes the node that was running and resolves with everything, as the n8n app saves it.
	const run = cancelled ? last : await finished;
	secretHunt.recordRun(workflowJson, run);
	return new WorkflowRun(run, since);
}

let executionCount = 0;

/** Read access to a finished run, by node name. */
class WorkflowRun {
	/** @param {any} run @param {{ logs: number, reported: number }} [since] where the shared logs stood when it started */
	constructor(run, since = { logs: 0, reported: 0 }) {
		this.run = run;
		this.since = since;
	}

	/**
	 * The log lines and reported errors since the run started. Only those: checking every earlier
	 * run's again made a file's checks grow with its square (the secret guard checks each once).
	 */
	get logsAndReports() {
		// A test may empty the shared lists before a run; then all of them are this run's.
		const from = (/** @type {unknown[]} */ list, /** @type {number} */ index) => list.slice(index <= list.length ? index : 0);
		return { logs: from(capturedLogs, this.since.logs), reported: from(reportedErrors, this.since.reported) };
	}

	get status() {
		return this.run.status;
	}

	/** The workflow-level error, if the run stopped on one. */
	get error() {
		return this.run.data.resultData.error;
	}

	/** @param {string} nodeName */
	taskOf(nodeName) {
		const tasks = this.run.data.resultData.runData[nodeName];
		return tasks ? tasks[tasks.length - 1] : undefined;
	}

	/** Items a node emitted on an output (0 = main, 1 = the error output when enabled). */
	/** @param {string} nodeName @param {number} [outputIndex] @returns {any[]} */
	output(nodeName, outputIndex = 0) {
		return this.taskOf(nodeName)?.data?.main?.[outputIndex] ?? [];
	}

	/** @param {string} nodeName */
	ran(nodeName) {
		return this.taskOf(nodeName) !== undefined;
	}

	/** The error a node stopped on, if any. @param {string} nodeName */
	nodeError(nodeName) {
		return this.taskOf(nodeName)?.error;
	}
}

/**
 * Tests a credential the way n8n's server does when a user clicks "Test" (CredentialsTester):
 * the credential type's test request runs through n8n-core's RoutingNode with the credential's
 * authentication applied, then its rules are checked in order.
 * @param {Record<string, unknown>} data the credential's fields
 * @param {{ type?: string, loaded?: Awaited<ReturnType<typeof loadPackage>> }} [options]
 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
 */
async function testCredential(data, options = {}) {
	const type = options.type ?? 'plaidApi';
	const loaded = options.loaded ?? (await loadPackage());
	secretHunt.registerRunSecrets({ nodes: [] }, { [type]: data }, loaded);
	const result = await runCredentialTest(data, type, loaded);
	secretHunt.recordEvidence('credential test answer', result);
	return result;
}

/**
 * @param {Record<string, unknown>} data @param {string} type
 * @param {Awaited<ReturnType<typeof loadPackage>>} loaded
 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
 */
async function runCredentialTest(data, type, loaded) {
	const credentialsHelper = new TestCredentialsHelper(loaded.credentialTypes, { [type]: data });
	const { test } = credentialsHelper.typeOf(type);

	const tempType = {
		description: {
			displayName: 'Temp',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: test.request } }],
		},
	};
	const node = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [type]: { id: 'test', name: 'test' } },
	};
	const workflow = new Workflow({
		nodes: [/** @type {any} */ (node)],
		connections: {},
		active: false,
		nodeTypes: /** @type {any} */ ({
			getByNameAndVersion: () => tempType,
			getByName: () => tempType,
			getKnownTypes: () => ({}),
		}),
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'credential-test', /** @type {any} */ ({ nodes: [node] }));
	const additionalData = createAdditionalData(hooks, credentialsHelper);
	const context = new ExecuteContext(
		workflow,
		/** @type {any} */ (node),
		additionalData,
		'internal',
		/** @type {any} */ ({ resultData: { runData: {} } }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		/** @type {any} */ ({ node, data: {}, source: null }),
		[],
	);
	const decrypted = { id: 'test', name: 'test', type, data: credentialsHelper.withDefaults(data, type) };

	let response;
	try {
		response = await new RoutingNode(context, /** @type {any} */ (tempType), /** @type {any} */ (decrypted)).runNode();
	} catch (/** @type {any} */ error) {
		const status = error.cause?.response?.status;
		if (status !== undefined) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === status) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			return { status: 'Error', message: error.cause.response.statusText || `Received HTTP status code: ${status}` };
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: String(error.message) };
	}
	const body = response?.[0]?.[0]?.json ?? {};
	for (const rule of test.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && getPath(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** @param {any} object @param {string} dottedPath */
function getPath(object, dottedPath) {
	return dottedPath.split('.').reduce((value, key) => (value == null ? undefined : value[key]), object);
}

module.exports = {
	PACKAGE_ROOT,
	reportedErrors,
	testCredential,
	capturedLogs,
	createAdditionalData,
	loadPackage,
	runWorkflow,
	TestCredentialsHelper,
	WorkflowRun,
};
