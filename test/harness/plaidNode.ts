/**
 * What the engine tests of one Plaid operation share: one emulator and the loaded package per
 * test file, a runner for a Start → Plaid workflow, and the checks every operation must pass.
 */
import type { startEmulator } from '../emulator';
import { loadPackage, runWorkflow } from './engine';
import { packagePerFile } from './engineFixtures';
import { emulatorPerFile } from './fixtures';
import { stringsIn } from './secretHunt';
import { emulatorCredentials, ON_ERROR_SETTINGS, plaidWorkflow } from './workflows';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type Run = Awaited<ReturnType<typeof runWorkflow>>;

export interface RunOptions {
	startItems?: Array<Record<string, unknown>>;
	/** n8n's On Error setting; `stop` (the default) leaves it out. */
	onError?: (typeof ON_ERROR_SETTINGS)[number];
	credentials?: Record<string, unknown>;
	/** n8n's node setting "Always Output Data". */
	alwaysOutputData?: boolean;
	/** The Plaid node's typeVersion (default 1). */
	typeVersion?: number;
	/** Other node settings (retryOnFail, maxTries, waitBetweenTries …), as the workflow JSON holds them. */
	nodeSettings?: Record<string, unknown>;
	/** Called once the run has started, with a function that cancels it as n8n's Stop button does. */
	onStarted?: (cancel: () => void) => void;
}

export interface OperationSuite {
	readonly emulator: Emulator;
	/** The package as n8n's loader loaded it, for runs and credential tests outside `run`. */
	readonly loaded: Awaited<ReturnType<typeof loadPackage>>;
	run(parameters: Record<string, unknown>, options?: RunOptions): Promise<Run>;
}

/**
 * Registers the jest hooks for a test file that runs Start → Plaid workflows: the package loads and
 * the emulator starts once, and the emulator is reset (users, Items, faults, recorded requests)
 * before each test. `run` takes the Plaid node's parameters, `fixed` (e.g. resource and operation)
 * under them.
 */
export function plaidSuite(fixed: Record<string, unknown> = {}, emulatorOptions: Parameters<typeof startEmulator>[0] = {}): OperationSuite {
	const loaded = packagePerFile();
	const emulator = emulatorPerFile(emulatorOptions);

	return {
		emulator,
		loaded,
		async run(parameters, options = {}) {
			const workflow = plaidWorkflow({ ...fixed, ...parameters }, { onError: options.onError });
			if (options.alwaysOutputData) Object.assign(workflow.nodes[1], { alwaysOutputData: true });
			if (options.typeVersion !== undefined) Object.assign(workflow.nodes[1], { typeVersion: options.typeVersion });
			Object.assign(workflow.nodes[1], options.nodeSettings ?? {});
			return await runWorkflow(workflow, {
				credentials: emulatorCredentials(emulator, options.credentials),
				startItems: options.startItems,
				loaded,
				onStarted: options.onStarted,
			});
		},
	};
}

/** plaidSuite for the tests of one `resource / operation`. */
export function describeOperation(resource: string, operation: string, emulatorOptions: Parameters<typeof startEmulator>[0] = {}): OperationSuite {
	return plaidSuite({ resource, operation }, emulatorOptions);
}

/**
 * The item "Continue (regular output)" gives for a Plaid error: the message led by the code,
 * the Plaid fields, and the pairing to the failed input item.
 */
