// `lead-import retry RUN`: jobs that FAILED are retried through retry-write (a new job, followed
// to its end); rows the API rejected are sent again once the file is fixed; rows that
// succeeded are left alone.
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import {
  API_KEY,
  apiPaths,
  finished,
  readCsv,
  resultsByRow,
  rowNumberOf,
  runCli,
  sendOptions,
  simulator,
  summaryOf,
  tempDir,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';

describe('lead-import retry', () => {
  it('retries failed jobs through retry-write and re-sends rejected rows after the file was fixed', async () => {
    const dir = await tempDir('retry');
    const failing = ['lead-2', 'lead-6'];
    const sim = await simulator({
      token: API_KEY,
      rateLimit: 1_000,
      windowMs: 1_000,
      jobPendingMs: 40,
      retrySuccessRate: 1,
      leadOutcomes: Object.fromEntries(failing.map((l) => [l, 'FAILURE'])),
      // A typo'd lead id and a lead the PMS does not know yet.
      missingLeadIds: ['lead-7x', 'lead-9'],
    });
    const rows = validRows(10, (i) => (i === 6 ? 'lead-7x' : `lead-${i + 1}`));
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    const first = await finished(await sendFile(sendOptions(sim, file, paths)));
    expect(first).toMatchObject({ succeeded: 6, failed: 2, rejected: 2 });
    const before = await resultsByRow(paths.resultsPath);
    const failedJobs = failing.map((lead) => [...before.values()].find((l) => l.lead_id === lead)?.job_id ?? '');
    expect(before.get(rowNumberOf(6))).toMatchObject({ outcome: 'rejected', http_status: '404' });
    expect(before.get(rowNumberOf(8))).toMatchObject({ outcome: 'rejected', http_status: '404' });
    const report = await readCsv(paths.errorsPath);
    expect(report.map((r) => [r['Lead ID'], r.import_stage]).sort()).toEqual([
      ['lead-2', 'job'],
      ['lead-6', 'job'],
      ['lead-7x', 'request'],
      ['lead-9', 'request'],
    ]);

    // The user fixes the typo in the file; the PMS learns lead-9.
    await writeFile(file, (await readFile(file, 'utf8')).replace('lead-7x,', 'lead-7,'));
    sim.configure({ missingLeadIds: [] });
    const recordFrom = sim.record.length;
    const retry = await runCli(
      [
        'retry',
        first.runId,
        '--env',
        sim.url,
        '--data-dir',
        paths.dataDir,
        '--results',
        paths.resultsPath,
        '--errors',
        paths.errorsPath,
        '--json',
      ],
      {
        env: { PROPEXO_API_KEY: API_KEY },
      },
    );
    const summary = summaryOf(retry.stdout);
    expect(summary).toMatchObject({ succeeded: 10, failed: 0, rejected: 0 });
    expect((summary.requests as { retries: number }).retries).toBe(2);
    expect(retry.code).toBe(0);

    const later = sim.record.slice(recordFrom);
    // retry-write for exactly the failed jobs, each answered with a new job that was followed.
    const retries = later.filter((r) => r.endpoint === 'retry-write');
    expect(retries.map((r) => [r.method, r.jobId]).sort()).toEqual(failedJobs.map((j) => ['POST', j]).sort());
    const after = await resultsByRow(paths.resultsPath);
    for (const [i, lead] of failing.entries()) {
      const line = [...after.values()].find((l) => l.lead_id === lead);
      const newJob = sim.jobs.get(line?.job_id ?? '');
      expect(newJob?.retryOf).toBe(failedJobs[i]);
      expect(line?.outcome).toBe('succeeded');
    }
    // Only the rejected rows went out again as updates, with the fixed lead id.
    expect(
      updates(sim)
        .filter((r) => r.seq > recordFrom)
        .map((r) => r.leadId)
        .sort(),
    ).toEqual(['lead-7', 'lead-9']);
    expect(after.get(rowNumberOf(6))).toMatchObject({ lead_id: 'lead-7', outcome: 'succeeded' });
    expect(after.get(rowNumberOf(8))).toMatchObject({ lead_id: 'lead-9', outcome: 'succeeded' });
    expect(sim.leads.get('lead-7')).toHaveLength(1);
    expect(await readCsv(paths.errorsPath)).toEqual([]);
  });
});
