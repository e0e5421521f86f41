// What becomes of accepted jobs: PARTIAL_SUCCESS → partial, FAILURE → failed at stage `job`
// (with or without the PMS's words); write logs settle most jobs, write status the rest, even
// when the logs never show our job ids; a job pending past the time limit ends `pending` and
// `lead-import status` settles it later.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import type { Simulator } from '../../../app/simulator/index.ts';
import { foldRowStates, countJournalOutcomes } from '../../../app/run/journal-entry.ts';
import {
  API_KEY,
  apiPaths,
  finished,
  journalOf,
  readCsv,
  resultsByRow,
  rowNumberOf,
  runCli,
  sendOptions,
  simulator,
  summaryOf,
  tempDir,
  validRows,
  writeLeads,
} from './send-harness.ts';

const CONCURRENCY = 4;

const count = (sim: Simulator, endpoint: 'write-status' | 'write-logs'): number =>
  Object.values(sim.counts()[endpoint]).reduce((a, b) => a + b, 0);

/** Write-status requests for a job that an earlier write-logs answer had already shown final. */
function statusAfterLogs(sim: Simulator): string[] {
  const shown = new Map<string, number>();
  for (const r of sim.record) {
    if (r.endpoint !== 'write-logs' || r.status !== 200 || r.finishedAt === null) continue;
    for (const log of (r.response as { results: { logs: { job_id: string; status: string; error: string | null }[] } }).results.logs) {
      // A SUCCESS with an error text may be partial: confirming it through write status is right.
      if (log.status === 'SUCCESS' && log.error !== null) continue;
      if (!shown.has(log.job_id) || (shown.get(log.job_id) ?? 0) > r.finishedAt) shown.set(log.job_id, r.finishedAt);
    }
  }
  return sim.record
    .filter((r) => r.endpoint === 'write-status' && r.jobId !== undefined && (shown.get(r.jobId) ?? Infinity) < r.at)
    .map((r) => r.jobId ?? '');
}

