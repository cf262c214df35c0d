import type { PacerTuning } from './pacerTuning';

/**
 * The rate one scope of a client's limit (the client as a whole, or one endpoint) lets through,
 * found by watching answers, whatever Plaid's limiter is (fixed window, sliding window, token
 * bucket; Plaid documents limits per minute, not the algorithm):
 *
 * - Open until refused, nothing being known, but at most `initialInFlight` in flight at first and
 *   one more per success, so a burst of executions does not send hundreds into an unknown limit.
 * - On a refusal, at most once per `cutCooldownMs`: the rate becomes a little below what got through
 *   in the last `measureWindowMs`, or below the pace the refused request went at when that is only
 *   a little more (one cut lands near the allowed rate). When nothing got through since the last
 *   cut (a used-up window) the rate halves instead, down to a probe now and then, and the first
 *   answer after it brings the rate back to half of what worked.
 * - After a cut, each success raises the rate: doubling per second up to the rate of the last cut
 *   with answers getting through (slow start), held there while the refusal stands (`holdMs`:
 *   nothing above what a 429 says), then growing ever faster (a learnt rate is a hypothesis), and
 *   open again once `reopenAfterMs` pass without a refusal.
 */
export class RateGate {
	/** Requests per second; Infinity while open. */
	private rate = Infinity;

	/** The rate to return to quickly after an episode of refusals (TCP's slow-start threshold). */
	private threshold = Infinity;

	/** Nothing got through for a whole cut interval: a window is used up, and is waited out. */
	private blocked = false;

	private lastSentAt = -Infinity;

	private lastCutAt = -Infinity;

	private lastRefusedAt = -Infinity;

	/** Probing above the threshold: the rate and time growth started from. */
	private growthBase: { rate: number; at: number } | undefined;

	private inFlight = 0;

	private inFlightCap: number;

	/** When recent requests succeeded, for the measured rate. */
	private readonly successes: number[] = [];

	/** When recent requests were sent: what a first refusal, before any success, is measured against. */
	private readonly sends: number[] = [];

	/** When measuring began: a rate measured over less than a whole window is an estimate. */
	private measuringSince = -Infinity;

	/** A refusal that came while open and before any success (see refused). */
	private firstUnmeasuredRefusalAt: number | undefined;

	/** `capsInFlight`: whether the open gate holds back a first burst (the client's gate does, for every endpoint). */
	constructor(
		private readonly tuning: PacerTuning,
		private readonly capsInFlight: boolean,
	) {
		this.inFlightCap = capsInFlight ? tuning.initialInFlight : Infinity;
	}

	/** The paced rate (Infinity while open). */
	get ratePerSecond(): number {
		return this.rate;
	}

	/** The earliest time the next request in this scope may be sent (−Infinity: now, Infinity: when one is answered). */
	nextSendAt(): number {
		if (this.rate === Infinity) return this.inFlight < this.inFlightCap ? -Infinity : Infinity;
		return this.lastSentAt + 1000 / this.rate;
	}

	sent(now: number): void {
		this.inFlight += 1;
		this.lastSentAt = now;
		this.sends.push(now);
		while (this.sends.length > 0 && this.sends[0] <= now - this.tuning.measureWindowMs) this.sends.shift();
	}

