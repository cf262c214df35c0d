import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { PlaidNodeApiError } from '../transport';
import { RateLimiter, withRateLimiter } from '../transport/rateLimiter';
import { readConcurrency } from '../transport/settings';
import * as item from './item/Item.resource';
import * as sandbox from './sandbox/Sandbox.resource';
import * as user from './user/User.resource';

type OperationExecute = (this: IExecuteFunctions, i: number) => Promise<IDataObject | IDataObject[]>;

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
const secretParameters = [...user.description, ...item.description]
	.filter((property: INodeProperties) => property.typeOptions?.password === true)
	.map((property) => property.name);

/**
 * n8n attaches the node, parameters included, to every node error, and keeps it in execution
 * data and logs. A token typed into a password field must not travel that far.
 */
function withoutSecrets(node: INode): INode {
	const parameters = { ...node.parameters };
	for (const name of secretParameters) {
		const value = parameters[name];
		if (typeof value === 'string' && value !== '' && !value.startsWith('=')) parameters[name] = '[hidden]';
	}
	return { ...node, parameters };
}

/**
 * Every failure of an item becomes an n8n error that knows which item it belongs to; bad input
 * (InvalidInputError from the parsing helpers) becomes a NodeOperationError with its message.
 */
function toItemError(this: IExecuteFunctions, caught: unknown, i: number): NodeApiError | NodeOperationError {
	let error: NodeApiError | NodeOperationError;
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
	return error;
}

/**
 * The item shown downstream for a failed item under "Continue On Fail". The error output keeps
 * only `error` (n8n drops items with more keys from it), so there the Plaid code leads `error`.
 */
function continueOnFailItem(this: IExecuteFunctions, error: NodeApiError | NodeOperationError, i: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (this.getNode().onError !== 'continueErrorOutput') {
		Object.assign(json, (error as PlaidNodeApiError).plaid ?? {});
	}
	return { json, pairedItem: { item: i } };
}

/** One item's output items, or its error item under "Continue On Fail"; other failures throw. */
async function runItem(this: IExecuteFunctions, execute: OperationExecute, i: number): Promise<INodeExecutionData[]> {
	try {
		const result = await execute.call(this, i);
		return this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), { itemData: { item: i } });
	} catch (caught) {
		const error = toItemError.call(this, caught, i);
		if (!this.continueOnFail()) throw error;
		return [continueOnFailItem.call(this, error, i)];
	}
}

/**
 * Runs `task` for items 0..count-1, at most `concurrency` at once, in input order of start. After
 * a failure no further item starts, but those already in flight finish: a removal sent to Plaid
 * is seen through, not abandoned mid-call. Then the failure of the lowest item index is thrown.
 */
async function forEachItem(this: IExecuteFunctions, count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
	let next = 0;
	const failures: Array<{ index: number; error: unknown }> = [];
	const cancelled = () => this.getExecutionCancelSignal?.()?.aborted === true;
	const worker = async () => {
		while (next < count && failures.length === 0 && !cancelled()) {
			const i = next++;
			try {
				await task(i);
			} catch (error) {
				failures.push({ index: i, error });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
	if (failures.length > 0) throw failures.reduce((first, other) => (other.index < first.index ? other : first)).error;
}

/**
 * The node's only per-item loop: one input item, one Plaid operation, up to "Concurrency" items
 * at once. Outputs keep the input order. The execution's rate limiter goes to the transport on
 * the context, so a 429 for one item slows all of them, and nothing outlives the execution.
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

	const execution = withRateLimiter(this, new RateLimiter(concurrency));
	const outputs: INodeExecutionData[][] = new Array(items.length);
	await forEachItem.call(this, items.length, concurrency, async (i) => {
		outputs[i] = await runItem.call(execution, run.execute, i);
	});
	return [outputs.flat()];
}
