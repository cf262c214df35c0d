import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * Output → Evidence Row: one flat row per input item, primitive values only, for an n8n Data Table or
 * a spreadsheet that a compliance team keeps (CONTRACT.md, `options.output`). The column names are
 * part of the contract: a table built from them keeps working. Never a token: the row is built from
 * the output, which holds none.
 */
export interface EvidenceRow {
	user_id: string | null;
	item_id: string | null;
	operation: string;
	outcome: string;
	removed: boolean;
	item_ids: string | null;
	not_attached_item_ids: string | null;
	request_id: string | null;
	answered_at: string | null;
	environment: string | null;
	verified: boolean | null;
	preview: boolean;
	execution_id: string | null;
	workflow_id: string | null;
	node_name: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const joined = (value: unknown): string | null => (Array.isArray(value) ? value.filter((entry) => typeof entry === 'string').join(',') : null);

/** The row of an irreversible operation's output (its success item, or the fields its error carries). */
export function evidenceRowOf(this: IExecuteFunctions, output: IDataObject): EvidenceRow {
	const audit = (output.audit ?? {}) as IDataObject;
	const operation = text(audit.operation) ?? '';
	const workflowId = this.getWorkflow().id;
	return {
		// The user_id of a user operation; an Item's only when Plaid's answer named it (a preview's read).
		user_id: operation.startsWith('user.') ? text(output.user_id) : null,
		item_id: operation.startsWith('item.') ? text(output.item_id) : null,
		operation,
		outcome: text(output.outcome) ?? '',
		removed: output.removed === true,
		item_ids: joined(output.item_ids),
		not_attached_item_ids: joined(output.not_attached_item_ids),
		request_id: text(output.request_id) ?? text(audit.request_id),
		answered_at: text(audit.answered_at),
		environment: text(audit.environment),
		verified: typeof output.verified === 'boolean' ? output.verified : null,
		preview: output.preview === true,
		execution_id: text(this.getExecutionId?.()) ?? null,
		workflow_id: workflowId === undefined || workflowId === null ? null : String(workflowId),
		node_name: this.getNode().name,
	};
}