	/** A request of this scope got no answer: it is no longer in flight, and says nothing of the limit. */
	unanswered(): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
	}

	/** Plaid answered a request of this scope (anything but a rate limit). */
	answered(now: number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		if (this.measuringSince === -Infinity) this.measuringSince = now;
		this.successes.push(now);
		this.pruneSuccesses(now);
		if (this.rate === Infinity) {
			this.inFlightCap += 1;
			return;
		}
		if (this.blocked) {
			// The first answer after a used-up window: the window has reset. Go back at once to half the
			// rate that worked before it, and slow start from there.
			this.blocked = false;
			this.rate = Math.max(this.rate, this.threshold * this.tuning.recoveryFactor);
			return;
		}
		if (this.rate < this.threshold) {
			this.rate = Math.min(this.rate + this.tuning.slowStartStep, Math.max(this.threshold, this.rate));
			return;
		}
		this.probe(now);
	}

	/**
	 * Plaid refused a request of this scope for its rate limit; it was sent while this scope was
	 * paced at `sentAtRate` (Infinity: open), which is then above the limit.
	 */
	refused(now: number, sentAtRate: number, random: () => number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		const newEpisode = now - this.lastRefusedAt > this.tuning.episodeGapMs;
		this.lastRefusedAt = now;
		this.growthBase = undefined;
		// Another sender (a second n8n worker) may be in step with this one, each taking the turns the
		// other would have had: a random shift of the next send lets the two find turns of their own.
		if (this.rate !== Infinity) this.lastSentAt = Math.max(this.lastSentAt, now - 1000 / this.rate) + (random() * 1000) / this.rate;
		if (now - this.lastCutAt < this.tuning.cutCooldownMs) return;
		const measured = this.measuredRate(now);
		// The first answers of a burst arrive together, refusals a little before successes: a refusal
		// before any success says little yet. Wait a moment for the answers, unless none come.
		if (this.rate === Infinity && measured === 0) {
			this.firstUnmeasuredRefusalAt ??= now;
			if (now - this.firstUnmeasuredRefusalAt < this.tuning.firstAnswersMs) return;
		}
		this.lastCutAt = now;
		// Open, with nothing answered yet: all that is known is how fast requests went out.
		const base = this.rate === Infinity ? measured || this.sentRate(now) : this.rate;
		// What got through is the limit's floor. When refused soon after going faster than that, the
		// pace the refused request went at is the better estimate of the ceiling (within reason).
		const bound = Math.max(measured, Math.min(sentAtRate, this.rate, this.tuning.maxAboveMeasured * measured));
		// Nothing through since the last cut while refusals came: a window is used up (what was measured
		// before is its allowance, not a rate). Otherwise the limit lets part through: a rate.
		const gettingThrough = this.successesSince(now - this.tuning.cutCooldownMs) > 0;
		const cut = measured > 0 && (gettingThrough || this.rate === Infinity) ? Math.min(base, this.tuning.cutFactor * bound) : base * this.tuning.collapseFactor;
		this.blocked = !gettingThrough && this.rate !== Infinity;
		this.rate = Math.max(this.tuning.minRatePerSecond, cut || this.tuning.minRatePerSecond);
		// A rate measured over less than a whole window (the first moments of a run) is too uncertain
		// to climb back to slowly: slow start goes on above it until a full window has been seen.
		const wholeWindow = this.measuringSince > -Infinity && now - this.measuringSince >= this.tuning.measureWindowMs;
		// Each cut with answers still getting through says where the limit is now: the rate to return to.
		if (wholeWindow && ((gettingThrough && measured > 0) || newEpisode || this.threshold === Infinity)) this.threshold = this.rate;
	}

	/** Nobody has used the client for a while: what was learnt says little about what comes. */
	forget(): void {
		this.reopen();
		this.inFlightCap = this.capsInFlight ? this.tuning.initialInFlight : Infinity;
		this.measuringSince = -Infinity;
		this.firstUnmeasuredRefusalAt = undefined;
		this.sends.length = 0;
		this.successes.length = 0;
		this.lastCutAt = -Infinity;
		this.lastRefusedAt = -Infinity;
	}

	/**
	 * Above the threshold: held while the last refusal stands, then doubling every `doublingMs` and
	 * faster still the longer no refusal comes (from a fifth of the limit, back at it in about 4 s),
	 * but never beyond twice what is really sent (that would only store up a burst); open again once
	 * the refusal is `reopenAfterMs` old.
	 */
	private probe(now: number): void {
		const calmFor = now - this.lastRefusedAt;
		if (calmFor < this.tuning.holdMs) return;
		if (calmFor >= this.tuning.reopenAfterMs) {
			this.reopen();
			return;
		}
		this.growthBase ??= { rate: this.rate, at: now };
		const spells = (now - this.growthBase.at) / this.tuning.doublingMs;
		const grown = this.growthBase.rate * 2 ** (spells + (spells * spells) / 2);
		const ceiling = Math.max(this.threshold, 2 * this.measuredRate(now), 2 * this.tuning.minRatePerSecond);
		this.rate = Math.max(this.rate, Math.min(grown, ceiling));
	}

	private reopen(): void {
		this.rate = Infinity;
		this.threshold = Infinity;
		this.blocked = false;
		this.growthBase = undefined;
		// Twice as many in flight as the pace kept (not a first burst: the limit was there a moment
		// ago), and one more with each success.
		this.inFlightCap = this.capsInFlight ? Math.max(this.tuning.reopenInFlight, 2 * this.inFlight) : Infinity;
	}

	/**
	 * Successes per second over the last measure window (or since measuring began). At low rates a
	 * window holds too few to count on, so the last `minCounted` successes are used, however old.
	 */
	private measuredRate(now: number): number {
		this.pruneSuccesses(now);
		const windowStart = Math.max(now - this.tuning.measureWindowMs, this.measuringSince);
		let counted = this.successes.filter((at) => at > windowStart).length;
		let since = windowStart;
		// Nothing got through in the window: nothing to measure (a window is used up, say).
		if (counted > 0 && counted < this.tuning.minCounted && this.successes.length > counted) {
			counted = Math.min(this.tuning.minCounted, this.successes.length);
			since = this.successes[this.successes.length - counted];
		}
		return (counted * 1000) / Math.max(this.tuning.minMeasuredSpanMs, now - since);
	}

	/** Requests sent per second over the last measure window. */
	private sentRate(now: number): number {
		const oldest = now - this.tuning.measureWindowMs;
		const recent = this.sends.filter((at) => at > oldest);
		return recent.length === 0 ? 0 : (recent.length * 1000) / Math.max(this.tuning.minMeasuredSpanMs, now - recent[0]);
	}

	private successesSince(time: number): number {
		let count = 0;
		for (let index = this.successes.length - 1; index >= 0 && this.successes[index] > time; index--) count += 1;
		return count;
	}

	private pruneSuccesses(now: number): void {
		const oldest = now - this.tuning.maxSuccessAgeMs;
		let stale = 0;
		while (stale < this.successes.length && this.successes[stale] <= oldest) stale += 1;
		if (stale > 0) this.successes.splice(0, stale);
	}
}
