// 429s: a storm at the edge and a budget tighter than the client believes. Nobody fails a row
// for a 429: every sender pauses, then all resume; the run's throttled count is what the
// simulator answered. And in steady state the budget keeps 429s away entirely.
//
// The windows are Propexo's minute scaled down to a second, so the run and the simulator share
// one virtual clock (simulatorInSharedTime): a request reaches the server's window at the time
// it was granted, however busy the machine. How the same run does in real time, where the
// trip takes what it takes, is a figure of `npm run bench:send` ("429 after the first window").
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { sendFile } from '../../../app/run/send-run.ts';
import {
  apiPaths,
  appliedByRow,
  finished,
  resultsByRow,
  rowNumberOf,
  sendOptions,
  simulatorInSharedTime,
  tempDir,
  throttledCount,
  validRows,
  writeLeads,
} from './send-harness.ts';
import type { Simulator } from '../../../app/simulator/index.ts';

const CONCURRENCY = 4;

function expectAllAppliedOnce(sim: Simulator, rows: number): void {
  const applied = appliedByRow(sim);
  expect([...applied.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => rowNumberOf(i)));
  expect([...applied.values()].every((n) => n === 1)).toBe(true);
}

describe('429 responses', () => {
  it('a storm mid-run: everyone pauses until Retry-After, then resumes; no row fails; throttled = the simulator’s 429s', async () => {
    const dir = await tempDir('storm');
    let ok = 0;
    const { sim, clock, runOptions } = await simulatorInSharedTime(
      { rateLimit: 1_000, windowMs: 1_000, jobPendingMs: 60, latencyMs: 10 },
      {
        onFinished: (r) => {
          if (r.endpoint === 'update-lead' && r.status === 200 && ++ok === 10) sim.configure({ storm: { durationMs: 700 } });
        },
      },
    );
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(40));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { ...runOptions, concurrency: CONCURRENCY })));

    expect(summary).toMatchObject({ valid: 40, succeeded: 40, failed: 0, notSent: 0, unknown: 0 });
    expect(clock.stalls).toBe(0);
    expectAllAppliedOnce(sim, 40);
    const throttled = sim.record.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((r) => r.fault === 'storm')).toBe(true);
    expect(summary.requests.throttled).toBe(throttledCount(sim));
    // After the first 429 was answered (Retry-After: 1 s), only requests already in flight arrive
    // before the pause ends; then everyone resumes.
    const first = throttled[0];
    const pauseEnds = (first.finishedAt ?? first.at) + 1_000;
    const duringPause = sim.record.filter((r) => r.at > (first.finishedAt ?? first.at) && r.at < pauseEnds - 20);
    expect(duringPause.length).toBeLessThanOrEqual(CONCURRENCY - 1);
    expect(sim.record.some((r) => r.at >= pauseEnds && r.status === 200)).toBe(true);
    const results = await resultsByRow(paths.resultsPath);
    expect([...results.values()].every((l) => l.outcome === 'succeeded')).toBe(true);
  });

  it('a budget tighter than the client was told: 429s only in the first window, no row fails, all applied', async () => {
    const dir = await tempDir('tight');
    const { sim, clock, runOptions } = await simulatorInSharedTime({ rateLimit: 8, windowMs: 1_000, slowdownMs: 30, jobPendingMs: 40 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(30));
    const paths = apiPaths(dir);
    // The client starts from 150 per window; the server's x-ratelimit-limit says 8.
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { ...runOptions, rate: 150, concurrency: CONCURRENCY })));

    expect(summary).toMatchObject({ valid: 30, succeeded: 30, failed: 0, notSent: 0 });
    expect(clock.stalls).toBe(0);
    expectAllAppliedOnce(sim, 30);
    expect(summary.requests.throttled).toBe(throttledCount(sim));
    const firstAt = sim.record[0].at;
    const late429s = sim.record.filter((r) => r.status === 429 && r.at >= firstAt + 1_000);
    expect(late429s).toEqual([]);
  });
});

/** Holds every third request up for 25 ms of real time before it leaves, as a busy machine would. */
const heldUp: typeof globalThis.fetch = async (input, init) => {
  if (++heldUpCount % 3 === 0) await delay(25);
  return globalThis.fetch(input, init);
};
let heldUpCount = 0;

describe('steady state under the budget', () => {
  // On the shared clock every trip is waited for, one after another: a few hundred requests
  // take seconds of real time on a busy machine, hence the longer limit.
  it.each([
    ['a few hundred rows at 30 per second', 200, globalThis.fetch],
    ['ninety rows at 30 per second, every third request held up 25 ms on its way', 90, heldUp],
  ] as const)('%s: zero 429s after the first window (from the record)', { timeout: 90_000 }, async (_label, rows, transport) => {
    const dir = await tempDir('rate');
    // Propexo's 2 s slowdown from 80% of a 60 s window, scaled to a 1 s window.
    const { sim, clock, runOptions } = await simulatorInSharedTime(
      { rateLimit: 30, windowMs: 1_000, slowdownMs: 33, latencyMs: 5, jobPendingMs: [40, 200] },
      {},
      transport,
    );
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(rows));
    const paths = apiPaths(dir);
    // The client is not told the contract: it learns it from the answers.
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { ...runOptions, rate: 150, concurrency: CONCURRENCY })));

    expect(summary).toMatchObject({ valid: rows, succeeded: rows, failed: 0 });
    expect(clock.stalls).toBe(0);
    expectAllAppliedOnce(sim, rows);
    const firstAt = sim.record[0].at;
    expect(sim.record.filter((r) => r.status === 429 && r.at >= firstAt + 1_000)).toEqual([]);
    expect(summary.requests.throttled).toBe(throttledCount(sim));
    // The budget was the ceiling, not something else: checks stayed a small share.
    expect(summary.requests.status + summary.requests.logs).toBeLessThan(rows * 0.25);
  });
});
