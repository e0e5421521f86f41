// Report paths: refused before anything is sent when they cannot be written; when the folder
// goes away during the run, the summary still comes, with the reason and how to write them again.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendFile } from '../../../app/run/send-run.ts';
import {
  API_KEY,
  apiPaths,
  runCli,
  sendOptions,
  simulator,
  startOrThrow,
  summaryOf,
  tempDir,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';

describe('report paths', () => {
  it('a results path that is a folder is refused up front, with --json, and nothing is sent', async () => {
    const dir = await tempDir('report-folder');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000 });
    try {
      const file = await writeLeads(join(dir, 'leads.csv'), validRows(5));
      const results = join(dir, 'results.csv');
      await mkdir(results);
      const run = await runCli(['send', file, '--env', sim.url, '--data-dir', join(dir, 'data'), '--results', results, '--json'], {
        env: { PROPEXO_API_KEY: API_KEY },
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`lead-import: Cannot write the results file ${results}: it is a folder. Nothing was sent`);
      expect(summaryOf(run.stdout)).toEqual({ error: { message: expect.stringContaining(results) } });
      expect(updates(sim)).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });

  it('a report folder removed during the run: the run still ends with its summary and says why the report is missing', async () => {
    const dir = await tempDir('report-gone');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000, latencyMs: 20 });
    try {
      const file = await writeLeads(join(dir, 'leads.csv'), validRows(30));
      const reports = join(dir, 'reports');
      await mkdir(reports);
      const paths = { ...apiPaths(dir), resultsPath: join(reports, 'results.csv'), errorsPath: join(reports, 'errors.csv') };
      const run = await startOrThrow(sendFile(sendOptions(sim, file, paths)));
      await rm(reports, { recursive: true });
      const summary = await run.done;
      expect(summary.succeeded).toBe(30);
      expect(summary.reportError).toMatch(/Cannot write the report .*reports/);
      expect(summary).toMatchObject({ resultsFile: null, errorsFile: null, stopped: null });
    } finally {
      await sim.close();
    }
  });

  it('checked again on resume, status and retry', async () => {
    const dir = await tempDir('report-resume');
    const sim = await simulator({ rateLimit: 1_000, windowMs: 1_000 });
    try {
      const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
      const paths = apiPaths(dir);
      const summary = await (await startOrThrow(sendFile(sendOptions(sim, file, paths)))).done;
      const missing = join(dir, 'nowhere', 'errors.csv');
      const status = await runCli(['status', summary.runId, '--env', sim.url, '--data-dir', paths.dataDir, '--errors', missing], {
        env: { PROPEXO_API_KEY: API_KEY },
      });
      expect(status.code).toBe(2);
      expect(status.stderr).toContain(`Cannot write the error report ${missing}: the folder ${join(dir, 'nowhere')} does not exist`);
    } finally {
      await sim.close();
    }
  });
});
