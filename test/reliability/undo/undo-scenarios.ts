// Undo a run (#13), against the simulator's lead state: a clean run undone restores every lead
// exactly as it was; faults during the run and during the undo (5xx, drops after apply, 429
// storms; the undo interrupted and resumed) still end with every lead as it was; a change made
// behind the importer's back is never overwritten without force. Plain async functions: the
// vitest file runs them at fast size, `npm run test:soak` at soak size.
//
// Every run sends as the product does: with the preview (the CLI's default), which reads each
// lead's current values, drops unchanged fields and has the engine journal each row's `before`
// entry with its `sent` entry. The undo reads only that journal.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { createRunStore } from '../../../app/run/run-store.ts';
import { prepareSend, startSend, type RunResult, type SendOptions } from '../../../app/run/send-run.ts';
import { startUndo, resumeUndo, type UndoOptions, type UndoRun } from '../../../app/undo/undo-run.ts';
import type { Simulator, SimulatorOptions } from '../../../app/simulator/index.ts';
import { startClockedSimulator, faultsInRecord, mergeFaults } from '../send/simulator-clock.ts';
import { Checks, timed, type ScenarioReport, type Size } from '../send/scenario-report.ts';
import { fastTracking, inTempDir, lastJsonLine, onlyRun, patientBackoff } from '../send/workspace.ts';
import { spawnCliProcess, type CliExit } from '../send/cli-process.ts';

const TOKEN = 'sk_test_undo-reliability-0042';
const STATUSES = ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'] as const;

interface World {
  readonly sim: Simulator;
  readonly file: string;
  readonly leadIds: readonly string[];
  readonly rows: number;
  readonly dataDir: string;
  /** Each lead as the file's last row for it says. */
  readonly lastRowOf: ReadonlyMap<string, { readonly first_name: string; readonly status: string; readonly desired_num_bedrooms: number }>;
}

/** `rows` rows over `rows * 0.8` seeded leads: a fifth of the leads are changed by two rows (undone in reverse order). */
async function world(dir: string, rows: number, options: Partial<SimulatorOptions>): Promise<World> {
  const leadCount = Math.max(1, Math.ceil(rows * 0.8));
  const { sim } = await startClockedSimulator({
    seed: 11,
    token: TOKEN,
    rateLimit: 100_000,
    windowMs: 1_000,
    latencyMs: 1,
    jobPendingMs: 5,
    successRate: 1,
    data: { seed: 5, integrations: 1, propertiesPerIntegration: 2, leads: leadCount, duplicateRate: 0, emailFilterIgnoresCase: false },
    ...options,
  });
  const leadIds = Array.from({ length: leadCount }, (_, i) => sim.world.leadIdAt(i));
  const lastRowOf = new Map<string, { first_name: string; status: string; desired_num_bedrooms: number }>();
  const lines = Array.from({ length: rows }, (_, i) => {
    const lead = leadIds[i % leadCount];
    const row = { first_name: `Undo${i + 2}`, status: STATUSES[i % STATUSES.length], desired_num_bedrooms: (i % 5) + 1 };
    lastRowOf.set(lead, row);
    return [lead, row.first_name, row.status, String(row.desired_num_bedrooms)].join(',');
  });
  const file = join(dir, 'leads.csv');
  await writeFile(file, `Lead ID,First Name,Status,Beds\n${lines.join('\n')}\n`);
  return { sim, file, leadIds, rows, dataDir: join(dir, 'data'), lastRowOf };
}

const connection = (w: World) => ({
  environment: w.sim.url,
  token: TOKEN,
  dataDir: w.dataDir,
  rate: w.sim.options.rateLimit,
  windowMs: w.sim.options.windowMs,
  tracking: fastTracking,
  backoff: patientBackoff,
});

/** What a GET shows of each lead, but the time of its last change (a write-back is a change too). */
function snapshot(w: World): Map<string, string> {
  const leads = new Map<string, string>();
  for (const id of w.leadIds) {
    const { updated_at: _ignored, ...lead } = w.sim.lead(id) ?? {};
    leads.set(id, JSON.stringify(lead));
  }
  return leads;
}

