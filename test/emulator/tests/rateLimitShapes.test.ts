/**
 * The emulator's rate-limit shapes on an injected clock: each admits exactly what its definition
 * says, at every boundary, and a refusal's wait is the true wait to the millisecond.
 */
import fc from 'fast-check';

import { RateLimits, createShape, normaliseSpec, type RateLimitSpec } from '../rateLimits';

/** A clock that moves only when told. */
class TestClock {
	time = 0;

	now(): number {
		return this.time;
	}
}

/**
 * What each window shape admits, straight from its definition, given the times of the requests it
 * counted so far. The token bucket has no such closed form; its examples and waits are below.
 */
function admittedByDefinition(spec: RateLimitSpec, counted: number[], now: number): boolean {
	const [limit, W] = [spec.limit ?? 0, spec.windowMs ?? 0];
	const inWindow = (index: number) => counted.filter((time) => Math.floor(time / W) === index).length;
	if (spec.shape === 'sliding-log') return counted.filter((time) => time > now - W).length < limit;
	if (spec.shape === 'sliding-counter') {
		const index = Math.floor(now / W);
		return inWindow(index - 1) * (W - (now - index * W)) + inWindow(index) * W <= (limit - 1) * W;
	}
	if (spec.anchor === 'epoch') return inWindow(Math.floor(now / W)) < limit;
	let start: number | undefined;
	for (const time of counted) if (start === undefined || time >= start + W) start = time;
	if (start === undefined || now >= start + W) return true;
	return counted.filter((time) => time >= (start as number)).length < limit;
}

const windowShape = fc.record({
	shape: fc.constantFrom('fixed-window' as const, 'sliding-log' as const, 'sliding-counter' as const),
	limit: fc.integer({ min: 1, max: 6 }),
	windowMs: fc.integer({ min: 1, max: 60 }),
	countRefused: fc.boolean(),
});
const anyShape = fc.oneof(
	windowShape,
	windowShape.map((spec) => ({ ...spec, shape: 'fixed-window' as const, anchor: 'first-request' as const })),
	fc.record({
		shape: fc.constant('token-bucket' as const),
		ratePerSecond: fc.integer({ min: 1, max: 400 }),
		burst: fc.integer({ min: 1, max: 6 }),
		countRefused: fc.boolean(),
	}),
);

