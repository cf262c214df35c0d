import { RatePacer } from './ratePacer';

/**
 * One pacer per Plaid client and endpoint for this n8n process: Plaid's limits are per client (and
 * per endpoint), and the usual offboarding is many executions at once (one CRM webhook each), so
 * they learn the allowed rate together. Sharing changes only when requests are sent, never what is
 * sent or reported, so results are the same in queue mode, where every worker has its own pacers.
 */
const pacers = new Map<string, RatePacer>();

/** Pacers unused for this long are dropped (no timers in community nodes: checked on each lookup). */
const DROP_AFTER_IDLE_MS = 10 * 60_000;
const SWEEP_ABOVE = 64;

/** The pacer for `endpoint` of the client at `baseUrl` (the client ID tells clients behind one URL apart). */
export function pacerFor(baseUrl: string, client: string, endpoint: string): RatePacer {
	const key = `${baseUrl}\n${client}\n${endpoint}`;
	let pacer = pacers.get(key);
	if (!pacer) {
		if (pacers.size >= SWEEP_ABOVE) sweepIdle();
		pacer = new RatePacer();
		pacers.set(key, pacer);
	}
	return pacer;
}

function sweepIdle(): void {
	const now = Date.now();
	for (const [key, pacer] of pacers) if (pacer.idleMs(now) > DROP_AFTER_IDLE_MS) pacers.delete(key);
}
