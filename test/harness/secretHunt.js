// @ts-check
/**
 * What the suite-wide secret guard (secretGuard.js) hunts, and where. The engine harness records
 * here everything a run leaves behind that a user or an operator could see: the Plaid nodes'
 * outputs and errors, the workflow's error, the errors n8n hands its error reporter, every log
 * line, and the credential test's answer. Secrets are recognised two ways: by the shapes Plaid
 * and the emulator give them, and by registration (every password field of a credential or of a
 * node that a test passes in). No dependencies, so the demo can load the engine without jest.
 */

/** Plaid's access, user, public, Asset Report and Audit Copy tokens, and the emulator's generated secrets. */
const SECRET_SHAPES = [
	/\baccess-(?:sandbox|development|production)-[A-Za-z0-9][A-Za-z0-9-]*/,
	/\buser-(?:sandbox|development|production)-[A-Za-z0-9][A-Za-z0-9-]*/,
	/\bpublic-(?:sandbox|development|production)-[A-Za-z0-9][A-Za-z0-9-]*/,
	/\bassets-(?:sandbox|development|production)-[A-Za-z0-9][A-Za-z0-9-]*/,
	/\ba-(?:sandbox|development|production)-[A-Za-z0-9][A-Za-z0-9-]*/,
	/\bemulator-secret-[0-9a-f]{8,}/,
];

/** Shorter registered values would match by accident (e.g. a one-letter test secret). */
const MIN_REGISTERED_LENGTH = 8;

/** @type {Set<string>} */
const registered = new Set();
/** @type {Array<{ where: string, texts: string[] }>} */
const evidence = [];

/** @param {unknown} value */
function registerSecret(value) {
	if (typeof value === 'string' && value.length >= MIN_REGISTERED_LENGTH && !value.startsWith('=')) registered.add(value);
}

/**
 * Every string inside a value (keys too), Errors spelled out with all their own fields (message,
 * description, stack, cause, context …), including the node n8n attaches to node errors (the
 * router hides password fields there).
 * @param {unknown} root
 * @returns {string[]}
 */
function stringsIn(root) {
	/** @type {string[]} */
	const found = [];
	const seen = new Set();
	/** @param {unknown} value @param {number} depth */
	const walk = (value, depth) => {
		if (typeof value === 'string') return void found.push(value);
		if (typeof value !== 'object' || value === null || seen.has(value) || depth > 12) return;
		seen.add(value);
		const names = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
		if (value instanceof Error && !names.includes('stack')) names.push('stack');
		for (const name of names) {
			const child = /** @type {Record<string, unknown>} */ (value)[name];
			found.push(name);
			walk(child, depth + 1);
		}
	};
	walk(root, 0);
	return found;
}

/** @param {string} where @param {unknown} value */
function recordEvidence(where, value) {
	evidence.push({ where, texts: stringsIn(value) });
}

/**
 * Registers the password fields of the credentials and of the Plaid nodes (literal values; an
 * expression's result is caught by its shape) of a workflow about to run.
 * @param {{ nodes: any[] }} workflowJson
 * @param {Record<string, Record<string, unknown>>} credentials
 * @param {{ credentialTypes: Record<string, any>, nodeTypes: any }} loaded
 */
function registerRunSecrets(workflowJson, credentials, loaded) {
	for (const [type, data] of Object.entries(credentials ?? {})) {
		registerPasswordFields(loaded.credentialTypes[type]?.properties, data);
	}
	for (const node of workflowJson.nodes) {
		if (!String(node.type).startsWith('n8n-nodes-plaid.')) continue;
		registerPasswordFields(loaded.nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.properties, node.parameters);
	}
}

/** @param {any[] | undefined} properties @param {Record<string, unknown> | undefined} values */
function registerPasswordFields(properties, values) {
	for (const property of properties ?? []) {
		if (property.typeOptions?.password) registerSecret(values?.[property.name]);
	}
}

/**
 * Records what a finished run shows: the Plaid nodes' task data and the workflow's error. Start
 * items are the test's own input and are not the node's doing, so other nodes are left out.
 * The outputs that rightly hold a token are the ones issuing it: User → Create's `user_token` (Plaid
 * shows it once and the builder must store it) and Sandbox → Create Test Item's `access_token`.
 * @param {{ nodes: any[] }} workflowJson
 * @param {any} run
 */
function recordRun(workflowJson, run) {
	for (const node of workflowJson.nodes) {
		if (!String(node.type).startsWith('n8n-nodes-plaid.')) continue;
		const issued = issuedTokenField(node.parameters ?? {});
		for (const task of run.data.resultData.runData[node.name] ?? []) {
			const outputs = (task.data?.main ?? []).map((/** @type {any[] | null} */ items) =>
				(items ?? []).map(({ json, ...rest }) => {
					const { [issued ?? '']: _issued, ...shown } = json ?? {};
					return { ...rest, json: issued ? shown : json };
				}),
			);
			recordEvidence(`output of "${node.name}"`, outputs);
			if (task.error) recordEvidence(`error of "${node.name}"`, task.error);
		}
	}
	if (run.data.resultData.error) recordEvidence('workflow error', run.data.resultData.error);
}

/** The output field an operation issues a token in, if it does. @param {Record<string, unknown>} parameters */
function issuedTokenField({ resource, operation }) {
	if (resource === 'user' && operation === 'create') return 'user_token';
	if (resource === 'sandbox' && operation === 'createTestItem') return 'access_token';
	return undefined;
}

/** Where evidence has been recorded since the last check (for the guard's own tests). */
function evidenceSoFar() {
	return evidence.map(({ where, texts }) => ({ where, text: texts.join('\n') }));
}

/**
 * Each secret found, with where, and forgets the evidence (registered secrets stay for the file).
 * @returns {Array<{ where: string, secret: string }>}
 */
function takeLeaks() {
	/** @type {Array<{ where: string, secret: string }>} */
	const leaks = [];
	for (const { where, texts } of evidence.splice(0)) {
		for (const text of texts) {
			for (const secret of registered) if (text.includes(secret)) leaks.push({ where, secret });
			for (const shape of SECRET_SHAPES) {
				const match = shape.exec(text);
				if (match) leaks.push({ where, secret: match[0] });
			}
		}
	}
	return leaks;
}

module.exports = { registerSecret, registerRunSecrets, recordEvidence, recordRun, takeLeaks, evidenceSoFar, stringsIn, SECRET_SHAPES };
