import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CallRecord } from './errors';

/** An irreversible call Plaid accepted, kept for a later try of the same node in the same execution. */
export interface EarlierAcceptance {
	requestId: string;
	call: CallRecord;
}

/**
 * n8n's "Retry On Fail" runs a failed node again with the same input, within the same execution and
 * the same process: the removals its first try got through are then refused as "not found", and
 * the first try's output, with their request_ids, is gone. So each accepted irreversible call is
 * kept here, by execution, node and request, until a later try can report it as what it was.
 * Nothing here outlives an execution's purpose: entries are used only by the execution that made
 * them (so queue mode, where each execution runs in one worker, gives the same results), and are
 * dropped after a while.
 */
const accepted = new Map<string, EarlierAcceptance & { storedAt: number }>();

const KEEP_MS = 6 * 60 * 60_000;
const MAX_ENTRIES = 10_000;

/** The request, hashed: bodies hold access and user tokens, which must not sit in memory as keys. */
function keyOf(context: IExecuteFunctions, endpoint: string, body: IDataObject): string | undefined {
	const executionId = context.getExecutionId?.();
	if (typeof executionId !== 'string' || executionId === '') return undefined;
	const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
	return `${executionId}\n${context.getNode().name}\n${endpoint}\n${digest}`;
}

export function rememberAcceptance(context: IExecuteFunctions, endpoint: string, body: IDataObject, requestId: string, call: CallRecord): void {
	const key = keyOf(context, endpoint, body);
	if (!key) return;
	const now = Date.now();
	if (accepted.size >= MAX_ENTRIES) {
		for (const [oldKey, entry] of accepted) {
			if (accepted.size < MAX_ENTRIES && now - entry.storedAt < KEEP_MS) break;
			accepted.delete(oldKey);
		}
	}
	accepted.set(key, { requestId, call, storedAt: now });
}

/** The acceptance of this very request by an earlier try of this node in this execution, if any. */
export function acceptedEarlier(context: IExecuteFunctions, endpoint: string, body: IDataObject): EarlierAcceptance | undefined {
	const key = keyOf(context, endpoint, body);
	const entry = key ? accepted.get(key) : undefined;
	if (!entry || Date.now() - entry.storedAt > KEEP_MS) return undefined;
	return { requestId: entry.requestId, call: entry.call };
}
