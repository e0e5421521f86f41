import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashSeed, intBetween, mulberry32, streamFor } from '../../../app/simulator/random.ts';

describe('seeded randomness', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const take = (seed: number): number[] => {
      const random = mulberry32(seed);
      return Array.from({ length: 5 }, () => random());
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it('stays in [0, 1) and spreads evenly enough', () => {
    const random = mulberry32(123);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = random();
      if (u < 0 || u >= 1) outside += 1;
      else buckets[Math.floor(u * 10)] += 1;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 1_000)).toBeLessThan(150);
  });

  it('keys streams by their parts, not by their concatenation', () => {
    expect(hashSeed(1, 'ab', 'c')).not.toBe(hashSeed(1, 'a', 'bc'));
    expect(streamFor(1, 'lead-1', 0)()).toBe(streamFor(1, 'lead-1', 0)());
    expect(streamFor(1, 'lead-1', 0)()).not.toBe(streamFor(1, 'lead-1', 1)());
  });

  it('draws integers within both bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, a, b) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const value = intBetween(mulberry32(seed), min, max);
        return Number.isInteger(value) && value >= min && value <= max;
      }),
      { seed: 5 },
    );
  });
});
