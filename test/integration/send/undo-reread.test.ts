// The undo reads each lead again right before writing it back (#13): a change made after the
// undo started (after its first read, shown in the plan) but before the lead's write-back is
// left alone and reported; a lead with nothing left to write ends `unchanged`, not `not_sent`;
// a re-read that fails for good ends its row `failed`; the journal's `before` entry holds the
// re-read values of exactly the fields sent. Concurrency 1 and a fetch wrapper make the order
// certain: the undo's start reads every lead, then writes back one lead after another (the
// lead of the last row first), and the wrapper changes leads when the first write-back leaves.
import { describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { journalOf, readCsv, simulator, tempDir, fastTracking } from './send-harness.ts';
import { prepareSend, startSend, type LiveRun } from '../../../app/run/send-run.ts';
import { resumeUndo, startUndo, type UndoOptions } from '../../../app/undo/undo-run.ts';
import { undoCommand } from '../../../app/cli/undo-command.ts';
import type { Simulator } from '../../../app/simulator/index.ts';

const KEY = 'test-key-undo-reread-0001';

/** A run of six leads (lead 0 twice) through the preview, so its journal holds the before-values. */
async function sentRun() {
  const dir = await tempDir('undo-reread');
  const sim = await simulator({
    token: KEY,
    rateLimit: 1_000,
    seed: 3,
    data: { seed: 9, integrations: 1, propertiesPerIntegration: 1, leads: 6, duplicateRate: 0, emailFilterIgnoresCase: false },
  });
  const ids = Array.from({ length: 6 }, (_, i) => sim.world.leadIdAt(i));
  const lines = [[ids[0], 'First', 'COLD', '1'], ...ids.map((id, i) => [id, `Name${i}`, 'WAITLISTED', String(i + 1)])];
  const file = join(dir, 'leads.csv');
  await writeFile(file, `Lead ID,First Name,Status,Beds\n${lines.map((l) => l.join(',')).join('\n')}\n`);
  const dataDir = join(dir, 'data');
  const leadNow = (id: string): Record<string, unknown> => {
    const { updated_at: _ignored, ...lead } = sim.lead(id) ?? {};
    return lead;
  };
  const leadsBefore = new Map(ids.map((id) => [id, leadNow(id)]));
  const options = { environment: sim.url, token: KEY, dataDir, path: file, tracking: fastTracking, preview: true };
  const input = await prepareSend(options);
  if (E.isLeft(input)) throw new Error(input.left.message);
  const started = await startSend(input.right, options);
  if (E.isLeft(started)) throw new Error(started.left.message);
  const result = await started.right.done;
  expect(result.succeeded).toBe(7);
  return { dir, sim, ids, dataDir, runId: result.runId, leadsBefore, leadNow };
}

/** Passes every request on; `onFirstWriteBack` runs once, as the undo's first PUT leaves. */
function wrappedFetch(onFirstWriteBack: () => void, answer?: (method: string, url: string) => Response | undefined): typeof fetch {
  let first = true;
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (method === 'PUT' && first) {
      first = false;
      onFirstWriteBack();
    }
    return answer?.(method, url) ?? fetch(input, init);
  };
}

async function undoOf(sim: Simulator, dir: string, dataDir: string, runId: string, extra: Partial<UndoOptions>) {
  const resultsPath = join(dir, 'undo-results.csv');
  const errorsPath = join(dir, 'undo-errors.csv');
  const started = await startUndo(runId, {
    environment: sim.url,
    token: KEY,
    dataDir,
    concurrency: 1,
    tracking: fastTracking,
    resultsPath,
    errorsPath,
    ...extra,
  });
  if (E.isLeft(started)) throw new Error(started.left.message);
  const result = await started.right.run.done;
  return { started: started.right, result, resultsPath, errorsPath };
}

