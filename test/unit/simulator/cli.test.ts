import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCliArgs, runCli, TOKEN_ENV_VAR } from '../../../app/simulator/cli.ts';
import { dataPresets, practicePreset } from '../../../app/simulator/presets.ts';
import { defaultOptions } from '../../../app/simulator/options.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'sk_cli_secret_1234';

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.pid !== undefined) child.kill('SIGKILL');
});

/** Starts the CLI as a person would and resolves with the URL it prints. */
function spawnCli(
  args: readonly string[],
  env: Record<string, string> = {},
): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/simulator/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
  });
  return { child, url, output: () => out };
}

const exitOf = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('simulator CLI (spawned)', () => {
  it('listens on a free port, answers, logs the request, and stops cleanly on SIGTERM', async () => {
    const { child, url, output } = spawnCli(['--port', '0', '--pending-ms', '0', '--seed', '3']);
    const base = await url;
    const answer = await fetch(`${base}/v1/leads/lead-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"status":"ACTIVE"}',
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { job_id: string }).job_id).toMatch(/^job_/);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(output()).toMatch(/200\s+PUT \/v1\/leads\/lead-1 job job_/);
    expect(output()).toContain('SIGTERM: stopping after 1 requests');
  }, 20_000);

  it('requires the token from PROPEXO_API_KEY with --token-required, and never prints it', async () => {
    const { child, url, output } = spawnCli(['--port', '0', '--token-required', '--shape', 'meta'], { [TOKEN_ENV_VAR]: TOKEN });
    const base = await url;
    const put = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${base}/v1/leads/lead-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"status":"COLD"}',
      });
    expect((await put({})).status).toBe(401);
    const ok = await put({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ meta: { job_id: expect.stringMatching(/^job_/) }, result: {} });
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(0);
    expect(output()).toContain(`required (from ${TOKEN_ENV_VAR})`);
    expect(output()).not.toContain(TOKEN);
  }, 20_000);

  it('exits with 2 and a clear message on a bad number', async () => {
    const { child, url, output } = spawnCli(['--port', '0', '--success-rate', 'lots']);
    await expect(url).rejects.toThrow();
    expect(await exitOf(child)).toBe(2);
    expect(output()).toContain("--success-rate expects a number, got 'lots'");
  }, 20_000);
});

describe('parseCliArgs', () => {
  const run = (argv: readonly string[], env: Record<string, string | undefined> = {}) => parseCliArgs(argv, env);

  it('maps every flag to its option', () => {
    const parsed = run([
      '--port',
      '4010',
      '--rate',
      '120',
      '--window-ms',
      '30000',
      '--slowdown-ms',
      '500',
      '--pending-ms',
      '1000-3000',
      '--success-rate',
      '.8',
      '--partial-rate',
      '.1',
      '--retry-success-rate',
      '.5',
      '--server-error-rate',
      '0.05',
      '--admin-server-error-rate',
      '0.01',
      '--drop-before-apply-rate',
      '0.02',
      '--drop-after-apply-rate',
      '0.03',
      '--latency-ms',
      '20',
      '--logs-coverage',
      '0.9',
      '--logs-hide-root-ids',
      '--shape',
      'meta',
      '--seed',
      '17',
      '--quiet',
    ]);
    expect(parsed).toEqual({
      kind: 'run',
      quiet: true,
      options: {
        ...defaultOptions,
        port: 4010,
        rateLimit: 120,
        windowMs: 30_000,
        slowdownMs: 500,
        jobPendingMs: [1_000, 3_000],
        successRate: 0.8,
        partialRate: 0.1,
        retrySuccessRate: 0.5,
        serverErrorRate: 0.05,
        adminServerErrorRate: 0.01,
        dropBeforeApplyRate: 0.02,
        dropAfterApplyRate: 0.03,
        latencyMs: 20,
        logsCoverage: 0.9,
        logsShowRootJobIds: false,
        responseShape: 'meta',
        seed: 17,
      },
    });
  });

  it('sizes and seeds the seeded world with --data, --leads and --data-seed, and names bad values', () => {
    const parsed = run(['--data', 'small', '--leads', '1200', '--data-seed', '9', '--read-server-error-rate', '0.1']);
    expect(parsed).toMatchObject({
      kind: 'run',
      options: { data: { ...dataPresets.small, leads: 1_200, seed: 9 }, readServerErrorRate: 0.1 },
    });
    expect(run([])).toMatchObject({ kind: 'run', options: { data: defaultOptions.data } });
    const bad = run(['--data', 'huge', '--leads=-3', '--data-seed', 'x']);
    expect(bad.kind).toBe('error');
    const message = bad.kind === 'error' ? bad.message : '';
    expect(message).toContain("--data must be one of small, practice, large, got 'huge'");
    expect(message).toContain("--leads must be a whole number ≥ 0, got '-3'");
    expect(message).toContain("--data-seed expects a number, got 'x'");
  });

  it('starts from the practice preset with --practice, flags still winning', () => {
    const parsed = run(['--practice', '--seed', '4']);
    expect(parsed).toMatchObject({ kind: 'run', options: { ...practicePreset, seed: 4 } });
    expect(practicePreset).toMatchObject({ jobPendingMs: [1_000, 3_000], successRate: 0.95, rateLimit: 150, windowMs: 60_000 });
  });

  it('names the flag and the value in every error, all at once', () => {
    const parsed = run(['--rate', '0', '--latency-ms=-5', '--pending-ms', 'soon', '--shape', 'xml']);
    expect(parsed.kind).toBe('error');
    const message = parsed.kind === 'error' ? parsed.message : '';
    expect(message).toContain('--rate must be a whole number ≥ 1, got 0');
    expect(message).toContain('--latency-ms must be a number of milliseconds ≥ 0, got -5');
    expect(message).toContain("--pending-ms expects a number, got 'soon'");
    expect(message).toContain('--shape must be');
  });

  it('reports rules across flags with the flag names', () => {
    const parsed = run(['--success-rate', '0.9', '--partial-rate', '0.2']);
    expect(parsed).toEqual({ kind: 'error', message: '--success-rate + --partial-rate must be at most 1, got 0.9 + 0.2' });
  });

  it('takes the token only from the environment', () => {
    expect(run(['--token-required'], {})).toMatchObject({ kind: 'error', message: expect.stringContaining(TOKEN_ENV_VAR) });
    expect(run(['--token-required'], { [TOKEN_ENV_VAR]: TOKEN })).toMatchObject({ kind: 'run', options: { token: TOKEN } });
    expect(run(['--token', TOKEN])).toMatchObject({ kind: 'error', message: expect.stringContaining('never passed on the command line') });
    expect(run(['--port', '0'], { [TOKEN_ENV_VAR]: TOKEN })).toMatchObject({ kind: 'run', options: { token: null } });
  });

  it('rejects unknown flags and positionals', () => {
    expect(run(['--sped', '3']).kind).toBe('error');
    expect(run(['serve']).kind).toBe('error');
    expect(run(['--help']).kind).toBe('help');
  });
});

describe('runCli', () => {
  it('runs until told to stop, printing the URL', async () => {
    const lines: string[] = [];
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const exit = runCli(['--port', '0', '--quiet'], { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l), env: {}, stopped });
    while (!lines.some((l) => l.includes('listening on'))) await new Promise((resolve) => setTimeout(resolve, 5));
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(lines.join('\n'))?.[0];
    expect((await fetch(`${url}/v1/admin/logs/writes/`)).status).toBe(200);
    stop('SIGTERM');
    expect(await exit).toBe(0);
    // --quiet: no request lines.
    expect(lines.some((l) => l.includes('/v1/admin/logs/writes/'))).toBe(false);
    await expect(fetch(`${url}/v1/admin/logs/writes/`)).rejects.toThrow();
  });

  it('returns 2 for bad arguments without starting a server', async () => {
    const errors: string[] = [];
    const code = await runCli(['--window-ms', '0'], {
      stdout: () => undefined,
      stderr: (l) => errors.push(l),
      env: {},
      stopped: new Promise(() => undefined),
    });
    expect(code).toBe(2);
    expect(errors[0]).toContain('--window-ms must be a number of milliseconds > 0, got 0');
  });
});
