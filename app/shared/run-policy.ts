// How hard a run may push, and how long it waits: every limit and default of a run, in one
// place. The contract's codecs, the CLI's flags, the send queue, the run context, the engine,
// the job tracker and the Send screen all read these values; none keeps a copy.
//
// Pure on purpose (no Node, no DOM, only a type import): the renderer and the preload bundle
// it, so the Send screen offers exactly the bounds main accepts.
import type { BackoffPolicy } from '../schedule/backoff.ts';

/** A whole-number setting's bounds, inclusive. */
export interface IntegerBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Requests in flight at once. 4 keeps Propexo's default budget busy (see send-queue.ts); the
 * user raises it for contracts far above 150/min, up to 32, which also protects their network.
 */
export const concurrencyBounds: IntegerBounds = { min: 1, max: 32 };
export const defaultConcurrency = 4;

/** Requests per minute to start from; the server's x-ratelimit-limit takes over once it answers. */
export const rateBounds: IntegerBounds = { min: 1, max: 100_000 };
/** Propexo's default budget. */
export const defaultRate = 150;
/** The rate is per minute. */
export const rateWindowMs = 60_000;

/** Retries of an update after its first attempt (5xx, broken connections); then it ends failed. */
export const defaultMaxRetries = 5;

/** Backoff of the retries of one update: full jitter, first ceiling 1 s, never over 30 s. */
export const defaultBackoffPolicy: BackoffPolicy = { baseMs: 1_000, capMs: 30_000, maxRetries: defaultMaxRetries };

/** The default backoff with another retry count (a run's own, as its header records it). */
export const backoffWithRetries = (maxRetries: number): BackoffPolicy => ({ ...defaultBackoffPolicy, maxRetries });

/**
 * Consecutive 429s for one row before it is given up as failed. Throttling is not a failure of
 * the row (the budget pauses the whole run in between), so this is far above `maxRetries`.
 */
export const maxThrottledInARow = 50;

/** A job not final this long after Propexo accepted its update ends `pending`, checkable later. */
export const defaultPendingTimeoutMs = 10 * 60_000;

/** How jobs are followed after acceptance (job-tracker.ts): write logs in batches, write status as the fallback. */
export const jobPolling = {
  /** No job is asked about sooner than this after acceptance. */
  firstCheckAfterMs: 2_000,
  /** Write-status polls back off (2 s, 4 s, 8 s…) up to this interval. */
  maxCheckIntervalMs: 30_000,
  /** A logs call waits for this many due jobs… */
  logsBatchSize: 25,
  /** …or for the oldest due job to have waited this long. */
  logsMaxWaitMs: 15_000,
  /** At most one logs round per this interval. */
  logsMinIntervalMs: 2_000,
  /** A job the logs have not shown this long after acceptance is checked through write status. */
  logsFallbackAfterMs: 45_000,
  /** Pages of 100 logs read per round at most. */
  maxLogsPages: 5,
} as const;

/** Whether `n` is a whole number within `bounds`. */
export const withinBounds = (n: number, bounds: IntegerBounds): boolean => Number.isInteger(n) && n >= bounds.min && n <= bounds.max;
