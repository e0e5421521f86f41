// "Undo this run" in History (#13), through the desktop service: the plan writes nothing and
// says what would be written back and what was changed since; the undo is a run followed like
// any, linked both ways in the history list; Production asks first, saying it is an undo.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProductionConfirmation } from '../../../app/shared/views.ts';
import {
  bridgeError,
  FAST_PRACTICE,
  finished,
  makeService,
  readCsv,
  sandboxSimulator,
  SANDBOX_KEY,
  tempDir,
  writeCsv,
  type TestService,
} from './desktop-harness.ts';
import type { Simulator } from '../../../app/simulator/index.ts';
import { startPracticeSimulator } from '../../../app/run/run-context.ts';
import { createRunStore } from '../../../app/run/run-store.ts';

const TRACKING = { firstCheckAfterMs: 20, logsMinIntervalMs: 50, logsMaxWaitMs: 200 };
const SEEDED = {
  data: { seed: 5, integrations: 1, propertiesPerIntegration: 1, leads: 3, duplicateRate: 0, emailFilterIgnoresCase: false },
};

/** A run of three rows (one per seeded lead) sent to `environment`; the run journals the leads' values from before it (preview, on by default). */
async function sentRun(
  t: TestService,
  sim: Simulator,
  environment: 'sandbox' | 'production',
  concurrency = 2,
): Promise<{ runId: string; leads: string[] }> {
  const leads = [0, 1, 2].map((i) => sim.world.leadIdAt(i));
  const path = await writeCsv(await tempDir(), 'leads.csv', ['Lead ID,First Name', ...leads.map((id, i) => `${id},Undo${i + 2}`)]);
  const { importId } = await t.h['import:open']({ path, options: {} });
  await t.h['import:validate']({ importId });
  const { runId } = await t.h['run:start']({ importId, environment, concurrency, rate: 600 });
  const summary = await finished(t, runId);
  expect(summary).toMatchObject({ succeeded: 3 });
  // Not an undo: nothing about write-backs.
  expect(summary.undo).toBeUndefined();
  return { runId, leads };
}

