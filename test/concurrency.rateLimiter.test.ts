/**
 * The execution's rate limiter on its own, with a clock the test moves: how many requests it
 * lets through at once, how a 429 cuts that and pauses, and how successes grow it back.
 */
import fc from 'fast-check';

import { RateLimiter, rateLimiterOf, withRateLimiter } from '../nodes/Plaid/transport/rateLimiter';

type Answer = 'ok' | '429';

/** A clock whose sleeps finish only when the test advances time. */
function manualClock() {
	let now = 0;
	const sleepers: Array<{ until: number; wake: () => void }> = [];
	return {
		now: () => now,
		sleep: async (ms: number) => await new Promise<void>((wake) => sleepers.push({ until: now + ms, wake })),
		advance(ms: number) {
			now += ms;
			for (const sleeper of sleepers.filter((entry) => entry.until <= now)) {
				sleepers.splice(sleepers.indexOf(sleeper), 1);
				sleeper.wake();
			}
		},
	};
}

const settle = async () => {
	for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Requests whose answers the test gives; counts how many are in flight. */
function requests(limiter: RateLimiter) {
	const pending: Array<(answer: Answer) => void> = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const send = async () =>
		await limiter.run(
			async () => {
				inFlight += 1;
				maxInFlight = Math.max(maxInFlight, inFlight);
				const answer = await new Promise<Answer>((resolve) => pending.push(resolve));
				inFlight -= 1;
				return answer;
			},
			(answer) => answer === '429',
		);
	const answerNext = async (answer: Answer) => {
		(pending.shift() as (answer: Answer) => void)(answer);
		await settle();
	};
	return { send, answerNext, pending, inFlight: () => inFlight, maxInFlight: () => maxInFlight };
}

describe('RateLimiter', () => {
	it('lets at most maxInFlight requests through, the rest in order as slots free', async () => {
		const limiter = new RateLimiter(3, undefined, manualClock());
		const calls = requests(limiter);
		const done = Array.from({ length: 7 }, async () => await calls.send());
		await settle();
		expect(calls.inFlight()).toBe(3);
		while (calls.pending.length > 0) await calls.answerNext('ok');
		expect(await Promise.all(done)).toEqual(Array(7).fill('ok'));
		expect(calls.maxInFlight()).toBe(3);
	});

	it('cuts once per burst of 429s, pauses new requests, then grows back with successes', async () => {
		const clock = manualClock();
		const limiter = new RateLimiter(10, { decrease: 0.5, pauseMs: 500 }, clock);
		const calls = requests(limiter);
		const first = Array.from({ length: 10 }, async () => await calls.send());
		await settle();

		// Ten requests sent before the cut all get 429: one cut, not ten.
		for (let i = 0; i < 10; i++) await calls.answerNext('429');
		expect(limiter.allowed).toBe(5);
		await Promise.all(first);

		const later = Array.from({ length: 6 }, async () => await calls.send());
		await settle();
		expect(calls.inFlight()).toBe(0);
		clock.advance(499);
		await settle();
		expect(calls.inFlight()).toBe(0);
		clock.advance(1);
		await settle();
		expect(calls.inFlight()).toBe(5);

		// A 429 for a request sent after the cut starts a new burst.
		await calls.answerNext('429');
		expect(limiter.allowed).toBe(2);
		clock.advance(500);
		await settle();
		while (calls.pending.length > 0) await calls.answerNext('ok');
		await Promise.all(later);
		expect(limiter.allowed).toBeGreaterThan(2);
	});

	it('never goes below 1 nor above maxInFlight, whatever the answers', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.array(fc.boolean(), { maxLength: 60 }), async (max, answers) => {
				const clock = manualClock();
				const limiter = new RateLimiter(max, undefined, clock);
				const calls = requests(limiter);
				const all = answers.map(async () => await calls.send());
				for (const limited of answers) {
					while (calls.pending.length === 0) {
						clock.advance(1000);
						await settle();
					}
					await calls.answerNext(limited ? '429' : 'ok');
					expect(limiter.allowed).toBeGreaterThanOrEqual(1);
					expect(limiter.allowed).toBeLessThanOrEqual(max);
				}
				await Promise.all(all);
				expect(calls.maxInFlight()).toBeLessThanOrEqual(max);
			}),
			{ numRuns: 50 },
		);
	});

	it('lets a retry go ahead of first attempts waiting for a slot', async () => {
		const limiter = new RateLimiter(1, undefined, manualClock());
		const order: string[] = [];
		const sendAs = (name: string, retry: boolean) => limiter.run(async () => order.push(name), () => false, retry);
		let release = () => {};
		const blocker = limiter.run(async () => await new Promise<void>((resolve) => (release = resolve)), () => false);
		await settle();
		const queued = [sendAs('first a', false), sendAs('first b', false), sendAs('retry', true)];
		release();
		await Promise.all([blocker, ...queued]);
		expect(order).toEqual(['retry', 'first a', 'first b']);
	});

	it('frees the slot when a request throws', async () => {
		const limiter = new RateLimiter(1, undefined, manualClock());
		await expect(limiter.run(async () => await Promise.reject(new Error('boom')), () => false)).rejects.toThrow('boom');
		await expect(limiter.run(async () => 'next', () => false)).resolves.toBe('next');
	});

	it('rides on a context without changing it, and only there', () => {
		const context = { getNode: () => ({ name: 'Plaid' }) } as never;
		const limiter = new RateLimiter(2);
		const limited = withRateLimiter(context, limiter);
		expect(rateLimiterOf(limited)).toBe(limiter);
		expect(rateLimiterOf(context)).toBeUndefined();
		expect((limited as { getNode: () => { name: string } }).getNode().name).toBe('Plaid');
		expect(Object.keys(context)).toEqual(['getNode']);
	});
});
