import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { InvalidInputError } from '../helpers/InvalidInputError';
import type { PlaidNodeApiError } from '../transport';
import * as item from './item/Item.resource';
import * as user from './user/User.resource';

type OperationExecute = (this: IExecuteFunctions, i: number) => Promise<IDataObject | IDataObject[]>;

const operations: Record<string, Record<string, { execute: OperationExecute }>> = {
	user: {
		removeItems: user.removeItems,
		getItems: user.getItems,
		remove: user.remove,
		create: user.create,
		terminateProducts: user.terminateProducts,
	},
	item: { get: item.get, remove: item.remove },
};

/** Every failure of an item becomes an n8n error that knows which item it belongs to. */
function toItemError(this: IExecuteFunctions, error: unknown, i: number): NodeApiError | NodeOperationError {
	if (error instanceof InvalidInputError) {
		return new NodeOperationError(this.getNode(), error.message, { itemIndex: i });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		// Re-wrapping an n8n error returns it unchanged, so the index is set on it directly.
		error.context.itemIndex = i;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(this.getNode(), message, { itemIndex: i });
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

/** The node's only per-item loop: one input item, one Plaid operation. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${resource} / ${operation}" is not supported`);
	}

	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await run.execute.call(this, i);
			output.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
					itemData: { item: i },
				}),
			);
		} catch (caught) {
			const error = toItemError.call(this, caught, i);
			if (!this.continueOnFail()) throw error;
			output.push(continueOnFailItem.call(this, error, i));
		}
	}
	return [output];
}
