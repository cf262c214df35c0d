/** How the rate pacer learns (ratePacer.ts, rateGate.ts). */
export interface PacerTuning {
	/** While open, at most this many requests in flight at first; each success allows one more. */
	initialInFlight: number;
	/** Open again after a calm spell, at most this many (or twice those in flight) at first. */
	reopenInFlight: number;
	/** The rate Plaid's refusals never push below: how often a blocked client probes. */
	minRatePerSecond: number;
	/** A cut sets the rate to this share of what got through in the last measure window ... */
	cutFactor: number;
	/** ... or of the pace the refused request went at, if that was at most this many times what got through. */
	maxAboveMeasured: number;
	/** When nothing got through, a cut multiplies the rate by this. */
	collapseFactor: number;
	/** After a used-up window, the first success brings the rate back to this share of the threshold. */
	recoveryFactor: number;
	/** How far back the rate that got through is measured ... */
	measureWindowMs: number;
	/** ... over at least this many successes, however old (at low rates a window holds too few) ... */
	minCounted: number;
	/** ... none older than this ... */
	maxSuccessAgeMs: number;
	/** ... and over at least this span. */
	minMeasuredSpanMs: number;
	/** One cut per this long: the refusals of one burst say the same thing. */
	cutCooldownMs: number;
	/** Open and refused before any success, the first cut waits this long for answers to measure. */
	firstAnswersMs: number;
	/** Refusals further apart than this start a new episode (a new slow-start threshold). */
	episodeGapMs: number;
	/** Below the threshold, each success adds this many requests per second (slow start: 1 doubles the rate each second). */
	slowStartStep: number;
	/** Past the threshold, the rate is held this long after the last refusal ... */
	holdMs: number;
	/** ... then doubles every this long, ever faster (probing upward) ... */
	doublingMs: number;
	/** ... and the scope is open again once this long passes without a refusal. */
	reopenAfterMs: number;
	/** A refusal belongs to its endpoint alone when, over this long, the endpoint's requests were refused ... */
	attributionWindowMs: number;
	/** ... more than this many times as often as the other endpoints' ... */
	aloneFactor: number;
	/** ... plus this share ... */
	aloneMargin: number;
	/** ... and the others had at least this many answers, the endpoint at least this many refusals. */
	minOtherAnswers: number;
	minOwnRefusals: number;
	/** A client nobody used for this long starts over, open: an earlier run's lesson says little about the next. */
	forgetAfterIdleMs: number;
	/** The queue re-reads the gates at least this often while it waits. */
	maxPumpSleepMs: number;
}

/** Chosen by measurement in virtual time and on the bench (BENCHMARKS.md). */
export const DEFAULT_PACER_TUNING: PacerTuning = {
	initialInFlight: 16,
	reopenInFlight: 4,
	minRatePerSecond: 2,
	cutFactor: 0.95,
	maxAboveMeasured: 1.2,
	collapseFactor: 0.5,
	recoveryFactor: 0.5,
	measureWindowMs: 1000,
	minCounted: 10,
	maxSuccessAgeMs: 10_000,
	minMeasuredSpanMs: 100,
	cutCooldownMs: 500,
	firstAnswersMs: 100,
	episodeGapMs: 2000,
	slowStartStep: 1,
	holdMs: 1000,
	doublingMs: 2000,
	reopenAfterMs: 5000,
	attributionWindowMs: 2000,
	aloneFactor: 3,
	aloneMargin: 0.1,
	minOtherAnswers: 10,
	minOwnRefusals: 3,
	forgetAfterIdleMs: 1,
	maxPumpSleepMs: 250,
};

/** The pacer's time (and randomness), so tests can run it in virtual time. */
export interface PacerClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	/** Uniform in [0, 1); Math.random unless a test fixes it. */
	random?: () => number;
}
