// `lead-import send` in-process against a simulator we run: what arrives, the results file, the
// error report, the --json summary and the exit codes.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedRequest } from '../../../app/simulator/index.ts';
import {
  appliedByRow,
  markerOf,
  readCsv,
  remarked,
  resultsByRow,
  rowNumberOf,
  runCli,
  simulator,
  summaryOf,
  tempDir,
  updates,
  validRows,
  writeLeads,
  type LeadRow,
} from './send-harness.ts';

const KEY = 'test-key-cli-send-0001';

/** The most requests the simulator was answering at once. */
function maxOverlap(record: readonly RecordedRequest[]): number {
  const edges = record.flatMap((r) => [
    { t: r.at, d: 1 },
    { t: r.finishedAt ?? r.at, d: -1 },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}
const SUMMARY_KEYS = [
  'runId',
  'rows',
  'valid',
  'invalid',
  'skipped',
  'sent',
  'succeeded',
  'unchanged',
  'partial',
  'failed',
  'rejected',
  'notFound',
  'ambiguous',
  'unknown',
  'pending',
  'notSent',
  'requests',
  'errorsFile',
  'resultsFile',
  'stopped',
  'reportError',
  'lostTrack',
];

describe('lead-import send (in-process) against the simulator', () => {
  it('applies every valid row exactly once and accounts for every source row', async () => {
    const dir = await tempDir();
    const sim = await simulator({ token: KEY, rateLimit: 1_000, seed: 7 });
    const valid = validRows(18, (i) => `lead-${(i % 15) + 1}`); // three leads get two rows
    const rows: LeadRow[] = remarked([
      ...valid.slice(0, 5),
      { leadId: 'lead-bad-1', firstName: 'Bad1', status: 'Actve' }, // invalid status
      ...valid.slice(5, 12),
      { leadId: 'lead-bad-2', firstName: 'Bad2', beds: 'many' }, // invalid number
      { leadId: 'lead-skip' }, // nothing to change
      ...valid.slice(12),
    ]);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const results = join(dir, 'results.csv');
    const errors = join(dir, 'errors.csv');
    const run = await runCli(
      ['send', file, '--env', sim.url, '--data-dir', join(dir, 'data'), '--results', results, '--errors', errors, '--json'],
      {
        env: { PROPEXO_API_KEY: KEY },
      },
    );
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(1); // two rows are invalid

    const summary = summaryOf(run.stdout);
    expect(Object.keys(summary).sort()).toEqual([...SUMMARY_KEYS].sort());
    expect(Object.keys(summary.requests as object).sort()).toEqual(['logs', 'lookup', 'read', 'retries', 'status', 'throttled', 'update']);
    expect(summary).toMatchObject({
      rows: rows.length,
      valid: 18,
      invalid: 2,
      skipped: 1,
      sent: 18,
      succeeded: 18,
      partial: 0,
      failed: 0,
      rejected: 0,
      unknown: 0,
      pending: 0,
      notSent: 0,
      errorsFile: errors,
      resultsFile: results,
      stopped: null,
      reportError: null,
      lostTrack: 0,
    });

    // The simulator's record: each valid row applied once, nothing else sent.
    const counts = sim.counts();
    const applied = appliedByRow(sim);
    const validRowNumbers = rows.flatMap((r, i) => (r.firstName?.startsWith('Row') ? [rowNumberOf(i)] : []));
    expect([...applied.keys()].sort((a, b) => a - b)).toEqual(validRowNumbers);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(updates(sim)).toHaveLength(18);
    expect(updates(sim).every((r) => rows.some((row) => row.leadId === r.leadId && !row.leadId.startsWith('lead-bad')))).toBe(true);
    const requests = summary.requests as Record<string, number>;
    expect(requests.update).toBe(counts['update-lead']['200']);
    expect(requests.status).toBe(Object.values(counts['write-status']).reduce((a, b) => a + b, 0));
    expect(requests.logs).toBe(Object.values(counts['write-logs']).reduce((a, b) => a + b, 0));
    expect(requests.throttled).toBe(0);

    // The results file: one line per source row, in file order, with the job that was followed.
    const byRow = await resultsByRow(results);
    expect([...byRow.keys()]).toEqual(rows.map((_, i) => rowNumberOf(i)));
    for (const [rowNumber, line] of byRow) {
      const source = rows[rowNumber - 2];
      expect(line.lead_id).toBe(source.leadId);
      if (source.firstName === markerOf(rowNumber)) {
        const request = updates(sim).find((r) => (r.body as { first_name?: string }).first_name === markerOf(rowNumber));
        expect(line).toMatchObject({ outcome: 'succeeded', job_id: request?.jobId, http_status: '200', attempts: '1', errors: '' });
      }
    }
    expect(byRow.get(rowNumberOf(5))).toMatchObject({ outcome: 'invalid', attempts: '0', job_id: '' });
    expect(byRow.get(rowNumberOf(5))?.errors).toContain("'Actve'");
    expect(byRow.get(rowNumberOf(13))).toMatchObject({ outcome: 'invalid' });
    expect(byRow.get(rowNumberOf(14))).toMatchObject({ outcome: 'skipped' });

    // The error report: the rows a person must look at, with their original cells.
    const report = await readCsv(errors);
    expect(report.map((r) => [r.import_row, r.import_stage, r['Lead ID']])).toEqual([
      [String(rowNumberOf(5)), 'validation', 'lead-bad-1'],
      [String(rowNumberOf(13)), 'validation', 'lead-bad-2'],
      [String(rowNumberOf(14)), 'validation', 'lead-skip'],
    ]);
  });

  it('exits 0 when every row succeeded or was skipped; keeps to --concurrency; reads the `meta` answer shape', async () => {
    const dir = await tempDir();
    // The prose documentation's `{ meta: { job_id } }` answer, and some latency so requests overlap.
    const sim = await simulator({ token: KEY, rateLimit: 1_000, responseShape: 'meta', latencyMs: 30 });
    const file = await writeLeads(join(dir, 'ok.csv'), [...validRows(12), { leadId: 'lead-skip' }]);
    const results = join(dir, 'results.csv');
    const run = await runCli(
      ['send', file, '--env', sim.url, '--data-dir', join(dir, 'data'), '--concurrency', '2', '--results', results],
      {
        env: { PROPEXO_API_KEY: KEY },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/13 rows \(12 valid, 0 invalid, 1 skipped\)/);
    expect(run.stdout).toMatch(/12 succeeded/);
    expect(appliedByRow(sim).size).toBe(12);
    const jobs = [...(await resultsByRow(results)).values()].map((l) => l.job_id).filter(Boolean);
    expect(new Set(jobs)).toEqual(new Set(updates(sim).map((r) => r.jobId)));
    expect(maxOverlap(sim.record)).toBe(2);
  });

  it('production asks first: without a terminal or --yes nothing is sent (exit 2)', async () => {
    const dir = await tempDir();
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const noTerminal = await runCli(['send', file, '--env', 'production', '--data-dir', join(dir, 'data')], {
      env: { PROPEXO_API_KEY: KEY },
    });
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/needs confirmation/);
    // --yes skips the question; without a key the run still stops before any request.
    const noKey = await runCli(['send', file, '--env', 'production', '--yes', '--data-dir', join(dir, 'data')], { env: {} });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/No API key for production/);
  });

  it('exits 2 on run-level errors, sending nothing', async () => {
    const dir = await tempDir();
    const sim = await simulator({ rateLimit: 1_000 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
    const data = join(dir, 'data');

    const noKeyUrl = await runCli(['send', file, '--env', sim.url, '--data-dir', data, '--json'], { env: {} });
    expect(noKeyUrl.code).toBe(2);
    expect(noKeyUrl.stderr).toMatch(/No API key/);
    expect(JSON.parse(noKeyUrl.stdout)).toMatchObject({ error: { message: expect.stringMatching(/PROPEXO_API_KEY/) } });

    const noKeySandbox = await runCli(['send', file, '--env', 'sandbox', '--data-dir', data], { env: {} });
    expect(noKeySandbox.code).toBe(2);
    expect(noKeySandbox.stderr).toMatch(/No API key for sandbox/);

    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const badDataDir = await runCli(['send', file, '--env', sim.url, '--data-dir', join(blocker, 'data')], {
      env: { PROPEXO_API_KEY: KEY },
    });
    expect(badDataDir.code).toBe(2);
    expect(badDataDir.stderr).toMatch(/data folder/);

    const nothing = await writeLeads(join(dir, 'nothing.csv'), [{ leadId: 'x-1', status: 'Nope' }, { leadId: 'x-2' }]);
    const noValid = await runCli(['send', nothing, '--env', sim.url, '--data-dir', data], { env: { PROPEXO_API_KEY: KEY } });
    expect(noValid.code).toBe(2);
    expect(noValid.stderr).toMatch(/no valid row to send/);

    expect(sim.record).toHaveLength(0);
  });
});
