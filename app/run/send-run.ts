// An import run from start to end, for the CLI and the desktop app alike: validate, create
// the run (header + journal), send through the engine, record how it ended, write the results
// and error report. Also resume, re-check pending jobs, and retry.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import * as E from 'fp-ts/Either';
import type { RowsWatch, SourceOptions } from '../source/types.ts';
import { toMappingFile, type MappingFile } from '../mapping/mapping-file.ts';
import { prepareImport, type PrepareOptions } from '../validate/prepare-import.ts';
import { validatePrepared, type ValidationSummary } from '../validate/validate-file.ts';
import { decodedRows } from '../validate/decoded-rows.ts';
import { pinnedOptions } from '../source/open-source.ts';
import { hashFile, checkUnchanged, DigestOfRead, type FileDigest } from './file-hash.ts';
import { ensureWritable } from './data-dir.ts';
import { createRunStore, type RunHandle } from './run-store.ts';
import type { CellEdit, LookupScope, RunHeader } from './run-header.ts';
import { editList, editsByRow, prepareFromHeader, type InputCheck, type RunInput, type SourceFileIdentity } from './run-input.ts';
import { describeFsError } from './run-fs.ts';
import { RunRowIndexBuilder, VALID, type RunRowIndex } from './run-row-index.ts';
import { foldRowStates, matchesOf, matchKeysOf, type JournalEntry, type RowJournalState, type RowMatchKey } from './journal-entry.ts';
import type { JournalInput } from './journal.ts';
import { runEngine, type EngineRow, type EngineStop, type EngineHandle, type PrepareRow } from './engine.ts';
import { openRunContext, environmentName, type ConnectionOptions, type RequestCounters, type RunContext } from './run-context.ts';
import { preparedSendRows, scopeRefusal, lookupNeeded, type PreSendReport } from './pre-send.ts';
import { leadKeyOf } from '../lookup/lead-keys.ts';
import { leadKeyKindOf } from '../lookup/check-import.ts';
import { ProgressTracker, type RunProgress } from './progress.ts';
import { writeRunReports } from './run-reports.ts';
import { checkReportPaths, reportTargets } from './report-paths.ts';
import { serverForRun } from './run-server.ts';
import { keyInEdits, keyInLeadIds, keyInPaths } from './key-in-identifiers.ts';
import type { RowRecord } from './row-record.ts';
import type { RunCounts } from './run-counts.ts';
import { countRun } from '../shared/outcomes.ts';
import type { BackoffPolicy } from '../schedule/backoff.ts';
import { backoffWithRetries, defaultConcurrency, defaultMaxRetries, defaultPendingTimeoutMs, defaultRate } from '../shared/run-policy.ts';

export interface RunResult extends RunCounts {
  readonly requests: Readonly<RequestCounters>;
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
  readonly code:
    'file' | 'mapping' | 'environment' | 'data_dir' | 'report_path' | 'key_in_identifier' | 'run' | 'changed' | 'nothing_to_do';
  readonly message: string;
}

export interface RunCallbacks {
  /** Every row change, as it happens (batch them before crossing a process boundary). */
  readonly onRow?: (record: Readonly<RowRecord>) => void;
  /** A new run's preparation, before anything is sent: its rows are checked, then its file hashed. */
  readonly onPreparing?: (step: PreparingStep) => void;
  /** What the check against Propexo and the preview found, before anything is written (pre-send.ts). */
  readonly onPreSend?: (report: PreSendReport) => void;
}

export type PreparingStep = 'checking' | 'hashing';

/** How the run core reads a run's file (tests inject readers that count the passes). */
export interface RunFiles {
  /** Opens the file to read its rows (resume, retry, re-check and `prepareSend`). */
  readonly openSource?: PrepareOptions['openSource'];
  /** Reads its bytes for the run's identity. */
  readonly hashFile?: (path: string) => Promise<FileDigest>;
}

/** How a new run goes: where to, how fast, where its folder and reports are. */
export interface StartOptions extends ConnectionOptions, RunCallbacks, RunFiles {
  readonly dataDir: string;
  /** Names the mapping in messages (the CLI's --mapping file). */
  readonly mappingFileName?: string;
  readonly maxRetries?: number;
  readonly backoff?: BackoffPolicy;
  readonly ignoreUnknownFields?: boolean;
  readonly resultsPath?: string;
  readonly errorsPath?: string;
  /** The id the run takes (from the store's `newRunId`: the app answers with it at once); default a new one. */
  readonly runId?: string;
  /** Where rows are looked up (--integration/--property, else the mapping file's): needed when leads are named by x_id/e-mail/phone or ids by names. */
  readonly lookup?: LookupScope;
  /** Read current values first and send only what changes (default: no; the CLI's send: yes unless --no-preview). */
  readonly preview?: boolean;
}

