import type { IExecuteFunctions } from 'n8n-workflow';

import { processWide } from '../runtime/processState';
import type { CallRecord } from '../transport';

/** An irreversible call Plaid accepted, kept for a later try of the same node in the same execution. */
export interface EarlierAcceptance {
	requestId: string;
	call: CallRecord;
	/** Remove Items: the Items that call removed. */
	itemIds?: string[];
	/** The run of the node that made it (ExecutionScope.runId): only earlier runs count. */
	runId?: symbol;
}

/**
 * n8n's "Retry On Fail" runs a failed node again with the same input, within the same execution and
 * the same process: the removals its first try got through are then refused as not found, and the
 * first try's output, with their request_ids, is gone. So each accepted irreversible call is kept
 * here, by execution, node and target, until a later try can report it as what it was. Entries are
 * used only by the execution that made them (in queue mode an execution runs in one worker) and are
 * dropped after a while; keys are hashes (removal/workKeys.ts), never tokens.
 */
const accepted = processWide('acceptances of earlier tries', () => new Map<string, { storedAt: number; acceptances: EarlierAcceptance[] }>());

const KEEP_MS = 6 * 60 * 60_000;
const MAX_ENTRIES = 10_000;

function keyOf(context: IExecuteFunctions, targetKey: string): string | undefined {
	const executionId = context.getExecutionId?.();
	if (typeof executionId !== 'string' || executionId === '') return undefined;
	return `${executionId}\n${context.getNode().name}\n${targetKey}`;
}

export function rememberAcceptance(context: IExecuteFunctions, targetKey: string, acceptance: EarlierAcceptance): void {
	const key = keyOf(context, targetKey);
	if (!key) return;
	const now = Date.now();
	if (accepted.size >= MAX_ENTRIES) {
		for (const [oldKey, entry] of accepted) {
			if (accepted.size < MAX_ENTRIES && now - entry.storedAt < KEEP_MS) break;
			accepted.delete(oldKey);
		}
	}
	const entry = accepted.get(key);
	if (entry) entry.acceptances.push(acceptance);
	else accepted.set(key, { storedAt: now, acceptances: [acceptance] });
}

/**
 * Every acceptance an earlier try of this node, in this execution, recorded for this target. Those of
 * this very run (another input item naming the same target) are not earlier tries: left out.
 */
export function earlierAcceptances(context: IExecuteFunctions, targetKey: string, runId: symbol | undefined): EarlierAcceptance[] {
	const key = keyOf(context, targetKey);
	const entry = key ? accepted.get(key) : undefined;
	if (!entry || Date.now() - entry.storedAt > KEEP_MS) return [];
	return entry.acceptances.filter((acceptance) => acceptance.runId !== runId);
}
