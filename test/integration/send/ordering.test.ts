// Rows for one lead go strictly in file order, and the next one leaves only once the previous
// one's job is final (observed through write status or the write logs), even with other leads'
// rows interleaved and some requests failing on the way.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import {
  apiPaths,
  finalObservedAt,
  finished,
  markerOf,
  resultsByRow,
  rowNumberOf,
  sendOptions,
  simulator,
  tempDir,
  validRows,
  writeLeads,
} from './send-harness.ts';

describe('same-lead ordering', () => {
  it('each lead’s updates arrive in file order, each after the previous job’s final status was observable', async () => {
    const dir = await tempDir('order');
    const LEADS = 5;
    const sim = await simulator({
      seed: 9,
      rateLimit: 1_000,
      windowMs: 1_000,
      jobPendingMs: [40, 160],
      serverErrorRate: 0.1,
      successRate: 0.8,
      partialRate: 0.1,
    });
    // 40 rows: leads A…E interleaved, plus lone rows of other leads between them.
    const rows = validRows(40, (i) => (i % 4 === 3 ? `lone-${i}` : `chain-${i % LEADS}`));
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const paths = apiPaths(dir);
    const summary = await finished(
      await sendFile(sendOptions(sim, file, paths, { concurrency: 6, backoff: { baseMs: 10, capMs: 60, maxRetries: 8 } })),
    );
    expect(summary.notSent + summary.unknown + summary.rejected).toBe(0);

    for (let lead = 0; lead < LEADS; lead++) {
      const leadId = `chain-${lead}`;
      const expected = rows.flatMap((r, i) => (r.leadId === leadId ? [markerOf(rowNumberOf(i))] : []));
      const applied = sim.leads.get(leadId) ?? [];
      // Applied in file order, each once.
      expect(applied.map((u) => u.body.first_name)).toEqual(expected);
      // Every request for the lead (retries included) respects the order too.
      const arrivals = sim.updatesFor(leadId).map((r) => (r.body as { first_name: string }).first_name);
      expect(arrivals.filter((m, i) => arrivals.indexOf(m) === i)).toEqual(expected);
      for (let k = 1; k < applied.length; k++) {
        const previous = applied[k - 1];
        const job = sim.jobs.get(previous.jobId);
        if (!job) throw new Error(`no job ${previous.jobId}`);
        const observed = finalObservedAt(sim, previous.jobId);
        expect(observed, `final status of ${previous.jobId} was observed`).toBeDefined();
        // The first request of the next row (not only the applied one) came after that.
        const nextFirst = sim.updatesFor(leadId).find((r) => (r.body as { first_name: string }).first_name === applied[k].body.first_name);
        expect(nextFirst?.at).toBeGreaterThanOrEqual(observed ?? Infinity);
        // …and so after the previous job stopped being PENDING.
        expect(nextFirst?.at).toBeGreaterThanOrEqual(previous.at + (job.settlesAt - job.createdAt) - 1);
      }
    }
    // Rows of a lead whose job failed or was partial still let the next row go.
    const results = await resultsByRow(paths.resultsPath);
    expect([...results.values()].filter((l) => l.outcome === 'failed' || l.outcome === 'partial').length).toBeGreaterThan(0);
    expect([...results.values()].every((l) => ['succeeded', 'partial', 'failed'].includes(l.outcome))).toBe(true);
  });
});
