import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { capText } from '../helpers/text';
import { storeWithoutSecrets } from '../runtime/errorNode';
import { itemFieldsOfError, mayHaveBeenApplied, PlaidApiError } from '../transport';

export type ItemError = NodeApiError | NodeOperationError;

/** An error's text stays readable and storable whatever it lists (IDs, server text). */
const MAX_MESSAGE_CHARS = 2_000;
const MAX_DESCRIPTION_CHARS = 8_000;

/**
 * Every failure of an item becomes an n8n error that knows which item it belongs to; bad input
 * (InvalidInputError from the parsing helpers) becomes a NodeOperationError with its message. What
 * n8n stores of it holds no secret parameter and no unbounded text.
 */
export function toItemError(this: IExecuteFunctions, caught: unknown, i: number, secretParameters: readonly string[]): ItemError {
	let error: ItemError;
	if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
		// Re-wrapping an n8n error returns it unchanged, so the index is set on it directly.
		error = caught;
		error.context.itemIndex = i;
	} else {
		const message = caught instanceof Error ? caught.message : String(caught);
		error = new NodeOperationError(this.getNode(), message, { itemIndex: i });
	}
	storeWithoutSecrets(error, secretParameters);
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
export function continueOnFailItem(this: IExecuteFunctions, error: ItemError, i: number): INodeExecutionData {
	const plaid = error instanceof PlaidApiError ? error.plaid : undefined;
	const fields: IDataObject = { ...plaid, ...itemFieldsOfError(error) };
	if (mayHaveBeenApplied(error)) fields.may_have_been_applied = true;
	const hasFields = Object.keys(fields).length > 0;
	const json: IDataObject =
		this.getNode().onError === 'continueErrorOutput'
			? { error: error.message, ...(hasFields ? { details: fields } : {}) }
			: { error: error.message, ...fields };
	return { json, pairedItem: { item: i } };
}
