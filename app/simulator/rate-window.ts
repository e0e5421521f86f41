// Propexo's per-customer budget: a fixed window of `limit` requests that resets every
// `windowMs` ("blocks until the minute resets"). The first request opens the first window, so
// a test starts with a fresh, predictable window; from then on windows follow each other at a
// fixed period whether or not requests come, as a clock's minutes do.

export interface RateVerdict {
  /** false: the budget is spent; answer 429 until `resetInMs` has passed. */
  readonly allowed: boolean;
  /** What `x-ratelimit-remaining` shows after this request. */
  readonly remaining: number;
  /** true: the budget was already `slowdownFrom` used when this request arrived. */
  readonly slow: boolean;
  readonly resetInMs: number;
}

export interface RateBudget {
  readonly limit: number;
  readonly windowMs: number;
  /** Share of the budget (0–1) from which responses are slowed. */
  readonly slowdownFrom: number;
}

export class FixedRateWindow {
  private openedAt: number | null = null;
  private used = 0;

  constructor(private readonly now: () => number) {}

  private roll(windowMs: number): number {
    const now = this.now();
    if (this.openedAt === null) {
      this.openedAt = now;
      this.used = 0;
    } else if (now >= this.openedAt + windowMs) {
      this.openedAt += Math.floor((now - this.openedAt) / windowMs) * windowMs;
      this.used = 0;
    }
    return now;
  }

  /** Counts one request against the budget and says how to treat it. */
  take(budget: RateBudget): RateVerdict {
    const now = this.roll(budget.windowMs);
    const resetInMs = Math.max(0, (this.openedAt ?? now) + budget.windowMs - now);
    const usedBefore = this.used;
    if (usedBefore >= budget.limit) return { allowed: false, remaining: 0, slow: false, resetInMs };
    this.used = usedBefore + 1;
    // Compare counts, not fractions: 0.8 × 150 must mean "from the 121st request".
    const slowFrom = Math.ceil(budget.slowdownFrom * budget.limit - 1e-9);
    return { allowed: true, remaining: budget.limit - this.used, slow: usedBefore >= slowFrom, resetInMs };
  }

  /** The remaining budget without spending any (for answers that are not counted, e.g. 401). */
  peek(budget: RateBudget): { readonly remaining: number; readonly resetInMs: number } {
    const now = this.now();
    if (this.openedAt === null) return { remaining: budget.limit, resetInMs: 0 };
    if (now >= this.openedAt + budget.windowMs) {
      const nextReset = this.openedAt + (Math.floor((now - this.openedAt) / budget.windowMs) + 1) * budget.windowMs;
      return { remaining: budget.limit, resetInMs: nextReset - now };
    }
    return { remaining: Math.max(0, budget.limit - this.used), resetInMs: this.openedAt + budget.windowMs - now };
  }

  reset(): void {
    this.openedAt = null;
    this.used = 0;
  }
}
