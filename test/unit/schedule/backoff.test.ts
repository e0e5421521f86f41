import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { backoffCeilingMs, backoffDelayMs, nextBackoff } from '../../../app/schedule/backoff.ts';
import { defaultBackoffPolicy } from '../../../app/shared/run-policy.ts';

const policyArb = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 10_000 }),
    capMs: fc.integer({ min: 1, max: 600_000 }),
    maxRetries: fc.integer({ min: 0, max: 20 }),
  })
  .filter((p) => p.capMs >= p.baseMs);
const randomArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoff', () => {
  it('is a whole number in [0, min(cap, base·2^retry)] for every retry and random draw', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 2_000 }), randomArb, (policy, retry, r) => {
        const delay = backoffDelayMs(retry, policy, () => r);
        const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeLessThanOrEqual(policy.capMs);
      }),
    );
  });

  it('jitters over the full range: the draw maps uniformly onto 0…ceiling', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 30 }), (policy, retry) => {
        const ceiling = backoffCeilingMs(retry, policy);
        expect(backoffDelayMs(retry, policy, () => 0)).toBe(0);
        expect(backoffDelayMs(retry, policy, () => 1 - Number.EPSILON)).toBe(ceiling);
        expect(backoffDelayMs(retry, policy, () => 0.5)).toBe(Math.floor(0.5 * (ceiling + 1)));
        // Out-of-range sources are clamped, not trusted.
        expect(backoffDelayMs(retry, policy, () => 7)).toBe(ceiling);
        expect(backoffDelayMs(retry, policy, () => -1)).toBe(0);
      }),
    );
  });

  it('grows the ceiling exponentially until the cap, then stays there', () => {
    const policy = { baseMs: 100, capMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5, 60, 5_000].map((r) => backoffCeilingMs(r, policy))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 100 }), (policy, retry) => {
        expect(backoffCeilingMs(retry + 1, policy)).toBeGreaterThanOrEqual(backoffCeilingMs(retry, policy));
      }),
    );
  });

  it('spreads real random delays (no two retries of a burst forced to collide)', () => {
    const delays = new Set(Array.from({ length: 200 }, () => backoffDelayMs(5, defaultBackoffPolicy)));
    expect(delays.size).toBeGreaterThan(150);
  });

  it('gives up after maxRetries retries', () => {
    fc.assert(
      fc.property(policyArb, randomArb, (policy, r) => {
        for (let done = 0; done < policy.maxRetries; done++) {
          const decision = nextBackoff(done, policy, () => r);
          expect(decision.retry).toBe(true);
        }
        expect(nextBackoff(policy.maxRetries, policy, () => r)).toEqual({ retry: false });
        expect(nextBackoff(policy.maxRetries + 3, policy, () => r)).toEqual({ retry: false });
      }),
    );
  });

  it('lets a server hint lengthen but never shorten the wait', () => {
    const policy = { baseMs: 1_000, capMs: 8_000, maxRetries: 3 };
    expect(nextBackoff(0, policy, () => 0.999, 5_000)).toEqual({ retry: true, delayMs: 5_000 });
    expect(nextBackoff(2, policy, () => 1 - Number.EPSILON, 1_000)).toEqual({ retry: true, delayMs: 4_000 });
  });
});
