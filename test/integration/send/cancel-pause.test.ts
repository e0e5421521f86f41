// Cancel and pause through the API the app uses (app/run/send-run.ts): cancelling lets the
// requests in flight finish, leaves the unsent rows `not_sent` and the run resumable without
// sending an accepted row twice; while paused, nothing reaches the simulator.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resumeSend, sendFile } from '../../../app/run/send-run.ts';
import { countingFetch } from '../../support/counting-fetch.ts';
import {
  acceptedRows,
  apiPaths,
  appliedByRow,
  journalOf,
  resultsByRow,
  resumeOptions,
  rowNumberOf,
  rowOfRequest,
  sendOptions,
  simulator,
  startOrThrow,
  tempDir,
  until,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';

const CONCURRENCY = 3;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cancel', () => {
  it('in-flight requests finish, unsent rows are not_sent, the journal says cancelled; resume sends the rest once', async () => {
    const dir = await tempDir('cancel');
    const hooks: { cancel?: () => void } = {};
    let ok = 0;
    const sim = await simulator(
      { rateLimit: 1_000, windowMs: 1_000, latencyMs: 40, jobPendingMs: 100 },
      {
        onFinished: (r) => {
          if (r.endpoint === 'update-lead' && r.status === 200 && ++ok === 8) hooks.cancel?.();
        },
      },
    );
    const rows = validRows(40, (i) => `lead-${(i % 30) + 1}`);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    const run = await startOrThrow(sendFile(sendOptions(sim, file, paths, { concurrency: CONCURRENCY })));
    hooks.cancel = () => run.cancel();
    const summary = await run.done;

    expect(summary.stopped?.reason).toBe('cancelled');
    expect(run.progress().state).toBe('cancelled');
    const journal = await journalOf(paths.dataDir, run.runId);
    expect(journal.some((e) => e.t === 'cancelled')).toBe(true);
    expect(journal.some((e) => e.t === 'finished')).toBe(false);
    // Requests in flight at the cancel finished: every update the simulator answered 200 is
    // journaled as accepted, and none was cut short on our side.
    const accepted = acceptedRows(journal);
    const answered = updates(sim).filter((r) => r.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(8);
    expect(answered.length).toBeLessThanOrEqual(8 + CONCURRENCY - 1);
    expect(answered.every((r) => r.clientGone !== true)).toBe(true);
    expect(new Set(answered.map(rowOfRequest))).toEqual(accepted);
    // Every row not sent is `not_sent`, in the results and the error report.
    const results = await resultsByRow(paths.resultsPath);
    const notSent = [...results.values()].filter((l) => l.outcome === 'not_sent');
    expect(notSent.length).toBe(rows.length - accepted.size);
    expect(notSent.every((l) => !accepted.has(Number(l.import_row)) && l.attempts === '0')).toBe(true);
    expect(summary.notSent).toBe(notSent.length);

    const resumeFrom = sim.record.length;
    const resumed = await startOrThrow(resumeSend(resumeOptions(sim, run.runId, paths)));
    const after = await resumed.done;
    expect(after).toMatchObject({ succeeded: rows.length, notSent: 0, pending: 0 });
    const resent = updates(sim)
      .filter((r) => r.seq > resumeFrom)
      .map(rowOfRequest);
    for (const row of accepted) expect(resent).not.toContain(row);
    const applied = appliedByRow(sim);
    expect([...applied.keys()].sort((a, b) => a - b)).toEqual(rows.map((_, i) => rowNumberOf(i)));
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('pause', () => {
  it('no update arrives while paused; resume finishes the run', async () => {
    const dir = await tempDir('pause');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, latencyMs: 30, jobPendingMs: 60 });
    const rows = validRows(30);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    const traffic = countingFetch();
    const run = await startOrThrow(sendFile(sendOptions(sim, file, paths, { concurrency: CONCURRENCY, fetch: traffic.fetch })));

    await until(() => updates(sim).filter((r) => r.status === 200).length >= 6, 10_000, 'six accepted updates');
    run.pause();
    const atPause = sim.record.length;
    expect(run.progress().state).toBe('paused');
    // Requests granted before the pause may still land: wait until none is on its way (no row
    // between its grant and its answer, no request unanswered), however long that takes; then watch.
    await until(() => run.progress().counts.sending === 0 && traffic.open() === 0, 20_000, 'the requests granted before the pause');
    const settled = sim.record.length;
    expect(settled - atPause).toBeLessThanOrEqual(CONCURRENCY);
    await pause(600);
    expect(sim.record.slice(settled)).toEqual([]);
    expect(sim.record.every((r) => r.status !== 'in-flight')).toBe(true);

    run.resume();
    const summary = await run.done;
    expect(summary).toMatchObject({ succeeded: rows.length, notSent: 0 });
    expect(appliedByRow(sim).size).toBe(rows.length);
    const journal = await journalOf(paths.dataDir, run.runId);
    expect(journal.map((e) => e.t).filter((t) => t === 'paused' || t === 'resumed')).toEqual(['paused', 'resumed']);
  });
});
