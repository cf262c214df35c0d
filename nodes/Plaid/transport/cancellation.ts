import { sleep } from 'n8n-workflow';

export function isCancelled(signal: AbortSignal | undefined): boolean {
	return signal?.aborted === true;
}

/** Waits are cut into steps this long, so a cancellation ends them within about this time. */
const CANCEL_CHECK_MS = 200;

/**
 * Waits `ms`, or less if `signal` aborts first; false when it did. Community nodes may not use
 * timers, and n8n-workflow's `sleep` cannot be interrupted, so the wait is taken in short steps.
 */
export async function waitUnlessCancelled(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	const end = Date.now() + ms;
	for (let left = ms; left > 0; left = end - Date.now()) {
		if (isCancelled(signal)) return false;
		await sleep(Math.min(left, CANCEL_CHECK_MS));
	}
	return !isCancelled(signal);
}
