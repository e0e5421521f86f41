import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManualClock } from '../../support/manual-clock.ts';
import { createRateBudget, type Permit, type RateBudget, type RateObservation } from '../../../app/schedule/rate-budget.ts';
import type { RequestClass } from '../../../app/schedule/fair-share.ts';
import { isAbortError } from '../../../app/schedule/abort.ts';
import { FixedWindowServer, sendThrough } from './fixed-window-server.ts';

const minute = 60_000;

/** Starts `count` acquires of `kind` now and records each grant (kind, time, permit). */
function acquireMany(
  clock: ManualClock,
  budget: RateBudget,
  kind: RequestClass,
  count: number,
  grants: Array<{ kind: RequestClass; at: number; permit: Permit }>,
) {
  return Array.from({ length: count }, () =>
    budget.acquire(kind).then((permit) => {
      grants.push({ kind, at: clock.now(), permit });
      return permit;
    }),
  );
}

const ok = (sentAt: number, at: number, remaining: number, limit = 10): RateObservation => ({
  status: 200,
  limit,
  remaining,
  retryAfterMs: undefined,
  sentAt,
  at,
});

describe('rate budget: sliding log while the phase is unknown', () => {
  it('grants up to the limit at once, then one more each time an old grant leaves the window', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 3, windowMs: 1_000, safetyMarginMs: 0 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 3, grants);
    await clock.advance(400);
    void acquireMany(clock, budget, 'update', 3, grants);
    await clock.advance(5_000);
    expect(grants.map((g) => g.at)).toEqual([0, 0, 0, 1_000, 1_000, 1_000]);
  });

  it('never grants more than `limit` in any interval of windowMs + margin, and serves every request (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 500, max: 5_000 }),
        fc.integer({ min: 0, max: 300 }),
        fc.array(
          fc.record({
            arriveAt: fc.integer({ min: 0, max: 20_000 }),
            holdMs: fc.integer({ min: 0, max: 3_000 }),
            kind: fc.constantFrom<RequestClass>('update', 'check'),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (limit, windowMs, safetyMarginMs, requests) => {
          const clock = new ManualClock(0);
          const budget = createRateBudget({ clock, limit, windowMs, safetyMarginMs });
          const grantTimes: number[] = [];
          await Promise.all([
            ...requests.map(async ({ arriveAt, holdMs, kind }) => {
              await clock.sleep(arriveAt);
              const permit = await budget.acquire(kind);
              grantTimes.push(clock.now());
              await clock.sleep(holdMs);
              permit.release();
            }),
            clock.runAll(),
          ]);
          expect(grantTimes).toHaveLength(requests.length);
          const sorted = [...grantTimes].sort((a, b) => a - b);
          for (const t of sorted) {
            const inWindow = sorted.filter((g) => g > t - windowMs - safetyMarginMs && g <= t).length;
            expect(inWindow).toBeLessThanOrEqual(limit);
          }
          expect(budget.stats().estimate.phaseKnown).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('rate budget: what the server says', () => {
  it('adapts to a lower server limit at once', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 150 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    const [first] = acquireMany(clock, budget, 'update', 1, grants);
    (await first).release();
    await clock.advance(100);
    budget.observe(ok(0, 100, 4, 5));
    void acquireMany(clock, budget, 'update', 20, grants);
    await clock.advance(1_000);
    expect(grants).toHaveLength(5);
    expect(budget.stats().estimate.limit).toBe(5);
  });

  it('adapts to a higher server limit', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 10 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    const [first] = acquireMany(clock, budget, 'update', 1, grants);
    (await first).release();
    await clock.advance(100);
    budget.observe(ok(0, 100, 299, 300));
    void acquireMany(clock, budget, 'update', 100, grants);
    await clock.advance(1);
    expect(grants).toHaveLength(101);
    expect(budget.stats().estimate).toMatchObject({ limit: 300, remaining: 199 });
  });

  it('obeys a remaining lower than its own count (someone else spends the budget) until that window has surely reset', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 10, safetyMarginMs: 0 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    const [first] = acquireMany(clock, budget, 'update', 1, grants);
    await clock.advance(100);
    budget.observe(ok(0, 100, 2)); // our count says 9 are left, the server says 2
    (await first).release();
    void acquireMany(clock, budget, 'update', 5, grants);
    await clock.advance(1_000);
    expect(grants).toHaveLength(3);
    // The other 3 wait until a minute after that answer, when its window has surely reset.
    await clock.advanceTo(minute + 99);
    expect(grants).toHaveLength(3);
    await clock.advanceTo(minute + 100);
    expect(grants.map((g) => g.at)).toEqual([0, 100, 100, minute + 100, minute + 100, minute + 100]);
  });

  it('subtracts requests in flight from the remaining the server reported', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 10 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    const firstFour = await Promise.all(acquireMany(clock, budget, 'update', 4, grants));
    await clock.advance(100);
    budget.observe(ok(0, 100, 5)); // someone else spends too: 5 left after our first request
    firstFour[0].release();
    void acquireMany(clock, budget, 'update', 5, grants);
    await clock.advance(1);
    expect(grants).toHaveLength(6); // 5 − our 3 still out = 2 more
    budget.observe(ok(0, 101, 4));
    firstFour[1].release();
    await clock.advance(1);
    expect(grants).toHaveLength(6); // 4 − 4 in flight (2 old, 2 new) = 0
    expect(budget.stats().estimate.remaining).toBe(0);
  });

  it('detects a window reset from a rising remaining and then spends a full budget at each estimated reset', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 10 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    const firstThree = await Promise.all(acquireMany(clock, budget, 'update', 3, grants));
    await clock.advance(100);
    for (const [i, permit] of firstThree.entries()) {
      budget.observe(ok(0, 100, 9 - i));
      permit.release();
    }
    expect(budget.stats().estimate.phaseKnown).toBe(false);
    await clock.advanceTo(200);
    const [fourth] = await Promise.all(acquireMany(clock, budget, 'update', 1, grants));
    await clock.advanceTo(300);
    budget.observe(ok(200, 300, 9)); // 9 again, after 7: the window reset between t=0 and t=300
    fourth.release();
    expect(budget.stats().estimate).toMatchObject({ phaseKnown: true, nextResetAt: 300 + minute });

    // This window: our 4 grants since the earliest possible reset count against it.
    void acquireMany(clock, budget, 'update', 16, grants).map((p) => p.then((permit) => permit.release()));
    await clock.advance(1);
    expect(grants.filter((g) => g.at === 300)).toHaveLength(6);
    // Next window: the whole budget at the estimated reset, where the sliding log alone would
    // have waited for each grant to age out (60,500 and later).
    await clock.advanceTo(300 + minute);
    expect(grants.filter((g) => g.at === 300 + minute)).toHaveLength(10);
  });

  it('uses the whole budget of every server window once the phase is known, without a single 429', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 150 });
    // Resets 250 ms into the run, while the first burst is still being sent.
    const server = new FixedWindowServer({ limit: 150, windowMs: minute, resetAt: 250 });
    let done = false;
    void sendThrough(clock, budget, server, { workers: 4, requests: 1_500 }).then(() => {
      done = true;
    });
    await clock.advanceTo(10 * minute);
    expect(done).toBe(true);
    expect(server.throttled).toBe(0);
    expect(budget.stats().estimate.phaseKnown).toBe(true);
    // Windows 1…8 were fully spent (0 was the window detection happened in; 9 holds the tail).
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((w) => server.accepted.get(w))).toEqual(Array(8).fill(150));
  });

  it('whatever the server phase and latencies: no 429, the pace of the budget, and after detection at most one round of requests left unused (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: minute - 1 }),
        fc.integer({ min: 5, max: 300 }),
        fc.integer({ min: 500, max: 2_500 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 20, max: 150 }),
        async (resetAt, fastMs, slowMs, workers, limit) => {
          const clock = new ManualClock(0);
          const budget = createRateBudget({ clock, limit });
          const server = new FixedWindowServer({ limit, windowMs: minute, resetAt, fastMs, slowMs });
          let detectedAt: number | undefined;
          let done = false;
          void sendThrough(clock, budget, server, { workers, requests: limit * 12 }).then(() => {
            done = true;
          });
          for (let t = 0; t < 14 * minute && !done; t += 1_000) {
            await clock.advance(1_000);
            if (detectedAt === undefined && budget.stats().estimate.phaseKnown) detectedAt = clock.now();
          }
          budget.close();
          expect(done).toBe(true);
          // 12 windows' worth of work, never more than `limit` per window: ~12 windows is the floor.
          expect(clock.now()).toBeLessThanOrEqual(12.5 * minute);
          expect(server.throttled).toBe(0);
          for (const count of server.accepted.values()) expect(count).toBeLessThanOrEqual(limit);
          if (detectedAt !== undefined) {
            const first = server.windowOf(detectedAt) + 1;
            const last = server.windowOf(clock.now()) - 1; // the final window only holds the tail
            // While the phase estimate narrows, requests sent near a reset may be counted against
            // both windows: in total that leaves at most one round of in-flight requests unused.
            const unused = [...server.accepted.entries()]
              .filter(([w]) => w >= first && w < last)
              .reduce((sum, [, n]) => sum + limit - n, 0);
            expect(unused).toBeLessThanOrEqual(workers);
          }
        },
      ),
      // The first example once left two windows short (by 1 and 4, one round of 5 in all).
      {
        numRuns: 25,
        examples: [
          [3_121, 5, 500, 5, 146],
          [0, 285, 1_614, 2, 107],
        ],
      },
    );
  });

  it('shares the budget with another integration: takes exactly what the server says is left, without a 429', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 150 });
    const server = new FixedWindowServer({ limit: 150, windowMs: minute, resetAt: 20_000, sendRetryAfter: true });
    // The other integration spends 120 of every window the moment it opens.
    const other = (async () => {
      await clock.sleep(20_000);
      for (let w = 0; w < 10; w++) {
        server.spend(clock.now(), 120);
        await clock.sleep(minute);
      }
    })();
    let doneAt: number | undefined;
    void sendThrough(clock, budget, server, { workers: 4, requests: 200 }).then(() => {
      doneAt = clock.now();
    });
    await clock.advanceTo(12 * minute);
    await other;
    expect(doneAt).toBeDefined();
    expect(server.throttled).toBe(0);
    expect(budget.stats().granted.update).toBe(200);
    // Window -1 was ours alone; in window 0 we took exactly the 30 the other integration left;
    // window 1 got our last 20.
    expect(server.accepted.get(-1)).toBe(150);
    expect(server.accepted.get(0)).toBe(150);
    expect(server.accepted.get(1)).toBe(140);
  });

  it('adapts to a server limit far below the configured one without being throttled', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 150 });
    const server = new FixedWindowServer({ limit: 20, windowMs: minute, resetAt: 30_000 });
    let done = false;
    void sendThrough(clock, budget, server, { workers: 4, requests: 100 }).then(() => {
      done = true;
    });
    await clock.advanceTo(8 * minute);
    expect(done).toBe(true);
    expect(server.throttled).toBe(0);
    expect(budget.stats().estimate.limit).toBe(20);
  });
});

