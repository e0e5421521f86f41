// An import run from start to end, for the CLI and the desktop app alike: validate, create
// the run (header + journal), send through the engine, record how it ended, write the results
// and error report. Also resume, re-check pending jobs, and retry.
import { basename } from 'node:path';
import * as E from 'fp-ts/Either';
import type { SourceOptions } from '../source/types.ts';
import { parseMappingFile, toMappingFile, type MappingFile } from '../mapping/mapping-file.ts';
import { prepareImport, type PreparedImport } from '../validate/prepare-import.ts';
import { validatePrepared, type ValidationSummary } from '../validate/validate-file.ts';
import { decodedRows, type CellEdits } from '../validate/decoded-rows.ts';
import { pinnedOptions } from '../source/open-source.ts';
import { columnOfLabel } from '../source/header.ts';
import { hashFile, checkUnchanged } from './file-hash.ts';
import { ensureWritable } from './data-dir.ts';
import { createRunStore, type RunHandle } from './run-store.ts';
import { sourceOptionsOfRun, type CellEdit } from './run-header.ts';
import { foldRowStates, type JournalEntry, type RowJournalState } from './journal-entry.ts';
import type { JournalInput } from './journal.ts';
import { runEngine, type EngineRow, type EngineStop, type EngineHandle } from './engine.ts';
import { openRunContext, environmentName, type ConnectionOptions, type RunContext } from './run-context.ts';
import { ProgressTracker, type RunProgress } from './progress.ts';
import { writeRunReports } from './run-reports.ts';
import { checkReportPaths, reportTargets } from './report-paths.ts';
import { serverForRun } from './run-server.ts';
import { keyInEdits, keyInLeadIds, keyInPaths } from './key-in-identifiers.ts';
import type { RowRecord } from './row-record.ts';
import type { RunCounts } from './run-counts.ts';
import { countRun } from './outcomes.ts';
import type { BackoffPolicy } from '../schedule/backoff.ts';
import { backoffWithRetries, defaultConcurrency, defaultMaxRetries, defaultPendingTimeoutMs, defaultRate } from './run-policy.ts';

export interface RunResult extends RunCounts {
  readonly requests: { readonly update: number; readonly status: number; readonly logs: number; readonly retries: number; readonly throttled: number };
  readonly errorsFile: string | null;
  readonly resultsFile: string | null;
  /** Why the run ended early, if it did. */
  readonly stopped: EngineStop | null;
  /** The results file or error report could not be written (the run itself is saved). */
  readonly reportError: string | null;
  /** Rows the run lost track of and ended itself (`unknown`, or `not_sent` if never sent). */
  readonly lostTrack: number;
}

export interface RunError {
  readonly code: 'file' | 'mapping' | 'environment' | 'data_dir' | 'report_path' | 'key_in_identifier' | 'run' | 'changed' | 'nothing_to_do';
  readonly message: string;
}

export interface RunCallbacks {
  /** Every row change, as it happens (batch them before crossing a process boundary). */
  readonly onRow?: (record: Readonly<RowRecord>) => void;
}

export interface SendOptions extends ConnectionOptions, RunCallbacks {
  readonly path: string;
  readonly source?: SourceOptions;
  readonly mappingFile?: MappingFile;
  readonly mappingFileName?: string;
  readonly dataDir: string;
  readonly edits?: readonly CellEdit[];
  readonly maxRetries?: number;
  readonly backoff?: BackoffPolicy;
  readonly ignoreUnknownFields?: boolean;
  readonly resultsPath?: string;
  readonly errorsPath?: string;
}

export interface ResumeOptions extends ConnectionOptions, RunCallbacks {
  readonly dataDir: string;
  readonly runId: string;
  readonly backoff?: BackoffPolicy;
  readonly resultsPath?: string;
  readonly errorsPath?: string;
}

/** A run under way. */
export interface LiveRun {
  readonly runId: string;
  readonly validation: ValidationSummary;
  progress(): RunProgress;
  pause(): void;
  resume(): void;
  cancel(): void;
  readonly records: ReadonlyMap<number, Readonly<RowRecord>>;
  readonly done: Promise<RunResult>;
  /**
   * Ends every row still open as lost and finishes the run (journal, reports, summary). For when
   * nothing is left in flight or scheduled (the CLI: the event loop ran dry), so nothing else could.
   */
  abandon(reason: string): void;
}

