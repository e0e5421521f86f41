// One request budget per rate window, shared by every request kind (updates, retries, status
// checks, log queries): Propexo counts them all against the same per-minute limit.
//
// Propexo's window is fixed (resets every minute) but its reset time is not sent, only
// `x-ratelimit-limit` and `x-ratelimit-remaining`. So:
// - Until a reset has been seen, pace with a sliding log: never more than `limit` grants in any
//   interval of `windowMs` (+ a safety margin for network-delay differences). That guarantees
//   at most `limit` arrivals in any fixed server window, whatever its phase.
// - A reset shows itself when a 2xx answer shows no less `remaining` than an answer that came
//   back before its request left (within a window, every counted request lowers it). That
//   brackets the reset in [earlier.sentAt, later.at]; later resets narrow the bracket
//   (intersection modulo windowMs). With the phase known, each server window may receive
//   `limit` requests: we grant what our own count since the earliest possible window start
//   leaves, capped by what the server says remains (its lowest answer certainly from this
//   window, minus our requests in flight). The sliding-log allowance stays available too: each
//   rule alone never overspends. Requests sent inside the bracket count against both windows,
//   so until it narrows at most one round of in-flight requests goes unused in all.
// - When the server has counted more than all our grants can explain (another integration,
//   or an earlier run, spends the same budget), its `remaining` minus our requests in flight
//   binds until that window has surely reset. Without such evidence a low `remaining` is our
//   own doing and the sliding log already accounts for it.
// - 429: everyone stops (a shared gate) until Retry-After, else the estimated reset, else a
//   full window. A 429 is not counted, so it never poses as the server's count.
import type { Clock } from './clock.ts';
import { abortError, whenAborted } from './abort.ts';
import { createFairPicker, type FairShareOptions, type RequestClass } from './fair-share.ts';
import { defaultRate, rateWindowMs } from '../shared/run-policy.ts';

/** What one HTTP response says about the budget (the Propexo client's `onResponse` payload). */
export interface RateObservation {
  readonly status: number;
  /** `x-ratelimit-limit`: requests per window. */
  readonly limit: number | undefined;
  /** `x-ratelimit-remaining` after this request was counted. */
  readonly remaining: number | undefined;
  /** `Retry-After`, in milliseconds from `at`. */
  readonly retryAfterMs: number | undefined;
  /** When the request was sent (clock time). */
  readonly sentAt: number;
  /** When the response headers arrived (clock time). */
  readonly at: number;
}

export interface RateBudgetOptions {
  readonly clock: Clock;
  /** Requests per window until the server says otherwise. Default: run-policy.ts `defaultRate`. */
  readonly limit?: number;
  /** Default: run-policy.ts `rateWindowMs` (a minute). */
  readonly windowMs?: number;
  /**
   * Added to the sliding log's window: a request's network delay can vary by this much.
   * Default: 500 ms for a one-minute window, in proportion for shorter ones (tests and
   * benchmarks scale time down; the margin must not eat a quarter of a 2-second window).
   */
  readonly safetyMarginMs?: number;
  readonly fairness?: Partial<FairShareOptions>;
}

/** A granted request. Release it once its response (or failure) is in: it stops counting as in flight. */
export interface Permit {
  readonly kind: RequestClass;
  readonly grantedAt: number;
  release(): void;
}

export interface RateEstimate {
  readonly limit: number;
  readonly windowMs: number;
  /** Requests that could be granted right now (ignoring pauses). */
  readonly remaining: number;
  readonly phaseKnown: boolean;
  /** The estimated start of the next server window, when the phase is known. */
  readonly nextResetAt: number | undefined;
}

export interface RateBudgetStats {
  readonly granted: Readonly<Record<RequestClass, number>>;
  readonly waiting: Readonly<Record<RequestClass, number>>;
  readonly inFlight: number;
  /** 429 answers observed. */
  readonly throttled: number;
  /** The user's pause (separate from the 429 gate). */
  readonly paused: boolean;
  /** End of the 429 gate, while it is closed. */
  readonly throttledUntil: number | undefined;
  readonly estimate: RateEstimate;
}

export interface RateBudget {
  /** Waits for budget. Rejects with an AbortError if `signal` aborts first (nothing is consumed). */
  acquire(kind: RequestClass, signal?: AbortSignal): Promise<Permit>;
  /** Feed every response's rate headers here. */
  observe(observation: RateObservation): void;
  /** Closes the shared gate until `time` (a 429 does this by itself). */
  pauseUntil(time: number): void;
  /** The user's pause: no grants until `resume()`. Requests in flight are not affected. */
  pause(): void;
  resume(): void;
  stats(): RateBudgetStats;
  /** Stops the wake-up timer and rejects every waiter with an AbortError. */
  close(): void;
}