describe('rate budget: 429 pauses every sender', () => {
  it('honours Retry-After for updates and checks alike', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 150 });
    budget.observe({ status: 429, limit: 150, remaining: 0, retryAfterMs: 5_000, sentAt: 0, at: 0 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 2, grants);
    void acquireMany(clock, budget, 'check', 2, grants);
    await clock.advance(4_999);
    expect(grants).toHaveLength(0);
    expect(budget.stats()).toMatchObject({ throttled: 1, throttledUntil: 5_000, waiting: { update: 2, check: 2 } });
    await clock.advance(1);
    expect(grants.map((g) => g.at)).toEqual([5_000, 5_000, 5_000, 5_000]);
    expect(new Set(grants.map((g) => g.kind))).toEqual(new Set(['update', 'check']));
  });

  it('without Retry-After and without a known phase, waits a full window', async () => {
    const clock = new ManualClock(1_000);
    const budget = createRateBudget({ clock });
    budget.observe({ status: 429, limit: undefined, remaining: undefined, retryAfterMs: undefined, sentAt: 900, at: 1_000 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'check', 1, grants);
    await clock.advanceTo(minute + 999);
    expect(grants).toHaveLength(0);
    await clock.advanceTo(minute + 1_000);
    expect(grants.map((g) => g.at)).toEqual([minute + 1_000]);
  });

  it('without Retry-After but with a known phase, waits until the estimated reset', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 10 });
    const [a] = await Promise.all(acquireMany(clock, budget, 'update', 1, []));
    await clock.advance(100);
    budget.observe(ok(0, 100, 3));
    a.release();
    const [b] = await Promise.all(acquireMany(clock, budget, 'update', 1, []));
    await clock.advance(100);
    budget.observe(ok(100, 200, 9)); // reset in [0, 200]
    b.release();
    expect(budget.stats().estimate.nextResetAt).toBe(200 + minute);
    await clock.advanceTo(20_000);
    budget.observe({ status: 429, limit: 10, remaining: 0, retryAfterMs: undefined, sentAt: 19_900, at: 20_000 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 1, grants);
    await clock.advanceTo(200 + minute - 1);
    expect(grants).toHaveLength(0);
    await clock.advanceTo(200 + minute);
    expect(grants.map((g) => g.at)).toEqual([200 + minute]);
  });

  it('pauseUntil closes the same gate by hand', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock });
    budget.pauseUntil(3_000);
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 1, grants);
    await clock.advance(2_999);
    expect(grants).toHaveLength(0);
    await clock.advance(1);
    expect(grants.map((g) => g.at)).toEqual([3_000]);
  });
});