/** Cell edits as the decoder wants them: row → column index → value. */
export function editsByRow(header: readonly string[], edits: readonly CellEdit[]): CellEdits {
  const byRow = new Map<number, Map<number, string>>();
  for (const edit of edits) {
    const column = columnOfLabel(header, edit.column);
    if (column < 0) continue;
    let row = byRow.get(edit.row);
    if (!row) byRow.set(edit.row, (row = new Map()));
    row.set(column, edit.value);
  }
  return byRow;
}

async function* validRows(prepared: PreparedImport, edits: CellEdits): AsyncGenerator<readonly EngineRow[]> {
  for await (const batch of decodedRows(prepared, edits)) {
    const rows: EngineRow[] = [];
    for (const { decoded } of batch) {
      if (decoded.status === 'valid' && decoded.leadId !== null) rows.push({ rowNumber: decoded.rowNumber, leadId: decoded.leadId, payload: decoded.payload });
    }
    if (rows.length > 0) yield rows;
  }
}

function resultOf(
  runId: string,
  validation: ValidationSummary,
  records: ReadonlyMap<number, Readonly<RowRecord>>,
  context: RunContext,
  paths: { resultsPath?: string; errorsPath?: string },
  stop: EngineStop | undefined,
  lostTrack: number,
  reportError: string | null = null,
): RunResult {
  return {
    ...countRun(runId, validation, records.values()),
    requests: { ...context.counters },
    errorsFile: paths.errorsPath ?? null,
    resultsFile: paths.resultsPath ?? null,
    stopped: stop ?? null,
    reportError,
    lostTrack,
  };
}

interface Drive {
  readonly handle: RunHandle;
  readonly prepared: PreparedImport;
  readonly validation: ValidationSummary;
  readonly context: RunContext;
  readonly edits: CellEdits;
  readonly prior: ReadonlyMap<number, RowJournalState>;
  readonly options: RunCallbacks & { backoff?: BackoffPolicy; ignoreUnknownFields?: boolean; resultsPath?: string; errorsPath?: string };
  readonly resumed: boolean;
  /** Follow journaled jobs only; send nothing. */
  readonly followOnly?: boolean;
}

/** The journal entry that says how a run ended (none when it stopped because the journal failed). */
function endingEntry(stop: EngineStop | undefined, records: ReadonlyMap<number, Readonly<RowRecord>>, counts: RunResult): JournalInput | undefined {
  if (stop?.reason === 'cancelled') return { t: 'cancelled' };
  if (stop?.reason === 'auth') return { t: 'stopped', reason: stop.message };
  if (stop) return undefined;
  // The journal tells a job the PMS failed (write_failed) from a request that failed, as its
  // fold does for runs that never finished: the history must count both the same way.
  let writeFailed = 0;
  for (const record of records.values()) if (record.outcome === 'failed' && record.stage === 'job') writeFailed++;
  return {
    t: 'finished',
    summary: {
      succeeded: counts.succeeded,
      partial: counts.partial,
      write_failed: writeFailed,
      failed: counts.failed - writeFailed,
      rejected: counts.rejected,
      unknown: counts.unknown,
      pending: counts.pending,
      not_sent: counts.notSent,
    },
  };
}

