// Practice runs happen against a simulator inside the process, which forgets its jobs when the
// process ends. Resuming one follows jobs the new simulator never made: write status answers 404,
// and those rows end `unknown` at once (not after ten minutes of polling), saying why; `retry`
// then sends them again. The same holds for any job Propexo says it does not know.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resumeSend, retryRun, sendFile } from '../../../app/run/send-run.ts';
import { apiPaths, fastTracking, startOrThrow, tempDir, until, validRows, writeLeads } from './send-harness.ts';

const ROWS = 12;
const fast = { rate: 1_000, windowMs: 1_000, tracking: fastTracking, backoff: { baseMs: 20, capMs: 200, maxRetries: 3 } };

describe('a practice run resumed in a new process', () => {
  it('ends the jobs the new practice environment does not know as unknown, and retry sends those rows again', async () => {
    const dir = await tempDir('practice-resume');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(ROWS));
    const paths = apiPaths(dir);

    // Every update accepted, no job finished: then the run is cancelled (as if the app closed).
    const first = await startOrThrow(
      sendFile({
        path: file,
        environment: 'practice',
        ...paths,
        ...fast,
        simulator: { rateLimit: 1_000, windowMs: 1_000, jobPendingMs: 600_000, latencyMs: 0, latencySpikes: null },
      }),
    );
    await until(() => [...first.records.values()].filter((r) => r.outcome === 'accepted').length === ROWS, 20_000, 'every update accepted');
    first.cancel();
    expect(await first.done).toMatchObject({ pending: ROWS, unknown: 0 });

    const settled = {
      rateLimit: 1_000,
      windowMs: 1_000,
      jobPendingMs: 50,
      successRate: 1,
      partialRate: 0,
      latencyMs: 0,
      latencySpikes: null,
    };
    const resumed = await startOrThrow(resumeSend({ runId: first.runId, environment: '', ...paths, ...fast, simulator: settled }));
    const summary = await resumed.done;
    expect(summary).toMatchObject({ unknown: ROWS, pending: 0, succeeded: 0 });
    // At once: two 404s in a row end each job (one could be a hiccup); no polling until the
    // pending timeout. Counted in requests, not seconds, so a busy machine cannot change it.
    expect(summary.requests.status).toBe(2 * ROWS);
    const record = [...resumed.records.values()][0];
    expect(record.errors[0]).toMatch(
      /Propexo does not know job .* \(HTTP 404 from write status\): the update was accepted, but whether it was written cannot be told/,
    );

    const retried = await startOrThrow(retryRun({ runId: first.runId, environment: '', ...paths, ...fast, simulator: settled }));
    expect(await retried.done).toMatchObject({ succeeded: ROWS, unknown: 0, pending: 0 });
  }, 60_000);
});