describe('rate budget: fair sharing between updates and checks', () => {
  /** One grant per second; every permit released at once. */
  function trickleBudget(clock: ManualClock, fairness?: { checkEvery?: number; maxCheckWaitMs?: number }) {
    return createRateBudget({ clock, limit: 1, windowMs: 1_000, safetyMarginMs: 0, fairness });
  }

  it('gives checks one grant in five while both wait, and finishes both classes', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 5, windowMs: 1_000, safetyMarginMs: 0, fairness: { maxCheckWaitMs: 1e9 } });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    budget.pause(); // queue both classes before anything is granted
    const all = [...acquireMany(clock, budget, 'update', 20, grants), ...acquireMany(clock, budget, 'check', 10, grants)];
    all.forEach((p) => void p.then((permit) => permit.release()));
    budget.resume();
    await clock.runAll();
    await Promise.all(all);
    const order = grants.map((g) => (g.kind === 'update' ? 'U' : 'C')).join('');
    // Contested: four updates, then a check; once the updates are done, the checks run freely.
    expect(order).toBe('UUUUC'.repeat(5) + 'C'.repeat(5));
  });

  it('lets a check that waited maxCheckWaitMs go next, but never two contested grants in a row', async () => {
    const clock = new ManualClock(0);
    const budget = trickleBudget(clock, { checkEvery: 5, maxCheckWaitMs: 2_000 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 10, grants).map((p) => p.then((permit) => permit.release()));
    await clock.advance(1);
    void acquireMany(clock, budget, 'check', 3, grants).map((p) => p.then((permit) => permit.release()));
    await clock.advanceTo(8_000);
    // Check 1 waited 2 s at t=3000; check 2 then has to let one update through first.
    expect(grants.map((g) => `${g.kind[0]}${g.at / 1_000}`).join(' ')).toBe('u0 u1 u2 c3 u4 c5 u6 c7 u8');
  });

  it('never lets checks starve updates, even with a zero wait bound', async () => {
    const clock = new ManualClock(0);
    const budget = trickleBudget(clock, { maxCheckWaitMs: 0 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'check', 10, grants).map((p) => p.then((permit) => permit.release()));
    void acquireMany(clock, budget, 'update', 10, grants).map((p) => p.then((permit) => permit.release()));
    await clock.advanceTo(9_000);
    const order = grants.map((g) => g.kind[0]).join('');
    // The first grant went to the only waiter (a check); from then on both wait.
    expect(order).not.toMatch(/cc.*u/);
    expect(order.split('').filter((k) => k === 'u').length).toBeGreaterThanOrEqual(4);
  });
});

