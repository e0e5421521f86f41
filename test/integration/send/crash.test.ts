// A real `lead-import send` process killed with SIGKILL mid-flight, then `lead-import resume`:
// no row whose acceptance reached the journal is sent again, every row is applied, the results
// file has one outcome per row, a torn last journal line is repaired, and a file changed since
// the run started is refused.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  acceptedRows,
  appliedByRow,
  journalOf,
  repoRoot,
  resultsByRow,
  rowNumberOf,
  rowOfRequest,
  runCli,
  runDir,
  simulator,
  summaryOf,
  tempDir,
  updates,
  validRows,
  writeLeads,
} from './send-harness.ts';

const KEY = 'sk_test_crash-key-5d2e11';
const KILL_AFTER = 20;

describe('crash safety', () => {
  it('SIGKILL mid-flight, then resume: nothing accepted is sent twice, every row is applied, one outcome per row', async () => {
    const dir = await tempDir('crash');
    const rows = validRows(60, (i) => `lead-${(i % 50) + 1}`); // ten leads get a second row
    const file = await writeLeads(join(dir, 'leads.csv'), rows);
    const data = join(dir, 'data');
    const results = join(dir, 'results.csv');

    let accepted = 0;
    const hooks: { kill?: () => void } = {};
    const sim = await simulator(
      { token: KEY, rateLimit: 1_000, latencyMs: 25, jobPendingMs: 80 },
      {
        onFinished: (r) => {
          if (r.endpoint === 'update-lead' && r.status === 200 && ++accepted === KILL_AFTER) hooks.kill?.();
        },
      },
    );
    const child = spawn(
      process.execPath,
      [`${repoRoot}bin/lead-import.mjs`, 'send', file, '--env', sim.url, '--data-dir', data, '--results', results, '--json'],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH, PROPEXO_API_KEY: KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    hooks.kill = () => child.kill('SIGKILL');
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal, stderr }).toMatchObject({ code: null, signal: 'SIGKILL' });

    // The run as the crash left it.
    const [runId] = await readdir(join(data, 'runs'));
    const journalPath = join(runDir(data, runId), 'journal.jsonl');
    const before = await journalOf(data, runId);
    const acceptedBefore = acceptedRows(before);
    expect(acceptedBefore.size).toBeGreaterThan(0);
    expect(acceptedBefore.size).toBeLessThanOrEqual(KILL_AFTER);
    expect(before.some((e) => e.t === 'finished')).toBe(false);
    const updatesBefore = updates(sim).length;
    expect(updatesBefore).toBeLessThan(rows.length);

    // A file changed since the run started: resume refuses, sends nothing.
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('lead-99,Row99,ACTIVE,1\n')]));
    const refused = await runCli(['resume', runId, '--env', sim.url, '--data-dir', data], { env: { PROPEXO_API_KEY: KEY } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/changed since run .* started .*resume refused/);
    expect(updates(sim)).toHaveLength(updatesBefore);
    await writeFile(file, original);

    // The crash cut the last journal line short.
    await appendFile(journalPath, '{"t":"accepted","at":1795788735850,"row":');
    const recordFrom = sim.record.length;
    const resumed = await runCli(['resume', runId, '--env', sim.url, '--data-dir', data, '--results', results, '--json'], {
      env: { PROPEXO_API_KEY: KEY },
    });
    expect(resumed.stderr).not.toMatch(/damaged|corrupt/i);
    expect(summaryOf(resumed.stdout)).toMatchObject({ rows: 60, valid: 60, succeeded: 60, notSent: 0, pending: 0, unknown: 0 });
    expect(resumed.code).toBe(0);

    // No row whose `accepted` entry was in the journal went out again.
    const resent = updates(sim)
      .filter((r) => r.seq > recordFrom)
      .map(rowOfRequest);
    for (const row of acceptedBefore) expect(resent, `row ${row} was accepted before the crash`).not.toContain(row);
    // Every row applied at least once (a row whose answer the crash swallowed may be twice).
    const applied = appliedByRow(sim);
    expect([...applied.keys()].sort((a, b) => a - b)).toEqual(rows.map((_, i) => rowNumberOf(i)));
    // Same-lead rows still went in file order across the crash.
    for (const [lead, list] of sim.leads) {
      const markers = list.map((u) => String(u.body.first_name));
      const expected = rows.flatMap((r, i) => (r.leadId === lead ? [`Row${rowNumberOf(i)}`] : []));
      expect(
        markers.filter((m, i) => markers.indexOf(m) === i),
        lead,
      ).toEqual(expected);
    }
    // One outcome per source row.
    const final = await resultsByRow(results);
    expect([...final.keys()]).toEqual(rows.map((_, i) => rowNumberOf(i)));
    expect([...final.values()].every((l) => l.outcome === 'succeeded' && /^job_/.test(l.job_id))).toBe(true);
    // The torn line is gone: the journal reads cleanly and records the resume.
    const text = await readFile(journalPath, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .every((line) => JSON.parse(line) !== null),
    ).toBe(true);
    const after = await journalOf(data, runId);
    expect(after.some((e) => e.t === 'run_started' && e.resumed)).toBe(true);
    expect(after[after.length - 1].t).toBe('finished');
  });
});