/** Runs the engine over a created or reopened run and ends it properly whatever happens. */
function drive(d: Drive): LiveRun {
  const { handle, prepared, validation, context, edits, prior } = d;
  const progress = new ProgressTracker(context.clock, validation.valid);
  handle.journal.append({ t: 'run_started', resumed: d.resumed });
  const engine: EngineHandle = runEngine(
    { client: context.client, queue: context.queue, budget: context.budget, tracker: context.tracker, journal: handle.journal, clock: context.clock },
    validRows(prepared, edits),
    {
      prior,
      followOnly: d.followOnly,
      // A run keeps the retry count it started with: resume and retry read it from the header
      // (maxAttempts), as they read its concurrency, rate and pending timeout.
      backoff: d.options.backoff ?? backoffWithRetries(handle.header.options.maxAttempts - 1),
      ignoreUnknownFields: d.options.ignoreUnknownFields,
      onRow: (record) => {
        progress.row(record);
        d.options.onRow?.(record);
      },
      onUpdateRequest: () => {
        context.counters.update++;
        progress.updateSent();
      },
    },
  );
  context.onFatal = (error) => engine.stopForAuth(error);
  let state: RunProgress['state'] = 'running';

  const done = (async (): Promise<RunResult> => {
    let stop: EngineStop | undefined;
    let lost = 0;
    try {
      ({ stop, lost } = await engine.done);
      const ending = endingEntry(stop, engine.records, resultOf(handle.runId, validation, engine.records, context, {}, stop, lost));
      if (ending) {
        try {
          handle.journal.append(ending);
        } catch (error) {
          // The journal failed after the last row: the rows are saved, how the run ended is not.
          stop = { reason: 'journal', message: error instanceof Error ? error.message : String(error) };
        }
      }
      state = !stop ? 'finished' : stop.reason === 'cancelled' ? 'cancelled' : 'stopped';
    } finally {
      await handle.close().catch((error: unknown) => {
        stop ??= { reason: 'journal', message: error instanceof Error ? error.message : String(error) };
        state = 'stopped';
      });
      await context.close();
    }
    const paths = { resultsPath: d.options.resultsPath, errorsPath: d.options.errorsPath };
    try {
      await writeRunReports(prepared, engine.records, paths, edits);
    } catch (error) {
      // The run is over and saved; a report that cannot be written must not hide its summary.
      const message = error instanceof Error ? error.message : String(error);
      return resultOf(handle.runId, validation, engine.records, context, {}, stop, lost, message);
    }
    return resultOf(handle.runId, validation, engine.records, context, paths, stop, lost);
  })();

  return {
    runId: handle.runId,
    validation,
    records: engine.records,
    progress: () => progress.snapshot(handle.runId, context.counters, engine.paused, engine.paused && state === 'running' ? 'paused' : state),
    pause: () => engine.pause(),
    resume: () => engine.resume(),
    cancel: () => engine.cancel(),
    abandon: (reason) => engine.abandon(reason),
    done,
  };
}

/** Starts a new run of `path`. A Left means nothing was sent (and, but for `run`, nothing written). */
export async function startSend(options: SendOptions): Promise<E.Either<RunError, LiveRun>> {
  const keyInPath = keyInPaths(options.token, [
    ['data folder', options.dataDir],
    ['input file', options.path],
    ['results file', options.resultsPath],
    ['error report', options.errorsPath],
    ['mapping file', options.mappingFileName],
  ]);
  if (keyInPath !== undefined) return E.left({ code: 'key_in_identifier', message: keyInPath });
  const keyInEdit = keyInEdits(options.token, options.path, options.edits ?? []);
  if (keyInEdit !== undefined) return E.left({ code: 'key_in_identifier', message: keyInEdit });
  const reportPaths = await checkReportPaths(reportTargets(options));
  if (E.isLeft(reportPaths)) return E.left({ code: 'report_path', message: reportPaths.left });
  const prepared = await prepareImport(options);
  if (E.isLeft(prepared)) return E.left({ code: prepared.left.code === 'no_lead_id' || prepared.left.code === 'mapping' ? 'mapping' : 'file', message: prepared.left.message });
  const edits = editsByRow(prepared.right.source.header, options.edits ?? []);
  const validation = await validatePrepared(prepared.right, { path: options.path, edits });
  if (validation.valid === 0) return E.left({ code: 'nothing_to_do', message: `${options.path}: no valid row to send (${validation.invalid} invalid, ${validation.skipped} skipped). Run "lead-import validate" to see why.` });
  const keyInLead = await keyInLeadIds(options.token, options.path, prepared.right, edits);
  if (keyInLead !== undefined) return E.left({ code: 'key_in_identifier', message: keyInLead });

  const writable = await ensureWritable(options.dataDir);
  if (E.isLeft(writable)) return E.left({ code: 'data_dir', message: writable.left.message });

  const contextResult = await openRunContext(options);
  if (E.isLeft(contextResult)) return E.left({ code: 'environment', message: contextResult.left });
  const context = contextResult.right;

  const backoff = options.backoff ?? backoffWithRetries(options.maxRetries ?? defaultMaxRetries);
  let handle: RunHandle;
  try {
    const digest = await hashFile(options.path);
    const source = prepared.right.source;
    const store = createRunStore(options.dataDir, { secrets: options.token ? [options.token] : [] });
    handle = await store.create({
      file: {
        path: options.path,
        name: basename(options.path),
        sha256: digest.sha256,
        size: digest.size,
        format: source.format,
        ...pinnedOptions(source),
        ...(options.source?.maxWorkbookMb !== undefined ? { maxWorkbookMb: options.source.maxWorkbookMb } : {}),
      },
      mapping: toMappingFile(prepared.right.mapping),
      environment: { name: environmentName(options.environment), baseUrl: context.baseUrl },
      options: {
        concurrency: options.concurrency ?? defaultConcurrency,
        rate: options.rate ?? defaultRate,
        maxAttempts: backoff.maxRetries + 1,
        pendingTimeoutMs: options.pendingTimeoutMs ?? defaultPendingTimeoutMs,
        ignoreUnknownFields: options.ignoreUnknownFields ?? false,
      },
      counts: { rows: validation.rows, valid: validation.valid, invalid: validation.invalid, skipped: validation.skipped },
      edits: [...(options.edits ?? [])],
    });
  } catch (error) {
    await context.close();
    return E.left({ code: 'run', message: error instanceof Error ? error.message : String(error) });
  }
  return E.right(
    drive({
      handle,
      prepared: prepared.right,
      validation,
      context,
      edits,
      prior: new Map(),
      resumed: false,
      options: { ...options, backoff },
    }),
  );
}