describe('undo re-reads each lead right before its write-back', () => {
  it('leaves a field changed after the undo started alone, reports it, and restores the other fields', async () => {
    const { dir, sim, ids, dataDir, runId, leadsBefore, leadNow } = await sentRun();
    const afterRun = leadNow(ids[1]);
    // The plan read ids[1] with the run's first name; it is changed before its write-back (the 5th).
    const fetchImpl = wrappedFetch(() => sim.changeLead(ids[1], { first_name: 'Changed meanwhile' }));
    const { started, result, resultsPath, errorsPath } = await undoOf(sim, dir, dataDir, runId, { fetch: fetchImpl });
    // The plan shown before the undo did not know.
    expect(started.summary.counts.changed_since).toBe(0);

    expect(sim.lead(ids[1])?.first_name).toBe('Changed meanwhile');
    expect(leadNow(ids[1])).toEqual({ ...leadsBefore.get(ids[1]), first_name: 'Changed meanwhile' });
    for (const id of ids.filter((id) => id !== ids[1])) expect(leadNow(id)).toEqual(leadsBefore.get(id));
    expect(result.succeeded).toBe(6);

    // Reported: in the summary at the end, and in the error report.
    const summary = started.finalSummary();
    expect(summary.counts.changed_since).toBe(1);
    expect(summary.fields.filter((f) => f.verdict === 'changed_since')).toEqual([
      expect.objectContaining({ leadId: ids[1], field: 'first_name', current: 'Changed meanwhile', written: 'Name1' }),
    ]);
    expect(await readCsv(errorsPath)).toEqual([
      expect.objectContaining({ lead_id: ids[1], field: 'first_name', problem: 'changed_since', value_now: 'Changed meanwhile' }),
    ]);
    expect((await readCsv(resultsPath)).find((l) => l.lead_id === ids[1])?.outcome).toBe('succeeded');

    // The journal's before-values of that write-back: the re-read's, of exactly the fields sent.
    // The run wrote first_name and what else its preview found different (row 4 is ids[1]'s).
    const runBefore = (await journalOf(dataDir, runId)).find((e) => e.t === 'before' && e.row === 4);
    const written = Object.keys(runBefore?.t === 'before' ? runBefore.values : {}).filter((f) => f !== 'first_name');
    expect(written.length).toBeGreaterThan(0);
    const entries = await journalOf(dataDir, result.runId);
    const befores = entries.filter((e) => e.t === 'before' && e.leadId === ids[1]);
    expect(befores).toHaveLength(1);
    expect(befores[0]?.t === 'before' ? befores[0].values : {}).toEqual(Object.fromEntries(written.map((f) => [f, afterRun[f]])));
  });

  it('ends a lead with nothing left to write back unchanged, not not_sent, and sends it nothing', async () => {
    const { dir, sim, ids, dataDir, runId, leadsBefore, leadNow } = await sentRun();
    const changed = { first_name: 'All changed', status: 'ACTIVE', desired_num_bedrooms: 4 };
    const fetchImpl = wrappedFetch(() => sim.changeLead(ids[2], changed));
    const { started, result, resultsPath } = await undoOf(sim, dir, dataDir, runId, { fetch: fetchImpl });
    expect(leadNow(ids[2])).toEqual({ ...leadsBefore.get(ids[2]), ...changed });
    expect(result.notSent).toBe(0);
    expect(result.unchanged).toBe(1);
    expect(result.succeeded).toBe(5);
    // Its row says why: not "already up to date" but left as it is, the fields named.
    const reason = 'changed by someone else since the import: First name, Lead status, Bedrooms wanted';
    expect((await readCsv(resultsPath)).find((l) => l.lead_id === ids[2])).toMatchObject({ outcome: 'unchanged', errors: reason });
    expect(started.finalSummary().counts.changed_since).toBe(3);
    const entries = await journalOf(dataDir, result.runId);
    const row = entries.find((e) => e.t === 'unchanged')?.row;
    expect(entries.filter((e) => 'row' in e && e.row === row).map((e) => e.t)).toEqual(['unchanged']);
    expect(entries.find((e) => e.t === 'unchanged')).toMatchObject({ reason });
  });

  it('ends a write-back whose re-read fails for good failed, with the reason, and sends it nothing', async () => {
    const { dir, sim, ids, dataDir, runId, leadsBefore, leadNow } = await sentRun();
    let broken = false;
    const fetchImpl = wrappedFetch(
      () => (broken = true),
      (method, url) =>
        broken && method === 'GET' && url.endsWith(`/v1/leads/${ids[3]}`) ? new Response('{"message":"down"}', { status: 503 }) : undefined,
    );
    const { result, resultsPath } = await undoOf(sim, dir, dataDir, runId, {
      fetch: fetchImpl,
      backoff: { baseMs: 1, capMs: 2, maxRetries: 2 },
    });
    expect(result.failed).toBe(1);
    expect(result.notSent).toBe(0);
    const line = (await readCsv(resultsPath)).find((l) => l.lead_id === ids[3]);
    expect(line?.outcome).toBe('failed');
    expect(line?.errors).toMatch(new RegExp(`Could not read lead ${ids[3]}`));
    // Its lead keeps what the run wrote; the others are restored.
    expect(leadNow(ids[3])).not.toEqual(leadsBefore.get(ids[3]));
    for (const id of ids.filter((id) => id !== ids[3])) expect(leadNow(id)).toEqual(leadsBefore.get(id));
    expect(sim.record.filter((r) => r.endpoint === 'update-lead' && r.path.endsWith(ids[3])).length).toBe(1); // the run's own
  });

  it('lead-import undo says in its summary what the write-backs found changed, and exits 1', async () => {
    const { dir, sim, ids, dataDir, runId } = await sentRun();
    const fetchImpl = wrappedFetch(() => sim.changeLead(ids[1], { first_name: 'Changed meanwhile' }));
    const run = async (extra: string[]) => {
      let stdout = '';
      const io = {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: () => true },
        env: { PROPEXO_API_KEY: KEY },
        cwd: dir,
      };
      const argv = ['undo', runId, '--env', sim.url, '--data-dir', dataDir, '--concurrency', '1', ...extra].slice(1);
      const code = await undoCommand(argv, io, { connection: { fetch: fetchImpl, tracking: fastTracking } });
      return { code, stdout };
    };
    const human = await run([]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('0 changed since the import (left alone)'); // the plan shown first
    expect(human.stdout).toContain('1 fields changed while the undo ran');
    expect(human.stdout).toContain(
      `lead ${ids[1]}, first_name: changed since the import (now "Changed meanwhile", the import wrote "Name1"), left alone`,
    );
    expect(sim.lead(ids[1])?.first_name).toBe('Changed meanwhile');
  });

  it('lead-import undo names the leads it left as they are, and those a forced undo wrote over, row by row', async () => {
    const { dir, sim, ids, dataDir, runId } = await sentRun();
    const changed = { first_name: 'All changed', status: 'ACTIVE', desired_num_bedrooms: 4 };
    const fetchImpl = wrappedFetch(() => sim.changeLead(ids[2], changed));
    let stdout = '';
    const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true }, env: { PROPEXO_API_KEY: KEY }, cwd: dir };
    const argv = [runId, '--env', sim.url, '--data-dir', dataDir, '--concurrency', '1', '--results', 'undo.csv'];
    expect(await undoCommand(argv, io, { connection: { fetch: fetchImpl, tracking: fastTracking } })).toBe(1);
    expect(stdout).toContain('1 leads left as they are (nothing sent to them):');
    expect(stdout).toMatch(
      new RegExp(`row \\d+, lead ${ids[2]}: changed by someone else since the import: First name, Lead status, Bedrooms wanted`),
    );

    // Undoing that undo, forced, over a change made since: its row says what it wrote over.
    const undoRunId = /^Run (\S+):/m.exec(stdout)?.[1]; // the run's summary
    expect(undoRunId).toBeDefined();
    sim.changeLead(ids[4], { first_name: 'Someone' });
    stdout = '';
    const forced = [undoRunId ?? '', '--env', sim.url, '--data-dir', dataDir, '--concurrency', '1', '--force', '--results', 'redo.csv'];
    await undoCommand(forced, io, { connection: { tracking: fastTracking } });
    expect(stdout).toContain('1 leads written over a change made since the import (--force):');
    expect(stdout).toMatch(new RegExp(`lead ${ids[4]}: written over a change made since the import: First name`));
    expect((await readCsv(join(dir, 'redo.csv'))).find((l) => l.lead_id === ids[4])).toMatchObject({
      outcome: 'succeeded',
      errors: 'written over a change made since the import: First name',
    });
  });

  it('a resumed undo reads its leads again (a change made while it was stopped is kept) and its undo re-applies what it wrote', async () => {
    const { sim, ids, dataDir, runId, leadsBefore, leadNow } = await sentRun();
    const afterRun = new Map(ids.map((id) => [id, leadNow(id)]));
    const undoing: { run?: LiveRun } = {};
    // Cancelled as its first write-back leaves: that one finishes, the others are not sent.
    const fetchImpl = wrappedFetch(() => undoing.run?.cancel());
    const started = await startUndo(runId, {
      environment: sim.url,
      token: KEY,
      dataDir,
      concurrency: 1,
      tracking: fastTracking,
      fetch: fetchImpl,
    });
    if (E.isLeft(started)) throw new Error(started.left.message);
    const live = (undoing.run = started.right.run);
    const stopped = await live.done;
    // Its job was being followed when the run stopped: pending, followed by the resume.
    expect(stopped.stopped?.reason).toBe('cancelled');
    expect(stopped.succeeded + stopped.pending).toBe(1);
    expect(stopped.notSent).toBe(5);
    const putsOf = (id: string): number => sim.record.filter((r) => r.endpoint === 'update-lead' && r.path.endsWith(id)).length;
    const putsBefore = new Map(ids.map((id) => [id, putsOf(id)]));
    sim.changeLead(ids[1], { first_name: 'Changed while stopped' });

    const resumed = await resumeUndo({
      environment: sim.url,
      token: KEY,
      dataDir,
      runId: live.runId,
      concurrency: 1,
      tracking: fastTracking,
    });
    if (E.isLeft(resumed)) throw new Error(resumed.left.message);
    const end = await resumed.right.run.done;
    expect(end.succeeded).toBe(6);
    expect(end.notSent).toBe(0);
    // The write-back accepted before the stop (ids[5], the lead of the last row) is not sent again.
    expect(putsOf(ids[5])).toBe(putsBefore.get(ids[5]));
    expect(leadNow(ids[1])).toEqual({ ...leadsBefore.get(ids[1]), first_name: 'Changed while stopped' });
    for (const id of ids.filter((id) => id !== ids[1])) expect(leadNow(id)).toEqual(leadsBefore.get(id));
    expect(resumed.right.finalSummary().fields.filter((f) => f.verdict === 'changed_since')).toEqual([
      expect.objectContaining({ leadId: ids[1], field: 'first_name', current: 'Changed while stopped' }),
    ]);

    // Undoing the undo writes back what it wrote: ids[1] keeps the first name nobody asked the undo to touch.
    const again = await startUndo(live.runId, { environment: sim.url, token: KEY, dataDir, tracking: fastTracking });
    if (E.isLeft(again)) throw new Error(again.left.message);
    await again.right.run.done;
    expect(leadNow(ids[1])).toEqual({ ...afterRun.get(ids[1]), first_name: 'Changed while stopped' });
    for (const id of ids.filter((id) => id !== ids[1])) expect(leadNow(id)).toEqual(afterRun.get(id));
  });
});
