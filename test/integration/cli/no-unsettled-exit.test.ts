// No command can end without its summary. Each of send, resume, retry and status is driven, in a
// real process (as bin/lead-import.mjs runs it), into a state where rows wait on promises that
// nothing will ever settle: jobs the tracker forgets, lead updates that never answer. Before, Node
// ended such a process with exit code 13 and no summary, results file or error report.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv, repoRoot, simulator, summaryOf, tempDir, validRows, writeLeads } from '../send/send-harness.ts';
import type { CliResult } from './cli-harness.ts';

const KEY = 'test-key-no-exit-13-0001';
const ROWS = 6;
const FINAL = new Set(['succeeded', 'partial', 'failed', 'rejected', 'unknown', 'pending', 'not_sent']);

function faultyCli(fault: string, argv: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/integration/cli/faulty-cli.ts'), fault, ...argv], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PROPEXO_API_KEY: KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface Ended {
  readonly summary: Record<string, unknown>;
  readonly results: Record<string, string>[];
}

/** The command ended as a command should: exit 0/1/2, a JSON summary, a results file and an error report that agree. */
async function expectEnded(run: CliResult, paths: { results: string; errors: string }): Promise<Ended> {
  expect(run.code, run.stderr).toBe(1);
  const summary = summaryOf(run.stdout);
  expect(existsSync(paths.results) && existsSync(paths.errors)).toBe(true);
  const results = await readCsv(paths.results);
  expect(results).toHaveLength(ROWS);
  expect(results.filter((l) => !FINAL.has(l.outcome))).toEqual([]);
  const count = (outcome: string): number => results.filter((l) => l.outcome === outcome).length;
  expect(summary).toMatchObject({
    unknown: count('unknown'),
    notSent: count('not_sent'),
    pending: count('pending'),
    succeeded: count('succeeded'),
  });
  // The error report: every row but successes and jobs still pending.
  expect((await readCsv(paths.errors)).length).toBe(ROWS - count('succeeded') - count('pending'));
  return { summary, results };
}

describe('no command ends without its summary (never exit code 13)', () => {
  it('send, resume, retry and status end the rows they lost track of, and write summary, results and error report', async () => {
    const dir = await tempDir('exit13');
    const sim = await simulator({ jobPendingMs: 50 });
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(ROWS));
    const dataDir = join(dir, 'data');
    const paths = (name: string) => ({ results: join(dir, `${name}-results.csv`), errors: join(dir, `${name}-errors.csv`) });
    const flags = (name: string) => ['--data-dir', dataDir, '--results', paths(name).results, '--errors', paths(name).errors, '--json'];

    // send: 4 updates (the concurrency) never answer, 2 wait behind them: the event loop runs dry.
    const sent = await faultyCli('hang-updates', ['send', file, '--env', sim.url, ...flags('send')]);
    const first = await expectEnded(sent, paths('send'));
    expect(first.summary).toMatchObject({ unknown: 4, notSent: 2, lostTrack: 6 });
    expect(first.results.every((l) => l.errors.startsWith('the run lost track of this row: nothing was left in flight or scheduled'))).toBe(
      true,
    );
    expect(sent.stderr).toMatch(/lost track of 6 rows/);
    const runId = String(first.summary.runId);

    // resume: the 2 rows never sent go out, are accepted, and their jobs are forgotten.
    const resumed = await expectEnded(
      await faultyCli('lose-jobs', ['resume', runId, '--env', sim.url, ...flags('resume')]),
      paths('resume'),
    );
    expect(resumed.summary).toMatchObject({ unknown: 6, notSent: 0, lostTrack: 2 });
    expect(resumed.results.filter((l) => /nothing follows its job job_/.test(l.errors))).toHaveLength(2);

    // retry: the 6 unknown rows are sent again, into updates that never answer.
    const retried = await expectEnded(
      await faultyCli('hang-updates', ['retry', runId, '--env', sim.url, ...flags('retry')]),
      paths('retry'),
    );
    expect(retried.summary).toMatchObject({ unknown: 4, notSent: 2, lostTrack: 6 });

    // status: a run whose jobs ended pending is re-checked, and the tracker forgets them.
    sim.configure({ jobPendingMs: 60_000 });
    // --no-preview: the earlier runs applied some of these rows, which a preview would not send again.
    const pendingRun = await expectEnded(
      await faultyCli('short-pending', ['send', file, '--env', sim.url, '--no-preview', ...flags('pending')]),
      paths('pending'),
    );
    expect(pendingRun.summary).toMatchObject({ pending: ROWS, lostTrack: 0 });
    const status = await expectEnded(
      await faultyCli('lose-jobs', ['status', String(pendingRun.summary.runId), '--env', sim.url, ...flags('status')]),
      paths('status'),
    );
    expect(status.summary).toMatchObject({ unknown: ROWS, pending: 0, lostTrack: ROWS });
  }, 90_000);

  it('a command left waiting on something that never happens ends with a sentence and exit 2', async () => {
    const dir = await tempDir('exit13');
    const file = await writeLeads(join(dir, 'leads.csv'), validRows(1));
    const run = await faultyCli('unanswered-prompt', ['send', file, '--env', 'production', '--data-dir', join(dir, 'data')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/internal error: the command was left waiting for something that can never happen/);
  }, 30_000);
});