export function plaidFailureItem(code: string, errorType: string, item: number, requestId: unknown = expect.any(String)) {
	return {
		json: {
			error: expect.stringMatching(new RegExp(`^${code}: `)),
			error_code: code,
			error_type: errorType,
			request_id: requestId,
			documentation_url: expect.stringMatching(/^https:\/\/plaid\.com\/docs\/errors\//),
		},
		pairedItem: { item },
	};
}

/**
 * The Continue On Fail item of an irreversible operation whose unproven outcome failed the item
 * (node version 1): Plaid's fields, and the same outcome fields the success output would carry.
 */
export function unprovenFailureItem(
	outcome: string,
	code: string,
	errorType: string,
	item: number,
	call: { endpoint: string; operation: string; fields?: Record<string, unknown> },
	requestId: unknown = expect.any(String),
) {
	const failure = plaidFailureItem(code, errorType, item, requestId);
	return { ...failure, json: { ...failure.json, ...refusedJson(outcome, call.fields ?? {}, call.endpoint, call.operation, code) } };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** The audit record of an irreversible output against the emulator (a custom URL on 127.0.0.1). */
export function emulatorAudit(endpoint: string, operation: string, requestId: unknown = expect.any(String), accepted = true) {
	return {
		operation,
		environment: 'custom',
		base_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+(\/[^?#]*)?$/),
		endpoint,
		request_id: requestId,
		answered_at: requestId === null ? null : expect.stringMatching(ISO_TIME),
		accepted,
	};
}

/** The json of an irreversible operation's output when Plaid accepted the call. */
export function removedJson(fields: Record<string, unknown>, endpoint: string, operation: string) {
	return { request_id: expect.any(String), ...fields, outcome: 'removed', removed: true, audit: emulatorAudit(endpoint, operation) };
}

/** What Plaid answered when it refused (code, type, request_id): the evidence behind an unproven outcome. */
export function plaidAnswerJson(code: string) {
	return { error_code: code, error_type: expect.any(String), request_id: expect.any(String) };
}

/**
 * The json of an outcome Plaid's refusal decided (not_found, not_attached, uncertain): nothing removed,
 * Plaid's answer and a note; `code` is what Plaid answered, `endpoint` the call it answered.
 */
export function refusedJson(outcome: string, fields: Record<string, unknown>, endpoint: string, operation: string, code: string) {
	return {
		request_id: expect.any(String),
		...fields,
		outcome,
		removed: false,
		plaid_answer: plaidAnswerJson(code),
		note: expect.any(String),
		audit: emulatorAudit(endpoint, operation, expect.any(String), false),
	};
}

/** The run stopped on bad input in the Plaid node, naming the parameter, with nothing sent. */
export function expectInputError(run: Run, emulator: Emulator, message: string | RegExp, itemIndex = 0): void {
	expect(run.status).toBe('error');
	const error = run.nodeError('Plaid');
	expect(error.name).toBe('NodeOperationError');
	expect(error.message).toMatch(message);
	expect(error.context.itemIndex).toBe(itemIndex);
	expect(emulator.requests).toHaveLength(0);
}

/** Bad-input cases of one operation: a label, the parameters that are wrong, what the error says. */
export type BadInputCase = readonly [label: string, parameters: Record<string, unknown>, message: string | RegExp];

/**
 * One test per case, "bad input fails before any request: <label>": the parameters (over `base`)
 * stop the run with an input error naming the parameter, and nothing reaches the emulator.
 */
export function itFailsBeforeAnyRequest(suite: OperationSuite, cases: BadInputCase[], base: Record<string, unknown> = {}): void {
	it.each(cases)('bad input fails before any request: %s', async (_label, parameters, message) => {
		expectInputError(await suite.run({ ...base, ...parameters }), suite.emulator, message);
	});
}

/** The run stopped on a Plaid error whose code leads the message. */
export function expectPlaidError(run: Run, code: string, itemIndex = 0): void {
	expect(run.status).toBe('error');
	const error = run.nodeError('Plaid');
	expect(error.name).toBe('NodeApiError');
	expect(error.message).toMatch(new RegExp(`^${code}: `));
	expect(error.context.itemIndex).toBe(itemIndex);
}

/**
 * Everything a run leaves behind that the node could have put there, as text: the Plaid node's
 * task data (outputs and errors, the node n8n attaches to them included), the workflow's error,
 * the live errors n8n reported with their cause chains, and every line logged since the run
 * started. Left out: the start items (the test's own input) and the engine's copy of the workflow
 * definition.
 */
export function everythingLeftBy(run: Run, nodeName = 'Plaid'): string {
	const { runData, error } = run.run.data.resultData;
	const { reported, logs } = run.logsAndReports;
	return stringsIn([runData[nodeName], error, reported, logs]).join('\n');
}
