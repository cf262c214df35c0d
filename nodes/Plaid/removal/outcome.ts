import type { IDataObject } from 'n8n-workflow';

import type { CallRecord, PlaidApiError, PlaidTarget } from '../transport';
import { shortList } from '../helpers/text';

/**
 * What an irreversible operation's output may say, and no more than Plaid proved (CONTRACT.md,
 * "Outcomes: only what Plaid proves"; docs/outcomes.md explains each one).
 */
export type Outcome = 'removed' | 'partial' | 'not_found' | 'not_attached' | 'nothing_to_remove' | 'duplicate' | 'uncertain';

/** What a preview (Preview Only) says a real run would find; a preview sends nothing irreversible. */
export type PreviewOutcome = 'would_remove' | 'would_be_partial' | 'would_be_not_attached' | 'would_be_not_found' | 'nothing_to_remove' | 'duplicate';

/** Outcomes that leave nothing undone or unproven, and every preview: successes whatever the options say. */
const ALWAYS_SUCCESS: ReadonlySet<string> = new Set([
	'removed',
	'nothing_to_remove',
	'duplicate',
	'would_remove',
	'would_be_partial',
	'would_be_not_attached',
	'would_be_not_found',
]);

/** Plaid's answer that decided an outcome: an accepted call, a refusal, or a read. */
export interface DecidingAnswer {
	requestId: string | null;
	call: CallRecord;
	/** Plaid accepted the irreversible call itself. */
	accepted: boolean;
}

/** One input item's settled outcome, before it becomes an output item (or an error). */
export interface Settled {
	outcome: Outcome | PreviewOutcome;
	/** The operation's own output fields (user_id, item_ids, …); never a token. */
	fields: IDataObject;
	answer: DecidingAnswer | undefined;
	/** The refusal behind not_found, not_attached, uncertain: its error fails the item when that is asked. */
	refusal?: PlaidApiError;
	/** Why the outcome is what it is, for a person: in the output and in the error's description. */
	note?: string;
}

/** The audit record every irreversible output carries. */
export function auditOf(operation: string, answer: DecidingAnswer | undefined, fallback: { endpoint: string; target?: PlaidTarget }): IDataObject {
	const call = answer?.call;
	const environment = call?.environment ?? fallback.target?.environment ?? null;
	const baseURL = call?.baseURL ?? fallback.target?.baseURL;
	return {
		operation,
		environment,
		// Only a custom URL says more than the environment; it never holds credentials (baseUrl.ts).
		...(environment === 'custom' && baseURL ? { base_url: baseURL } : {}),
		endpoint: call?.endpoint ?? fallback.endpoint,
		request_id: answer?.requestId ?? null,
		answered_at: call?.answeredAt ?? null,
		accepted: answer?.accepted === true,
	};
}

/** What Plaid answered when it refused: code, type and request_id, nothing of its free text. */
export function plaidAnswerOf(refusal: PlaidApiError): IDataObject {
	const { error_code, error_type, request_id } = refusal.plaid ?? {};
	return { error_code: error_code ?? null, error_type: error_type ?? null, request_id: request_id ?? null };
}

/** A refusal as the answer that decided an outcome (Plaid accepted nothing). */
export function refusalAnswer(refusal: PlaidApiError): DecidingAnswer {
	return { requestId: refusal.plaid?.request_id ?? null, call: refusal.call, accepted: false };
}

export function isSuccess(outcome: Outcome | PreviewOutcome, unprovenIsSuccess: boolean): boolean {
	return ALWAYS_SUCCESS.has(outcome) || unprovenIsSuccess;
}

/** The output item of a settled outcome (also the fields its error carries when it fails the item). */
export function outputOf(settled: Settled, operation: string, fallback: { endpoint: string; target?: PlaidTarget }): IDataObject {
	const { outcome, fields, answer, refusal, note } = settled;
	const requestId = answer?.requestId;
	const removed = outcome === 'removed' || outcome === 'partial';
	return {
		...(requestId ? { request_id: requestId } : {}),
		...fields,
		outcome,
		removed,
		...(refusal && !removed ? { plaid_answer: plaidAnswerOf(refusal) } : {}),
		...(note ? { note } : {}),
		audit: auditOf(operation, answer, fallback),
	};
}

/** The IDs in a note: the first few, then how many more (the output holds them all). */
export function idList(ids: readonly string[]): string {
	return ids.length === 0 ? 'none' : shortList(ids);
}