interface Reopened {
  readonly handle: RunHandle;
  readonly prepared: PreparedImport;
  readonly validation: ValidationSummary;
  readonly edits: CellEdits;
  readonly context: RunContext;
}

/** Opens a run again: same file (unchanged, unless `allowChangedFile`), same mapping, same environment. */
async function reopen(options: ResumeOptions, allowChangedFile: boolean): Promise<E.Either<RunError, Reopened>> {
  const keyInPath = keyInPaths(options.token, [
    ['data folder', options.dataDir],
    ['results file', options.resultsPath],
    ['error report', options.errorsPath],
  ]);
  if (keyInPath !== undefined) return E.left({ code: 'key_in_identifier', message: keyInPath });
  const reportPaths = await checkReportPaths(reportTargets(options));
  if (E.isLeft(reportPaths)) return E.left({ code: 'report_path', message: reportPaths.left });
  const store = createRunStore(options.dataDir, { secrets: options.token ? [options.token] : [] });
  const opened = await store.open(options.runId);
  if (E.isLeft(opened)) return E.left({ code: 'run', message: opened.left.message });
  const handle = opened.right;
  const fail = async (error: RunError): Promise<E.Either<RunError, Reopened>> => {
    await handle.close().catch(() => undefined);
    return E.left(error);
  };
  const header = handle.header;
  if (!allowChangedFile) {
    const unchanged = await checkUnchanged(header.file, handle.runId);
    if (E.isLeft(unchanged)) return fail({ code: 'changed', message: unchanged.left.message });
  }
  const mapping = parseMappingFile(JSON.stringify(header.mapping), `run ${handle.runId} mapping`);
  if (E.isLeft(mapping)) return fail({ code: 'run', message: mapping.left.join('\n') });
  const prepared = await prepareImport({ path: header.file.path, source: sourceOptionsOfRun(header.file), mappingFile: mapping.right });
  if (E.isLeft(prepared)) return fail({ code: 'file', message: prepared.left.message });
  const edits = editsByRow(prepared.right.source.header, header.edits);
  // retry reads the file as it is now: a lead id may have changed since the run started.
  const keyInLead = await keyInLeadIds(options.token, header.file.path, prepared.right, edits);
  if (keyInLead !== undefined) return fail({ code: 'key_in_identifier', message: keyInLead });
  const validation = await validatePrepared(prepared.right, { path: header.file.path, edits });
  const environment = serverForRun(header, options.environment);
  if (E.isLeft(environment)) return fail({ code: 'environment', message: environment.left });
  const context = await openRunContext({
    ...options,
    environment: environment.right,
    concurrency: options.concurrency ?? header.options.concurrency,
    rate: options.rate ?? header.options.rate,
    pendingTimeoutMs: options.pendingTimeoutMs ?? header.options.pendingTimeoutMs,
  });
  if (E.isLeft(context)) return fail({ code: 'environment', message: context.left });
  return E.right({ handle, prepared: prepared.right, validation, edits, context: context.right });
}

/** Continues an interrupted run: accepted rows are never sent again, their jobs are followed. */
export async function resumeSend(options: ResumeOptions): Promise<E.Either<RunError, LiveRun>> {
  const reopened = await reopen(options, false);
  if (E.isLeft(reopened)) return reopened;
  const { handle, prepared, validation, edits, context } = reopened.right;
  return E.right(
    drive({
      handle,
      prepared,
      validation,
      context,
      edits,
      prior: followPending(foldRowStates(handle.entries)),
      resumed: true,
      options: { ...options, ignoreUnknownFields: handle.header.options.ignoreUnknownFields },
    }),
  );
}

