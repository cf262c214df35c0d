import { sleep } from 'n8n-workflow';

import { isCancelled } from './cancellation';

/**
 * Paces the requests to one Plaid endpoint of one client at the rate Plaid lets through, found by
 * watching answers, whatever Plaid's limiter is (fixed window, sliding window, token bucket; Plaid
 * documents limits per minute, not the algorithm).
 *
 * - Unpaced until the first 429: nothing is known, so requests go as fast as the callers send them.
 * - On a 429, at most once per `cutCooldownMs`: the rate becomes a little below what actually got
 *   through in the last `measureWindowMs` (so one cut lands near the allowed rate instead of halving
 *   blindly), or half the current rate when nothing got through (a window is used up).
 * - After a cut, each success raises the rate: quickly (one request per second per success, doubling
 *   per second) up to the rate of the episode's first cut, then slowly (`increasePerSecond`), which
 *   probes for more.
 * - Never below `minRatePerSecond`: while Plaid refuses everything (a window is used up), one request
 *   now and then probes whether it has reset; the first one through brings the rate back to half of
 *   what worked before, so a reset window is used at once.
 *
 * Only timing depends on it: every request is still sent, retried and reported by its caller.
 */
export class RatePacer {
	/** Requests per second; Infinity while unpaced. */
	private rate = Infinity;

	/** The rate to return to quickly after an episode of refusals (TCP's slow-start threshold). */
	private threshold = Infinity;

	/** Nothing got through for a whole cut interval: a window is used up, and is waited out. */
	private blocked = false;

	private lastSentAt = -Infinity;

	private lastCutAt = -Infinity;

	private lastRefusedAt = -Infinity;

	/** When recent requests succeeded, for the measured rate. */
	private readonly successes: number[] = [];

	/** When recent requests were sent: what a first refusal, before any success, is measured against. */
	private readonly sends: number[] = [];

	/** When measuring began: a rate measured over less than a whole window is an estimate. */
	private measuringSince = -Infinity;

	/** A refusal that came while unpaced and before any success (see onRateLimited). */
	private firstUnmeasuredRefusalAt: number | undefined;

	/** Calls between `enter` and `leave` (including their waits between retries). */
	private users = 0;

	private idleSince = 0;

	private readonly retries: Waiter[] = [];

	private readonly firsts: Waiter[] = [];

	private pumping = false;

	constructor(
		private readonly tuning: PacerTuning = DEFAULT_PACER_TUNING,
		private readonly clock: PacerClock = { now: () => Date.now(), sleep },
	) {
		this.idleSince = clock.now();
	}

	/** The current rate in requests per second (Infinity while unpaced). */
	get ratePerSecond(): number {
		return this.rate;
	}

	/** How long nobody has used this pacer (0 while in use). */
	idleMs(now = this.clock.now()): number {
		return this.users > 0 ? 0 : now - this.idleSince;
	}

	/** A call starts using this pacer. A pacer idle for long has nothing left to tell: it starts over. */
	enter(): void {
		if (this.users === 0 && this.clock.now() - this.idleSince > this.tuning.forgetAfterIdleMs) this.forget();
		this.users += 1;
	}

	/** The call is finished (answered, failed or cancelled). */
	leave(): void {
		this.users = Math.max(0, this.users - 1);
		if (this.users === 0) this.idleSince = this.clock.now();
	}

	/**
	 * Resolves when the next request may be sent. Retries go ahead of first attempts: they have been
	 * refused already and their wait is counted. False when `signal` aborted first: send nothing.
	 */
	async acquire(retry: boolean, signal?: AbortSignal): Promise<boolean> {
		if (isCancelled(signal)) return false;
		if (this.retries.length === 0 && this.firsts.length === 0 && this.clock.now() >= this.nextSlotAt()) {
			this.sent(this.clock.now());
			return true;
		}
		return await new Promise<boolean>((resolve) => {
			const waiter: Waiter = { resolve, signal, onAbort: () => this.drop(waiter) };
			(retry ? this.retries : this.firsts).push(waiter);
			signal?.addEventListener('abort', waiter.onAbort, { once: true });
			void this.pump();
		});
	}

