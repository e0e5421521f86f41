// Production is decided from where requests would go, not from how --env was spelled: every
// command that writes to https://api.propexo.com asks first (or needs --yes), and without a
// terminal it refuses, exit 2, with nothing sent. No request may leave this machine here: a
// stand-in fetch records any attempt (and fails it) so a missing question cannot reach the network.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendFile } from '../../../app/run/send-run.ts';
import { HEADER_FILE } from '../../../app/run/run-header.ts';
import { API_KEY, apiPaths, finished, runCli, runDir, sendOptions, simulator, tempDir, validRows, writeLeads } from './send-harness.ts';

const attempts: string[] = [];

function noNetwork(): void {
  vi.stubGlobal('fetch', (input: unknown) => {
    attempts.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new Error('this test allows no network'));
  });
}

beforeEach(() => {
  attempts.length = 0;
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const runsIn = async (dataDir: string): Promise<string[]> => readdir(join(dataDir, 'runs')).catch(() => []);

describe('lead-import send: production by address, not by spelling', () => {
  const spellings = [
    ' production',
    'production ',
    'https://api.propexo.com',
    'HTTPS://API.PROPEXO.COM/',
    'https://Api.Propexo.com//',
    'https://api.propexo.com.',
    'https://api.propexo.com:443',
  ];

  it.each(spellings)('--env %j without a terminal or --yes: refused, exit 2, nothing sent', async (env) => {
    noNetwork();
    const dir = await tempDir('prod');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const data = join(dir, 'data');
    const run = await runCli(['send', file, '--env', env, '--data-dir', data], { env: { PROPEXO_API_KEY: API_KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/production .*needs confirmation.*--yes/i);
    expect(attempts).toEqual([]);
    expect(await runsIn(data)).toEqual([]);
  });

  it.each(spellings)('--env %j on a terminal: asks, and "no" sends nothing', async (env) => {
    noNetwork();
    const dir = await tempDir('prod');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const data = join(dir, 'data');
    const questions: string[] = [];
    const run = await runCli(['send', file, '--env', env, '--data-dir', data], {
      env: { PROPEXO_API_KEY: API_KEY },
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(/PRODUCTION/);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Nothing was sent/);
    expect(attempts).toEqual([]);
    expect(await runsIn(data)).toEqual([]);
  });

  it('sandbox and a local server are not production: no question', async () => {
    const dir = await tempDir('prod');
    const sim = await simulator({ token: API_KEY, rateLimit: 1_000 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
    const questions: string[] = [];
    const run = await runCli(['send', file, '--env', sim.url, '--data-dir', join(dir, 'data')], {
      env: { PROPEXO_API_KEY: API_KEY },
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });
    expect(run.code).toBe(0);
    expect(questions).toEqual([]);
  });
});

describe('lead-import resume|retry of a production run', () => {
  /** A finished run against the simulator, then its run.json made to name `environment`. */
  async function productionRun(environment: { name: string; baseUrl: string }): Promise<{ runId: string; dataDir: string }> {
    const dir = await tempDir('prod-run');
    const sim = await simulator({ token: API_KEY, rateLimit: 1_000, leadOutcomes: { 'lead-2': 'FAILURE' } });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(3));
    const paths = apiPaths(dir);
    const summary = await finished(await sendFile(sendOptions(sim, file, paths)));
    const headerPath = join(runDir(paths.dataDir, summary.runId), HEADER_FILE);
    const header = JSON.parse(await readFile(headerPath, 'utf8')) as Record<string, unknown>;
    await writeFile(headerPath, JSON.stringify({ ...header, environment }));
    return { runId: summary.runId, dataDir: paths.dataDir };
  }

  const production = [
    { name: 'production', baseUrl: 'https://api.propexo.com' },
    // A run started with --env https://api.propexo.com before production was told by address.
    { name: 'custom', baseUrl: 'https://api.propexo.com' },
  ];

  it.each(production.flatMap((environment) => (['resume', 'retry'] as const).map((command) => ({ command, environment }))))(
    '$command of a $environment.name run on $environment.baseUrl: refused without a terminal or --yes, asked on a terminal',
    async ({ command, environment }) => {
      const { runId, dataDir } = await productionRun(environment);
      noNetwork();
      const env = ['--env', 'https://api.propexo.com'];
      const refused = await runCli([command, runId, '--data-dir', dataDir, ...env], { env: { PROPEXO_API_KEY: API_KEY } });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/production .*needs confirmation.*--yes/i);

      const questions: string[] = [];
      const declined = await runCli([command, runId, '--data-dir', dataDir, ...env], {
        env: { PROPEXO_API_KEY: API_KEY },
        confirm: async (question) => {
          questions.push(question);
          return false;
        },
      });
      expect(declined.code).toBe(2);
      expect(questions).toHaveLength(1);
      expect(questions[0]).toMatch(new RegExp(`${runId}.*PRODUCTION`));
      expect(declined.stderr).toMatch(/Nothing was sent/);
      expect(attempts).toEqual([]);
    },
  );
});
