import type { IExecuteFunctions } from 'n8n-workflow';

import { processWide } from '../runtime/processState';
import { type PacedCall, RatePacer } from './ratePacer';

/**
 * One pacer per Plaid client for this n8n process: Plaid's limits are per client (and per
 * endpoint), and the usual offboarding is many executions at once (one CRM webhook each), so they
 * learn the allowed rate together. Sharing changes only when requests are sent, never what is
 * sent or reported, so results are the same in queue mode, where every worker has its own pacers.
 */
const pacers = processWide('rate pacers', () => new Map<string, RatePacer>());

/** Pacers unused for this long are dropped (no timers in community nodes: checked on each lookup). */
const DROP_AFTER_IDLE_MS = 10 * 60_000;
const SWEEP_ABOVE = 64;

/**
 * A call to `endpoint` of the client at `baseUrl` (the client ID tells clients behind one URL apart),
 * paced with every other call to that client in this process; `context`'s execution decides its
 * place in the queue.
 */
export function pacerFor(baseUrl: string, client: string, endpoint: string, context: object): PacedCall {
	const key = `${baseUrl}\n${client}`;
	let pacer = pacers.get(key);
	if (!pacer) {
		if (pacers.size >= SWEEP_ABOVE) sweepIdle();
		pacer = new RatePacer();
		pacers.set(key, pacer);
	}
	return pacer.call(endpoint, executionIdOf(context));
}

function executionIdOf(context: object): string | undefined {
	const execute = context as Partial<IExecuteFunctions>;
	return typeof execute.getExecutionId === 'function' ? execute.getExecutionId() : undefined;
}

function sweepIdle(): void {
	const now = Date.now();
	for (const [key, pacer] of pacers) if (pacer.idleMs(now) > DROP_AFTER_IDLE_MS) pacers.delete(key);
}
