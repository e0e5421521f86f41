// Every Propexo response carries x-ratelimit-limit and x-ratelimit-remaining; a 429 may carry
// Retry-After (seconds or an HTTP date, RFC 9110 §10.2.3). Unreadable values are dropped, not
// guessed: the scheduler falls back to its own count.

export interface RateHeaders {
  readonly limit: number | undefined;
  readonly remaining: number | undefined;
  readonly retryAfterMs: number | undefined;
}

interface HeaderSource {
  get(name: string): string | null;
}

function parseCount(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Retry-After in milliseconds from `now`; a date in the past means 0. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only HTTP-date forms (they name a weekday or month); Date.parse alone accepts too much.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function parseRateHeaders(headers: HeaderSource, now: number): RateHeaders {
  return {
    limit: parseCount(headers.get('x-ratelimit-limit')),
    remaining: parseCount(headers.get('x-ratelimit-remaining')),
    retryAfterMs: parseRetryAfter(headers.get('retry-after'), now),
  };
}
