import { sleep } from 'n8n-workflow';

import { isCancelled } from './cancellation';
import { PacerQueue, type QueueTicket } from './pacerQueue';
import { DEFAULT_PACER_TUNING, type PacerClock, type PacerTuning } from './pacerTuning';
import { RateGate } from './rateGate';

export { DEFAULT_PACER_TUNING, type PacerClock, type PacerTuning } from './pacerTuning';

/**
 * Paces the requests of one Plaid client in this process at the rate Plaid lets through, found by
 * watching answers. Plaid documents limits per client and per endpoint, says its table is not
 * exhaustive, and documents no algorithm, so neither the shape (window, bucket) nor which endpoints
 * share a limit is assumed:
 *
 * - every request passes the client's gate and its endpoint's (rateGate.ts);
 * - a refusal teaches the client's gate, unless over the last moments the refused endpoint's
 *   requests were refused far more often than the others': then the limit is the endpoint's own and
 *   its gate learns it. A limit over all endpoints refuses each in proportion to its requests;
 * - queued requests take turns between endpoints (pacerQueue.ts), so under one pace each endpoint's
 *   requests are evenly spaced whether the limit is shared or each endpoint's own;
 * - a client nobody uses for a moment starts over: what a run taught says little about the next.
 *
 * Every execution of the node in this process shares it (pacers.ts). Only timing depends on it:
 * every request is still sent, retried and reported by its caller.
 */
export class RatePacer {
	private readonly shared: RateGate;

	private readonly endpoints = new Map<string, RateGate>();

	private readonly queue: PacerQueue;

	/** The answers of the last moments: which scope a refusal came from. */
	private readonly recent: Array<{ at: number; endpoint: string; refused: boolean }> = [];

	private readonly executions = new Map<string, { order: number; usedAt: number }>();

	private executionCount = 0;

	private users = 0;

	private idleSince: number;

	constructor(
		private readonly tuning: PacerTuning = DEFAULT_PACER_TUNING,
		private readonly clock: PacerClock = { now: () => Date.now(), sleep },
	) {
		this.shared = new RateGate(tuning, true);
		this.idleSince = clock.now();
		this.queue = new PacerQueue(
			{
				nextSendAt: (endpoint) => Math.max(...this.gatesOf(endpoint).map((gate) => gate.nextSendAt())),
				send: (ticket, now) => this.send(ticket as PacedCall, now),
			},
			clock,
			tuning.maxPumpSleepMs,
		);
	}

	/** A call to `endpoint` starts, for the execution `execution` (its place in the queue); it ends with `leave()`. */
	call(endpoint: string, execution?: string): PacedCall {
		const now = this.clock.now();
		if (this.users === 0 && now - this.idleSince > this.tuning.forgetAfterIdleMs) this.forget();
		this.users += 1;
		return new PacedCall(this, endpoint, this.executionOrder(execution, now));
	}

	/** The rate requests to `endpoint` are paced at now (Infinity: not paced). */
	rateOf(endpoint: string): number {
		return Math.min(this.shared.ratePerSecond, this.endpoints.get(endpoint)?.ratePerSecond ?? Infinity);
	}

	/** How long nobody has used this pacer (0 while in use). */
	idleMs(now = this.clock.now()): number {
		return this.users > 0 ? 0 : now - this.idleSince;
	}

	/** @internal */
	left(): void {
		this.users = Math.max(0, this.users - 1);
		if (this.users === 0) this.idleSince = this.clock.now();
	}

	/** @internal Resolves true when `call` may send, false when `signal` aborted first. */
	async acquire(call: PacedCall, retry: boolean, signal: AbortSignal | undefined, waitMs: number): Promise<boolean> {
		if (isCancelled(signal)) return false;
		const now = this.clock.now();
		if (waitMs <= 0 && this.queue.length === 0 && this.gatesOf(call.endpoint).every((gate) => gate.nextSendAt() <= now)) {
			this.send(call, now);
			return true;
		}
		return await this.queue.wait(call, now + waitMs, retry, signal);
	}

	/** @internal `call`'s request got no answer (a timeout, a dropped connection): only its place in flight is freed. */
	unanswered(call: PacedCall): void {
		for (const gate of this.gatesOf(call.endpoint)) gate.unanswered();
		this.queue.wake();
	}

