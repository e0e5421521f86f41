import { describe, expect, it } from 'vitest';
import { chooseStrategy, describeStrategy, listingRequests, timeAtBudgetMs } from '../../../app/lookup/strategy.ts';

const rate = { limit: 150, windowMs: 60_000 };

describe('chooseStrategy', () => {
  it('lists a scope of 20,000 for 10,000 keys and asks per row for 200 keys in 200,000', () => {
    const many = chooseStrategy(10_000, 1, 20_000, rate);
    expect(many.chosen).toEqual({ kind: 'list', requests: 81, ms: 0 });
    expect(many.other.requests).toBe(10_000);
    const few = chooseStrategy(200, 1, 200_000, rate);
    expect(few.chosen).toEqual({ kind: 'per_row', requests: 200, ms: 60_000 });
    expect(few.other).toMatchObject({ kind: 'list', requests: 801 });
    expect(describeStrategy(many, rate)).toBe(
      'listing the scope (20,000 leads): 82 requests with the size probe, no waiting at 150 requests a minute; asking per row would cost 10,001',
    );
    // Past the first window's share, the wait is said.
    expect(describeStrategy(few, rate)).toBe(
      'asking per row (200 keys): 201 requests with the size probe, about 1 min of waiting at 150 requests a minute; listing the scope would cost 802',
    );
    // A budget of another window is said as people say it, not as a fraction ("10,000/1 s").
    const fast = { limit: 10_000, windowMs: 1_000 };
    expect(describeStrategy(chooseStrategy(200, 1, 200_000, fast), fast)).toBe(
      'asking per row (200 keys): 201 requests with the size probe, no waiting at 10,000 requests a second; listing the scope would cost 802',
    );
  });

  it('is never dearer than the other strategy, wherever keys and scope fall', () => {
    for (const total of [0, 1, 249, 250, 251, 5_000, 20_000, 200_000]) {
      for (const keys of [1, 2, 20, 21, 22, 80, 81, 82, 800, 10_000]) {
        const choice = chooseStrategy(keys, 1, total, rate);
        expect(choice.chosen.requests, `${keys} keys in ${total}`).toBeLessThanOrEqual(Math.min(keys, listingRequests(total)));
      }
    }
  });

  it('prices requests at the budget: those past a window wait for the next', () => {
    expect(timeAtBudgetMs(150, rate)).toBe(0);
    expect(timeAtBudgetMs(151, rate)).toBe(60_000);
    expect(timeAtBudgetMs(801, rate)).toBe(5 * 60_000);
  });
});
