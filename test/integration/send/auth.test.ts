// The API key: it travels only as `Authorization: Bearer …` and is never printed or stored;
// a refused key (at the start or mid-run) stops the run without losing anything, and
// `lead-import resume` with the right key finishes it without sending an accepted row twice.
import { describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  acceptedRows,
  appliedByRow,
  journalOf,
  resultsByRow,
  rowNumberOf,
  rowOfRequest,
  runCli,
  simulator,
  spawnCli,
  summaryOf,
  tempDir,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';
import { MIN_SECRET_LENGTH } from '../../../app/shared/redact.ts';

const KEY = 'sk_live_TOKEN-never-shown-4f1c9a';
const OTHER_KEY = 'sk_live_the-new-key-77e0b2';
const CONCURRENCY = 4;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('the API key', () => {
  it('is refused when too short to be a key (it could not be scrubbed from text), without echoing it', async () => {
    const dir = await tempDir('auth-short');
    const sim = await simulator({ rateLimit: 1_000 });
    try {
      const file = await writeLeads(join(dir, 'leads.csv'), validRows(2));
      const keyFile = join(dir, 'key.txt');
      // One character short of a key (MIN_SECRET_LENGTH).
      const short = 'sk_live_k#3y-shortX';
      expect(short).toHaveLength(MIN_SECRET_LENGTH - 1);
      await writeFile(keyFile, `${short}\n`);
      for (const [argv, env, from] of [
        [[], { PROPEXO_API_KEY: short }, 'PROPEXO_API_KEY'],
        [['--api-key-file', keyFile], {}, `the file ${keyFile}`],
      ] as const) {
        const run = await runCli(['send', file, '--env', sim.url, '--data-dir', join(dir, 'data'), ...argv], { env });
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(
          `lead-import: The API key in ${from} is too short: an API key has at least ${MIN_SECRET_LENGTH} characters\n`,
        );
        expect(run.stdout + run.stderr).not.toContain('k#3y');
      }
      expect(updates(sim)).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });

  it('is sent as a bearer token and appears nowhere: output, run folder, results, error report', async () => {
    const dir = await tempDir('auth');
    const sim = await simulator({ token: KEY, rateLimit: 1_000 });
    const file = await writeLeads(join(dir, 'leads.csv'), [...validRows(12), { leadId: 'bad', status: 'Nope' }]);
    const data = join(dir, 'data');
    const results = join(dir, 'results.csv');
    const errors = join(dir, 'errors.csv');
    // A real process: what it prints is what a user or a CI log would see.
    const run = await spawnCli(['send', file, '--env', sim.url, '--data-dir', data, '--results', results, '--errors', errors], {
      env: { PATH: process.env.PATH, PROPEXO_API_KEY: KEY },
    });
    expect(run.code).toBe(1); // one invalid row
    // The simulator requires exactly this token: every answer being 200 proves it saw `Bearer KEY`.
    expect(sim.record.length).toBeGreaterThanOrEqual(12);
    expect(sim.record.every((r) => r.status === 200)).toBe(true);
    expect(appliedByRow(sim).size).toBe(12);

    expect(run.stdout + run.stderr).not.toContain(KEY);
    expect(run.stderr).not.toMatch(/Warning/); // e.g. MaxListenersExceededWarning on every run
    const stored = [...(await filesUnder(data)), results, errors];
    expect(stored.some((f) => f.endsWith('journal.jsonl'))).toBe(true);
    expect(stored.some((f) => f.endsWith('run.json'))).toBe(true);
    for (const path of stored) expect(await readFile(path, 'utf8'), path).not.toContain(KEY);
  });

  it('refused from the start: exit 2, nothing sent after the 401, rows not_sent; resume with the right key sends them', async () => {
    const dir = await tempDir('auth');
    const sim = await simulator({ token: OTHER_KEY, rateLimit: 1_000 });
    const rows = validRows(12);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const data = join(dir, 'data');
    const results = join(dir, 'results.csv');
    const keyFile = join(dir, 'key.txt');
    await writeFile(keyFile, `${KEY}\n`);

    const run = await runCli(['send', file, '--env', sim.url, '--data-dir', data, '--results', results, '--api-key-file', keyFile], {
      env: {},
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused the API key \(HTTP 401\)/);
    expect(run.stdout + run.stderr).not.toContain(KEY);
    // Only the requests already in flight when the first 401 came back: nothing after it.
    expect(sim.record.length).toBeGreaterThan(0);
    expect(sim.record.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(sim.record.every((r) => r.status === 401 && !r.applied)).toBe(true);
    const firstResults = await resultsByRow(results);
    expect([...firstResults.values()].map((l) => l.outcome)).toEqual(rows.map(() => 'not_sent'));
    const runId = /Run (\S+):/.exec(run.stdout)?.[1] ?? '';
    const journal = await journalOf(data, runId);
    expect(journal.some((e) => e.t === 'stopped' && /refused the API key/.test(e.reason))).toBe(true);
    expect(journal.some((e) => e.t === 'accepted')).toBe(false);
    const listed = await runCli(['runs', '--data-dir', data, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ runs: [{ runId, state: 'stopped' }] });

    await writeFile(keyFile, `${OTHER_KEY}\n`);
    const resumed = await runCli(
      ['resume', runId, '--env', sim.url, '--data-dir', data, '--results', results, '--api-key-file', keyFile, '--json'],
      { env: {} },
    );
    expect(resumed.code).toBe(0);
    expect(summaryOf(resumed.stdout)).toMatchObject({ succeeded: 12, notSent: 0 });
    const applied = appliedByRow(sim);
    expect(applied.size).toBe(12);
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    const relisted = await runCli(['runs', '--data-dir', data, '--json']);
    expect(JSON.parse(relisted.stdout)).toMatchObject({ runs: [{ runId, state: 'finished', outcomes: { succeeded: 12 } }] });
  });

  it('refused mid-run: rows accepted before the 401 are never sent again; resume follows their jobs and sends the rest', async () => {
    const dir = await tempDir('auth');
    const ACCEPT_BEFORE_CHANGE = 6;
    let ok = 0;
    const sim = await simulator(
      { token: KEY, rateLimit: 1_000, jobPendingMs: 100 },
      {
        onFinished: (r) => {
          if (r.endpoint !== 'update-lead' || r.status !== 200) return;
          ok++;
          // The key is revoked while the run is under way.
          if (ok === ACCEPT_BEFORE_CHANGE) sim.configure({ token: OTHER_KEY });
        },
      },
    );
    const rows = validRows(24, (i) => `lead-${(i % 20) + 1}`);
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const data = join(dir, 'data');
    const results = join(dir, 'results.csv');

    const run = await runCli(['send', file, '--env', sim.url, '--data-dir', data, '--results', results, '--json'], {
      env: { PROPEXO_API_KEY: KEY },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused the API key/);
    const summary = summaryOf(run.stdout);
    const firstRecord = [...sim.record];
    const first401 = firstRecord.findIndex((r) => r.status === 401);
    expect(first401).toBeGreaterThanOrEqual(0);
    const answeredAt = firstRecord[first401].finishedAt ?? 0;
    const after = firstRecord.filter((r) => r.at > answeredAt);
    // At most the other requests already in flight; none of them changed anything.
    expect(after.length).toBeLessThanOrEqual(CONCURRENCY - 1);
    expect(firstRecord.slice(first401).every((r) => !r.applied)).toBe(true);

    const runId = String(summary.runId);
    const accepted = acceptedRows(await journalOf(data, runId));
    expect(accepted.size).toBe(ACCEPT_BEFORE_CHANGE);
    const firstResults = await resultsByRow(results);
    for (const [row, line] of firstResults) {
      if (!accepted.has(row)) expect(line.outcome, `row ${row}`).toBe('not_sent');
    }

    const resumeFrom = sim.record.length;
    const resumed = await runCli(['resume', runId, '--env', sim.url, '--data-dir', data, '--results', results, '--json'], {
      env: { PROPEXO_API_KEY: OTHER_KEY },
    });
    expect(summaryOf(resumed.stdout)).toMatchObject({ succeeded: rows.length, pending: 0, notSent: 0 });
    expect(resumed.code).toBe(0);
    const resentRows = updates(sim)
      .filter((r) => r.seq > resumeFrom)
      .map(rowOfRequest);
    for (const row of accepted) expect(resentRows, `row ${row} was accepted before the 401`).not.toContain(row);
    const applied = appliedByRow(sim);
    expect([...applied.keys()].sort((a, b) => a - b)).toEqual(rows.map((_, i) => rowNumberOf(i)));
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    const finalResults = await resultsByRow(results);
    expect([...finalResults.values()].every((l) => l.outcome === 'succeeded')).toBe(true);
  });
});
