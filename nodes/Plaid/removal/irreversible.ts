import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { executionScopeOf, type PlaidAnswer, type PlaidEndpoint } from '../transport';
import { type EarlierAcceptance, earlierAcceptances, rememberAcceptance } from './earlierTries';
import type { IrreversibleOptions } from './options';
import { type DecidingAnswer, isSuccess, outputOf, type Settled } from './outcome';
import { evidenceRowOf } from './evidenceRow';
import { type Verification, verifiedFields } from './verify';

/** One input item's irreversible work, as the operations describe it to the shared runner. */
export interface IrreversibleWork {
	/** The irreversible endpoint. */
	endpoint: PlaidEndpoint;
	/** Names the work: two input items with the same key in one execution do it once (a hash). */
	workKey: string;
	/** Names the target (Item, user, report): what an earlier try of the node accepted for it (a hash). */
	targetKey: string;
	/** Output fields of every outcome (user_id, …); never a token. */
	fields: IDataObject;
}

/** Plaid accepted the irreversible call: its answer decides, and is kept for a later try of the node. */
export function accepted(this: IExecuteFunctions, work: IrreversibleWork, answer: PlaidAnswer, itemIds?: string[]): DecidingAnswer {
	const requestId = String(answer.body.request_id);
	const runId = executionScopeOf(this)?.runId;
	rememberAcceptance(this, work.targetKey, { requestId, call: answer.call, runId, ...(itemIds ? { itemIds } : {}) });
	return { requestId, call: answer.call, accepted: true };
}

/** What earlier tries of this node, in this execution, got Plaid to accept for the work's target. */
export function acceptedOnEarlierTries(this: IExecuteFunctions, work: IrreversibleWork): EarlierAcceptance[] {
	return earlierAcceptances(this, work.targetKey, executionScopeOf(this)?.runId);
}

/** An earlier acceptance as the answer that decides an outcome. */
export function earlierAnswer(acceptance: EarlierAcceptance): DecidingAnswer {
	return { requestId: acceptance.requestId, call: acceptance.call, accepted: true };
}

/**
 * Runs one input item's irreversible work: a duplicate of an earlier item's work does nothing; the
 * operation's own `settle` decides the outcome otherwise. An outcome Plaid did not prove (uncertain,
 * not_found, not_attached, partial) fails the item, carrying the same fields, unless "Not Found Is
 * Success" sends it to the success output; it never becomes a removal.
 */
export async function runIrreversible(
	this: IExecuteFunctions,
	i: number,
	work: IrreversibleWork,
	options: IrreversibleOptions,
	settle: () => Promise<Settled & { verification?: Verification }>,
): Promise<IDataObject> {
	const scope = executionScopeOf(this);
	// Claimed before the first await: items start in input order, so the first one claims.
	const original = scope?.claim(work.workKey, i);
	const fallback = { endpoint: work.endpoint, target: scope?.target };
	const operation = scope?.operation ?? 'unknown';
	if (original !== undefined) {
		const duplicate: Settled = {
			outcome: 'duplicate',
			fields: { ...work.fields, duplicate_of: original },
			answer: undefined,
			note: `input item ${original} names the same work; it was done (or attempted) once, for that item`,
		};
		if (options.preview) duplicate.fields = { preview: true, ...duplicate.fields };
		return shaped.call(this, outputOf(duplicate, operation, fallback), options);
	}
	const settled = await settle();
	const output = { ...outputOf(settled, operation, fallback), ...verifiedFields(settled.verification) };
	if (settled.verification) (output.audit as IDataObject).verified_by = settled.verification.requestId;
	if (isSuccess(settled.outcome, options.unprovenIsSuccess)) return shaped.call(this, output, options);

	// Unproven outcomes come from a refusal; the item fails with Plaid's error, carrying the outcome.
	if (!settled.refusal) throw new NodeOperationError(this.getNode(), `${work.endpoint}: ${settled.outcome}`, { itemIndex: i });
	throw settled.refusal.addNote(settled.note).addItemFields(shaped.call(this, output, options));
}

/** The output as Options → Output asks: in full, or as one flat evidence row. */
function shaped(this: IExecuteFunctions, output: IDataObject, options: IrreversibleOptions): IDataObject {
	return options.evidenceRow ? { ...evidenceRowOf.call(this, output) } : output;
}
