import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isUserToken } from '../../shared/tokens';
import { capText } from '../helpers/text';
import { isCancellation, type PlaidNodeApiError, type PlaidTarget, plaidTargetOf } from '../transport';
import { ExecutionScope, withExecutionScope } from '../transport/executionScope';
import { readConcurrency } from '../transport/settings';
import * as item from './item/Item.resource';
import { type ItemError, reportRun, type RunLedger } from './runReport';
import * as sandbox from './sandbox/Sandbox.resource';
import * as user from './user/User.resource';

type OperationExecute = (this: IExecuteFunctions, i: number) => Promise<IDataObject | IDataObject[]>;

/** Every operation, by resource: the one list an operation is added to. */
const operations: Record<string, Record<string, { execute: OperationExecute }>> = {
	user: {
		removeItems: user.removeItems,
		getItems: user.getItems,
		remove: user.remove,
		create: user.create,
		terminateProducts: user.terminateProducts,
		associateItems: user.associateItems,
		get: user.get,
	},
	item: { get: item.get, remove: item.remove, terminate: item.terminate, updateWebhook: item.updateWebhook },
	sandbox: { createTestItem: sandbox.createTestItem, fireWebhook: sandbox.fireWebhook },
};

/** The node's password fields (user token, access token): what an error must not carry along. */
const secretParameters = [...user.description, ...item.description, ...sandbox.description]
	.filter((property: INodeProperties) => property.typeOptions?.password === true)
	.map((property) => property.name);

/**
 * n8n attaches the node, parameters included, to every node error, and keeps it in execution
 * data and logs. A token typed into a password field must not travel that far, nor a user token
 * typed as a User ID (Plaid's migration path takes it there).
 */
function withoutSecrets(node: INode): INode {
	const parameters = { ...node.parameters };
	for (const [name, value] of Object.entries(parameters)) {
		if (typeof value !== 'string' || value === '' || value.startsWith('=')) continue;
		if (secretParameters.includes(name) || isUserToken(value)) parameters[name] = '[hidden]';
		// A list of 100,000 Item IDs typed in would otherwise be stored again with every error.
		else parameters[name] = capText(value, MAX_PARAMETER_CHARS);
	}
	return { ...node, parameters };
}

/** An error's text stays readable and storable whatever it lists (ids, server text). */
const MAX_MESSAGE_CHARS = 2_000;
const MAX_DESCRIPTION_CHARS = 8_000;
const MAX_PARAMETER_CHARS = 1_000;


/**
 * Every failure of an item becomes an n8n error that knows which item it belongs to; bad input
 * (InvalidInputError from the parsing helpers) becomes a NodeOperationError with its message.
 */
function toItemError(this: IExecuteFunctions, caught: unknown, i: number): ItemError {
	let error: ItemError;
	if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
		// Re-wrapping an n8n error returns it unchanged, so the index is set on it directly.
		error = caught;
		error.context.itemIndex = i;
	} else {
		const message = caught instanceof Error ? caught.message : String(caught);
		error = new NodeOperationError(this.getNode(), message, { itemIndex: i });
	}
	// `node` is declared read-only, but is a plain field set once by the constructor.
	Object.assign(error, { node: withoutSecrets(error.node) });
	error.message = capText(error.message, MAX_MESSAGE_CHARS);
	if (typeof error.description === 'string') error.description = capText(error.description, MAX_DESCRIPTION_CHARS);
	return error;
}

/**
 * The item shown downstream for a failed item under "Continue On Fail": the message (led by
 * Plaid's error_code), Plaid's fields and the operation's own (e.g. which Items are attached).
 * On the error output n8n routes an item by its json only when its keys are among error, message
 * and details (WorkflowExecute.handleNodeErrorOutput), so there the fields travel in `details`.
 */
function continueOnFailItem(this: IExecuteFunctions, error: ItemError, i: number): INodeExecutionData {
	const fields: IDataObject = { ...((error as PlaidNodeApiError).plaid ?? {}), ...((error as PlaidNodeApiError).itemFields ?? {}) };
	if ((error as PlaidNodeApiError).mayHaveActed) fields.may_have_been_applied = true;
	const hasFields = Object.keys(fields).length > 0;
	const json: IDataObject =
		this.getNode().onError === 'continueErrorOutput'
			? { error: error.message, ...(hasFields ? { details: fields } : {}) }
			: { error: error.message, ...fields };
	return { json, pairedItem: { item: i } };
}

/** One item's output items, or its error item under "Continue On Fail"; other failures throw. */
async function runItem(this: IExecuteFunctions, execute: OperationExecute, i: number, ledger: RunLedger): Promise<INodeExecutionData[]> {
	try {
		const result = await execute.call(this, i);
		ledger.succeeded.set(i, outcomeOf(result));
		return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: i } });
	} catch (caught) {
		const error = toItemError.call(this, caught, i);
		ledger.failed.set(i, error);
		// A cancelled execution is reported as a whole (see router), not item by item.
		if (!this.continueOnFail() || isCancellation(error)) throw error;
		return [continueOnFailItem.call(this, error, i)];
	}
}

/** An irreversible operation's outcome, for the run report; undefined for the other operations. */
function outcomeOf(result: IDataObject | IDataObject[]): string | undefined {
	return !Array.isArray(result) && typeof result.outcome === 'string' ? result.outcome : undefined;
}

/**
 * The credential's target, read once per execution: token environments are checked against it, and
 * a duplicate's audit record names it. A credential that cannot be read fails every item later, in
 * the transport, with its own message.
 */
async function targetOrUndefined(context: IExecuteFunctions): Promise<PlaidTarget | undefined> {
	try {
		return await plaidTargetOf(context);
	} catch {
		return undefined;
	}
}

/**
 * Runs `task` for items 0..count-1, at most `concurrency` at once, in input order of start. After
 * a failure or a cancellation no further item starts, but those already in flight finish: a
 * removal sent to Plaid is seen through, not abandoned mid-call, so that it can be reported.
 */
async function forEachItem(
	count: number,
	concurrency: number,
	stopped: () => boolean,
	task: (i: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (next < count && !failed && !stopped()) {
			const i = next++;
			try {
				await task(i);
			} catch {
				failed = true;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/**
 * The node's only per-item loop: one input item, one Plaid operation, up to "Concurrency" items
 * at once. Outputs keep the input order. When the run stops on a failure or a cancellation, the
 * error thrown also reports every item: which Plaid completed (with the request_id of each
 * irreversible call it accepted), which failed and which were never attempted (runReport.ts).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${resource} / ${operation}" is not supported`);
	}
	let concurrency: number;
	try {
		concurrency = readConcurrency(this);
	} catch (caught) {
		throw toItemError.call(this, caught, 0);
	}

	const signal = this.getExecutionCancelSignal?.();
	const scope = new ExecutionScope(signal, await targetOrUndefined(this));
	const execution = withExecutionScope(this, scope);
	const ledger: RunLedger = { count: items.length, succeeded: new Map(), failed: new Map(), accepted: scope.accepted };
	const outputs: INodeExecutionData[][] = new Array(items.length);
	await forEachItem(items.length, concurrency, () => signal?.aborted === true, async (i) => {
		outputs[i] = await runItem.call(execution, run.execute, i, ledger);
	});

	const unfinished = ledger.succeeded.size + ledger.failed.size < items.length || [...ledger.failed.values()].some(isCancellation);
	const stoppedOnError = !this.continueOnFail() && ledger.failed.size > 0;
	if (stoppedOnError || (signal?.aborted === true && unfinished)) throw reportRun.call(this, ledger, signal?.aborted === true);
	return [outputs.flat()];
}