describe('job outcomes', () => {
  it('partial and failed jobs, with and without PMS errors; write logs settle jobs with few status requests', async () => {
    const dir = await tempDir('jobs');
    const rows = validRows(60);
    const partialLeads = ['lead-3', 'lead-17'];
    const failedLeads = ['lead-5', 'lead-9', 'lead-22', 'lead-31', 'lead-40', 'lead-48'];
    // A tight budget: checks wait behind updates, long enough for the status fallback to come due.
    const sim = await simulator({
      seed: 5,
      rateLimit: 12,
      windowMs: 1_000,
      slowdownMs: 20,
      jobPendingMs: [50, 300],
      failureWithoutErrorsRate: 0.5,
      leadOutcomes: Object.fromEntries([...partialLeads.map((l) => [l, 'PARTIAL_SUCCESS']), ...failedLeads.map((l) => [l, 'FAILURE'])]),
    });
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths)));

    expect(summary).toMatchObject({ succeeded: 52, partial: 2, failed: 6, rejected: 0, pending: 0, notSent: 0, unknown: 0 });
    const results = await resultsByRow(paths.resultsPath);
    const lineOf = (lead: string) => [...results.values()].find((l) => l.lead_id === lead);
    for (const lead of partialLeads) {
      expect(lineOf(lead)).toMatchObject({ outcome: 'partial', http_status: '200' });
      expect(lineOf(lead)?.errors).toMatch(/^Entrata: /);
    }
    const failureTexts = failedLeads.map((lead) => {
      const line = lineOf(lead);
      expect(line?.outcome).toBe('failed');
      expect(line?.job_id).toMatch(/^job_/);
      // The job's own write status is what the row says.
      const status = sim.jobStatus(line?.job_id ?? '');
      expect(status?.write_status).toBe('FAILURE');
      for (const error of status?.errors ?? []) expect(line?.errors).toContain(error);
      return line?.errors ?? '';
    });
    // Both kinds: the PMS's words, and a plain statement when the PMS said nothing.
    expect(failureTexts.some((t) => t.startsWith('Entrata: '))).toBe(true);
    expect(failureTexts.some((t) => /no reason given/.test(t))).toBe(true);

    const report = await readCsv(paths.errorsPath);
    const staged = new Map(report.map((r) => [r['Lead ID'], r.import_stage]));
    for (const lead of [...partialLeads, ...failedLeads]) expect(staged.get(lead), lead).toBe('job');
    expect(report).toHaveLength(partialLeads.length + failedLeads.length);

    // The history (`lead-import runs`) counts the same outcomes as the journal's row transitions.
    const runs = await runCli(['runs', '--data-dir', paths.dataDir, '--json']);
    const listed = (JSON.parse(runs.stdout) as { runs: { runId: string; state: string; outcomes: Record<string, number> }[] }).runs;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ runId: summary.runId, state: 'finished' });
    const nonZero = (counts: Record<string, number | undefined>) =>
      Object.fromEntries(Object.entries(counts).filter(([, n]) => (n ?? 0) > 0));
    const folded = countJournalOutcomes(foldRowStates(await journalOf(paths.dataDir, summary.runId)).values());
    expect(nonZero(listed[0].outcomes)).toEqual(nonZero(folded));
    expect(listed[0].outcomes).toMatchObject({ succeeded: 52, partial: 2, write_failed: 6 });

    // Write logs did the settling: write status only to tell partial from success, and never for
    // a job the logs had already settled (such a check is a row not sent).
    expect(count(sim, 'write-logs')).toBeGreaterThan(0);
    // (A check already on its way when the logs answer came back cannot be called back.)
    expect(statusAfterLogs(sim).length).toBeLessThanOrEqual(CONCURRENCY);
    expect(count(sim, 'write-status')).toBeLessThanOrEqual(partialLeads.length * 2 + 3);
    expect(summary.requests.status + summary.requests.logs).toBeLessThan(rows.length * 0.25);
  });

  it('while updates still wait for budget, write logs are read in batches, not every few hundred ms', async () => {
    const dir = await tempDir('jobs');
    const sim = await simulator({ rateLimit: 25, windowMs: 1_000, slowdownMs: 30, jobPendingMs: [30, 80] });
    const rows = 120;
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(rows));
    const paths = apiPaths(dir);
    const batch = 25;
    const tracking = {
      firstCheckAfterMs: 60,
      logsBatchSize: batch,
      logsMaxWaitMs: 5_000,
      logsMinIntervalMs: 100,
      logsFallbackAfterMs: 10_000,
    };
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { tracking })));
    expect(summary).toMatchObject({ succeeded: rows, pending: 0 });
    // One read per batch of due jobs while sending, then a few to settle the tail.
    expect(count(sim, 'write-logs')).toBeLessThanOrEqual(Math.ceil(rows / batch) + 2);
    expect(count(sim, 'write-status')).toBe(0);
  });

  it.each([
    ['logs show other job ids', { logsShowRootJobIds: false }],
    ['logs show nothing', { logsCoverage: 0 }],
  ] as const)('%s: the tracker falls back to write status and settles every job', async (_name, logs) => {
    const dir = await tempDir('jobs');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, jobPendingMs: [50, 200], ...logs });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(30));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths)));
    expect(summary).toMatchObject({ succeeded: 30, pending: 0 });
    // Every job settled through its own write status.
    const settledByStatus = new Set(
      sim.record
        .filter((r) => r.endpoint === 'write-status' && (r.response as { write_status?: string }).write_status === 'SUCCESS')
        .map((r) => r.jobId),
    );
    const results = await resultsByRow(paths.resultsPath);
    for (const line of results.values()) expect(settledByStatus.has(line.job_id), line.import_row).toBe(true);
  });

  it('jobs pending past the time limit end `pending`; `lead-import status RUN` settles them later', async () => {
    const dir = await tempDir('jobs');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, jobPendingMs: 60_000, token: API_KEY });
    const rows = validRows(8);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    // The CLI checks a job no sooner than 2 s after it follows it: leave it time for one check.
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { pendingTimeoutMs: 2_500 })));
    expect(summary).toMatchObject({ succeeded: 0, pending: 8, notSent: 0 });
    const results = await resultsByRow(paths.resultsPath);
    expect([...results.values()].map((l) => l.outcome)).toEqual(rows.map(() => 'pending'));
    expect([...results.values()].every((l) => /^job_/.test(l.job_id))).toBe(true);
    const sentBefore = sim.record.filter((r) => r.endpoint === 'update-lead').length;

    sim.settleJobs();
    const status = await runCli(
      ['status', summary.runId, '--env', sim.url, '--data-dir', paths.dataDir, '--results', paths.resultsPath, '--json'],
      {
        env: { PROPEXO_API_KEY: API_KEY },
      },
    );
    expect(summaryOf(status.stdout)).toMatchObject({ succeeded: 8, pending: 0 });
    expect(status.code).toBe(0);
    // Re-checking sends nothing new.
    expect(sim.record.filter((r) => r.endpoint === 'update-lead')).toHaveLength(sentBefore);
    const after = await resultsByRow(paths.resultsPath);
    expect([...after.values()].map((l) => l.outcome)).toEqual(rows.map(() => 'succeeded'));
    expect(after.get(rowNumberOf(0))?.job_id).toBe(results.get(rowNumberOf(0))?.job_id);
  });
});
