// `lead-import undo RUN` in-process against a simulator with lead state: the plan's counts and
// the fields left alone, the undo's own results file and error report, --force, History links,
// and resume of an undo run through `lead-import resume`.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsv, runCli, simulator, summaryOf, tempDir } from './send-harness.ts';

const KEY = 'test-key-cli-undo-0001';

async function sentRun() {
  const dir = await tempDir('undo');
  const sim = await simulator({
    token: KEY,
    rateLimit: 1_000,
    seed: 3,
    data: { seed: 9, integrations: 1, propertiesPerIntegration: 1, leads: 6, duplicateRate: 0, emailFilterIgnoresCase: false },
  });
  const ids = Array.from({ length: 6 }, (_, i) => sim.world.leadIdAt(i));
  // Lead 0 has two rows: undone in reverse order, it ends as before the first.
  const lines = [[ids[0], 'First', 'COLD', '1'], ...ids.map((id, i) => [id, `Name${i}`, 'WAITLISTED', String(i + 1)])];
  const file = join(dir, 'leads.csv');
  await writeFile(file, `Lead ID,First Name,Status,Beds\n${lines.map((l) => l.join(',')).join('\n')}\n`);
  const dataDir = join(dir, 'data');
  const leadsBefore = new Map(ids.map((id) => [id, JSON.stringify({ ...sim.lead(id), updated_at: null })]));
  // The send previews by default: the engine journals each row's before-values, the undo reads them.
  const sent = await runCli(['send', file, '--env', sim.url, '--data-dir', dataDir, '--json'], { env: { PROPEXO_API_KEY: KEY } });
  expect(sent.code).toBe(0);
  const runId = String(summaryOf(sent.stdout).runId);
  const now = (id: string): string => JSON.stringify({ ...sim.lead(id), updated_at: null });
  return { dir, sim, ids, dataDir, runId, leadsBefore, now };
}

