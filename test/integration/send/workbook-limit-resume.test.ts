// A run started with a raised workbook limit (--max-workbook-mb) keeps it in run.json, so that
// resume and retry, which read the file again, read it with the same limit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { resumeSend, sendFile } from '../../../app/run/send-run.ts';
import { apiPaths, fastTracking, runDir, startOrThrow, tempDir } from './send-harness.ts';

const fast = { rate: 1_000, windowMs: 1_000, tracking: fastTracking, backoff: { baseMs: 20, capMs: 200, maxRetries: 3 } };
const settled = { rateLimit: 1_000, windowMs: 1_000, jobPendingMs: 20, successRate: 1, partialRate: 0, latencyMs: 0, latencySpikes: null };

describe('the workbook limit of a run', () => {
  it('is kept in run.json and used again by resume', async () => {
    const dir = await tempDir('workbook-limit');
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Leads').addRows([
      ['Lead ID', 'Status'],
      ['lead-1', 'ACTIVE'],
      ['lead-2', 'COLD'],
    ]);
    const path = join(dir, 'leads.xlsx');
    await book.xlsx.writeFile(path);
    const paths = apiPaths(dir);

    const first = await startOrThrow(
      sendFile({ path, source: { maxWorkbookMb: 64 }, environment: 'practice', ...paths, ...fast, simulator: settled }),
    );
    expect(await first.done).toMatchObject({ succeeded: 2 });
    const header = JSON.parse(await readFile(join(runDir(paths.dataDir, first.runId), 'run.json'), 'utf8')) as {
      file: Record<string, unknown>;
    };
    expect(header.file).toMatchObject({ format: 'xlsx', sheet: 'Leads', maxWorkbookMb: 64 });

    const resumed = await startOrThrow(resumeSend({ runId: first.runId, environment: '', ...paths, ...fast, simulator: settled }));
    expect(await resumed.done).toMatchObject({ succeeded: 2 });
  }, 60_000);
});
