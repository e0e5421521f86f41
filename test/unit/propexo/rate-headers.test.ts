import { describe, expect, it } from 'vitest';
import { parseRateHeaders, parseRetryAfter } from '../../../app/propexo/rate-headers.ts';

const now = Date.UTC(2026, 1, 12, 10, 0, 0);

describe('rate headers', () => {
  it('reads the limit, the remaining count and Retry-After', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '150', 'x-ratelimit-remaining': '17', 'retry-after': '30' });
    expect(parseRateHeaders(headers, now)).toEqual({ limit: 150, remaining: 17, retryAfterMs: 30_000 });
  });

  it('leaves out what is missing or unreadable instead of guessing', () => {
    expect(parseRateHeaders(new Headers(), now)).toEqual({ limit: undefined, remaining: undefined, retryAfterMs: undefined });
    const odd = new Headers({ 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': '-3', 'retry-after': 'soon' });
    expect(parseRateHeaders(odd, now)).toEqual({ limit: undefined, remaining: undefined, retryAfterMs: undefined });
  });

  it('reads Retry-After as seconds or as an HTTP date relative to now', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter(new Date(now + 42_000).toUTCString(), now)).toBe(42_000);
    expect(parseRetryAfter('Thu, 12 Feb 2026 10:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0); // already passed
    expect(parseRetryAfter('2026', now)).toBe(2_026_000); // digits are always seconds
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('  ', now)).toBeUndefined();
  });
});