	/** Plaid answered the request (anything but a rate limit). */
	onAnswered(): void {
		const now = this.clock.now();
		if (this.measuringSince === -Infinity) this.measuringSince = now;
		this.successes.push(now);
		this.pruneSuccesses(now);
		if (this.rate === Infinity) return;
		if (this.blocked) {
			// The first answer after a used-up window: the window has reset. Go back at once to half the
			// rate that worked before it, and slow start from there.
			this.blocked = false;
			this.rate = Math.max(this.rate, this.threshold * this.tuning.recoveryFactor);
			return;
		}
		const perSecond = Math.max(this.tuning.minIncreasePerSecond, this.rate * this.tuning.increasePerSecond);
		const step = this.rate < this.threshold ? this.tuning.slowStartStep : perSecond / this.rate;
		// Growth beyond twice what is really sent would only store up a burst.
		const ceiling = Math.max(this.threshold, 2 * this.measuredRate(now), this.tuning.minRatePerSecond * 2);
		this.rate = Math.min(this.rate + step, Math.max(ceiling, this.rate));
	}

	/** Plaid refused the request for its rate limit. */
	onRateLimited(): void {
		const now = this.clock.now();
		const newEpisode = now - this.lastRefusedAt > this.tuning.episodeGapMs;
		this.lastRefusedAt = now;
		if (now - this.lastCutAt < this.tuning.cutCooldownMs) return;
		const measured = this.measuredRate(now);
		// The first answers of a burst arrive together, refusals a little before successes: a refusal
		// before any success says little yet. Wait a moment for the answers, unless none come.
		if (this.rate === Infinity && measured === 0) {
			this.firstUnmeasuredRefusalAt ??= now;
			if (now - this.firstUnmeasuredRefusalAt < this.tuning.firstAnswersMs) return;
		}
		this.lastCutAt = now;
		// Unpaced, with nothing answered yet: all that is known is how fast requests went out.
		const base = this.rate === Infinity ? measured || this.sentRate(now) : this.rate;
		const cut =
			measured > 0 ? Math.min(base, this.tuning.cutFactor * measured) : base * this.tuning.collapseFactor;
		this.blocked = measured === 0 && this.rate !== Infinity;
		this.rate = Math.max(this.tuning.minRatePerSecond, cut || this.tuning.minRatePerSecond);
		// A rate measured over less than a whole window (the first moments of a run) is too uncertain
		// to climb back to slowly: slow start goes on above it until a full window has been seen.
		const wholeWindow = this.measuringSince > -Infinity && now - this.measuringSince >= this.tuning.measureWindowMs;
		if (wholeWindow && (newEpisode || this.threshold === Infinity)) this.threshold = this.rate;
	}

	private forget(): void {
		this.measuringSince = -Infinity;
		this.firstUnmeasuredRefusalAt = undefined;
		this.sends.length = 0;
		this.rate = Infinity;
		this.threshold = Infinity;
		this.blocked = false;
		this.lastCutAt = -Infinity;
		this.lastRefusedAt = -Infinity;
		this.successes.length = 0;
	}

	private nextSlotAt(): number {
		return this.rate === Infinity ? -Infinity : this.lastSentAt + 1000 / this.rate;
	}

	/**
	 * Successes per second over the last measure window (or since measuring began). At low rates a
	 * window holds too few to count on, so the last MIN_COUNTED successes are used, however old.
	 */
	private measuredRate(now: number): number {
		this.pruneSuccesses(now);
		const windowStart = Math.max(now - this.tuning.measureWindowMs, this.measuringSince);
		let counted = this.successes.filter((at) => at > windowStart).length;
		let since = windowStart;
		// Nothing got through in the window: nothing to measure (a window is used up, say).
		if (counted > 0 && counted < MIN_COUNTED && this.successes.length > counted) {
			counted = Math.min(MIN_COUNTED, this.successes.length);
			since = this.successes[this.successes.length - counted];
		}
		return (counted * 1000) / Math.max(MIN_MEASURED_SPAN_MS, now - since);
	}

