// Undoing a run is a run of its own (journaled, resumable, within the budget like any other):
// it reads the run undone (journal: outcomes and before-values; its rows' payloads: from its
// file, or from its undo.json when it was itself an undo), reads the leads now through the new
// run's queue and budget, plans the write-backs (undo-plan.ts: reverse file order per lead, a
// field changed since the import left alone unless forced) for the person to confirm, stores
// them in the new run's undo.json, and sends them through the same engine and drive as any
// run. Each write-back reads its lead again right before its PUT and sends only what is still
// safe (undo-reread.ts); the engine journals the values it read of exactly the fields sent
// (`before`, with `sent`), so the undo can be undone in turn: re-applying.
import * as E from 'fp-ts/Either';
import { prepareFromHeader, type RunInput } from '../run/run-input.ts';
import { createRunStore, type RunHandle, type RunRecord } from '../run/run-store.ts';
import {
  checkStoredRunPaths,
  contextForRun,
  drive,
  followPending,
  openStoredRun,
  resumeSend,
  type LiveRun,
  type ResumeOptions,
  type RunError,
} from '../run/send-run.ts';
import { foldRowStates } from '../run/journal-entry.ts';
import type { EngineRow } from '../run/engine.ts';
import { checkUnchanged } from '../run/file-hash.ts';
import { ensureWritable } from '../run/data-dir.ts';
import type { RunContext } from '../run/run-context.ts';
import type { ValidationSummary } from '../validate/validate-file.ts';
import { decodedRows } from '../validate/decoded-rows.ts';
import type { LeadUpdate } from '../lead/lead-update.ts';
import { leadsOrReasons, readCurrentValues } from '../preview/current-values.ts';
import { backoffWithRetries, defaultMaxRetries } from '../shared/run-policy.ts';
import { referenceIdsFrom } from '../preview/field-correspondence.ts';
import { planUndo, undoRowsOf, type UndoOptions as PlanOptions, type UndoPlan, type UndoRow } from './undo-plan.ts';
import {
  readUndoFile,
  storedFieldsOf,
  storedRowsOf,
  undoRowIndex,
  writeUndoFile,
  type StoredFieldUndo,
  type UndoFile,
} from './undo-rows.ts';
import { writeUndoReports } from './undo-reports.ts';
import { undoComparisons } from './undo-references.ts';
import { rereadWriteBacks } from './undo-reread.ts';

export interface UndoOptions extends Omit<ResumeOptions, 'runId'> {
  /** Write back fields changed since the import too (the summary warns). */
  readonly force?: boolean;
  readonly maxRetries?: number;
}

/** What the plan says, for the summary: counts by verdict, and the rows not undone. */
export interface UndoSummary {
  readonly undoOf: string;
  readonly force: boolean;
  readonly counts: UndoPlan['counts'];
  readonly skipped: UndoFile['skipped'];
  /** Fields left alone, written back anyway, or not restorable: what the summary lists. */
  readonly fields: readonly StoredFieldUndo[];
}

export interface UndoRun {
  readonly run: LiveRun;
  /** The plan as confirmed: the leads as read when the undo started. */
  readonly summary: UndoSummary;
  /**
   * The plan as the write-backs found the leads, each read again right before its PUT (a field
   * changed meanwhile is `changed_since`): the summary to show once `run.done` has resolved.
   */
  finalSummary(): UndoSummary;
}

export interface UndoError extends RunError {
  /** The plan, when the run was read and the leads too (nothing to write back, say). */
  readonly summary?: UndoSummary;
}

/**
 * How the undo is planned, at its start and again right before each write-back (one rule:
 * undo-plan.ts), with the employees and floor plans read at its start (kept in undo.json, so a
 * resumed undo compares through the same lists without reading them again).
 */
const planOptionsOf = (force: boolean, referenceLists: UndoFile['references']): PlanOptions => ({
  force,
  references: referenceIdsFrom(referenceLists ?? {}),
});

