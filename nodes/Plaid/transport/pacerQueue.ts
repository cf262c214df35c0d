import type { PacerClock } from './pacerTuning';

/** What the queue needs of the pacer: when a request to an endpoint may go, and sending it. */
export interface QueueGates {
	/** The earliest time a request to `endpoint` may be sent (now or earlier: it may go). */
	nextSendAt(endpoint: string): number;
	/** Marks the request of `ticket` as sent. */
	send(ticket: QueueTicket, now: number): void;
}

/** A call waiting for its turn: its endpoint and its place (older executions first). */
export interface QueueTicket {
	readonly endpoint: string;
	readonly executionOrder: number;
}

interface Waiter {
	ticket: QueueTicket;
	readyAt: number;
	order: [number, number, number];
	resolve: (sent: boolean) => void;
	signal?: AbortSignal;
	onAbort: () => void;
}

/**
 * The requests waiting to be sent, oldest execution first and a retry before a first attempt, so
 * executions already under way finish first. Each endpoint's first request that may go is a
 * candidate, and endpoints take turns, so that under one pace for all of them each endpoint's
 * requests stay evenly spaced (a limit of its own may allow no burst at all). Waiting costs one
 * timer for the whole queue, not one per request; a cancelled request leaves at once.
 */
export class PacerQueue {
	private readonly waiters: Waiter[] = [];

	/** When each endpoint last had its turn. */
	private readonly turns = new Map<string, number>();

	private turnCount = 0;

	private arrivals = 0;

	/** The queue's one timer: when it fires (Infinity: none), and which one is current. */
	private wakeAt = Infinity;

	private timer = 0;

	constructor(
		private readonly gates: QueueGates,
		private readonly clock: PacerClock,
		private readonly maxSleepMs: number,
	) {}

	get length(): number {
		return this.waiters.length;
	}

	/** Resolves true once `ticket`'s request may be sent (not before `readyAt`), false when `signal` aborts first. */
	async wait(ticket: QueueTicket, readyAt: number, retry: boolean, signal?: AbortSignal): Promise<boolean> {
		return await new Promise<boolean>((resolve) => {
			const waiter: Waiter = {
				ticket,
				readyAt,
				order: [ticket.executionOrder, retry ? 0 : 1, ++this.arrivals],
				resolve,
				signal,
				onAbort: () => this.drop(waiter),
			};
			const at = this.waiters.findIndex((other) => compareOrder(waiter.order, other.order) < 0);
			this.waiters.splice(at < 0 ? this.waiters.length : at, 0, waiter);
			signal?.addEventListener('abort', waiter.onAbort, { once: true });
			this.wake();
		});
	}

	/** Sends what may go now; sets the timer for when the next may, unless it is set for sooner. */
	wake(): void {
		if (this.waiters.length === 0) return;
		const now = this.clock.now();
		const next = this.release(now);
		if (this.waiters.length === 0 || next >= this.wakeAt) return;
		// Rates change with every answer: the timer never sleeps longer than maxSleepMs.
		const ms = Math.max(1, Math.min(next - now, this.maxSleepMs));
		const timer = ++this.timer;
		this.wakeAt = now + ms;
		void this.clock.sleep(ms).then(() => {
			if (timer !== this.timer) return;
			this.wakeAt = Infinity;
			this.wake();
		});
	}

	/** Sends every request that may go now, taking turns between endpoints; returns when the next may. */
	private release(now: number): number {
		for (;;) {
			let next: Waiter | undefined;
			const seen = new Set<string>();
			for (const waiter of this.waiters) {
				const { endpoint } = waiter.ticket;
				if (seen.has(endpoint) || waiter.readyAt > now) continue;
				seen.add(endpoint);
				if (this.gates.nextSendAt(endpoint) > now) continue;
				if (!next || this.turnOf(endpoint) < this.turnOf(next.ticket.endpoint)) next = waiter;
			}
			if (!next) break;
			this.waiters.splice(this.waiters.indexOf(next), 1);
			next.signal?.removeEventListener('abort', next.onAbort);
			this.turns.set(next.ticket.endpoint, ++this.turnCount);
			this.gates.send(next.ticket, now);
			next.resolve(true);
		}
		let at = Infinity;
		for (const waiter of this.waiters) at = Math.min(at, Math.max(waiter.readyAt, this.gates.nextSendAt(waiter.ticket.endpoint)));
		return at;
	}

	private turnOf(endpoint: string): number {
		return this.turns.get(endpoint) ?? 0;
	}

	private drop(waiter: Waiter): void {
		const index = this.waiters.indexOf(waiter);
		if (index >= 0) this.waiters.splice(index, 1);
		waiter.resolve(false);
	}
}

function compareOrder(a: readonly number[], b: readonly number[]): number {
	for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index] - b[index];
	return 0;
}
