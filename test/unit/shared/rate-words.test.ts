// A budget written as people read it, whatever its window: never "10,000/1 s".
import { describe, expect, it } from 'vitest';
import { describeRate } from '../../../app/shared/rate-words.ts';

describe('describeRate', () => {
  it('says the budget in words, with thousands separated and the window named', () => {
    expect(describeRate(10_000, 1_000)).toBe('10,000 requests a second');
    expect(describeRate(120, 60_000)).toBe('120 requests a minute');
    expect(describeRate(150, 60_000)).toBe('150 requests a minute');
    expect(describeRate(5_000, 3_600_000)).toBe('5,000 requests an hour');
    expect(describeRate(300, 300_000)).toBe('300 requests every 5 minutes');
    expect(describeRate(20_000, 7_200_000)).toBe('20,000 requests every 2 hours');
    expect(describeRate(40, 10_000)).toBe('40 requests every 10 seconds');
    expect(describeRate(15, 1_500)).toBe('15 requests every 1.5 seconds');
  });

  it('says one request, not one requests', () => {
    expect(describeRate(1, 1_000)).toBe('1 request a second');
  });
});