interface Waiter {
  readonly kind: RequestClass;
  readonly since: number;
  readonly resolve: (permit: Permit) => void;
  readonly reject: (error: unknown) => void;
  readonly detach: () => void;
}

/** A reset happened somewhere in [lo, hi] (and every windowMs before and after). */
interface Phase {
  readonly lo: number;
  readonly hi: number;
}

/** An observation kept for reset detection. */
interface Seen {
  readonly sentAt: number;
  readonly at: number;
  readonly remaining: number;
  readonly limit: number | undefined;
}

const isCount = (n: number | undefined): n is number => n !== undefined && Number.isInteger(n) && n >= 0;

/** Index of the first element of ascending `xs` that is ≥ `x` (or > `x` when `strict`). */
function lowerBound(xs: readonly number[], x: number, strict: boolean): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? xs[mid] <= x : xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function createRateBudget(options: RateBudgetOptions): RateBudget {
  const { clock } = options;
  const windowMs = options.windowMs ?? rateWindowMs;
  const marginMs = options.safetyMarginMs ?? Math.min(500, Math.round(windowMs / 120));
  let limit = options.limit ?? defaultRate;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer (got ${limit})`);
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0 (got ${windowMs})`);
  if (!(marginMs >= 0)) throw new RangeError(`safetyMarginMs must be ≥ 0 (got ${marginMs})`);

  const picker = createFairPicker(options.fairness);
  const waiters: Record<RequestClass, Waiter[]> = { update: [], check: [] };
  const granted: Record<RequestClass, number> = { update: 0, check: 0 };
  /** Grant times, ascending: the sliding log and our own per-window count. */
  let log: number[] = [];
  let inFlight = 0;
  let throttled = 0;
  let userPaused = false;
  let gateUntil = -Infinity;
  let closed = false;

  /** The observation of the request sent last (for the budget while the phase is unknown). */
  let latest: Seen | undefined;
  /** Until then, someone else is known to spend this budget (a window after the evidence). */
  let othersSpendUntil = -Infinity;
  let history: Seen[] = [];
  /** Whether history is in ascending `at` (false for good once an observation came out of order). */
  let historyInOrder = true;
  let phase: Phase | undefined;
  /** The lowest `remaining` seen from requests certainly counted in the window starting at `start`. */
  let windowSeen: { start: number; remaining: number } | undefined;

  let timer: { at: number; controller: AbortController } | undefined;

  const phaseWidth = (p: Phase): number => p.hi - p.lo;
  /** Start (upper estimate) of the server window containing `t`. */
  const windowStartAt = (p: Phase, t: number): number => p.hi + Math.floor((t - p.hi) / windowMs) * windowMs;

  const countSince = (t: number, strict: boolean): number => log.length - lowerBound(log, t, strict);

  function allowance(now: number): number {
    let allowed = limit - countSince(now - windowMs - marginMs, true);
    if (phase !== undefined) {
      const start = windowStartAt(phase, now);
      // Grants since the earliest possible start of this server window may count in it.
      allowed = Math.max(allowed, limit - countSince(start - phaseWidth(phase), false));
      if (windowSeen !== undefined && windowSeen.start === start) {
        allowed = Math.min(allowed, windowSeen.remaining - inFlight);
      }
    } else if (latest !== undefined && now < othersSpendUntil && now < latest.at + windowMs) {
      // Someone else spends this budget, so our sliding log alone is not enough: obey the
      // server until the window that counted `latest` has certainly reset (latest.at + windowMs).
      // Without such evidence the log explains the server's count and stays in charge (waiting
      // out a full window after every "0 left" would cost a third of the throughput).
      allowed = Math.min(allowed, latest.remaining - inFlight);
    }
    return allowed;
  }

  /** The earliest future time at which `allowance` can grow without any event. */
  function nextChangeAt(now: number): number | undefined {
    const candidates: number[] = [];
    const first = lowerBound(log, now - windowMs - marginMs, true);
    const inSliding = log.length - first;
    if (inSliding >= limit) candidates.push(log[first + (inSliding - limit)] + windowMs + marginMs);
    if (phase !== undefined) candidates.push(windowStartAt(phase, now) + windowMs);
    else if (latest !== undefined && now < othersSpendUntil) candidates.push(Math.min(latest.at + windowMs, othersSpendUntil));
    const future = candidates.filter((t) => t > now);
    return future.length > 0 ? Math.min(...future) : undefined;
  }

  // Pruned only once a quarter of an array is out of date: pump runs several times per request,
  // and copying both arrays every time (thousands of entries at high rates) was most of the
  // budget's cost on the event loop, in time and in garbage. Entries kept a little longer change
  // nothing: the log is only read by range (countSince, lowerBound), and an observation older
  // than two windows can only bracket a reset wider than a window, which noteReset refuses.
  function prune(now: number): void {
    const keepFrom = now - 2 * windowMs - marginMs;
    const first = lowerBound(log, keepFrom, false);
    if (first > 0 && first >= log.length / 4) log = log.slice(first);
    if (history.length > 4 * limit + 16) history = history.slice(-(2 * limit + 8));
    let stale = 0;
    while (stale < history.length && history[stale].at < keepFrom) stale++;
    if (stale > 0 && stale >= history.length / 4) history = history.filter((s) => s.at >= keepFrom);
  }

  function wakeAt(at: number | undefined): void {
    if (timer !== undefined && timer.at === at) return;
    timer?.controller.abort();
    timer = undefined;
    if (at === undefined || closed) return;
    const controller = new AbortController();
    timer = { at, controller };
    clock.sleep(at - clock.now(), controller.signal).then(
      () => {
        if (timer?.controller === controller) timer = undefined;
        pump();
      },
      () => undefined, // superseded by a newer wake-up
    );
  }

  function oldest(kind: RequestClass): number | undefined {
    return waiters[kind][0]?.since;
  }

  function pump(): void {
    if (closed) return;
    const now = clock.now();
    prune(now);
    for (;;) {
      if (waiters.update.length === 0 && waiters.check.length === 0) return wakeAt(undefined);
      if (userPaused) return wakeAt(undefined); // resume() pumps
      if (now < gateUntil) return wakeAt(gateUntil);
      if (allowance(now) <= 0) return wakeAt(nextChangeAt(now));
      const kind = picker.pick(oldest('update'), oldest('check'), now);
      if (kind === undefined) return wakeAt(undefined);
      const contested = waiters[kind === 'update' ? 'check' : 'update'].length > 0;
      const waiter = waiters[kind].shift();
      if (waiter === undefined) return;
      picker.granted(kind, contested);
      grant(waiter, now);
    }
  }

  function grant(waiter: Waiter, now: number): void {
    waiter.detach();
    // Kept ascending even if the wall clock steps back (NTP): a grant then counts a little longer.
    log.push(Math.max(now, log[log.length - 1] ?? now));
    inFlight++;
    granted[waiter.kind]++;
    let released = false;
    waiter.resolve({
      kind: waiter.kind,
      grantedAt: now,
      release() {
        if (released) return;
        released = true;
        inFlight--;
        pump();
      },
    });
  }

  /** Learns from a reset seen in [lo, hi]; false when the bracket is too wide to say anything. */
  function noteReset(lo: number, hi: number): boolean {
    if (hi - lo >= windowMs) return false;
    if (phase === undefined) {
      phase = { lo, hi };
      return true;
    }
    const k = Math.round((lo + hi - phase.lo - phase.hi) / 2 / windowMs);
    const narrowed = { lo: Math.max(phase.lo + k * windowMs, lo), hi: Math.min(phase.hi + k * windowMs, hi) };
    // An empty intersection means the server's phase moved (or our bracket was wrong): start over.
    phase = narrowed.lo <= narrowed.hi ? narrowed : { lo, hi };
    return true;
  }

  function recordInWindow(start: number, remaining: number): void {
    if (windowSeen === undefined || start > windowSeen.start) windowSeen = { start, remaining };
    else if (start === windowSeen.start) windowSeen = { start, remaining: Math.min(windowSeen.remaining, remaining) };
  }

  function observe(o: RateObservation): void {
    if (closed) return;
    if (o.status === 429) throttled++;
    const reportedLimit = isCount(o.limit) && o.limit > 0 ? o.limit : undefined;
    const remaining = isCount(o.remaining) ? o.remaining : undefined;

    if (reportedLimit !== undefined && (latest === undefined || o.sentAt >= latest.sentAt)) limit = reportedLimit;

    if (remaining !== undefined) {
      // More counted than all our grants that can be in this request's window: others spend too.
      const ours = lowerBound(log, o.at, true) - lowerBound(log, o.sentAt - windowMs, true);
      if ((reportedLimit ?? limit) - remaining > ours) othersSpendUntil = Math.max(othersSpendUntil, o.at + windowMs);
      const seen: Seen = { sentAt: o.sentAt, at: o.at, remaining, limit: reportedLimit };
      // Within one window every counted request lowers `remaining`. So if an answer that came
      // back before this request left shows no more remaining than this one, a reset happened
      // between them. Only a 2xx proves it (a 429 is not counted); the latest such earlier
      // request gives the tightest lower bound.
      let resetAfter: number | undefined;
      if (o.status >= 200 && o.status < 300) {
        // Newest first: with history in `at` order (answers observed as they come), once an
        // entry's `at` is at most the best `sentAt` found, no older one can beat it (sentAt ≤ at);
        // and one answered a window before this one can only bracket a reset wider than a window,
        // which noteReset refuses. So a run's thousands of observations per window are not all
        // walked for each answer.
        for (let i = history.length - 1; i >= 0; i--) {
          const s = history[i];
          if (historyInOrder && ((resetAfter !== undefined && s.at <= resetAfter) || s.at < o.at - windowMs)) break;
          const sameLimit = s.limit === undefined || reportedLimit === undefined || s.limit === reportedLimit;
          if (s.at <= o.sentAt && sameLimit && s.remaining <= remaining && (resetAfter === undefined || s.sentAt > resetAfter)) {
            resetAfter = s.sentAt;
          }
        }
      }
      const resetPlaced = resetAfter !== undefined && noteReset(resetAfter, o.at);
      if (history.length > 0 && seen.at < history[history.length - 1].at) historyInOrder = false;
      history.push(seen);
      // A 429 is handled by the gate below; as a count it would keep the budget shut after it.
      const counted = o.status !== 429;
      if (counted && (latest === undefined || o.sentAt > latest.sentAt || (o.sentAt === latest.sentAt && remaining < latest.remaining))) {
        latest = seen;
      }
      if (counted && phase !== undefined) {
        const start = windowStartAt(phase, resetPlaced ? o.at : o.sentAt);
        // Certainly counted in that window: proven to come after the reset just placed, or sent
        // after its latest possible start and answered before the next one's earliest start.
        const certain = resetPlaced || o.at < start + windowMs - phaseWidth(phase);
        if (certain) recordInWindow(start, remaining);
      }
    }

    if (o.status === 429) {
      const until =
        o.retryAfterMs !== undefined && o.retryAfterMs >= 0
          ? o.at + o.retryAfterMs
          : phase !== undefined
            ? windowStartAt(phase, o.at) + windowMs
            : o.at + windowMs;
      gateUntil = Math.max(gateUntil, until);
    }
    pump();
  }

  function acquire(kind: RequestClass, signal?: AbortSignal): Promise<Permit> {
    if (closed) return Promise.reject(abortError('The rate budget is closed'));
    if (signal?.aborted) return Promise.reject(abortError('The wait for a request budget was cancelled'));
    return new Promise<Permit>((resolve, reject) => {
      const onAbort = (): void => {
        const queue = waiters[kind];
        const index = queue.indexOf(waiter);
        if (index >= 0) queue.splice(index, 1);
        reject(abortError('The wait for a request budget was cancelled'));
        pump(); // the other class may be able to go now
      };
      const detach = signal === undefined ? () => undefined : whenAborted(signal, onAbort);
      const waiter: Waiter = { kind, since: clock.now(), resolve, reject, detach };
      waiters[kind].push(waiter);
      pump();
    });
  }

  function estimate(now: number): RateEstimate {
    return {
      limit,
      windowMs,
      remaining: Math.max(0, allowance(now)),
      phaseKnown: phase !== undefined,
      nextResetAt: phase === undefined ? undefined : windowStartAt(phase, now) + windowMs,
    };
  }

  return {
    acquire,
    observe,
    pauseUntil(time) {
      gateUntil = Math.max(gateUntil, time);
      pump();
    },
    pause() {
      userPaused = true;
      pump();
    },
    resume() {
      userPaused = false;
      pump();
    },
    stats() {
      const now = clock.now();
      return {
        granted: { ...granted },
        waiting: { update: waiters.update.length, check: waiters.check.length },
        inFlight,
        throttled,
        paused: userPaused,
        throttledUntil: now < gateUntil ? gateUntil : undefined,
        estimate: estimate(now),
      };
    },
    close() {
      closed = true;
      wakeAt(undefined);
      for (const kind of ['update', 'check'] as const) {
        for (const waiter of waiters[kind].splice(0)) {
          waiter.detach();
          waiter.reject(abortError('The rate budget is closed'));
        }
      }
    },
  };
}
