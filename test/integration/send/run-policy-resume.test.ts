// A run keeps the retry count it started with: its header records maxAttempts, and resume and
// retry read it back (as they read its concurrency, rate and pending timeout), whatever the
// current default. A run.json written by an older version, with its own maxAttempts, loads
// and governs the retry the same way.
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { retryRun, sendFile } from '../../../app/run/send-run.ts';
import { HEADER_FILE } from '../../../app/run/run-header.ts';
import { defaultMaxRetries } from '../../../app/shared/run-policy.ts';
import {
  apiPaths,
  finished,
  resumeOptions,
  rowOfRequest,
  runDir,
  sendOptions,
  simulatorInSharedTime,
  startOrThrow,
  tempDir,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';
import type { Simulator } from '../../../app/simulator/index.ts';

const ROWS = 3;

function requestsByRow(sim: Simulator): number[] {
  const counts = new Map<number, number>();
  for (const r of updates(sim)) {
    const row = rowOfRequest(r);
    if (row !== undefined) counts.set(row, (counts.get(row) ?? 0) + 1);
  }
  return [...counts.values()];
}

describe("a run's retry count", () => {
  it('is recorded in the header, and a retry of an old run follows the maxAttempts its run.json carries', async () => {
    const dir = await tempDir('run-policy');
    // Every update answered 503; time is shared with the simulator, so backoff waits cost nothing.
    const { sim, runOptions } = await simulatorInSharedTime({
      rateLimit: 1_000,
      windowMs: 1_000,
      serverErrorRate: 1,
      serverErrorStatuses: [503],
    });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(ROWS));
    const paths = apiPaths(dir);

    // Started with the default policy (no backoff given): the header says so.
    const { backoff: _startBackoff, ...defaults } = sendOptions(sim, file, paths, runOptions);
    const live = await startOrThrow(sendFile(defaults));
    expect(await live.done).toMatchObject({ failed: ROWS });
    expect(requestsByRow(sim)).toEqual(Array(ROWS).fill(defaultMaxRetries + 1));
    const headerPath = join(runDir(paths.dataDir, live.runId), HEADER_FILE);
    const header = JSON.parse(await readFile(headerPath, 'utf8')) as { options: { maxAttempts: number } };
    expect(header.options.maxAttempts).toBe(defaultMaxRetries + 1);

    // As an older version with another policy would have left it: two attempts per row.
    header.options.maxAttempts = 2;
    await writeFile(headerPath, `${JSON.stringify(header, null, 2)}\n`);

    const { backoff: _retryBackoff, ...retryDefaults } = resumeOptions(sim, live.runId, paths, runOptions);
    const retried = await finished(await retryRun(retryDefaults));
    expect(retried).toMatchObject({ failed: ROWS });
    // Each row: its first run's attempts, then the two its run.json allows (not the default six).
    expect(requestsByRow(sim)).toEqual(Array(ROWS).fill(defaultMaxRetries + 1 + 2));
  }, 60_000);
});