	private sent(now: number): void {
		this.lastSentAt = now;
		this.sends.push(now);
		const oldest = now - this.tuning.measureWindowMs;
		while (this.sends.length > 0 && this.sends[0] <= oldest) this.sends.shift();
	}

	/** Requests sent per second over the last measure window. */
	private sentRate(now: number): number {
		const oldest = now - this.tuning.measureWindowMs;
		const recent = this.sends.filter((at) => at > oldest);
		return recent.length === 0 ? 0 : (recent.length * 1000) / Math.max(MIN_MEASURED_SPAN_MS, now - recent[0]);
	}

	private pruneSuccesses(now: number): void {
		const oldest = now - MAX_SUCCESS_AGE_MS;
		let stale = 0;
		while (stale < this.successes.length && this.successes[stale] <= oldest) stale += 1;
		if (stale > 0) this.successes.splice(0, stale);
	}

	private drop(waiter: Waiter): void {
		for (const queue of [this.retries, this.firsts]) {
			const index = queue.indexOf(waiter);
			if (index >= 0) queue.splice(index, 1);
		}
		waiter.resolve(false);
	}

	/** Releases queued requests one slot at a time; sleeps in short steps so a rate change applies at once. */
	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			while (this.retries.length > 0 || this.firsts.length > 0) {
				const wait = this.nextSlotAt() - this.clock.now();
				if (wait > 0) {
					await this.clock.sleep(Math.min(wait, this.tuning.maxPumpSleepMs));
					continue;
				}
				const waiter = (this.retries.length > 0 ? this.retries : this.firsts).shift() as Waiter;
				this.sent(this.clock.now());
				waiter.signal?.removeEventListener('abort', waiter.onAbort);
				waiter.resolve(true);
			}
		} finally {
			this.pumping = false;
		}
	}
}

/** Below this, a count of successes says little about a rate. */
const MIN_MEASURED_SPAN_MS = 100;
/** A rate is measured over at least this many successes when a window holds fewer ... */
const MIN_COUNTED = 10;
/** ... and none older than this. */
const MAX_SUCCESS_AGE_MS = 10_000;

interface Waiter {
	resolve: (sent: boolean) => void;
	signal?: AbortSignal;
	onAbort: () => void;
}

export interface PacerTuning {
	/** The rate Plaid's refusals never push below: how often a blocked client probes. */
	minRatePerSecond: number;
	/** A cut sets the rate to this share of what got through in the last measure window. */
	cutFactor: number;
	/** When nothing got through, a cut multiplies the rate by this. */
	collapseFactor: number;
	/** After a used-up window, the first success brings the rate back to this share of the threshold. */
	recoveryFactor: number;
	/** How far back the rate that got through is measured. */
	measureWindowMs: number;
	/** One cut per this long: the 429s of one burst say the same thing. */
	cutCooldownMs: number;
	/** Unpaced and refused before any success, the first cut waits this long for answers to measure. */
	firstAnswersMs: number;
	/** Refusals further apart than this start a new episode (a new slow-start threshold). */
	episodeGapMs: number;
	/** Below the threshold, each success adds this many requests per second (slow start: 1 doubles the rate each second). */
	slowStartStep: number;
	/** Past the threshold, the rate grows by this share of itself per second ... */
	increasePerSecond: number;
	/** ... and by at least this many requests per second, per second. */
	minIncreasePerSecond: number;
	/** A pacer nobody used for this long starts over, unpaced. */
	forgetAfterIdleMs: number;
	/** The queue re-reads the rate at least this often while it waits. */
	maxPumpSleepMs: number;
}

export interface PacerClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

/** Chosen by measurement against several limiter shapes (BENCHMARKS.md). */
export const DEFAULT_PACER_TUNING: PacerTuning = {
	minRatePerSecond: 2,
	cutFactor: 0.95,
	collapseFactor: 0.5,
	recoveryFactor: 0.5,
	measureWindowMs: 1000,
	cutCooldownMs: 500,
	firstAnswersMs: 100,
	episodeGapMs: 2000,
	slowStartStep: 1,
	increasePerSecond: 0.05,
	minIncreasePerSecond: 0.25,
	forgetAfterIdleMs: 2000,
	maxPumpSleepMs: 250,
};
