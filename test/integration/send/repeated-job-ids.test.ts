// Propexo's document allows any string as a job id and promises no uniqueness. A repeated id once
// orphaned a row (the tracker replaced the first job with the second): the run never ended. Now
// an id is followed once: the first update given it ends by its status, a later one ends
// `unknown` (its outcome cannot be told), and the lead's next row is still sent.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import type { Simulator } from '../../../app/simulator/index.ts';
import {
  apiPaths,
  finished,
  journalOf,
  resultsByRow,
  sendOptions,
  simulator,
  tempDir,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';

describe('repeated job ids', () => {
  it('two leads given the same job id: the first ends by its status, the later one unknown', async () => {
    const dir = await tempDir('repeat');
    // lead-1 is answered its own job id; lead-2 (sent after it, one at a time) the same id again.
    const sim = await simulator({ jobPendingMs: 50, repeatedJobIdRate: 1 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths, { concurrency: 1 })));

    const answered = updates(sim).filter((r) => r.status === 200);
    expect(new Set(answered.map((r) => r.jobId)).size).toBe(1);
    expect(summary).toMatchObject({ succeeded: 1, unknown: 1, pending: 0, notSent: 0 });
    const results = await resultsByRow(paths.resultsPath);
    expect(results.get(2)?.outcome).toBe('succeeded');
    expect(results.get(3)).toMatchObject({ outcome: 'unknown', job_id: answered[0].jobId });
    expect(results.get(3)?.errors).toMatch(/already given to another update of this run.*may or may not have been written/);
    const journal = await journalOf(paths.dataDir, summary.runId);
    expect(journal.filter((e) => e.t === 'unknown').map((e) => e.row)).toEqual([3]);
    expect(journal.at(-1)?.t).toBe('finished');
  }, 20_000);

  it('the same lead twice given the same job id: the later row ends unknown, and the lead’s next row is sent', async () => {
    const dir = await tempDir('repeat');
    // Row 2 gets its own job; row 3 (sent once row 2 ended) the same id again; row 4 its own.
    const hook: { sim?: Simulator } = {};
    const sim = await simulator(
      { jobPendingMs: 50 },
      { onFinished: (r) => r.endpoint === 'update-lead' && r.status === 200 && r.seq === 1 && hook.sim?.queueFaults('repeated-job-id') },
    );
    hook.sim = sim;
    const file = await writeLeads(
      join(dir, 'leads.csv'),
      validRows(3, () => 'lead-1'),
    );
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths)));

    const ids = updates(sim)
      .filter((r) => r.status === 200)
      .map((r) => r.jobId);
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(summary).toMatchObject({ succeeded: 2, unknown: 1, pending: 0, notSent: 0 });
    const results = await resultsByRow(paths.resultsPath);
    expect([2, 3, 4].map((row) => results.get(row)?.outcome)).toEqual(['succeeded', 'unknown', 'succeeded']);
  }, 20_000);
});
