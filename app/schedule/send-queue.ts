// Runs requests with bounded concurrency (p-limit) inside the shared rate budget.
//
// Order of waits: a concurrency slot first, then budget. The task a freed slot runs is chosen
// only when the slot frees (fairly between updates and checks), not when it was queued, so a
// status check queued behind 500 updates waits a few grants, not 500.
//
// Throughput (Little's law): requests in flight = throughput × latency, so
// throughput ≤ concurrency / latency. Propexo answers fast until 80% of the minute's budget is
// spent, then slows every response by ~2 s. With the default 4 slots and 150/min: 120 fast
// requests (~0.2 s) take ~6 s, the last 30 at 4 / 2 s = 2 per second take ~15 s, so the
// whole budget is spent in ~21 s of each minute: concurrency is not the bottleneck, the
// budget is. Only for contracts far above 150/min does 4 fall short (1,000/min needs
// 200 slow requests at 2 s = 100 s of 4 slots); the user raises concurrency then (up to 32).
// We never exceed the user's setting: it is also how they protect their PMS and network.
import pLimit, { type LimitFunction } from 'p-limit';
import type { Clock } from './clock.ts';
import { abortError, whenAborted } from './abort.ts';
import { createFairPicker, type FairShareOptions, type RequestClass } from './fair-share.ts';
import type { RateBudget } from './rate-budget.ts';
import { concurrencyBounds, defaultConcurrency, withinBounds } from '../shared/run-policy.ts';

export interface SendQueueOptions {
  readonly budget: Pick<RateBudget, 'acquire'>;
  readonly clock: Pick<Clock, 'now'>;
  /** Requests in flight at most, within run-policy.ts `concurrencyBounds`. Default `defaultConcurrency`. */
  readonly concurrency?: number;
  readonly fairness?: Partial<FairShareOptions>;
}

export interface SendQueueStats {
  /** Tasks holding a slot (waiting for budget or running). */
  readonly active: number;
  readonly queued: Readonly<Record<RequestClass, number>>;
}

export interface SendQueue {
  /**
   * Runs `task` once a slot and budget are free; resolves or rejects with the task's outcome.
   * Aborting `signal` before the task starts rejects with an AbortError and spends nothing;
   * once started, the task owns cancellation (pass it the same signal).
   */
  run<T>(kind: RequestClass, task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Changes the slot count live (within `concurrencyBounds`). */
  setConcurrency(concurrency: number): void;
  readonly concurrency: number;
  stats(): SendQueueStats;
  /** Rejects every task that has not started with an AbortError. */
  clear(): void;
}

interface Entry {
  readonly kind: RequestClass;
  readonly since: number;
  readonly start: () => Promise<void>;
  readonly cancel: (error: unknown) => void;
}

export function validateConcurrency(concurrency: number): number {
  if (!withinBounds(concurrency, concurrencyBounds)) {
    throw new RangeError(
      `Concurrency must be a whole number from ${concurrencyBounds.min} to ${concurrencyBounds.max} (got ${concurrency})`,
    );
  }
  return concurrency;
}

export function createSendQueue(options: SendQueueOptions): SendQueue {
  const { budget, clock } = options;
  const limit: LimitFunction = pLimit(validateConcurrency(options.concurrency ?? defaultConcurrency));
  const picker = createFairPicker(options.fairness);
  const queues: Record<RequestClass, Entry[]> = { update: [], check: [] };
  let active = 0;

  function takeNext(): Entry | undefined {
    const kind = picker.pick(queues.update[0]?.since, queues.check[0]?.since, clock.now());
    if (kind === undefined) return undefined;
    const contested = queues[kind === 'update' ? 'check' : 'update'].length > 0;
    picker.granted(kind, contested);
    return queues[kind].shift();
  }

  // One slot turn per queued task. A turn that finds the queues empty (its task was aborted)
  // ends at once.
  async function turn(): Promise<void> {
    const entry = takeNext();
    if (entry === undefined) return;
    active++;
    try {
      await entry.start();
    } finally {
      active--;
    }
  }

  function run<T>(kind: RequestClass, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError('The request was cancelled before it was sent'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const queue = queues[kind];
        const index = queue.indexOf(entry);
        if (index < 0) return; // already started: the budget wait or the task sees the signal
        queue.splice(index, 1);
        reject(abortError('The request was cancelled before it was sent'));
      };
      const unwatch = signal === undefined ? undefined : whenAborted(signal, onAbort);
      const entry: Entry = {
        kind,
        since: clock.now(),
        start: async () => {
          unwatch?.();
          let permit;
          try {
            permit = await budget.acquire(kind, signal);
          } catch (error) {
            reject(error);
            return;
          }
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          } finally {
            permit.release();
          }
        },
        cancel: (error) => {
          unwatch?.();
          reject(error);
        },
      };
      queues[kind].push(entry);
      // turn() never rejects: every outcome is delivered through this promise.
      void limit(turn);
    });
  }

  return {
    run,
    setConcurrency(concurrency) {
      limit.concurrency = validateConcurrency(concurrency);
    },
    get concurrency() {
      return limit.concurrency;
    },
    stats() {
      return { active, queued: { update: queues.update.length, check: queues.check.length } };
    },
    clear() {
      for (const kind of ['update', 'check'] as const) {
        for (const entry of queues[kind].splice(0)) entry.cancel(abortError('The send queue was cleared'));
      }
    },
  };
}
