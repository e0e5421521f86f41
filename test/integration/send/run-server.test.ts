// resume, status and retry send the API key again: to a custom server only when the command
// line names it. A run.json that was changed to point at another server (another local user,
// a synced folder) must not make the key go there.
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import { HEADER_FILE } from '../../../app/run/run-header.ts';
import { API_KEY, apiPaths, finished, runCli, runDir, sendOptions, simulator, tempDir, validRows, writeLeads } from './send-harness.ts';

describe('lead-import resume|status|retry of a custom-server run', () => {
  /** A run against `real` with a failed job (something to retry), then its run.json pointed at `planted`. */
  async function tamperedRun() {
    const dir = await tempDir('run-server');
    const real = await simulator({ token: API_KEY, rateLimit: 1_000, leadOutcomes: { 'lead-2': 'FAILURE' } });
    const planted = await simulator({ rateLimit: 1_000 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(real, file, paths)));
    const headerPath = join(runDir(paths.dataDir, summary.runId), HEADER_FILE);
    const header = JSON.parse(await readFile(headerPath, 'utf8')) as Record<string, unknown>;
    expect(header.environment).toEqual({ name: 'custom', baseUrl: real.url });
    await writeFile(headerPath, JSON.stringify({ ...header, environment: { name: 'custom', baseUrl: planted.url } }));
    return { runId: summary.runId, dataDir: paths.dataDir, real, planted, realFrom: real.record.length };
  }

  it.each(['resume', 'status', 'retry'])(
    '%s without --env: refused with how to name the server; the planted server gets nothing',
    async (command) => {
      const { runId, dataDir, planted, real, realFrom } = await tamperedRun();
      const run = await runCli([command, runId, '--data-dir', dataDir], { env: { PROPEXO_API_KEY: API_KEY } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--env ${planted.url}`);
      expect(run.stderr).not.toContain(API_KEY);
      expect(planted.record).toEqual([]);
      expect(real.record.length).toBe(realFrom);
    },
  );

  it.each(['resume', 'status', 'retry'])(
    '%s with --env naming another server than run.json: refused, nothing sent anywhere',
    async (command) => {
      const { runId, dataDir, planted, real, realFrom } = await tamperedRun();
      const run = await runCli([command, runId, '--data-dir', dataDir, '--env', real.url], { env: { PROPEXO_API_KEY: API_KEY } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(planted.url);
      expect(run.stderr).toContain(real.url);
      expect(planted.record).toEqual([]);
      expect(real.record.length).toBe(realFrom);
    },
  );

  it('--env naming the run’s own server (any spelling) lets it go on', async () => {
    const dir = await tempDir('run-server');
    const sim = await simulator({ token: API_KEY, rateLimit: 1_000, leadOutcomes: { 'lead-2': 'FAILURE' }, retrySuccessRate: 1 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths)));
    const from = sim.record.length;
    const retry = await runCli(['retry', summary.runId, '--data-dir', paths.dataDir, '--env', `${sim.url.toUpperCase()}/`], {
      env: { PROPEXO_API_KEY: API_KEY },
    });
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    expect(sim.record.slice(from).some((r) => r.endpoint === 'retry-write')).toBe(true);
  });

  it('the summary of a custom-server run says how to continue it: with --env and the server', async () => {
    const dir = await tempDir('run-server');
    const sim = await simulator({ token: API_KEY, rateLimit: 1_000, leadOutcomes: { 'lead-2': 'FAILURE' } });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
    const run = await runCli(['send', file, '--env', `${sim.url}/`, '--data-dir', join(dir, 'data')], {
      env: { PROPEXO_API_KEY: API_KEY },
    });
    expect(run.code).toBe(1);
    const runId = /Run (\S+):/.exec(run.stdout)?.[1] ?? '';
    expect(run.stdout).toContain(`Retry what failed with: lead-import retry ${runId} --env ${sim.url}\n`);
  });
});