describe('rate budget: user pause, cancellation, stats', () => {
  it('holds every grant while paused and resumes where it stopped', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock });
    budget.pause();
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 2, grants);
    void acquireMany(clock, budget, 'check', 1, grants);
    await clock.advance(10 * minute);
    expect(grants).toHaveLength(0);
    expect(budget.stats()).toMatchObject({ paused: true, waiting: { update: 2, check: 1 } });
    budget.resume();
    await clock.advance(0);
    expect(grants).toHaveLength(3);
    expect(budget.stats().paused).toBe(false);
  });

  it('the user pause and the 429 gate are separate: resuming does not open a closed gate', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock });
    budget.pause();
    budget.observe({ status: 429, limit: 150, remaining: 0, retryAfterMs: 10_000, sentAt: 0, at: 0 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    void acquireMany(clock, budget, 'update', 1, grants);
    budget.resume();
    await clock.advance(9_999);
    expect(grants).toHaveLength(0);
    await clock.advance(1);
    expect(grants).toHaveLength(1);
  });

  it('rejects an aborted wait with an AbortError, consumes nothing, and lets the next waiter have the budget', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 1, windowMs: 1_000, safetyMarginMs: 0 });
    const grants: Array<{ kind: RequestClass; at: number; permit: Permit }> = [];
    await Promise.all(acquireMany(clock, budget, 'update', 1, grants));
    const controller = new AbortController();
    const waiting = budget.acquire('update', controller.signal);
    void acquireMany(clock, budget, 'check', 1, grants);
    await clock.advance(500);
    controller.abort();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    await clock.advanceTo(1_000);
    expect(grants.map((g) => `${g.kind}@${g.at}`)).toEqual(['update@0', 'check@1000']);
    expect(budget.stats()).toMatchObject({ granted: { update: 1, check: 1 }, waiting: { update: 0, check: 0 } });
    await expect(budget.acquire('update', controller.signal)).rejects.toSatisfy(isAbortError);
  });

  it('counts a permit released twice once', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock });
    const permit = await budget.acquire('update');
    const other = await budget.acquire('check');
    permit.release();
    permit.release();
    expect(budget.stats().inFlight).toBe(1);
    other.release();
    expect(budget.stats().inFlight).toBe(0);
  });

  it('reports grants per class, throttling and its estimate', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 150 });
    (await budget.acquire('update')).release();
    (await budget.acquire('check')).release();
    await clock.advance(100);
    budget.observe(ok(0, 100, 120, 150));
    budget.observe({ status: 429, limit: 150, remaining: 0, retryAfterMs: 1_000, sentAt: 0, at: 100 });
    expect(budget.stats()).toEqual({
      granted: { update: 1, check: 1 },
      waiting: { update: 0, check: 0 },
      inFlight: 0,
      throttled: 1,
      paused: false,
      throttledUntil: 1_100,
      // The 429 closes the gate; it does not pose as the server's count.
      estimate: { limit: 150, windowMs: minute, remaining: 120, phaseKnown: false, nextResetAt: undefined },
    });
  });

  it('close() rejects every waiter and leaves no timer behind', async () => {
    const clock = new ManualClock(0);
    const budget = createRateBudget({ clock, limit: 1 });
    await budget.acquire('update');
    const waiting = budget.acquire('check');
    await clock.advance(1);
    expect(clock.pendingSleeps).toBe(1);
    budget.close();
    await expect(waiting).rejects.toSatisfy(isAbortError);
    await clock.advance(0);
    expect(clock.pendingSleeps).toBe(0);
    await expect(budget.acquire('update')).rejects.toSatisfy(isAbortError);
  });

  it('refuses nonsense settings', () => {
    const clock = new ManualClock(0);
    expect(() => createRateBudget({ clock, limit: 0 })).toThrow(RangeError);
    expect(() => createRateBudget({ clock, windowMs: 0 })).toThrow(RangeError);
    expect(() => createRateBudget({ clock, fairness: { checkEvery: 1 } })).toThrow(RangeError);
  });
});
