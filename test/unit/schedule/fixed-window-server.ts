// A model of Propexo's rate limiting for budget tests on the manual clock: a fixed window whose
// phase the client is not told, counting each request when it arrives, slowing answers once
// 80% of the window's budget is spent, answering 429 (uncounted) beyond the limit.
import type { ManualClock } from '../../support/manual-clock.ts';
import type { RateBudget, RateObservation } from '../../../app/schedule/rate-budget.ts';
import type { RequestClass } from '../../../app/schedule/fair-share.ts';

export interface FixedWindowServerOptions {
  readonly limit: number;
  readonly windowMs: number;
  /** A window starts here (and every windowMs before and after). */
  readonly resetAt: number;
  readonly fastMs?: number;
  readonly slowMs?: number;
  readonly slowFrom?: number;
  readonly sendRetryAfter?: boolean;
}

export interface ServerAnswer {
  readonly status: number;
  readonly limit: number;
  readonly remaining: number;
  readonly retryAfterMs: number | undefined;
  readonly latencyMs: number;
}

export class FixedWindowServer {
  /** Accepted requests per window index. */
  readonly accepted = new Map<number, number>();
  throttled = 0;
  readonly #o: Required<FixedWindowServerOptions>;

  constructor(options: FixedWindowServerOptions) {
    this.#o = { fastMs: 100, slowMs: 2_000, slowFrom: 0.8, sendRetryAfter: false, ...options };
  }

  windowOf(t: number): number {
    return Math.floor((t - this.#o.resetAt) / this.#o.windowMs);
  }

  windowStart(index: number): number {
    return this.#o.resetAt + index * this.#o.windowMs;
  }

  /** Another client spending the same budget (the server stops it at the limit too); returns what it got. */
  spend(t: number, count: number): number {
    const w = this.windowOf(t);
    const used = this.accepted.get(w) ?? 0;
    const got = Math.max(0, Math.min(count, this.#o.limit - used));
    this.accepted.set(w, used + got);
    return got;
  }

  handle(t: number): ServerAnswer {
    const { limit, fastMs, slowMs, slowFrom, sendRetryAfter } = this.#o;
    const w = this.windowOf(t);
    const used = this.accepted.get(w) ?? 0;
    if (used >= limit) {
      this.throttled++;
      const retryAfterMs = sendRetryAfter ? this.windowStart(w + 1) - t : undefined;
      return { status: 429, limit, remaining: 0, retryAfterMs, latencyMs: fastMs };
    }
    this.accepted.set(w, used + 1);
    return {
      status: 200,
      limit,
      remaining: limit - used - 1,
      retryAfterMs: undefined,
      latencyMs: used + 1 > slowFrom * limit ? slowMs : fastMs,
    };
  }
}

/**
 * `workers` senders share `requests` requests through the budget; a 429 puts the request
 * back. Resolves when all were accepted. Drive it with `clock.advance`.
 */
export function sendThrough(
  clock: ManualClock,
  budget: RateBudget,
  server: FixedWindowServer,
  options: { workers: number; requests: number; kind?: RequestClass; onObserve?: (o: RateObservation) => void },
): Promise<void> {
  let left = options.requests;
  const worker = async (): Promise<void> => {
    while (left > 0) {
      left--;
      const permit = await budget.acquire(options.kind ?? 'update');
      const sentAt = clock.now();
      const answer = server.handle(sentAt);
      await clock.sleep(answer.latencyMs);
      const observation = {
        status: answer.status,
        limit: answer.limit,
        remaining: answer.remaining,
        retryAfterMs: answer.retryAfterMs,
        sentAt,
        at: clock.now(),
      };
      options.onObserve?.(observation);
      budget.observe(observation);
      permit.release();
      if (answer.status === 429) left++;
    }
  };
  return Promise.all(Array.from({ length: options.workers }, worker)).then(() => undefined);
}