	/** @internal Plaid answered `call`'s request: refused for its rate limit, or anything else. */
	answered(call: PacedCall, refused: boolean): void {
		const now = this.clock.now();
		const endpoint = this.endpointGate(call.endpoint);
		this.recent.push({ at: now, endpoint: call.endpoint, refused });
		if (this.recent.length > MAX_RECENT_ANSWERS) this.recent.shift();
		if (!refused) {
			this.shared.answered(now);
			endpoint.answered(now);
		} else if (this.refusedAlone(now, call.endpoint)) {
			endpoint.refused(now, call.sentAtRates[1], this.random);
			this.shared.unanswered();
		} else {
			this.shared.refused(now, call.sentAtRates[0], this.random);
			endpoint.unanswered();
		}
		this.queue.wake();
	}

	private get random(): () => number {
		return this.clock.random ?? Math.random;
	}

	/**
	 * Whether `endpoint` is refused on its own: over the last moments its requests were refused far
	 * more often than the other endpoints', which had enough answers to tell.
	 */
	private refusedAlone(now: number, endpoint: string): boolean {
		const since = now - this.tuning.attributionWindowMs;
		while (this.recent.length > 0 && this.recent[0].at <= since) this.recent.shift();
		const own = { answers: 0, refused: 0 };
		const others = { answers: 0, refused: 0 };
		for (const answer of this.recent) {
			const counts = answer.endpoint === endpoint ? own : others;
			counts.answers += 1;
			if (answer.refused) counts.refused += 1;
		}
		if (others.answers < this.tuning.minOtherAnswers || own.refused < this.tuning.minOwnRefusals) return false;
		return own.refused / own.answers > this.tuning.aloneFactor * (others.refused / others.answers) + this.tuning.aloneMargin;
	}

	private forget(): void {
		this.shared.forget();
		this.endpoints.clear();
		this.recent.length = 0;
	}

	private gatesOf(endpoint: string): RateGate[] {
		return [this.shared, this.endpointGate(endpoint)];
	}

	private send(call: PacedCall, now: number): void {
		const gates = this.gatesOf(call.endpoint);
		for (const gate of gates) gate.sent(now);
		call.sentAtRates = gates.map((gate) => gate.ratePerSecond);
		call.awaitingAnswer = true;
	}

	private endpointGate(endpoint: string): RateGate {
		let gate = this.endpoints.get(endpoint);
		if (!gate) {
			gate = new RateGate(this.tuning, false);
			this.endpoints.set(endpoint, gate);
		}
		return gate;
	}

	/** Executions in the order this pacer first saw them; calls without one queue by arrival. */
	private executionOrder(execution: string | undefined, now: number): number {
		if (execution === undefined) return ++this.executionCount;
		let entry = this.executions.get(execution);
		if (!entry) {
			if (this.executions.size >= MAX_EXECUTIONS) {
				for (const [id, old] of this.executions) if (now - old.usedAt > EXECUTION_MEMORY_MS) this.executions.delete(id);
			}
			entry = { order: ++this.executionCount, usedAt: now };
			this.executions.set(execution, entry);
		}
		entry.usedAt = now;
		return entry.order;
	}
}

/** One call's use of the pacer, from its first attempt to its answer. */
export class PacedCall implements QueueTicket {
	/** @internal Its latest request was sent, and neither an answer nor its absence reported yet. */
	awaitingAnswer = false;

	/** @internal The rates of the client's gate and the endpoint's when its latest request was sent. */
	sentAtRates = [Infinity, Infinity];

	private finished = false;

	constructor(
		private readonly pacer: RatePacer,
		readonly endpoint: string,
		readonly executionOrder: number,
	) {}

	/** Resolves when the request may be sent (`waitMs` from now at the soonest); false when `signal` aborted first: send nothing. */
	async acquire(retry: boolean, signal?: AbortSignal, waitMs = 0): Promise<boolean> {
		this.noAnswer();
		return await this.pacer.acquire(this, retry, signal, waitMs);
	}

	/** Plaid answered (anything but a rate limit). */
	onAnswered(): void {
		this.awaitingAnswer = false;
		this.pacer.answered(this, false);
	}

	/** Plaid refused the request for its rate limit. */
	onRateLimited(): void {
		this.awaitingAnswer = false;
		this.pacer.answered(this, true);
	}

	/** The call is finished (answered, failed or cancelled). */
	leave(): void {
		if (this.finished) return;
		this.finished = true;
		this.noAnswer();
		this.pacer.left();
	}

	/** A request that got no answer (its caller reports neither) frees its place in flight. */
	private noAnswer(): void {
		if (!this.awaitingAnswer) return;
		this.awaitingAnswer = false;
		this.pacer.unanswered(this);
	}
}

/** At most this many answers are kept for telling which scope refused. */
const MAX_RECENT_ANSWERS = 512;
/** Executions remembered for their place in the queue ... */
const MAX_EXECUTIONS = 1000;
/** ... for at least this long after their last call. */
const EXECUTION_MEMORY_MS = 10 * 60_000;