/** A new run of a file not prepared yet (the CLI's send): how to read and map it. */
export interface SendOptions extends StartOptions {
  readonly path: string;
  readonly source?: SourceOptions;
  readonly mappingFile?: MappingFile;
  readonly edits?: readonly CellEdit[];
}

export interface ResumeOptions extends ConnectionOptions, RunCallbacks, RunFiles {
  readonly dataDir: string;
  readonly runId: string;
  readonly backoff?: BackoffPolicy;
  readonly resultsPath?: string;
  readonly errorsPath?: string;
}

/** A run under way. */
export interface LiveRun {
  readonly runId: string;
  /** What the run reads: the rows of the run table and the rows the engine sends come from it. */
  readonly input: RunInput;
  /** Every row of the input, built in the pass that validated it. */
  readonly rows: RunRowIndex;
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

/** The rows checked before a run starts, in one pass: what to send, and the run's row table (where the key is looked for in lead ids). */
type CheckedInput = Pick<InputCheck, 'validation' | 'rows'>;

/** Checks every row in one pass on one thread; `readWatch` sees the bytes read (a new run hashes them). */
async function checkInput(input: RunInput, readWatch?: RowsWatch): Promise<CheckedInput> {
  const builder = new RunRowIndexBuilder(input.prepared.decoder.plan.leadIdIndex);
  const validation = await validatePrepared(input.prepared, {
    path: input.sourceFile.path,
    edits: input.edits,
    onChecked: (row, checked) => builder.add(row, checked),
    ...(readWatch !== undefined ? { readWatch } : {}),
  });
  return { validation, rows: builder.finish() };
}

/**
 * The check the input carries, when it is a check of this very input: the same prepared import
 * (file, reading, mapping) and the same edits object (the app hands over a copy of its fixes
 * made with the check's index, and keeps neither changing).
 */
function carriedCheck(input: RunInput): CheckedInput | undefined {
  const checked = input.checked;
  return checked !== undefined && checked.prepared === input.prepared && checked.edits === input.edits ? checked : undefined;
}

async function* validRows(input: RunInput): AsyncGenerator<readonly EngineRow[]> {
  for await (const batch of decodedRows(input.prepared, input.edits)) {
    const rows: EngineRow[] = [];
    for (const { decoded } of batch) {
      if (decoded.status === 'valid' && decoded.leadId !== null)
        rows.push({ rowNumber: decoded.rowNumber, leadId: decoded.leadId, payload: decoded.payload });
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

export interface Drive {
  readonly handle: RunHandle;
  readonly input: RunInput;
  readonly rows: RunRowIndex;
  readonly validation: ValidationSummary;
  readonly context: RunContext;
  readonly prior: ReadonlyMap<number, RowJournalState>;
  readonly options: RunCallbacks & { backoff?: BackoffPolicy; ignoreUnknownFields?: boolean; resultsPath?: string; errorsPath?: string };
  readonly resumed: boolean;
  /** Follow journaled jobs only; send nothing. */
  readonly followOnly?: boolean;
  /** The rows to send when they are not the input's valid rows (an undo run sends its planned write-backs). */
  readonly engineRows?: AsyncIterable<readonly EngineRow[]>;
  /** A step right before each row's update (an undo reads the lead again there: engine.ts `prepare`). */
  readonly prepare?: PrepareRow;
  /** Writes the run's reports when they are not the input file's (an undo run's are per lead). */
  readonly writeReports?: (
    records: ReadonlyMap<number, Readonly<RowRecord>>,
    paths: { resultsPath?: string; errorsPath?: string },
  ) => Promise<void>;
}

/** The engine's rows: as the file says, or after the check against Propexo and the preview (pre-send.ts). */
function rowsToSend(d: Drive, matchKeys: Map<number, RowMatchKey>, signal: AbortSignal): AsyncIterable<readonly EngineRow[]> {
  const { lookup, preview } = d.handle.header;
  if (d.followOnly && lookup !== undefined) return withMatchedLeads(validRows(d.input), matchesOf(d.handle.entries));
  if (d.followOnly || (lookup === undefined && preview !== true)) return validRows(d.input);
  return preparedSendRows(d.input, d.context, d.handle, {
    lookup,
    preview: preview === true,
    prior: d.prior,
    onReport: d.options.onPreSend,
    matchKeys,
    signal,
  });
}

/** The journal entry that says how a run ended (none when it stopped because the journal failed). */
function endingEntry(
  stop: EngineStop | undefined,
  records: ReadonlyMap<number, Readonly<RowRecord>>,
  counts: RunResult,
): JournalInput | undefined {
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
      ...(counts.unchanged > 0 ? { unchanged: counts.unchanged } : {}),
      ...(counts.notFound > 0 ? { not_found: counts.notFound } : {}),
      ...(counts.ambiguous > 0 ? { ambiguous: counts.ambiguous } : {}),
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

/** The lead id of a row of the table (rows are in file order), by binary search. */
function leadIdAt(rows: RunRowIndex, rowNumber: number): string | undefined {
  let low = 0;
  let high = rows.rowNumbers.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = rows.rowNumbers[mid];
    if (at === rowNumber) return rows.leadIds.at(mid) ?? undefined;
    if (at < rowNumber) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** A re-check of a run that looked its leads up: each row shows the lead it was matched to, not its key. */
async function* withMatchedLeads(
  rows: AsyncIterable<readonly EngineRow[]>,
  matches: ReadonlyMap<number, { readonly leadId: string }>,
): AsyncGenerator<readonly EngineRow[]> {
  for await (const batch of rows) yield batch.map((row) => ({ ...row, leadId: matches.get(row.rowNumber)?.leadId ?? row.leadId }));
}

/** Runs the engine over a created or reopened run and ends it properly whatever happens. */
export function drive(d: Drive): LiveRun {
  const { handle, input, validation, context, prior } = d;
  const progress = new ProgressTracker(context.clock, validation.valid);
  // The key each row was looked up by, for the results file: the journal's, then this run's check.
  const matchKeys = matchKeysOf(handle.entries);
  // Stops the reads before the first write (lookups, current values) when the run is cancelled:
  // the engine's own stop only clears what is queued, and the check would queue more.
  const reads = new AbortController();
  handle.journal.append({ t: 'run_started', resumed: d.resumed });
  const engine: EngineHandle = runEngine(
    {
      client: context.client,
      queue: context.queue,
      budget: context.budget,
      tracker: context.tracker,
      journal: handle.journal,
      clock: context.clock,
    },
    d.engineRows ?? rowsToSend(d, matchKeys, reads.signal),
    {
      prior,
      leadIdOf: (row) => leadIdAt(d.rows, row),
      followOnly: d.followOnly,
      prepare: d.prepare,
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
      await (d.writeReports
        ? d.writeReports(engine.records, paths)
        : writeRunReports(input.prepared, engine.records, paths, input.edits, matchKeys));
    } catch (error) {
      // The run is over and saved; a report that cannot be written must not hide its summary.
      const message = error instanceof Error ? error.message : String(error);
      return resultOf(handle.runId, validation, engine.records, context, {}, stop, lost, message);
    }
    return resultOf(handle.runId, validation, engine.records, context, paths, stop, lost);
  })();

  return {
    runId: handle.runId,
    input,
    rows: d.rows,
    validation,
    records: engine.records,
    progress: () =>
      progress.snapshot(handle.runId, context.counters, engine.paused, engine.paused && state === 'running' ? 'paused' : state),
    pause: () => engine.pause(),
    resume: () => engine.resume(),
    cancel: () => {
      reads.abort();
      engine.cancel();
    },
    abandon: (reason) => {
      reads.abort();
      engine.abandon(reason);
    },
    done,
  };
}

/** Paths a run stores that must not hold the key, and report paths that must be writable. */
async function checkPaths(options: StartOptions, input: string): Promise<RunError | undefined> {
  const keyInPath = keyInPaths(options.token, [
    ['data folder', options.dataDir],
    ['input file', input],
    ['results file', options.resultsPath],
    ['error report', options.errorsPath],
    ['mapping file', options.mappingFileName],
  ]);
  if (keyInPath !== undefined) return { code: 'key_in_identifier', message: keyInPath };
  const reportPaths = await checkReportPaths(reportTargets(options));
  if (E.isLeft(reportPaths)) return { code: 'report_path', message: reportPaths.left };
  return undefined;
}

/**
 * A file that changed since its input was prepared (the desktop's check) is not sent: the
 * person reviewed other rows. Size and modification time tell, without reading the file.
 */
export async function changedSincePrepared(file: SourceFileIdentity): Promise<RunError | undefined> {
  if (file.size === undefined && file.mtimeMs === undefined) return undefined;
  let now: { readonly size: number; readonly mtimeMs: number };
  try {
    now = await stat(file.path);
  } catch (error) {
    return { code: 'file', message: `Cannot read ${file.path}: ${describeFsError(error)}.` };
  }
  if ((file.size === undefined || now.size === file.size) && (file.mtimeMs === undefined || now.mtimeMs === file.mtimeMs)) return undefined;
  return changedSinceChecked(file.path);
}

const changedSinceChecked = (path: string): RunError => ({
  code: 'changed',
  message: `${path} changed on disk since it was checked: check it again before sending.`,
});

/**
 * Opens and maps a file for a new run, as `lead-import send` does: its paths are checked first
 * (a path holding the key must not reach a message), then the file is prepared once.
 */
export async function prepareSend(options: SendOptions): Promise<E.Either<RunError, RunInput>> {
  const refused = await checkPaths(options, options.path);
  if (refused !== undefined) return E.left(refused);
  const prepared = await prepareImport(options);
  if (E.isLeft(prepared))
    return E.left({
      code: prepared.left.code === 'no_lead_id' || prepared.left.code === 'mapping' ? 'mapping' : 'file',
      message: prepared.left.message,
    });
  return E.right({
    prepared: prepared.right,
    edits: editsByRow(prepared.right.source.header, options.edits ?? []),
    sourceFile: { path: options.path },
    ...(options.source?.maxWorkbookMb !== undefined ? { maxWorkbookMb: options.source.maxWorkbookMb } : {}),
  });
}

/** `prepareSend`, then `startSend`: a new run of a file by its path. */
export async function sendFile(options: SendOptions): Promise<E.Either<RunError, LiveRun>> {
  const input = await prepareSend(options);
  return E.isLeft(input) ? input : startSend(input.right, options);
}

/**
 * Starts a new run of a prepared import. Before the first request the file is read twice. An
 * input that carries its check (the app's review) is hashed (the run's identity), then sent. An
 * input that does not (the CLI) is checked in one pass (the counts, the run's row table) that
 * also hashes the bytes it reads, then sent; a workbook is read in parts, not in byte order, so
 * it is hashed on its own (three reads). A Left means nothing was sent (and, but for `run`,
 * nothing written).
 */
export async function startSend(input: RunInput, options: StartOptions): Promise<E.Either<RunError, LiveRun>> {
  const path = input.sourceFile.path;
  const refused = await checkPaths(options, path);
  if (refused !== undefined) return E.left(refused);
  const header = input.prepared.source.header;
  const edits = editList(header, input.edits);
  const keyInEdit = keyInEdits(options.token, path, edits);
  if (keyInEdit !== undefined) return E.left({ code: 'key_in_identifier', message: keyInEdit });
  const changed = await changedSincePrepared(input.sourceFile);
  if (changed !== undefined) return E.left(changed);
  const carried = carriedCheck(input);
  // The check reads the file on one thread from its start: its bytes are hashed as they are read.
  const read = carried === undefined ? new DigestOfRead() : undefined;
  if (carried === undefined) options.onPreparing?.('checking');
  const { validation, rows } = carried ?? (await checkInput(input, read));
  if (validation.valid === 0)
    return E.left({
      code: 'nothing_to_do',
      message: `${path}: no valid row to send (${validation.invalid} invalid, ${validation.skipped} skipped). Run "lead-import validate" to see why.`,
    });
  const keyInLead = keyInLeadIds(options.token, path, input.prepared, rows);
  if (keyInLead !== undefined) return E.left({ code: 'key_in_identifier', message: keyInLead });
  const noScope = scopeRefusal(input.prepared, options.lookup);
  if (noScope !== undefined) return E.left({ code: 'mapping', message: `${path}: ${noScope}` });

  const writable = await ensureWritable(options.dataDir);
  if (E.isLeft(writable)) return E.left({ code: 'data_dir', message: writable.left.message });

  const contextResult = await openRunContext(options);
  if (E.isLeft(contextResult)) return E.left({ code: 'environment', message: contextResult.left });
  const context = contextResult.right;

  const backoff = options.backoff ?? backoffWithRetries(options.maxRetries ?? defaultMaxRetries);
  let handle: RunHandle;
  try {
    // Hashed already when the check read the file; otherwise (a check carried from the review) now.
    if (read === undefined) options.onPreparing?.('hashing');
    const digest = (await read?.digest(path)) ?? (await (options.hashFile ?? hashFile)(path));
    if (input.sourceFile.size !== undefined && digest.size !== input.sourceFile.size) {
      await context.close();
      return E.left(changedSinceChecked(path));
    }
    const source = input.prepared.source;
    const store = createRunStore(options.dataDir, { secrets: options.token ? [options.token] : [] });
    handle = await store.create(
      {
        file: {
          path,
          name: basename(path),
          sha256: digest.sha256,
          size: digest.size,
          format: source.format,
          ...pinnedOptions(source),
          ...(input.maxWorkbookMb !== undefined ? { maxWorkbookMb: input.maxWorkbookMb } : {}),
        },
        mapping: toMappingFile(input.prepared.mapping),
        environment: { name: environmentName(options.environment), baseUrl: context.baseUrl },
        options: {
          concurrency: options.concurrency ?? defaultConcurrency,
          rate: options.rate ?? defaultRate,
          maxAttempts: backoff.maxRetries + 1,
          pendingTimeoutMs: options.pendingTimeoutMs ?? defaultPendingTimeoutMs,
          ignoreUnknownFields: options.ignoreUnknownFields ?? false,
        },
        counts: { rows: validation.rows, valid: validation.valid, invalid: validation.invalid, skipped: validation.skipped },
        edits,
        ...(lookupNeeded(input.prepared) && options.lookup !== undefined ? { lookup: options.lookup } : {}),
        ...(options.preview === true ? { preview: true } : {}),
      },
      options.runId,
    );
  } catch (error) {
    await context.close();
    return E.left({ code: 'run', message: error instanceof Error ? error.message : String(error) });
  }
  return E.right(
    drive({
      handle,
      input,
      rows,
      validation,
      context,
      prior: new Map(),
      resumed: false,
      options: { ...options, backoff },
    }),
  );
}

interface Reopened {
  readonly handle: RunHandle;
  readonly input: RunInput;
  readonly rows: RunRowIndex;
  readonly validation: ValidationSummary;
  readonly context: RunContext;
}

/** The paths of a run made from a stored one (continued, or undone): the key in none, the reports writable. */
export async function checkStoredRunPaths(
  options: Pick<ResumeOptions, 'token' | 'dataDir' | 'resultsPath' | 'errorsPath'>,
): Promise<RunError | undefined> {
  const keyInPath = keyInPaths(options.token, [
    ['data folder', options.dataDir],
    ['results file', options.resultsPath],
    ['error report', options.errorsPath],
  ]);
  if (keyInPath !== undefined) return { code: 'key_in_identifier', message: keyInPath };
  const reportPaths = await checkReportPaths(reportTargets(options));
  if (E.isLeft(reportPaths)) return { code: 'report_path', message: reportPaths.left };
  return undefined;
}

/**
 * Opens stored run `options.runId` to continue it (resume, retry, re-check, an undo's resume),
 * its paths checked first: the key in none, the reports writable. A Left has opened nothing.
 */
export async function openStoredRun(options: ResumeOptions): Promise<E.Either<RunError, RunHandle>> {
  const paths = await checkStoredRunPaths(options);
  if (paths !== undefined) return E.left(paths);
  const store = createRunStore(options.dataDir, { secrets: options.token ? [options.token] : [] });
  const opened = await store.open(options.runId);
  if (E.isLeft(opened)) return E.left({ code: 'run', message: opened.left.message });
  return E.right(opened.right);
}

/** The connection a stored run continues on: its recorded environment (or the one given), its concurrency, rate and pending timeout unless given. */
export async function contextForRun(header: RunHeader, options: ConnectionOptions): Promise<E.Either<RunError, RunContext>> {
  const environment = serverForRun(header, options.environment);
  if (E.isLeft(environment)) return E.left({ code: 'environment', message: environment.left });
  const context = await openRunContext({
    ...options,
    environment: environment.right,
    concurrency: options.concurrency ?? header.options.concurrency,
    rate: options.rate ?? header.options.rate,
    pendingTimeoutMs: options.pendingTimeoutMs ?? header.options.pendingTimeoutMs,
  });
  return E.isLeft(context) ? E.left({ code: 'environment', message: context.left }) : context;
}

/** Opens a run again: same file (unchanged, unless `allowChangedFile`), same mapping, same environment. */
async function reopen(options: ResumeOptions, allowChangedFile: boolean): Promise<E.Either<RunError, Reopened>> {
  const opened = await openStoredRun(options);
  if (E.isLeft(opened)) return opened;
  const handle = opened.right;
  const fail = async (error: RunError): Promise<E.Either<RunError, Reopened>> => {
    await handle.close().catch(() => undefined);
    return E.left(error);
  };
  const header = handle.header;
  // An undo run's rows are its planned write-backs, not its file's: app/undo/undo-run.ts continues it.
  if (header.undoOf !== undefined)
    return fail({
      code: 'run',
      message: `Run ${handle.runId} undoes run ${header.undoOf}: continue it with "lead-import resume ${handle.runId}" (it cannot be retried or re-checked as a file run).`,
    });
  if (!allowChangedFile) {
    const unchanged = await checkUnchanged(header.file, handle.runId);
    if (E.isLeft(unchanged)) return fail({ code: 'changed', message: unchanged.left.message });
  }
  const input = await prepareFromHeader(header, options.openSource);
  if (E.isLeft(input)) return fail(input.left);
  // retry reads the file as it is now: a lead id may have changed since the run started.
  const { validation, rows } = await checkInput(input.right);
  const keyInLead = keyInLeadIds(options.token, header.file.path, input.right.prepared, rows);
  if (keyInLead !== undefined) return fail({ code: 'key_in_identifier', message: keyInLead });
  const context = await contextForRun(header, options);
  if (E.isLeft(context)) return fail(context.left);
  return E.right({ handle, input: input.right, rows, validation, context: context.right });
}

/** Continues an interrupted run: accepted rows are never sent again, their jobs are followed. */
export async function resumeSend(options: ResumeOptions): Promise<E.Either<RunError, LiveRun>> {
  const reopened = await reopen(options, false);
  if (E.isLeft(reopened)) return reopened;
  const { handle, input, rows, validation, context } = reopened.right;
  return E.right(
    drive({
      handle,
      input,
      rows,
      validation,
      context,
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
export function followPending(states: ReadonlyMap<number, RowJournalState>): Map<number, RowJournalState> {
  const prior = new Map<number, RowJournalState>();
  for (const [row, state] of states)
    prior.set(row, state.last.t === 'pending' && state.jobId !== undefined ? { ...state, next: 'poll' } : state);
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
  const { handle, context, rows } = reopened.right;
  const states = foldRowStates(handle.entries);
  const { leadOfRow, currentLead } = leadsToCompare(handle, reopened.right.input, rows);
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
    } else if (last.t === 'unmatched') {
      // Looked up again in the file as it is now (a Propexo id typed in, a name corrected).
      const entry = { t: 'requeued' as const, row, reason: `retry of a ${last.outcome.replace('_', ' ')} row`, at: context.clock.now() };
      handle.journal.append(entry);
      prior.set(row, { ...state, last: entry, attempts: 0, next: 'send' });
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
    drive({
      ...reopened.right,
      prior,
      resumed: true,
      options: { ...options, ignoreUnknownFields: handle.header.options.ignoreUnknownFields },
    }),
  );
}

/**
 * What retry compares to tell a row still updates the same lead: the lead id sent and the one
 * the file holds now, or, for a run that looks leads up, the key matched and the key now.
 */
function leadsToCompare(
  handle: RunHandle,
  input: RunInput,
  rows: RunRowIndex,
): { leadOfRow: Map<number, string>; currentLead: Map<number, string> } {
  const currentLead = new Map<number, string>();
  const kind = handle.header.lookup === undefined ? 'lead_id' : leadKeyKindOf(input.prepared);
  // The run's row table has every row's lead cell as the file is now (read once, in reopen).
  for (let i = 0; i < rows.rowNumbers.length; i++) {
    const cell = rows.leadIds.at(i) ?? null;
    const key = kind === 'lead_id' ? cell : leadKeyOf(kind, cell);
    if (key !== null && rows.status[i] === VALID) currentLead.set(rows.rowNumbers[i], key);
  }
  if (kind === 'lead_id') return { leadOfRow: leadIdsFromJournal(handle.entries), currentLead };
  const leadOfRow = new Map<number, string>();
  for (const [row, match] of matchesOf(handle.entries)) leadOfRow.set(row, match.key);
  return { leadOfRow, currentLead };
}

function leadIdsFromJournal(entries: readonly JournalEntry[]): Map<number, string> {
  const leads = new Map<number, string>();
  for (const entry of entries) if (entry.t === 'sent') leads.set(entry.row, entry.leadId);
  return leads;
}