const summaryOf = (file: UndoFile): UndoSummary => ({
  undoOf: file.undoOf,
  force: file.force,
  counts: file.counts as UndoPlan['counts'],
  skipped: file.skipped,
  fields: file.fields.filter((f) => f.verdict !== 'restore' && f.verdict !== 'not_applied'),
});

/** The payload each row of the run sent: from its file (which must be unchanged), or its undo.json. */
async function payloadsOf(record: RunRecord, options: UndoOptions): Promise<E.Either<RunError, ReadonlyMap<number, LeadUpdate>>> {
  const { header } = record;
  if (header.undoOf !== undefined) {
    const undo = await readUndoFile(record.dir);
    if (E.isLeft(undo)) return E.left({ code: 'run', message: undo.left });
    return E.right(new Map(undo.right.writes.map((w) => [w.row, w.payload])));
  }
  const unchanged = await checkUnchanged(header.file, header.runId);
  if (E.isLeft(unchanged))
    return E.left({
      code: 'changed',
      message: unchanged.left.message.replace('resume refused; start a new run', 'the undo needs the rows as they were sent'),
    });
  const input = await prepareFromHeader(header, options.openSource);
  if (E.isLeft(input)) return E.left(input.left);
  const sent = new Set(foldRowStates(record.entries).keys());
  const payloads = new Map<number, LeadUpdate>();
  for await (const batch of decodedRows(input.right.prepared, input.right.edits)) {
    for (const { decoded } of batch)
      if (sent.has(decoded.rowNumber) && decoded.status === 'valid') payloads.set(decoded.rowNumber, decoded.payload);
  }
  return E.right(payloads);
}

function validationOf(undo: UndoFile, input: RunInput): ValidationSummary {
  const n = undo.writes.length;
  return {
    rows: n,
    valid: n,
    invalid: 0,
    skipped: 0,
    warnings: 0,
    duplicates: 0,
    file: input.sourceFile.path,
    format: input.prepared.source.format,
    encoding: null,
    delimiter: null,
    sheet: null,
    headerRow: 1,
    notices: [],
    unmappedColumns: [],
    mapping: {},
    mappingProblems: [],
    errorsFile: null,
    firstProblems: [],
  };
}

async function* engineRowsOf(undo: UndoFile): AsyncGenerator<readonly EngineRow[]> {
  // In the plan's order: the lead whose last row came last in the file first.
  yield undo.writes.map((w) => ({ rowNumber: w.row, leadId: w.leadId, payload: w.payload }));
}

/**
 * Runs the undo's write-backs through the run core (drive): same engine, journal, budget and
 * summary as any run; each write-back reads its lead again first (undo-reread.ts).
 */
function driveUndo(
  handle: RunHandle,
  undo: UndoFile,
  input: RunInput,
  context: RunContext,
  planOptions: PlanOptions,
  options: UndoOptions & { resumed: boolean },
): UndoRun {
  // Reads retry as the run's updates do: the run keeps the retry count it started with.
  const backoff = options.backoff ?? backoffWithRetries(handle.header.options.maxAttempts - 1);
  const writeBacks = rereadWriteBacks(undo, planOptions, {
    reads: {
      getLead: (leadId, requestOptions) => {
        context.counters.read++;
        return context.reads.getLead(leadId, requestOptions);
      },
    },
    queue: context.queue,
    clock: context.clock,
    backoff,
    save: (file) => writeUndoFile(handle.dir, file),
  });
  const run = drive({
    handle,
    input,
    rows: undoRowIndex(undo),
    validation: validationOf(undo, input),
    context,
    prior: options.resumed ? followPending(foldRowStates(handle.entries)) : new Map(),
    resumed: options.resumed,
    options: { ...options, backoff, ignoreUnknownFields: false },
    engineRows: engineRowsOf(undo),
    prepare: writeBacks.prepare,
    writeReports: (records, paths) => writeUndoReports(writeBacks.file(), records, paths),
  });
  return { run, summary: summaryOf(undo), finalSummary: () => summaryOf(writeBacks.file()) };
}