/**
 * Rows whose job was left `pending` (the run stopped, was cancelled, or polling timed out) are
 * followed again: resuming a run keeps polling its jobs rather than leaving them unsettled.
 */
function followPending(states: ReadonlyMap<number, RowJournalState>): Map<number, RowJournalState> {
  const prior = new Map<number, RowJournalState>();
  for (const [row, state] of states) prior.set(row, state.last.t === 'pending' && state.jobId !== undefined ? { ...state, next: 'poll' } : state);
  return prior;
}

/** Re-checks jobs that ended `pending` (or were accepted when the run stopped). Sends nothing new. */
export async function recheckRun(options: ResumeOptions): Promise<E.Either<RunError, LiveRun>> {
  const reopened = await reopen(options, true);
  if (E.isLeft(reopened)) return reopened;
  const { handle } = reopened.right;
  const states = foldRowStates(handle.entries);
  // Only rows with a job to follow are touched: every other row keeps what it has.
  const prior = new Map<number, RowJournalState>();
  for (const [row, state] of states) {
    if (state.jobId !== undefined && (state.last.t === 'pending' || state.next === 'poll')) prior.set(row, { ...state, next: 'poll' });
    else prior.set(row, { ...state, next: 'done' });
  }
  return E.right(drive({ ...reopened.right, prior, resumed: true, followOnly: true, options }));
}

/**
 * Retries what failed: failed jobs through retry-write (a new job to follow), and rows that
 * were rejected, failed, unknown or not sent are sent again, read from the file as it is now
 * (fixed, presumably) where the row still updates the same lead.
 */
export async function retryRun(options: ResumeOptions): Promise<E.Either<RunError, LiveRun>> {
  const reopened = await reopen(options, true);
  if (E.isLeft(reopened)) return reopened;
  const { handle, context, prepared, edits } = reopened.right;
  const states = foldRowStates(handle.entries);
  const leadOfRow = leadIdsFromJournal(handle.entries);
  const currentLead = new Map<number, string>();
  for await (const batch of decodedRows(prepared, edits)) {
    for (const { decoded } of batch) if (decoded.leadId !== null && decoded.status === 'valid') currentLead.set(decoded.rowNumber, decoded.leadId);
  }
  const prior = new Map<number, RowJournalState>(states);
  for (const [row, state] of states) {
    const last = state.last;
    if (last.t === 'final' && last.writeStatus === 'FAILURE') {
      const answer = await context.queue.run('update', () => context.client.retryWrite(last.jobId));
      context.counters.retries++;
      if (answer.ok && answer.value.success && answer.value.job_id) {
        const entry = { t: 'retried' as const, row, oldJobId: last.jobId, newJobId: answer.value.job_id, at: context.clock.now() };
        handle.journal.append(entry);
        prior.set(row, { ...state, last: entry, jobId: entry.newJobId, next: 'poll' });
      }
    } else if (last.t === 'rejected' || last.t === 'failed' || last.t === 'unknown' || last.t === 'not_sent') {
      // The row must still update the same lead (a guard against rows that moved in the file),
      // except after a 404: the lead id was what the server refused, so fixing it is the fix.
      const leadFixed = last.t === 'rejected' && last.httpStatus === 404;
      if (currentLead.get(row) === undefined || (currentLead.get(row) !== leadOfRow.get(row) && !leadFixed)) continue;
      const entry = { t: 'requeued' as const, row, reason: `retry of a ${last.t.replace('_', ' ')} row`, at: context.clock.now() };
      handle.journal.append(entry);
      prior.set(row, { ...state, last: entry, attempts: 0, next: 'send' });
    }
  }
  await handle.journal.flush();
  return E.right(
    drive({ ...reopened.right, prior, resumed: true, options: { ...options, ignoreUnknownFields: handle.header.options.ignoreUnknownFields } }),
  );
}

function leadIdsFromJournal(entries: readonly JournalEntry[]): Map<number, string> {
  const leads = new Map<number, string>();
  for (const entry of entries) if (entry.t === 'sent') leads.set(entry.row, entry.leadId);
  return leads;
}