/** Leads that do not show what the file's last row for them says. */
function notAsTheFileSays(w: World): string[] {
  const out: string[] = [];
  for (const [id, row] of w.lastRowOf) {
    const lead = w.sim.lead(id) ?? {};
    const wrong = (Object.keys(row) as (keyof typeof row)[]).filter((f) => lead[f] !== row[f]);
    if (wrong.length > 0) out.push(`${id}: ${wrong.map((f) => `${f} is ${JSON.stringify(lead[f])}, the file says ${row[f]}`).join(', ')}`);
  }
  return out;
}

function differences(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  except: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  for (const [id, was] of before) {
    if (except.has(id)) continue;
    const now = after.get(id);
    if (now === was) continue;
    const a = JSON.parse(was) as Record<string, unknown>;
    const b = JSON.parse(now ?? '{}') as Record<string, unknown>;
    const fields = Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    out.push(`${id}: ${fields.map((f) => `${f} was ${JSON.stringify(a[f])}, now ${JSON.stringify(b[f])}`).join(', ')}`);
  }
  return out;
}

/** A run of the file with the preview, as `lead-import send` runs it: the engine journals each sent row's before-values. */
async function sendPreviewed(w: World, extra: Partial<SendOptions> = {}): Promise<{ runId: string; result: RunResult }> {
  const options: SendOptions = { ...connection(w), path: w.file, preview: true, ...extra };
  const input = await prepareSend(options);
  if (E.isLeft(input)) throw new Error(input.left.message);
  const started = await startSend(input.right, options);
  if (E.isLeft(started)) throw new Error(started.left.message);
  const result = await started.right.done;
  return { runId: result.runId, result };
}

/**
 * Rows of run `runId` whose first `sent` entry is not preceded by their `before` entry: the
 * engine journals the preview's before-values with the row's first request (a resent row keeps
 * its first ones), so the list is empty whenever the run went the product's way.
 */
async function sentWithoutBefore(w: World, runId: string): Promise<{ sent: number; missing: string[] }> {
  const record = await createRunStore(w.dataDir).read(runId);
  if (E.isLeft(record)) throw new Error(record.left.message);
  const before = new Set<number>();
  const sent = new Set<number>();
  const missing: string[] = [];
  for (const entry of record.right.entries) {
    if (entry.t === 'before') before.add(entry.row);
    if (entry.t !== 'sent' || sent.has(entry.row)) continue;
    sent.add(entry.row);
    if (!before.has(entry.row)) missing.push(`row ${entry.row} (lead ${entry.leadId}) sent with no before entry`);
  }
  return { sent: sent.size, missing };
}

async function undo(w: World, runId: string, extra: Partial<UndoOptions> = {}): Promise<{ undo: UndoRun; result: RunResult }> {
  const started = await startUndo(runId, {
    ...connection(w),
    resultsPath: join(w.dataDir, '..', `undo-${runId}-results.csv`),
    errorsPath: join(w.dataDir, '..', `undo-${runId}-errors.csv`),
    ...extra,
  });
  if (E.isLeft(started)) throw new Error(`undo of ${runId}: ${started.left.message}`);
  return { undo: started.right, result: await started.right.run.done };
}

const sizeOf = (size: Size): number => (size === 'soak' ? 2_000 : 60);

/** A clean run undone: every lead as before, field for field; then the undo undone: every lead as after the run. */
export async function undoCleanRun(size: Size): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('undo-clean', async (dir) => {
      const w = await world(dir, sizeOf(size), {});
      const checks = new Checks();
      try {
        const before = snapshot(w);
        const { runId, result } = await sendPreviewed(w);
        checks.equal('the run succeeded for every row', result.succeeded, w.rows);
        const journaled = await sentWithoutBefore(w, runId);
        checks.equal('the run sent every row', journaled.sent, w.rows);
        checks.none("the engine journaled each sent row's before-values first", journaled.missing);
        const afterRun = snapshot(w);
        checks.that('the run changed leads', differences(before, afterRun).length > 0);
        checks.none('every lead as the file says after the run', notAsTheFileSays(w));
        const first = await undo(w, runId);
        checks.equal('the undo wrote back every lead the run changed', first.result.succeeded, first.undo.summary.counts.leadsToWrite);
        checks.none('every lead as before the run, field for field', differences(before, snapshot(w)));
        const listing = await createRunStore(w.dataDir).list();
        const original = listing.runs.find((r) => r.runId === runId);
        checks.equal('History links the run to its undo', original?.undoneBy, [first.result.runId]);
        const again = await undo(w, first.result.runId);
        checks.that('undoing the undo re-applies', again.result.succeeded > 0, `${again.result.succeeded} leads`);
        checks.none('every lead as after the run once the undo is undone', differences(afterRun, snapshot(w)));
        return { scenario: 'undo a clean run', rows: w.rows, faults: {}, checks: checks.list, notes: [`${w.leadIds.length} leads`] };
      } finally {
        await w.sim.close();
      }
    }),
  );
}