/** The run undone, read, and its undo planned against the leads as they are now; the context stays open for the writes. */
interface OpenedUndo {
  readonly original: RunRecord;
  readonly input: RunInput;
  readonly context: RunContext;
  readonly undo: UndoFile;
  /** How it was planned: each write-back is planned again so right before its PUT. */
  readonly planOptions: PlanOptions;
}

/**
 * Reads run `runId` and the leads it wrote, and plans its undo (nothing written). A Left has
 * closed what it opened; `nothing_to_do` carries the plan.
 */
async function openUndo(runId: string, options: UndoOptions): Promise<E.Either<UndoError, OpenedUndo>> {
  const paths = await checkStoredRunPaths(options);
  if (paths !== undefined) return E.left(paths);
  const store = createRunStore(options.dataDir, { secrets: options.token ? [options.token] : [] });
  const read = await store.read(runId);
  if (E.isLeft(read)) return E.left({ code: 'run', message: read.left.message });
  const original = read.right;
  if (original.state === 'running') return E.left({ code: 'run', message: `Run ${runId} is still running: undo it once it has ended.` });
  const payloads = await payloadsOf(original, options);
  if (E.isLeft(payloads)) return payloads;
  const input = await prepareFromHeader(original.header, options.openSource);
  if (E.isLeft(input)) return E.left(input.left);
  const writable = await ensureWritable(options.dataDir);
  if (E.isLeft(writable)) return E.left({ code: 'data_dir', message: writable.left.message });
  const opened = await contextForRun(original.header, options);
  if (E.isLeft(opened)) return opened;
  const context = opened.right;
  const fail = async (error: UndoError): Promise<E.Either<UndoError, OpenedUndo>> => {
    await context.close();
    return E.left(error);
  };

  // The leads as they are now, read through the run's queue: the reads spend the same budget as the writes.
  const rows = undoRowsOf(original.entries, payloads.right);
  const leadIds = rows.filter((r) => r.before !== undefined).map((r) => r.leadId);
  const readings = await readCurrentValues(leadIds, { reads: context.reads, queue: context.queue, clock: context.clock });
  for (const reading of readings.values())
    if (!reading.ok && reading.error.kind === 'auth') return fail({ code: 'environment', message: reading.message });
  const leadsNow = leadsOrReasons(readings);
  const compared = await undoComparisons(rows, leadsNow, context, { dir: original.dir, lookup: original.header.lookup });
  const planOptions = planOptionsOf(options.force === true, compared.referenceLists);
  const plan = planUndo(compared.rows, leadsNow, planOptions);
  const undo = { ...undoFileOf(runId, options.force === true, plan, compared.rows), references: compared.referenceLists };
  if (undo.writes.length === 0) {
    const noBefores = rows.length > 0 && rows.every((r) => r.before === undefined);
    const why =
      rows.length === 0
        ? `run ${runId} wrote nothing`
        : noBefores
          ? `run ${runId} recorded no values from before it (it was sent without reading the leads first)`
          : 'no field needs writing back';
    return fail({ code: 'nothing_to_do', message: `Nothing to undo: ${why}.`, summary: summaryOf(undo) });
  }
  return E.right({ original, input: input.right, context, undo, planOptions });
}

/**
 * What undoing run `runId` would do, without writing anything: the leads are read (within the
 * budget) and the plan made as `startUndo` makes it. `nothing_to_do` is a Left carrying the plan.
 */
export async function planUndoRun(runId: string, options: UndoOptions): Promise<E.Either<UndoError, UndoSummary>> {
  const opened = await openUndo(runId, options);
  if (E.isLeft(opened)) return opened;
  await opened.right.context.close();
  return E.right(summaryOf(opened.right.undo));
}

/**
 * Starts undoing run `runId`: a new run whose header says `undoOf`. A Left means nothing was sent
 * (`nothing_to_do` carries the plan: every field changed since, or already as before).
 */