describe('lead-import undo (in-process) against the simulator', () => {
  it('writes back what the run changed, leaves a field changed since alone, reports it, and links the runs', async () => {
    const { dir, sim, ids, dataDir, runId, leadsBefore, now } = await sentRun();
    sim.changeLead(ids[1], { first_name: 'Changed by someone' });
    const results = join(dir, 'undo-results.csv');
    const errors = join(dir, 'undo-errors.csv');
    const undo = await runCli(
      ['undo', runId, '--env', sim.url, '--data-dir', dataDir, '--results', results, '--errors', errors, '--json'],
      { env: { PROPEXO_API_KEY: KEY } },
    );
    expect(undo.stderr).toBe('');
    expect(undo.code).toBe(1); // one field was left as someone changed it
    const summary = summaryOf(undo.stdout) as {
      runId: string;
      succeeded: number;
      undo: { undoOf: string; counts: Record<string, number>; fields: { leadId: string; field: string; verdict: string }[] };
    };
    expect(summary.undo.undoOf).toBe(runId);
    expect(summary.undo.counts).toMatchObject({ changed_since: 1, leadsToWrite: 6 });
    expect(summary.undo.fields.filter((f) => f.verdict === 'changed_since')).toEqual([
      expect.objectContaining({ leadId: ids[1], field: 'first_name' }),
    ]);
    expect(summary.succeeded).toBe(6);
    for (const id of ids) {
      if (id === ids[1]) continue;
      expect(now(id)).toBe(leadsBefore.get(id));
    }
    expect(sim.lead(ids[1])?.first_name).toBe('Changed by someone');
    expect(JSON.parse(now(ids[1]))).toEqual({ ...JSON.parse(leadsBefore.get(ids[1]) ?? '{}'), first_name: 'Changed by someone' });
    // Its own results file (one line per lead written back) and error report (the field left alone).
    expect((await readCsv(results)).map((l) => [l.lead_id, l.outcome])).toEqual(expect.arrayContaining(ids.map((id) => [id, 'succeeded'])));
    expect(await readCsv(errors)).toEqual([
      expect.objectContaining({
        lead_id: ids[1],
        field: 'first_name',
        problem: 'changed_since',
        value_now: 'Changed by someone',
        value_import_wrote: 'Name1',
      }),
    ]);
    // History links both runs.
    const runs = await runCli(['runs', '--data-dir', dataDir, '--json'], {});
    const listed = (JSON.parse(runs.stdout) as { runs: { runId: string; undoOf?: string; undoneBy?: string[] }[] }).runs;
    expect(listed.find((r) => r.runId === runId)?.undoneBy).toEqual([summary.runId]);
    expect(listed.find((r) => r.runId === summary.runId)?.undoOf).toBe(runId);
    const human = await runCli(['runs', '--data-dir', dataDir], {});
    expect(human.stdout).toContain(`(undone by ${summary.runId})`);

    // --force: the change since is overwritten, with a warning, in a human summary.
    const forced = await runCli(['undo', runId, '--env', sim.url, '--data-dir', dataDir, '--force'], { env: { PROPEXO_API_KEY: KEY } });
    expect(forced.stdout).toContain('Warning: --force overwrites 1 fields someone changed since the import.');
    expect(forced.stdout).toContain(`lead ${ids[1]}, first_name: changed since the import (now "Changed by someone"), overwritten with`);
    expect(forced.code).toBe(0);
    for (const id of ids) expect(now(id)).toBe(leadsBefore.get(id));
  });

  it('says there is nothing to undo when every lead is already as before', async () => {
    const { sim, dataDir, runId } = await sentRun();
    const first = await runCli(['undo', runId, '--env', sim.url, '--data-dir', dataDir], { env: { PROPEXO_API_KEY: KEY } });
    expect(first.code).toBe(0);
    const again = await runCli(['undo', runId, '--env', sim.url, '--data-dir', dataDir], { env: { PROPEXO_API_KEY: KEY } });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 leads to write back');
    expect(again.stdout).toContain('Nothing to undo: no field needs writing back.');
  });

  it('says why a run whose journal holds no before-values cannot be undone', async () => {
    const dir = await tempDir('undo');
    const sim = await simulator({
      token: KEY,
      rateLimit: 1_000,
      seed: 3,
      data: { seed: 9, integrations: 1, propertiesPerIntegration: 1, leads: 2, duplicateRate: 0, emailFilterIgnoresCase: false },
    });
    const file = join(dir, 'leads.csv');
    await writeFile(file, `Lead ID,First Name\n${sim.world.leadIdAt(0)},Zed\n`);
    const dataDir = join(dir, 'data');
    // --no-preview: no current values read, so none journaled (the send says undo is not available).
    const sent = await runCli(['send', file, '--env', sim.url, '--data-dir', dataDir, '--json', '--no-preview'], {
      env: { PROPEXO_API_KEY: KEY },
    });
    const runId = String(summaryOf(sent.stdout).runId);
    const undo = await runCli(['undo', runId, '--env', sim.url, '--data-dir', dataDir], { env: { PROPEXO_API_KEY: KEY } });
    expect(undo.code).toBe(1);
    expect(undo.stdout).toContain(`row 2, lead ${sim.world.leadIdAt(0)}: the run recorded no values from before it`);
    expect(undo.stdout).toContain(`Nothing to undo: run ${runId} recorded no values from before it`);
    expect(sim.lead(sim.world.leadIdAt(0))?.first_name).toBe('Zed');
  });

  it('refuses to retry or re-check an undo run as a file run, and the overview lists undo', async () => {
    const { sim, dataDir, runId } = await sentRun();
    const undo = await runCli(['undo', runId, '--env', sim.url, '--data-dir', dataDir, '--json'], { env: { PROPEXO_API_KEY: KEY } });
    const undoId = String(summaryOf(undo.stdout).runId);
    const retry = await runCli(['retry', undoId, '--env', sim.url, '--data-dir', dataDir], { env: { PROPEXO_API_KEY: KEY } });
    expect(retry.code).toBe(2);
    expect(retry.stderr).toContain(`Run ${undoId} undoes run ${runId}`);
    const help = await runCli(['--help'], {});
    expect(help.stdout).toContain('lead-import undo RUN [--force]');
  });
});
