import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shortList } from '../helpers/text';
import { type AcceptedCall, isCancellation, itemFieldsOfError, mayHaveBeenApplied } from '../transport';
import type { ItemError } from './itemErrors';

/** What happened to each input item of one execution, as the router saw it. */
export interface RunLedger {
	count: number;
	/** Items that succeeded, with the outcome of an irreversible operation's output. */
	succeeded: Map<number, string | undefined>;
	failed: Map<number, ItemError>;
	/** Every irreversible call Plaid accepted (transport/executionScope.ts). */
	accepted: AcceptedCall[];
}

/** "0–4, 7, 9–12": item indexes as ranges. */
export function describeIndexes(indexes: number[]): string {
	const parts: string[] = [];
	for (let start = 0; start < indexes.length; ) {
		let end = start;
		while (end + 1 < indexes.length && indexes[end + 1] === indexes[end] + 1) end += 1;
		parts.push(end === start ? String(indexes[start]) : `${indexes[start]}–${indexes[end]}`);
		start = end + 1;
	}
	return parts.join(', ');
}

/**
 * The error that ends a run that failed or was cancelled, with the whole run's account in its
 * description (for a person) and in `context.run_report` (for a workflow or an audit): which items
 * Plaid completed, with the request_id of each irreversible call it accepted; which failed, and
 * whether Plaid may have carried out a failed one anyway; which were never attempted. Items start
 * in input order and those in flight finish, so "not attempted" is exactly what to run again.
 */
export function reportRun(this: IExecuteFunctions, ledger: RunLedger, cancelled: boolean): ItemError {
	const requestIds = (i: number) => ledger.accepted.filter((call) => call.itemIndex === i).map((call) => call.request_id);
	const completed = [...ledger.succeeded.entries()]
		.sort(([a], [b]) => a - b)
		.map(([item, outcome]) => ({ item, ...(outcome ? { outcome } : {}), request_ids: requestIds(item) }));
	const failed = [...ledger.failed.entries()]
		.sort(([a], [b]) => a - b)
		.map(([item, error]) => ({
			item,
			...(outcomeOfError(error) ? { outcome: outcomeOfError(error) } : {}),
			error: error.message,
			cancelled: isCancellation(error),
			may_have_been_applied: mayHaveBeenApplied(error),
			request_ids: requestIds(item),
		}));
	const notAttempted: number[] = [];
	for (let i = 0; i < ledger.count; i++) if (!ledger.succeeded.has(i) && !ledger.failed.has(i)) notAttempted.push(i);

	const lines: string[] = [];
	const accepted = completed.filter((entry) => entry.request_ids.length > 0);
	if (accepted.length > 0) {
		lines.push(`Plaid carried out the irreversible call of items ${shortList(accepted.map(({ item, request_ids }) => `${item} (request_id ${request_ids.join(', ')})`))}`);
	}
	const readOnly = completed.filter((entry) => entry.request_ids.length === 0 && !entry.outcome).map(({ item }) => item);
	if (readOnly.length > 0) lines.push(`completed: items ${describeIndexes(readOnly)}`);
	const unproven = completed.filter((entry) => entry.request_ids.length === 0 && entry.outcome);
	if (unproven.length > 0) {
		lines.push(`completed without a removal by this run: items ${shortList(unproven.map(({ item, outcome }) => `${item} (${outcome})`))}`);
	}
	const realFailures = failed.filter((entry) => !entry.cancelled);
	if (realFailures.length > 0) {
		const failure = ({ item, outcome, may_have_been_applied }: (typeof realFailures)[number]) => {
			const notes = [outcome, may_have_been_applied ? 'Plaid may have carried it out' : undefined].filter(Boolean);
			return notes.length > 0 ? `${item} (${notes.join('; ')})` : String(item);
		};
		lines.push(`failed: items ${shortList(realFailures.map(failure))}`);
	}
	const interrupted = failed.filter((entry) => entry.cancelled);
	const stoppedBefore = interrupted.filter((entry) => !entry.may_have_been_applied).map(({ item }) => item);
	const stoppedUnsure = interrupted.filter((entry) => entry.may_have_been_applied).map(({ item }) => item);
	if (stoppedBefore.length > 0) lines.push(`stopped by the cancellation before Plaid carried them out: items ${describeIndexes(stoppedBefore)}`);
	if (stoppedUnsure.length > 0) lines.push(`stopped by the cancellation after an attempt Plaid may have carried out: items ${describeIndexes(stoppedUnsure)}`);
	lines.push(notAttempted.length > 0 ? `not attempted: items ${describeIndexes(notAttempted)}` : 'not attempted: none');
	const report = `Run report (input item indexes): ${lines.join('; ')}.`;

	const error = cancelled ? cancellationError.call(this, ledger) : lowestFailure(ledger);
	error.description = [error.description, report].filter(Boolean).join(' · ');
	error.context.run_report = { cancelled, completed, failed, not_attempted: notAttempted } as unknown as IDataObject;
	this.logger.warn(`Plaid node "${this.getNode().name}" stopped ${cancelled ? 'by a cancellation' : 'on a failure'}. ${report}`);
	return error;
}

/** The outcome a failed irreversible item carries (not_found, not_attached, uncertain, partial). */
function outcomeOfError(error: ItemError): string | undefined {
	const outcome = itemFieldsOfError(error).outcome;
	return typeof outcome === 'string' ? outcome : undefined;
}

function lowestFailure(ledger: RunLedger): ItemError {
	const [first] = [...ledger.failed.keys()].sort((a, b) => a - b);
	return ledger.failed.get(first) as ItemError;
}

function cancellationError(this: IExecuteFunctions, ledger: RunLedger): ItemError {
	const done = ledger.succeeded.size;
	return new NodeOperationError(
		this.getNode(),
		`The execution was cancelled after ${done} of ${ledger.count} item${ledger.count === 1 ? '' : 's'} completed; nothing more was sent to Plaid`,
	);
}