export async function startUndo(runId: string, options: UndoOptions): Promise<E.Either<UndoError, UndoRun>> {
  const opened = await openUndo(runId, options);
  if (E.isLeft(opened)) return opened;
  const { original, input, context, undo, planOptions } = opened.right;
  const store = createRunStore(options.dataDir, { secrets: options.token ? [options.token] : [] });
  const fail = async (error: UndoError): Promise<E.Either<UndoError, UndoRun>> => {
    await context.close();
    return E.left(error);
  };

  const backoff = options.backoff ?? backoffWithRetries(options.maxRetries ?? defaultMaxRetries);
  let handle: RunHandle;
  try {
    handle = await store.create({
      file: original.header.file,
      mapping: original.header.mapping,
      environment: { name: context.environment, baseUrl: context.baseUrl },
      options: {
        ...original.header.options,
        concurrency: options.concurrency ?? original.header.options.concurrency,
        rate: options.rate ?? original.header.options.rate,
        maxAttempts: backoff.maxRetries + 1,
      },
      counts: { rows: undo.writes.length, valid: undo.writes.length, invalid: 0, skipped: 0 },
      edits: original.header.edits,
      undoOf: runId,
    });
  } catch (error) {
    return fail({ code: 'run', message: error instanceof Error ? error.message : String(error) });
  }
  try {
    // Before the first write leaves: what it sends and what it was planned from, on disk.
    await writeUndoFile(handle.dir, undo);
  } catch (error) {
    await handle.close().catch(() => undefined);
    return fail({
      code: 'run',
      message: `Cannot write undo run ${handle.runId}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  return E.right(driveUndo(handle, undo, input, context, planOptions, { ...options, backoff, resumed: false }));
}

function undoFileOf(undoOf: string, force: boolean, plan: UndoPlan, rows: readonly UndoRow[]): UndoFile {
  const byRow = new Map(rows.map((r) => [r.row, r]));
  const writes = plan.leads
    .filter((l) => Object.keys(l.payload).length > 0)
    .map((l) => ({
      row: l.rows[0],
      leadId: l.leadId,
      rows: [...l.rows],
      payload: l.payload,
      plannedFrom: storedRowsOf(l.rows.flatMap((r) => byRow.get(r) ?? [])),
    }));
  const fields = plan.leads.flatMap(storedFieldsOf);
  return { undoOf, force, writes, fields, skipped: plan.skipped.map((s) => ({ ...s })), counts: { ...plan.counts } };
}

/** Continues an interrupted undo run: write-backs already accepted are never sent again. */
export async function resumeUndo(options: ResumeOptions): Promise<E.Either<RunError, UndoRun>> {
  const opened = await openStoredRun(options);
  if (E.isLeft(opened)) return opened;
  const handle = opened.right;
  const fail = async (error: RunError): Promise<E.Either<RunError, UndoRun>> => {
    await handle.close().catch(() => undefined);
    return E.left(error);
  };
  if (handle.header.undoOf === undefined) return fail({ code: 'run', message: `Run ${options.runId} is not an undo run.` });
  const undo = await readUndoFile(handle.dir);
  if (E.isLeft(undo)) return fail({ code: 'run', message: undo.left });
  const input = await prepareFromHeader(handle.header, options.openSource);
  if (E.isLeft(input)) return fail(input.left);
  const context = await contextForRun(handle.header, options);
  if (E.isLeft(context)) return fail(context.left);
  return E.right(
    driveUndo(handle, undo.right, input.right, context.right, planOptionsOf(undo.right.force, undo.right.references), {
      ...options,
      resumed: true,
    }),
  );
}

/** Resume for any run: an undo run continues its write-backs, any other run its file. */
export async function resumeAnyRun(options: ResumeOptions): Promise<E.Either<RunError, LiveRun>> {
  const header = await createRunStore(options.dataDir).header(options.runId);
  if (E.isRight(header) && header.right.undoOf !== undefined) {
    const resumed = await resumeUndo(options);
    return E.isLeft(resumed) ? resumed : E.right(resumed.right.run);
  }
  return resumeSend(options);
}
