// Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
// Jitter"): delay = random(0, min(cap, base · 2^attempt)). Full jitter spreads the retries of
// many rows that failed together (one 503 burst) instead of making them collide again.

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  readonly baseMs: number;
  /** No delay is ever longer than this. */
  readonly capMs: number;
  /** Retries allowed after the first attempt; past this the caller gives up. */
  readonly maxRetries: number;
}

// The policy's values (the default, a run's own retry count) are in app/shared/run-policy.ts.

/** `Math.random`-like: a number in [0, 1). Injected so tests can pin or explore it. */
export type RandomSource = () => number;

/** The ceiling of the jittered delay before retry number `retry` (0 = the first retry). */
export function backoffCeilingMs(retry: number, policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>): number {
  // 2 ** large is Infinity, which min() turns into the cap: no overflow to worry about.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry));
}

/** A whole number of milliseconds in [0, ceiling]. */
export function backoffDelayMs(retry: number, policy: Pick<BackoffPolicy, 'baseMs' | 'capMs'>, random: RandomSource = Math.random): number {
  const ceiling = backoffCeilingMs(retry, policy);
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * (ceiling + 1));
}

export type BackoffDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false };

/**
 * What to do after `retriesSoFar` retries have already failed: wait and retry, or give up.
 * `atLeastMs` lets a server hint (Retry-After) lengthen, never shorten, the wait.
 */
export function nextBackoff(
  retriesSoFar: number,
  policy: BackoffPolicy,
  random: RandomSource = Math.random,
  atLeastMs = 0,
): BackoffDecision {
  if (retriesSoFar >= policy.maxRetries) return { retry: false };
  return { retry: true, delayMs: Math.max(atLeastMs, backoffDelayMs(retriesSoFar, policy, random)) };
}
