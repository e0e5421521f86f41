// Server errors and broken connections: rows are retried with backoff and applied; when retries
// run out a row ends `failed` (stage `request`, with the reason) or `unknown` when the update may
// have been applied. PUT is idempotent, so a row whose answer was lost is sent again, and it is
// never counted both failed and succeeded.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sendFile, type RunResult } from '../../../app/run/send-run.ts';
import type { Simulator } from '../../../app/simulator/index.ts';
import {
  apiPaths,
  appliedByRow,
  finished,
  readCsv,
  resultsByRow,
  rowNumberOf,
  rowOfRequest,
  sendOptions,
  simulator,
  tempDir,
  until,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';

/** Update requests per file row, from the simulator's record. */
function requestsByRow(sim: Simulator): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of updates(sim)) {
    const row = rowOfRequest(r);
    if (row !== undefined) counts.set(row, (counts.get(row) ?? 0) + 1);
  }
  return counts;
}

/** Every valid row has exactly one outcome, and the outcomes add up. */
function expectOneOutcomeEach(summary: RunResult): void {
  const outcomes =
    summary.succeeded + summary.partial + summary.failed + summary.rejected + summary.unknown + summary.pending + summary.notSent;
  expect(outcomes).toBe(summary.valid);
}

describe('server errors (5xx)', () => {
  it('at a 30% rate: rows are retried and applied exactly once; attempts match the record', async () => {
    const dir = await tempDir('5xx');
    const sim = await simulator({ seed: 3, rateLimit: 1_000, windowMs: 1_000, serverErrorRate: 0.3 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(40));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { backoff: { baseMs: 10, capMs: 100, maxRetries: 10 } })));

    expect(summary).toMatchObject({ succeeded: 40, failed: 0, unknown: 0 });
    expectOneOutcomeEach(summary);
    const fiveHundreds = updates(sim).filter((r) => typeof r.status === 'number' && r.status >= 500);
    expect(fiveHundreds.length).toBeGreaterThan(5);
    expect(fiveHundreds.every((r) => !r.applied)).toBe(true);
    const applied = appliedByRow(sim);
    expect(applied.size).toBe(40);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    // Each row's attempts are the requests the simulator saw for it, the last one applied.
    const requests = requestsByRow(sim);
    const results = await resultsByRow(paths.resultsPath);
    for (const [row, line] of results) {
      expect(Number(line.attempts), `row ${row}`).toBe(requests.get(row));
      const mine = updates(sim).filter((r) => rowOfRequest(r) === row);
      expect(mine[mine.length - 1].applied).toBe(true);
    }
    expect([...results.values()].some((l) => Number(l.attempts) > 1)).toBe(true);
    expect(summary.requests.update).toBe(updates(sim).length);
  });

  it('queued 503s hit the next updates: those rows are sent again and applied', async () => {
    const dir = await tempDir('5xx');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000 });
    sim.queueFaults(503, 503, 503, 502, 500);
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(6));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths)));
    expect(summary).toMatchObject({ succeeded: 6, failed: 0 });
    expect(updates(sim).filter((r) => r.fault === 'server-error')).toHaveLength(5);
    expect([...appliedByRow(sim).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('retries exhausted: rows end `failed` with the reason, in the error report at stage `request`', async () => {
    const dir = await tempDir('5xx');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, serverErrorRate: 1, serverErrorStatuses: [503] });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(5));
    const paths = apiPaths(dir);
    const summary = await finished(
      await sendFile(sendOptions(sim, file, paths, { maxRetries: 2, backoff: { baseMs: 10, capMs: 50, maxRetries: 2 } })),
    );

    expect(summary).toMatchObject({ succeeded: 0, failed: 5, unknown: 0, sent: 5 });
    expectOneOutcomeEach(summary);
    expect(sim.leads.size).toBe(0);
    expect([...requestsByRow(sim).values()]).toEqual([3, 3, 3, 3, 3]); // 1 + maxRetries
    const results = await resultsByRow(paths.resultsPath);
    for (const line of results.values()) {
      expect(line).toMatchObject({ outcome: 'failed', http_status: '503', attempts: '3', job_id: '' });
      expect(line.errors).toMatch(/server error \(HTTP 503 Service Unavailable\).*after 3 attempts/);
    }
    const report = await readCsv(paths.errorsPath);
    expect(report.map((r) => [r.import_row, r.import_stage])).toEqual([...results.keys()].map((row) => [String(row), 'request']));
    expect(report.every((r) => /HTTP 503/.test(r.import_errors))).toBe(true);
  });
});