describe('undoing a run from History', () => {
  it('plans without writing, leaves a field changed since alone, undoes as a run of its own, and links both runs', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const { runId, leads } = await sentRun(t, sim, 'sandbox');
    const firstNames = leads.map((id) => sim.lead(id)?.first_name);
    expect(firstNames).toEqual(['Undo2', 'Undo3', 'Undo4']);
    sim.changeLead(leads[1], { first_name: 'Someone' });
    const updatesBefore = sim.record.filter((r) => r.method === 'PUT').length;

    const plan = await t.h['run:undoPlan']({ runId });
    expect(plan).toMatchObject({
      runId,
      fileName: 'leads.csv',
      force: false,
      leadsToWrite: 2,
      restore: 2,
      changedSince: 1,
      forced: 0,
      skippedRows: 0,
      nothingToDo: null,
    });
    expect(plan.fields).toEqual([
      expect.objectContaining({ leadId: leads[1], field: 'first_name', verdict: 'changed_since', written: 'Undo3', current: 'Someone' }),
    ]);
    // Planning read the leads and wrote nothing: no PUT, no new run.
    expect(sim.record.filter((r) => r.method === 'PUT').length).toBe(updatesBefore);
    expect((await t.h['runs:list'](undefined)).map((r) => r.runId)).toEqual([runId]);

    const undo = await t.h['run:undo']({ runId, force: false });
    expect(undo.runId).not.toBe(runId);
    const undone = await finished(t, undo.runId);
    expect(undone).toMatchObject({ succeeded: 2 });
    // Left alone as the plan said, not found while the undo ran: the confirmation listed it already.
    expect(undone.undo).toEqual({ undoOf: runId, leftAlone: 0, fields: [] });
    expect(t.events.some((e) => e.event === 'run:update' && (e.payload as { runId: string }).runId === undo.runId)).toBe(true);
    expect(sim.lead(leads[0])?.first_name).not.toBe('Undo2');
    expect(sim.lead(leads[1])?.first_name).toBe('Someone');
    expect(sim.lead(leads[2])?.first_name).not.toBe('Undo4');

    const listed = await t.h['runs:list'](undefined);
    expect(listed.find((r) => r.runId === runId)).toMatchObject({ undoOf: null, undoneBy: [undo.runId] });
    expect(listed.find((r) => r.runId === undo.runId)).toMatchObject({ undoOf: runId, undoneBy: [] });
  });

  it('names the fields changed while the undo ran, left as they are: when it finishes, and read again after a restart', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    // Changes a lead as the undo's first write-back leaves: after the undo's start read it, before its own re-read.
    let onFirstPut: (() => void) | null = null;
    const fetchImpl: typeof fetch = async (input, init) => {
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      if (method === 'PUT' && onFirstPut !== null) {
        const change = onFirstPut;
        onFirstPut = null;
        change();
      }
      return fetch(input, init);
    };
    const options = { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING, fetch: fetchImpl } };
    const t = await makeService(options, { sandbox: SANDBOX_KEY });
    // Concurrency 1 (the undo takes the run's): the undo reads every lead, then writes back the
    // lead of the last row first and the first row's lead last, each read again right before.
    const { runId, leads } = await sentRun(t, sim, 'sandbox', 1);
    onFirstPut = () => sim.changeLead(leads[0], { first_name: 'Changed meanwhile' });

    const undo = await t.h['run:undo']({ runId, force: false });
    const summary = await finished(t, undo.runId);
    expect(onFirstPut).toBeNull();
    expect(sim.lead(leads[0])?.first_name).toBe('Changed meanwhile');
    // The lead had nothing else to write back: nothing sent to it.
    expect(summary).toMatchObject({ succeeded: 2, unchanged: 1 });
    const found = {
      undoOf: runId,
      leftAlone: 1,
      fields: [
        {
          row: 2,
          leadId: leads[0],
          field: 'first_name',
          verdict: 'changed_since',
          before: expect.any(String),
          written: 'Undo2',
          current: 'Changed meanwhile',
          reason: expect.stringContaining('changed since the import'),
        },
      ],
    };
    expect(summary.undo).toEqual(found);
    expect((await t.h['runs:open']({ runId: undo.runId })).undo).toEqual(found);

    // After a restart: read from the undo run's folder (undo.json), not from memory.
    const later = await makeService({ ...options, dataDir: t.dataDir }, { sandbox: SANDBOX_KEY });
    expect((await later.h['runs:open']({ runId: undo.runId })).undo).toEqual(found);
    // The run undone is no undo.
    expect((await later.h['runs:open']({ runId })).undo).toBeUndefined();
  });

  it('says in the row table and in its exported reports why a lead was left as it is, live and after a restart', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    // Changes a lead as it is read the second time once armed: after the undo's start read it, as its write-back reads it again.
    let armed: { readonly leadId: string; reads: number; readonly change: () => void } | null = null;
    const fetchImpl: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      if (armed !== null && method === 'GET' && url.endsWith(`/v1/leads/${armed.leadId}`) && ++armed.reads === 2) armed.change();
      return fetch(input, init);
    };
    const options = { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING, fetch: fetchImpl } };
    const t = await makeService(options, { sandbox: SANDBOX_KEY });
    const { runId, leads } = await sentRun(t, sim, 'sandbox', 1);
    // Changed before the undo: the plan leaves it alone, no write-back for its lead (row 3).
    sim.changeLead(leads[1], { first_name: 'Someone' });
    // Changed after the undo's start read it, as its write-back reads it again: nothing left to send it.
    armed = { leadId: leads[0], reads: 0, change: () => sim.changeLead(leads[0], { first_name: 'Changed meanwhile' }) };
    const undo = await t.h['run:undo']({ runId, force: false });
    await finished(t, undo.runId);
    expect(armed.reads).toBe(2);
    const reason = 'changed by someone else since the import: First name';
    const dir = await tempDir();

    for (const service of [t, await makeService({ ...options, dataDir: t.dataDir }, { sandbox: SANDBOX_KEY })]) {
      const page = await service.h['run:rows']({ runId: undo.runId, filter: 'all', offset: 0, limit: 10 });
      // One row per write-back (numbered by its lead's row in the run undone), not the rows of the file.
      expect(page.rows.map((r) => [r.rowNumber, r.leadId, r.outcome, r.errors])).toEqual([
        [4, leads[2], 'succeeded', []],
        [2, leads[0], 'unchanged', [reason]],
      ]);
      expect(await service.h['runs:open']({ runId: undo.runId })).toMatchObject({ rows: 2, succeeded: 1, unchanged: 1, notSent: 0 });

      // The undo's own reports: one line per write-back, one per field a person should look at.
      const results = join(dir, `results-${service === t ? 'live' : 'past'}.csv`);
      await service.h['run:exportResults']({ runId: undo.runId, path: results });
      expect((await readCsv(results)).map((l) => [l.import_row, l.lead_id, l.outcome, l.errors])).toEqual([
        ['4', leads[2], 'succeeded', ''],
        ['2', leads[0], 'unchanged', reason],
      ]);
      const errors = join(dir, `errors-${service === t ? 'live' : 'past'}.csv`);
      await service.h['run:exportErrors']({ runId: undo.runId, path: errors });
      expect(await readCsv(errors)).toEqual([
        expect.objectContaining({
          import_row: '3',
          lead_id: leads[1],
          field: 'first_name',
          problem: 'changed_since',
          value_now: 'Someone',
        }),
        expect.objectContaining({
          import_row: '2',
          lead_id: leads[0],
          field: 'first_name',
          problem: 'changed_since',
          value_import_wrote: 'Undo2',
          value_now: 'Changed meanwhile',
        }),
      ]);
    }
  });

  it('says so, naming the file and why, when an ended undo’s undo.json cannot be read (its summary, its reports)', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    const options = { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } };
    const t = await makeService(options, { sandbox: SANDBOX_KEY });
    const { runId } = await sentRun(t, sim, 'sandbox');
    const undo = await t.h['run:undo']({ runId, force: false });
    await finished(t, undo.runId);
    const file = join(createRunStore(t.dataDir).runsDir, undo.runId, 'undo.json');
    await writeFile(file, '{ "undoOf": ');

    const later = await makeService({ ...options, dataDir: t.dataDir }, { sandbox: SANDBOX_KEY });
    const summary = await later.h['runs:open']({ runId: undo.runId });
    expect(summary.undo).toEqual({
      undoOf: runId,
      leftAlone: 0,
      fields: [],
      problem: `What this undo found as it wrote back cannot be shown: ${file} is not valid JSON`,
    });
    // Its rows still come from its journal.
    expect(summary).toMatchObject({ succeeded: 3 });
    const error = await bridgeError(() => later.h['run:exportErrors']({ runId: undo.runId, path: join(t.dataDir, 'errors.csv') }));
    expect(error.message).toBe(`Cannot write the error report of undo run ${undo.runId}: ${file} is not valid JSON`);
  });

  it('writes over a field changed since only when forced', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const { runId, leads } = await sentRun(t, sim, 'sandbox');
    const was = sim.lead(leads[1])?.first_name;
    sim.changeLead(leads[1], { first_name: 'Someone' });
    const undo = await t.h['run:undo']({ runId, force: true });
    expect(await finished(t, undo.runId)).toMatchObject({ succeeded: 3 });
    expect(sim.lead(leads[1])?.first_name).not.toBe('Someone');
    expect(sim.lead(leads[1])?.first_name).not.toBe(was);
  });

  it('says why there is nothing to undo (a run sent without before-values), and refuses a run still going', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const path = await writeCsv(await tempDir(), 'leads.csv', ['Lead ID,First Name', `${sim.world.leadIdAt(0)},Undo2`]);
    const { importId } = await t.h['import:open']({ path, options: {} });
    await t.h['import:validate']({ importId });
    const { runId } = await t.h['run:start']({ importId, environment: 'sandbox', concurrency: 2, rate: 600, preview: false });
    await finished(t, runId);
    const plan = await t.h['run:undoPlan']({ runId });
    expect(plan).toMatchObject({
      leadsToWrite: 0,
      nothingToDo: `Nothing to undo: run ${runId} recorded no values from before it (it was sent without reading the leads first).`,
    });
    expect((await bridgeError(() => t.h['run:undo']({ runId, force: false }))).message).toBe(plan.nothingToDo);
    expect((await bridgeError(() => t.h['run:undoPlan']({ runId: 'nope' }))).code).toBe('failed');
  });

  it('asks before undoing on Production, saying it is an undo; a no sends nothing', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, SEEDED);
    const asked: ProductionConfirmation[] = [];
    let answer = true;
    const t = await makeService(
      {
        servers: { production: sim.url },
        connection: { windowMs: 1000, tracking: TRACKING },
        confirmProduction: async (request) => (asked.push(request), answer),
      },
      { production: SANDBOX_KEY },
    );
    const { runId } = await sentRun(t, sim, 'production');
    answer = false;
    const puts = sim.record.filter((r) => r.method === 'PUT').length;
    expect((await bridgeError(() => t.h['run:undo']({ runId, force: false }))).code).toBe('cancelled');
    expect(asked.at(-1)).toEqual({ action: 'undo', runId, fileName: 'leads.csv', rows: null });
    expect(sim.record.filter((r) => r.method === 'PUT').length).toBe(puts);
    expect((await t.h['runs:list'](undefined)).length).toBe(1);
    answer = true;
    const undo = await t.h['run:undo']({ runId, force: false });
    expect(await finished(t, undo.runId)).toMatchObject({ succeeded: 3 });
  });

  it('resumes an interrupted undo as an undo (its planned write-backs, not its file)', async () => {
    const sim = await sandboxSimulator(SANDBOX_KEY, { ...SEEDED, latencyMs: 40 });
    const t = await makeService(
      { servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const { runId, leads } = await sentRun(t, sim, 'sandbox');
    const undo = await t.h['run:undo']({ runId, force: false });
    t.h['run:cancel']({ runId: undo.runId });
    await finished(t, undo.runId);
    const later = await makeService(
      { dataDir: t.dataDir, servers: { sandbox: sim.url }, connection: { windowMs: 1000, tracking: TRACKING } },
      { sandbox: SANDBOX_KEY },
    );
    const resumed = await later.h['runs:resume']({ runId: undo.runId });
    expect(resumed.runId).toBe(undo.runId);
    expect(await finished(later, undo.runId)).toMatchObject({ rows: 3, succeeded: 3 });
    for (const id of leads) expect(sim.lead(id)?.first_name).not.toMatch(/^Undo/);
  });

  it('undoes a practice run against the leads that run changed (one practice simulator per service, kept across runs)', async () => {
    const t = await makeService();
    // The service's practice simulator is seeded: a twin names the same leads.
    const twin = await startPracticeSimulator(FAST_PRACTICE.simulator);
    try {
      const leads = [0, 1].map((i) => twin.world.leadIdAt(i));
      const path = await writeCsv(await tempDir(), 'leads.csv', ['Lead ID,First Name', ...leads.map((id, i) => `${id},Practice${i + 2}`)]);
      const { importId } = await t.h['import:open']({ path, options: {} });
      await t.h['import:validate']({ importId });
      const { runId } = await t.h['run:start']({ importId, environment: 'practice', concurrency: 2, rate: 600 });
      expect(await finished(t, runId)).toMatchObject({ succeeded: 2 });

      // A fresh simulator would show the seeded names: "already as before", nothing to undo.
      expect(await t.h['run:undoPlan']({ runId })).toMatchObject({
        environment: 'practice',
        leadsToWrite: 2,
        restore: 2,
        notApplied: 0,
        nothingToDo: null,
      });
      const undo = await t.h['run:undo']({ runId, force: false });
      expect(await finished(t, undo.runId)).toMatchObject({ succeeded: 2 });
      // Undone: planning again finds every lead as it was before the run.
      expect(await t.h['run:undoPlan']({ runId })).toMatchObject({
        leadsToWrite: 0,
        notApplied: 2,
        nothingToDo: 'Nothing to undo: no field needs writing back.',
      });
    } finally {
      await twin.close();
    }
  });
});