describe('rate-limit shapes, on an injected clock', () => {
	it('admit exactly what their definition admits, and a refusal’s wait is the true wait to the millisecond', () => {
		fc.assert(
			fc.property(anyShape, fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 80 }), (raw, gaps) => {
				const spec = normaliseSpec(raw);
				const clock = new TestClock();
				clock.time = 1_000_000;
				const limits = new RateLimits([spec], clock, () => undefined);
				const probe = createShape(spec);
				const counted: number[] = [];
				for (const gap of gaps) {
					clock.time += gap;
					const expected = spec.shape === 'token-bucket' ? probe.admits('client', clock.time) : admittedByDefinition(spec, counted, clock.time);
					const refusal = limits.check({ path: '/user/items/remove' });
					expect(refusal === undefined).toBe(expected);
					if (refusal === undefined || spec.countRefused) {
						counted.push(clock.time);
						probe.count('client', clock.time);
					}
					if (refusal) {
						expect(refusal.waitMs).toBeGreaterThanOrEqual(1);
						expect(probe.waitMs('client', clock.time)).toBe(refusal.waitMs);
						expect(probe.admits('client', clock.time + refusal.waitMs)).toBe(true);
						expect(probe.admits('client', clock.time + refusal.waitMs - 1)).toBe(false);
					}
				}
			}),
			{ numRuns: 400 },
		);
	});

	const admits = (spec: RateLimitSpec, clock: TestClock, times: number[]): Array<boolean | number> => {
		const limits = new RateLimits([spec], clock, () => undefined);
		return times.map((time) => {
			clock.time = time;
			return limits.check({ path: '/x' })?.waitMs ?? true;
		});
	};

	it('fixed window on the clock: a burst of 2 × limit around a boundary, then a wait to the next window', () => {
		const spec: RateLimitSpec = { shape: 'fixed-window', limit: 3, windowMs: 1000 };
		expect(admits(spec, new TestClock(), [10_998, 10_999, 10_999, 10_999, 11_000, 11_000, 11_000, 11_001, 11_700, 12_000])).toEqual([
			true, true, true, 1, true, true, true, 999, 300, true,
		]);
	});

	it('fixed window from the first request: the window starts when the first request comes', () => {
		const spec: RateLimitSpec = { shape: 'fixed-window', limit: 2, windowMs: 1000, anchor: 'first-request' };
		expect(admits(spec, new TestClock(), [10_500, 10_900, 11_000, 11_499, 11_500, 11_501, 12_400, 12_499, 12_500])).toEqual([
			true, true, 500, 1, true, true, 100, 1, true,
		]);
	});

	it('sliding log: never more than limit in any window; the wait is until the oldest counted one leaves', () => {
		const spec: RateLimitSpec = { shape: 'sliding-log', limit: 3, windowMs: 1000 };
		expect(admits(spec, new TestClock(), [0, 400, 800, 900, 999, 1000, 1001, 1400])).toEqual([true, true, true, 100, 1, true, 399, true]);
	});

	it('sliding-window counter: the previous window weighs by its overlap', () => {
		const spec: RateLimitSpec = { shape: 'sliding-counter', limit: 10, windowMs: 1000 };
		const clock = new TestClock();
		const full = Array.from({ length: 10 }, () => 500);
		// 10 in [0, 1000); at 1000 they still weigh 10; at 1099, 10 × 0.901 + 1 > 10; at 1100, 10 × 0.9 + 1 = 10.
		expect(admits(spec, clock, [...full, 999, 1000, 1099, 1100, 1100])).toEqual([...full.map(() => true), 101, 100, 1, true, 100]);
	});

	it('token bucket: a burst, then one per 1/rate; idle time refills it up to the burst only', () => {
		const spec: RateLimitSpec = { shape: 'token-bucket', ratePerSecond: 50, burst: 5 };
		const burst = [0, 0, 0, 0, 0];
		expect(admits(spec, new TestClock(), [...burst, 0, 19, 20, 21, 39, 40, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000])).toEqual([
			...burst.map(() => true), 20, 1, true, 19, 1, true, true, true, true, true, true, 20,
		]);
	});

	it('a limit that counts refusals punishes knocking: a token bucket down to −burst, a window full of refusals', () => {
		const bucket: RateLimitSpec = { shape: 'token-bucket', ratePerSecond: 100, burst: 2, countRefused: true };
		expect(admits(bucket, new TestClock(), [0, 0, 0, 0, 0, 0, 40])).toEqual([true, true, 20, 30, 30, 30, true]);
		// Knocking every 50 ms on a log of 2 per 100 ms never gets in; 150 ms of quiet does.
		const log: RateLimitSpec = { shape: 'sliding-log', limit: 2, windowMs: 100, countRefused: true };
		expect(admits(log, new TestClock(), [0, 50, 99, 100, 150, 199, 249, 400])).toEqual([true, true, 51, 99, 50, 51, 50, true]);
	});

	it('refuses a spec with a wrong or missing field, naming it', () => {
		expect(() => normaliseSpec({ shape: 'fixed-window', limit: 0, windowMs: 1000 })).toThrow(/limit must be a whole number/);
		expect(() => normaliseSpec({ shape: 'token-bucket', ratePerSecond: 5, burst: 2, windowMs: 1000 } as RateLimitSpec)).toThrow(/token-bucket takes no windowMs/);
		expect(() => normaliseSpec({ shape: 'leaky' } as unknown as RateLimitSpec)).toThrow(/shape must be one of/);
		expect(() => normaliseSpec({ shape: 'sliding-log', limit: 2, windowMs: 100, retryAfter: 'ms' } as unknown as RateLimitSpec)).toThrow(/retryAfter/);
		expect(() => normaliseSpec({ shape: 'sliding-log', limit: 2, windowMs: 100, paths: ['item/get'] })).toThrow(/paths/);
	});
});