/** Changes made behind the importer's back are left alone, reported; --force writes them back with a warning. */
export async function undoKeepsChangesSince(size: Size): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('undo-changed', async (dir) => {
      const w = await world(dir, sizeOf(size), {});
      const checks = new Checks();
      try {
        const before = snapshot(w);
        const { runId } = await sendPreviewed(w);
        // A third of the leads get their first name changed by someone else after the import.
        const touched = new Set(w.leadIds.filter((_, i) => i % 3 === 0));
        for (const id of touched) w.sim.changeLead(id, { first_name: `Someone-${id}` });
        const kept = await undo(w, runId);
        const changedSince = kept.undo.summary.fields.filter((f) => f.verdict === 'changed_since');
        checks.equal(
          'each changed first name is reported changed since the import',
          new Set(changedSince.map((f) => f.leadId)).size,
          touched.size,
        );
        checks.none(
          'no change made since the import was overwritten',
          [...touched]
            .filter((id) => w.sim.lead(id)?.first_name !== `Someone-${id}`)
            .map((id) => `${id}: first_name is ${JSON.stringify(w.sim.lead(id)?.first_name)}`),
        );
        checks.none('every lead nobody touched as before the run', differences(before, snapshot(w), touched));
        const forcedRun = await sendPreviewed(w);
        for (const id of touched) w.sim.changeLead(id, { first_name: `Again-${id}` });
        const forced = await undo(w, forcedRun.runId, { force: true });
        checks.that(
          'forcing is said in the summary',
          forced.undo.summary.force && forced.undo.summary.counts.forced >= touched.size,
          `${forced.undo.summary.counts.forced} forced`,
        );
        checks.none(
          'forced: every lead as before the second run, the changes since overwritten',
          differences(before, snapshot(w), touched),
        );
        checks.none(
          'forced: the first names written back',
          [...touched].filter((id) => w.sim.lead(id)?.first_name === `Again-${id}`).map((id) => `${id} kept the change`),
        );
        return {
          scenario: 'undo keeps changes made since',
          rows: w.rows,
          faults: {},
          checks: checks.list,
          notes: [`${touched.size} leads changed behind the importer's back`],
        };
      } finally {
        await w.sim.close();
      }
    }),
  );
}

/** 5xx, drops after apply and 429 storms during the run and during the undo; the undo cancelled halfway and resumed. */
export async function undoAfterFaults(size: Size): Promise<ScenarioReport> {
  return timed(() =>
    inTempDir('undo-faults', async (dir) => {
      const faulty: Partial<SimulatorOptions> = { serverErrorRate: 0.1, dropAfterApplyRate: 0.05 };
      const w = await world(dir, sizeOf(size), faulty);
      const checks = new Checks();
      // A 429 storm of 40 ms every 300 ms, through the run and the undo.
      const storms = setInterval(() => w.sim.configure({ storm: { durationMs: 40 } }), 300);
      try {
        const before = snapshot(w);
        const { runId, result } = await sendPreviewed(w);
        checks.equal('every row of the run ended succeeded or unknown', result.succeeded + result.unknown, w.rows);
        const faultsOfRun = faultsInRecord(w.sim);
        // The undo is cancelled once a third of its write-backs are under way, then resumed.
        const started = await startUndo(runId, { ...connection(w) });
        if (E.isLeft(started)) throw new Error(started.left.message);
        const live = started.right.run;
        const third = Math.max(1, Math.floor(started.right.summary.counts.leadsToWrite / 3));
        const timer = setInterval(() => {
          if ([...live.records.values()].filter((r) => r.attempts > 0).length >= third) live.cancel();
        }, 5);
        const cancelled = await live.done.finally(() => clearInterval(timer));
        checks.that(
          'the undo stopped before its end',
          cancelled.stopped?.reason === 'cancelled' || cancelled.succeeded < started.right.summary.counts.leadsToWrite,
          `${cancelled.succeeded} written back before stopping`,
        );
        const resumed = await resumeUndo({ ...connection(w), runId: live.runId });
        if (E.isLeft(resumed)) throw new Error(resumed.left.message);
        const end = await resumed.right.run.done;
        checks.equal('after resume every write-back succeeded', end.succeeded + end.unknown, started.right.summary.counts.leadsToWrite);
        checks.none('every lead as before the run, field for field', differences(before, snapshot(w)));
        return {
          scenario: 'undo after faults, undo resumed',
          rows: w.rows,
          faults: mergeFaults(faultsOfRun, faultsInRecord(w.sim)),
          checks: checks.list,
          notes: [],
        };
      } finally {
        clearInterval(storms);
        await w.sim.close();
      }
    }),
  );
}

