// Time is injected everywhere the scheduler waits, so backoff and rate-window tests run on a
// manual clock in milliseconds instead of real minutes.
import { setTimeout as delay } from 'node:timers/promises';
import { abortError } from './abort.ts';

export interface Clock {
  /** Wall-clock epoch milliseconds (Retry-After can be an HTTP date, so not a monotonic origin). */
  now(): number;
  /** Resolves after `ms`; rejects with an AbortError if `signal` aborts first. `ms <= 0` resolves at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => {
    if (signal?.aborted) return Promise.reject(abortError());
    if (ms <= 0) return Promise.resolve();
    return delay(ms, undefined, signal ? { signal } : undefined);
  },
};