describe('dropped connections', () => {
  it('cut before the update was applied: the row is sent again and applied once', async () => {
    const dir = await tempDir('drop');
    const sim = await simulator({ seed: 4, rateLimit: 1_000, windowMs: 1_000, dropBeforeApplyRate: 0.3 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(30));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { backoff: { baseMs: 10, capMs: 100, maxRetries: 10 } })));

    expect(summary).toMatchObject({ succeeded: 30, failed: 0, unknown: 0 });
    expect(updates(sim).filter((r) => r.fault === 'drop-before-apply').length).toBeGreaterThan(3);
    const applied = appliedByRow(sim);
    expect(applied.size).toBe(30);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
  });

  it('cut after the update was applied: the outcome is unknown, the row is sent again (PUT is idempotent) and counted once', async () => {
    const dir = await tempDir('drop');
    const sim = await simulator({ seed: 4, rateLimit: 1_000, windowMs: 1_000, dropAfterApplyRate: 0.3 });
    const rows = validRows(30);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { backoff: { baseMs: 10, capMs: 100, maxRetries: 10 } })));

    expect(summary).toMatchObject({ succeeded: 30, failed: 0, unknown: 0 });
    expectOneOutcomeEach(summary);
    const applied = appliedByRow(sim);
    expect(applied.size).toBe(30);
    // Applied at least once; rows whose answer was lost were applied again.
    expect([...applied.values()].every((n) => n >= 1)).toBe(true);
    expect([...applied.values()].some((n) => n >= 2)).toBe(true);
    const results = await resultsByRow(paths.resultsPath);
    for (const [row, line] of results) {
      expect(line.outcome).toBe('succeeded');
      // The job followed is the one whose answer arrived: the last request, answered 200.
      const answered = updates(sim).filter((r) => rowOfRequest(r) === row && r.status === 200);
      expect(answered.map((r) => r.jobId)).toEqual([line.job_id]);
      expect(Number(line.attempts)).toBe(updates(sim).filter((r) => rowOfRequest(r) === row).length);
    }
  });

  it('retries exhausted after answers were lost: `unknown` (maybe applied), never `failed`, stage `request`', async () => {
    const dir = await tempDir('drop');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, dropAfterApplyRate: 1 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(4));
    const paths = apiPaths(dir);
    const summary = await finished(
      await sendFile(sendOptions(sim, file, paths, { maxRetries: 1, backoff: { baseMs: 10, capMs: 50, maxRetries: 1 } })),
    );

    expect(summary).toMatchObject({ succeeded: 0, failed: 0, unknown: 4 });
    expectOneOutcomeEach(summary);
    expect([...appliedByRow(sim).values()]).toEqual([2, 2, 2, 2]);
    const results = await resultsByRow(paths.resultsPath);
    for (const line of results.values()) {
      expect(line.outcome).toBe('unknown');
      expect(line.errors).toMatch(/may or may not have been applied/);
    }
    const report = await readCsv(paths.errorsPath);
    expect(report.map((r) => r.import_stage)).toEqual(['request', 'request', 'request', 'request']);
  });

  it('a timeout after the request left: the simulator applied it, the row says `unknown`', async () => {
    const dir = await tempDir('drop');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, latencyMs: 400 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const paths = apiPaths(dir);
    const summary = await finished(
      await sendFile(sendOptions(sim, file, paths, { timeoutMs: 100, maxRetries: 0, backoff: { baseMs: 10, capMs: 10, maxRetries: 0 } })),
    );
    expect(summary).toMatchObject({ unknown: 2, failed: 0, succeeded: 0 });
    // Wait for the simulator to finish the requests the client gave up on.
    await until(() => updates(sim).every((r) => r.status !== 'in-flight'), 20_000, 'the simulator to answer the abandoned requests');
    expect(updates(sim).every((r) => r.applied && r.clientGone === true)).toBe(true);
    const results = await resultsByRow(paths.resultsPath);
    expect([...results.values()].map((l) => l.outcome)).toEqual(['unknown', 'unknown']);
    expect(results.get(rowNumberOf(0))?.errors).toMatch(/No answer .* within 0.1 s/);
  });
});