/**
 * The CLI killed with SIGKILL during the run and during the undo (on the answer to the n-th
 * accepted update), each resumed with `lead-import resume` until it ends: every lead as before.
 */
export async function undoThroughKills(size: Size): Promise<ScenarioReport> {
  const killsEach = size === 'soak' ? 3 : 1;
  return timed(() =>
    inTempDir('undo-kill', async (dir) => {
      let accepted = 0;
      let armed: { at: number; kill: () => void } | undefined;
      const w = await world(dir, sizeOf(size), { latencyMs: 3, jobPendingMs: [10, 60] });
      // The world's simulator does not tell when an update is answered: watch its record instead.
      const watch = setInterval(() => {
        accepted = w.sim.record.filter((r) => r.endpoint === 'update-lead' && r.status === 200).length;
        if (armed && accepted >= armed.at) {
          armed.kill();
          armed = undefined;
        }
      }, 1);
      const checks = new Checks();
      const env = { PATH: process.env.PATH, PROPEXO_API_KEY: TOKEN };
      const common = ['--env', w.sim.url, '--data-dir', w.dataDir, '--json'];
      let kills = 0;
      /** Runs `first`, killing it `times` times spread over `updates` accepted updates from now, resuming `resumeOf()` until it ends. */
      const throughKills = async (first: string[], resumeOf: () => Promise<string>, updates: number, times: number): Promise<CliExit> => {
        const from = accepted;
        for (let round = 0; ; round++) {
          const child = spawnCliProcess(round === 0 ? [...first, ...common] : ['resume', await resumeOf(), ...common], { env });
          if (round < times)
            armed = { at: from + Math.max(1, Math.floor(((round + 1) * updates) / (times + 1))), kill: () => child.kill() };
          const exit = await child.exited;
          armed = undefined;
          if (exit.signal !== 'SIGKILL') return exit;
          kills++;
          if (round > times + 3) throw new Error('the run never ended');
        }
      };
      try {
        const before = snapshot(w);
        const sent = await throughKills(['send', w.file], () => onlyRun(w.dataDir), w.rows, killsEach);
        const runId = await onlyRun(w.dataDir);
        checks.equal('the run ended after its kills and resumes', sent.code, 0);
        checks.none('every lead as the file says after the run', notAsTheFileSays(w));
        // Rows the killed runs sent keep the before-values journaled then; the resumes preview only the others.
        checks.none("the engine journaled each sent row's before-values first", (await sentWithoutBefore(w, runId)).missing);
        const undoId = async (): Promise<string> =>
          (await createRunStore(w.dataDir).list()).runs.find((r) => r.undoOf === runId)?.runId ?? '';
        const undone = await throughKills(['undo', runId], undoId, Math.ceil(w.leadIds.length / 2), killsEach);
        checks.equal('the undo ended after its kills and resumes', undone.code, 0);
        const last = lastJsonLine(undone.stdout);
        checks.that(
          'the undo summary counts every write-back',
          typeof last?.succeeded === 'number' && last.succeeded > 0,
          JSON.stringify(last)?.slice(0, 200),
        );
        checks.equal('every kill landed (during the run and during the undo)', kills, 2 * killsEach);
        checks.none('every lead as before the run, field for field', differences(before, snapshot(w)));
        return { scenario: 'undo through SIGKILLs', rows: w.rows, faults: { SIGKILL: kills }, checks: checks.list, notes: [] };
      } finally {
        clearInterval(watch);
        await w.sim.close();
      }
    }),
  );
}

export const undoScenarios = [
  { name: 'undo a clean run', run: undoCleanRun },
  { name: 'undo keeps changes made since', run: undoKeepsChangesSince },
  { name: 'undo after faults, undo resumed', run: undoAfterFaults },
  { name: 'undo through SIGKILLs', run: undoThroughKills },
] as const;
