import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * How many Plaid requests one execution may have in flight, adapted to Plaid's rate limit
 * (additive increase, multiplicative decrease). It starts at the node's Concurrency; a 429
 * anywhere in the execution cuts the allowance for every item and pauses new requests briefly;
 * each success grows it back by about one request per round trip. One limiter lives per
 * execution of the node (the router creates it), never in module scope: n8n runs many
 * executions in one process, and one's rate limit must not slow another.
 */
export class RateLimiter {
	/** Requests allowed in flight now; fractional so that growth is gradual. */
	private allowance: number;

	private inFlight = 0;

	/** Requests waiting for a slot: retries first, then first come first served. */
	private readonly waiting: Array<() => void> = [];

	/** Counts cuts. A request remembers the count it started under, so one burst of 429s cuts once. */
	private cuts = 0;

	private resumeAt = 0;

	constructor(
		readonly maxInFlight: number,
		private readonly tuning: LimiterTuning = DEFAULT_TUNING,
		private readonly clock: LimiterClock = { now: () => Date.now(), sleep },
	) {
		this.allowance = maxInFlight;
	}

	/** Requests allowed in flight now (at least 1, at most `maxInFlight`). */
	get allowed(): number {
		return Math.floor(this.allowance);
	}

	/**
	 * Sends one request within the allowance; `wasRateLimited` tells a 429 from anything else.
	 * A `retry` goes ahead of first attempts: it has been refused already, and its item's retries
	 * are counted.
	 */
	async run<T>(send: () => Promise<T>, wasRateLimited: (result: T) => boolean, retry = false): Promise<T> {
		await this.acquire(retry);
		const cutsAtStart = this.cuts;
		let answer: 'answered' | 'rateLimited' | 'threw' = 'threw';
		try {
			const result = await send();
			answer = wasRateLimited(result) ? 'rateLimited' : 'answered';
			return result;
		} finally {
			if (answer === 'rateLimited') this.cut(cutsAtStart);
			if (answer === 'answered') this.allowance = Math.min(this.maxInFlight, this.allowance + 1 / this.allowance);
			this.inFlight -= 1;
			this.handOverSlots();
		}
	}

	private async acquire(retry: boolean): Promise<void> {
		if (this.waiting.length === 0 && this.inFlight < this.allowed) this.inFlight += 1;
		else await new Promise<void>((resolve) => (retry ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
		// A slot is held during a pause: nothing is sent then, and the order of waiting is kept.
		for (let pause = this.resumeAt - this.clock.now(); pause > 0; pause = this.resumeAt - this.clock.now()) {
			await this.clock.sleep(pause);
		}
	}

	/** A slot freed or the allowance grew: wake waiting requests, counting them in flight already. */
	private handOverSlots(): void {
		while (this.waiting.length > 0 && this.inFlight < this.allowed) {
			this.inFlight += 1;
			(this.waiting.shift() as () => void)();
		}
	}

	/** The first 429 of a burst: fewer requests in flight, and none started for a moment. */
	private cut(cutsAtStart: number): void {
		if (cutsAtStart !== this.cuts) return;
		this.cuts += 1;
		this.allowance = Math.max(1, this.allowance * this.tuning.decrease);
		this.resumeAt = Math.max(this.resumeAt, this.clock.now() + this.tuning.pauseMs);
	}
}

export interface LimiterTuning {
	/** The allowance is multiplied by this on a 429. */
	decrease: number;
	/** New requests wait this long after a 429. */
	pauseMs: number;
}

export interface LimiterClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

/**
 * Measured against a 1-second rate window (BENCHMARKS.md): cutting to 0.7 (as TCP CUBIC does)
 * rather than halving keeps the run nearer the allowed rate, and a pause of half a second lets
 * a window pass without giving up much of the next one.
 */
export const DEFAULT_TUNING: LimiterTuning = { decrease: 0.7, pauseMs: 500 };

/** The execution context the router hands to operations: n8n's, plus this execution's limiter. */
type LimitedContext = IExecuteFunctions & { readonly plaidRateLimiter: RateLimiter };

/**
 * `context` with `limiter` attached, for the transport to find. A new object whose prototype is
 * n8n's context, so n8n's object is left as it is and every method still works.
 */
export function withRateLimiter(context: IExecuteFunctions, limiter: RateLimiter): IExecuteFunctions {
	return Object.create(context, { plaidRateLimiter: { value: limiter } }) as LimitedContext;
}

/** The limiter of this execution; none for calls outside the router (a trigger, a credential test). */
export function rateLimiterOf(context: object): RateLimiter | undefined {
	const limiter = (context as Partial<LimitedContext>).plaidRateLimiter;
	return limiter instanceof RateLimiter ? limiter : undefined;
}
