// A header row chosen by the person (--header-row) belongs to the run: resume and retry read
// the file with it, not with what detection would find (issue 11, item 5).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resumeSend, sendFile } from '../../../app/run/send-run.ts';
import { apiPaths, fastTracking, LEADS_HEADER, runDir, startOrThrow, tempDir, until } from './send-harness.ts';

const ROWS = 6;
const fast = { rate: 1_000, windowMs: 1_000, tracking: fastTracking, backoff: { baseMs: 20, capMs: 200, maxRetries: 3 } };

describe('a run started with a chosen header row', () => {
  it('stores the header row and resumes with it', async () => {
    const dir = await tempDir('header-row');
    // A title as wide as the table: detection takes it for the header, the person says line 2.
    const lines = Array.from({ length: ROWS }, (_, i) => `lead-${i + 1},Row${i + 3},ACTIVE,${i % 4}`);
    const file = join(dir, 'leads.csv');
    await writeFile(file, `Weekly report,Sunset Apartments,Denver CO,December\n${LEADS_HEADER}\n${lines.join('\n')}\n`);
    const paths = apiPaths(dir);
    const detected = await sendFile({ path: file, environment: 'practice', ...paths, ...fast });
    expect(detected._tag === 'Left' && detected.left.message).toMatch(/lead id/i);

    const first = await startOrThrow(
      sendFile({
        path: file,
        source: { headerRow: 2 },
        environment: 'practice',
        ...paths,
        ...fast,
        simulator: { rateLimit: 1_000, windowMs: 1_000, jobPendingMs: 600_000, latencyMs: 0, latencySpikes: null },
      }),
    );
    expect(first.validation).toMatchObject({ headerRow: 2, rows: ROWS, valid: ROWS });
    await until(() => [...first.records.values()].filter((r) => r.outcome === 'accepted').length === ROWS, 20_000, 'every update accepted');
    first.cancel();
    await first.done;
    const header = JSON.parse(await readFile(join(runDir(paths.dataDir, first.runId), 'run.json'), 'utf8'));
    expect(header.file.headerRow).toBe(2);

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
    expect(resumed.validation).toMatchObject({ headerRow: 2, rows: ROWS });
    expect(await resumed.done).toMatchObject({ unknown: ROWS });
    expect([...resumed.records.keys()].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8]);
  }, 60_000);
});
