// Runs seen by this app: the live ones (started, resumed, re-checked or retried here) and past
// ones opened from history, by run id. A live run's row changes go through a batcher to
// 'run:update' (at most one message per `batchIntervalMs`, each changed row once with its
// latest state); when it ends, the last changes, then 'run:finished' with the summary.
// The journal is the truth for past runs: their rows are rebuilt from it and from their file.
import { basename, resolve } from 'node:path';
import * as E from 'fp-ts/Either';
import { BridgeError } from '../contract-kit.ts';
import { CREDENTIAL_ENVIRONMENTS, type CredentialEnvironment } from '../contract.ts';
import { parseMappingFile } from '../mapping/mapping-file.ts';
import { resolveBaseUrl } from '../propexo/base-url.ts';
import { prepareImport, type PreparedImport } from '../validate/prepare-import.ts';
import type { CellEdits } from '../validate/decoded-rows.ts';
import { checkUnchanged } from '../run/file-hash.ts';
import { foldRowStates, type JournalEntry } from '../run/journal-entry.ts';
import type { RowRecord } from '../run/row-record.ts';
import type { ConnectionOptions } from '../run/run-context.ts';
import { sourceOptionsOfRun, type RunHeader } from '../run/run-header.ts';
import { writeRunReports } from '../run/run-reports.ts';
import { createRunStore } from '../run/run-store.ts';
import { editsByRow, recheckRun, resumeSend, retryRun, startSend, type LiveRun, type RunCallbacks, type RunError } from '../run/send-run.ts';
import { createBatcher, type Batcher } from './batcher.ts';
import { ENVIRONMENT_LABEL, failed, messageOf } from './desktop-errors.ts';
import type { DesktopEventSender } from './events.ts';
import type { Imports } from './imports.ts';
import { indexFromJournal, indexRunRows, matches, recordsFromJournal, stateAt, type RunRowIndex } from './run-rows.ts';
import { listItem, pastProgress, progressView, recordView, rowView, stoppedReasonOf, summarizeRows, summaryView } from './run-views.ts';
import type { EnvironmentChoice, ProductionConfirmation, RowPage, RunFilter, RunListItem, RunProgressView, RunRowView, RunSummaryView } from './views.ts';

export interface RunDeps {
  readonly dataDir: string;
  readonly getToken: (environment: CredentialEnvironment) => Promise<string | undefined>;
  readonly connection: Partial<ConnectionOptions>;
  /** Where sandbox/production requests go instead of Propexo's servers (tests, the e2e harness). */
  readonly servers: Partial<Record<CredentialEnvironment, string>>;
  readonly batchIntervalMs: number;
  readonly emit: DesktopEventSender;
  readonly imports: Imports;
  /**
   * Asks the person, outside the page, before anything is written to Production (main: a native
   * modal dialog). Resolves true only for an explicit yes.
   */
  readonly confirmProduction: (request: ProductionConfirmation) => Promise<boolean>;
}

interface RunEntry {
  readonly runId: string;
  readonly index: RunRowIndex;
  /** The run's file as the run reads it; null when it is gone or changed (then `fileProblem` says so). */
  readonly prepared: PreparedImport | null;
  readonly fileProblem: string | null;
  readonly edits: CellEdits;
  readonly importId: string | null;
  readonly live: LiveRun | null;
  readonly batcher: Batcher<number, Readonly<RowRecord>> | null;
  readonly records: ReadonlyMap<number, Readonly<RowRecord>>;
  /** A live run's summary once it has ended; a past run's summary. */
  summary: RunSummaryView | null;
  /** The state of a past run (an interrupted run shows as stopped, with the reason). */
  readonly pastState: RunProgressView['state'];
  stoppedReason: string | null;
  /** Resolves once a live run has ended and 'run:finished' was sent. */
  ended: Promise<void>;
  /** Filtered row indexes of a run that has ended (its rows no longer change). */
  readonly filterCache: Map<RunFilter, Int32Array>;
}

/** Runs that have ended kept at hand (each holds its rows); the oldest are read again if asked. */
const KEEP_ENDED_RUNS = 6;


/** Asks before writing to Production; a no (or no way to ask) stops here, before anything is sent. */
async function confirmed(deps: Pick<RunDeps, 'confirmProduction'>, request: ProductionConfirmation): Promise<void> {
  let yes = false;
  try {
    yes = (await deps.confirmProduction(request)) === true;
  } catch {
    yes = false;
  }
  if (!yes) throw new BridgeError('cancelled', 'Nothing was sent: sending to Production was not confirmed.');
}

interface RunConnection {
  readonly environment: string;
  readonly token?: string;
  readonly keyOf: CredentialEnvironment | null;
}

const isEnded = (entry: RunEntry): boolean => (entry.live === null ? entry.pastState !== 'running' : entry.summary !== null);

export function createRuns(deps: RunDeps) {
  const runs = new Map<string, RunEntry>();
  const opening = new Map<string, Promise<RunEntry>>();
  /** Imports and runs being started right now (a double click must not send twice). */
  const starting = new Set<string>();
  /** Starts under way, so closing can wait for them and cancel what they start. */
  const launching = new Set<Promise<unknown>>();
  let closed = false;

  function remember(entry: RunEntry): void {
    runs.delete(entry.runId);
    runs.set(entry.runId, entry);
    const ended = [...runs.values()].filter((e) => isEnded(e) && e !== entry);
    for (const old of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED_RUNS))) runs.delete(old.runId);
  }

  async function tokenFor(environment: CredentialEnvironment): Promise<string> {
    const key = await deps.getToken(environment);
    if (key === undefined || key === '') throw failed(`No API key for ${ENVIRONMENT_LABEL[environment]}: add it in Send settings, then start again.`);
    return key;
  }

  /**
   * Where a run goes, and with which key. `keyOf` names the stored key it uses: a run with the
   * Production key writes to Production, whatever server it is pointed at.
   */
  async function connectionFor(environment: EnvironmentChoice): Promise<RunConnection> {
    if (environment === 'practice') return { environment: 'practice', keyOf: null };
    return { environment: deps.servers[environment] ?? environment, token: await tokenFor(environment), keyOf: environment };
  }

  /** The key for continuing a run, from the environment its header names. */
  async function connectionOfRun(header: RunHeader): Promise<RunConnection> {
    const name = header.environment.name;
    if (name !== 'custom') return connectionFor(name);
    // A server the app was pointed at in place of Sandbox or Production (tests, the e2e harness).
    for (const environment of CREDENTIAL_ENVIRONMENTS) {
      const server = deps.servers[environment];
      const resolved = server === undefined ? undefined : resolveBaseUrl(server);
      if (resolved !== undefined && E.isRight(resolved) && resolved.right === header.environment.baseUrl) {
        return { environment: header.environment.baseUrl, token: await tokenFor(environment), keyOf: environment };
      }
    }
    throw failed(
      `Run ${header.runId} was sent to ${header.environment.baseUrl}, a server this app holds no key for: continue it from the command line (lead-import resume ${header.runId}).`,
    );
  }

  async function prepareFromHeader(header: RunHeader): Promise<{ readonly prepared: PreparedImport; readonly edits: CellEdits }> {
    const mapping = parseMappingFile(JSON.stringify(header.mapping), `run ${header.runId} mapping`);
    if (E.isLeft(mapping)) throw failed(mapping.left.join('\n'));
    const prepared = await prepareImport({ path: header.file.path, source: sourceOptionsOfRun(header.file), mappingFile: mapping.right });
    if (E.isLeft(prepared)) throw failed(prepared.left.message);
    return { prepared: prepared.right, edits: editsByRow(prepared.right.source.header, header.edits) };
  }

  const liveProgress = (entry: RunEntry, live: LiveRun): RunProgressView => progressView(live.progress(), entry.index, entry.stoppedReason);

  /** Starts a run through the core and follows it: events while it runs, the summary at the end. */
  async function launch(
    setup: { readonly index: RunRowIndex; readonly prepared: PreparedImport; readonly edits: CellEdits; readonly importId: string | null },
    start: (callbacks: RunCallbacks) => Promise<E.Either<RunError, LiveRun>>,
  ): Promise<RunEntry> {
    /** Set once the core has given the run its id. */
    const known: { entry?: RunEntry } = {};
    const batcher: Batcher<number, Readonly<RowRecord>> = createBatcher<number, Readonly<RowRecord>>({
      wait: deps.batchIntervalMs,
      process: (records) => {
        const entry = known.entry;
        if (entry?.live == null) {
          // Changes before the run's id is known (never seen, but never lost either).
          for (const record of records) batcher.add(record.row, record);
          return;
        }
        deps.emit('run:update', { runId: entry.runId, rows: records.map(recordView), progress: liveProgress(entry, entry.live) });
      },
    });
    let started: E.Either<RunError, LiveRun>;
    const beginning = start({ onRow: (record) => batcher.add(record.row, record) });
    launching.add(beginning);
    try {
      started = await beginning;
    } catch (error) {
      batcher.close();
      throw failed(messageOf(error));
    } finally {
      launching.delete(beginning);
    }
    if (E.isLeft(started)) {
      batcher.close();
      throw failed(started.left.message);
    }
    const live = started.right;
    const created: RunEntry = {
      runId: live.runId,
      ...setup,
      fileProblem: null,
      live,
      batcher,
      records: live.records,
      summary: null,
      pastState: 'running',
      stoppedReason: null,
      ended: Promise.resolve(),
      filterCache: new Map(),
    };
    known.entry = created;
    remember(created);
    // The service closed while the run was being created: it stops at once (and stays resumable).
    if (closed) live.cancel();
    created.ended = live.done
      .then(
        (summary) => {
          created.stoppedReason = stoppedReasonOf(summary);
          created.summary = summaryView(summary);
        },
        (error: unknown) => {
          created.stoppedReason = `The run ended unexpectedly: ${messageOf(error)}`;
          created.summary = summarizeRows(created.runId, created.index, created.records, created.stoppedReason);
        },
      )
      .then(async () => {
        // The last changes and the final progress, then the summary.
        batcher.touch();
        await batcher.flushAndWait();
        batcher.close();
        if (created.summary !== null) deps.emit('run:finished', { runId: created.runId, summary: created.summary });
      });
    return created;
  }

  async function openPast(runId: string): Promise<RunEntry> {
    const read = await createRunStore(deps.dataDir).read(runId);
    if (E.isLeft(read)) throw failed(read.left.message);
    const { header, entries, state } = read.right;
    const states = foldRowStates(entries);
    let prepared: PreparedImport | null = null;
    let edits: CellEdits = new Map();
    let index: RunRowIndex | null = null;
    let fileProblem: string | null = null;
    const unchanged = await checkUnchanged(header.file, runId);
    if (E.isRight(unchanged)) {
      try {
        ({ prepared, edits } = await prepareFromHeader(header));
        index = await indexRunRows(prepared, edits);
      } catch (error) {
        prepared = null;
        fileProblem = messageOf(error);
      }
    } else {
      fileProblem =
        unchanged.left.kind === 'changed'
          ? `${header.file.path} changed since the run: its reports need the file as the run read it.`
          : unchanged.left.kind === 'missing'
            ? `${header.file.path}, the run's file, is missing: its reports need it.`
            : unchanged.left.message;
    }
    index ??= indexFromJournal(states, entries, header.counts);
    const records = recordsFromJournal(index, states, entries);
    const stoppedReason =
      state === 'stopped'
        ? (lastStopReason(entries) ?? 'The run stopped early.')
        : state === 'interrupted'
          ? 'The app stopped before this run finished: resume it to send the rest.'
          : null;
    const pastState: RunProgressView['state'] = state === 'interrupted' ? 'stopped' : state;
    const entry: RunEntry = {
      runId,
      index,
      prepared,
      fileProblem,
      edits,
      importId: null,
      live: null,
      batcher: null,
      records,
      summary: pastState === 'running' ? null : summarizeRows(runId, index, records, stoppedReason),
      pastState,
      stoppedReason,
      ended: Promise.resolve(),
      filterCache: new Map(),
    };
    // Started here meanwhile (resume, retry): the live entry wins.
    const current = runs.get(runId);
    if (current !== undefined) return current;
    // A run another process is sending changes under our feet: read it afresh each time.
    if (pastState !== 'running') remember(entry);
    return entry;
  }

  /** A run of this app, or a past one read from its journal (and kept for the next requests). */
  function entryFor(runId: string): Promise<RunEntry> {
    const known = runs.get(runId);
    if (known !== undefined) return Promise.resolve(known);
    let pending = opening.get(runId);
    if (pending === undefined) {
      pending = openPast(runId).finally(() => opening.delete(runId));
      opening.set(runId, pending);
    }
    return pending;
  }

  function liveEntry(runId: string, action: string): RunEntry & { readonly live: LiveRun; readonly batcher: Batcher<number, Readonly<RowRecord>> } {
    const entry = runs.get(runId);
    if (entry === undefined || entry.live === null || entry.batcher === null) throw failed(`Run ${runId} is not running in this window: nothing to ${action}.`);
    if (entry.summary !== null) throw failed(`Run ${runId} has already ended: nothing to ${action}.`);
    return entry as RunEntry & { readonly live: LiveRun; readonly batcher: Batcher<number, Readonly<RowRecord>> };
  }

  function summaryOf(entry: RunEntry): RunSummaryView {
    return entry.summary ?? summarizeRows(entry.runId, entry.index, entry.records, entry.stoppedReason);
  }

  async function exportReport(runId: string, path: string, kind: 'results' | 'errors'): Promise<{ readonly path: string }> {
    const what = kind === 'results' ? 'results' : 'error report';
    const entry = await entryFor(runId);
    if (!isEnded(entry)) throw failed(`Run ${runId} is still going: export its ${what} when it has ended (or cancel it).`);
    if (entry.prepared === null) throw failed(`Cannot write the ${what} of run ${runId}: ${entry.fileProblem ?? 'its file cannot be read.'}`);
    const target = resolve(path);
    try {
      await writeRunReports(entry.prepared, entry.records, kind === 'results' ? { resultsPath: target } : { errorsPath: target }, entry.edits);
    } catch (error) {
      throw failed(messageOf(error));
    }
    return { path: target };
  }

  /** Resume, re-check or retry a run that is not going: same run id, journal continued. */
  async function relaunch(runId: string, kind: 'resume' | 'recheck' | 'retry'): Promise<{ readonly runId: string }> {
    const known = runs.get(runId);
    if (known !== undefined && !isEnded(known)) throw failed(`Run ${runId} is still going: let it end (or cancel it) first.`);
    if (starting.has(runId)) throw failed(`Run ${runId} is already being started.`);
    starting.add(runId);
    try {
      const read = await createRunStore(deps.dataDir).read(runId);
      if (E.isLeft(read)) throw failed(read.left.message);
      const { header, state, lock } = read.right;
      if (state === 'running') {
        throw failed(`Run ${runId} is in use by another Lead Importer or lead-import process${lock ? ` (process ${lock.pid})` : ''}: let it finish first.`);
      }
      if (kind === 'resume' && state === 'finished') {
        throw failed(`Run ${runId} has finished: there is nothing to resume. Retry its failed rows, or re-check its pending jobs.`);
      }
      const { keyOf, ...connection } = await connectionOfRun(header);
      // Re-checking only reads job statuses; resuming and retrying write.
      if (keyOf === 'production' && kind !== 'recheck') await confirmed(deps, { action: kind, runId, fileName: basename(header.file.path), rows: null });
      const { prepared, edits } = await prepareFromHeader(header);
      const index = await indexRunRows(prepared, edits);
      const operation = kind === 'resume' ? resumeSend : kind === 'recheck' ? recheckRun : retryRun;
      const entry = await launch({ index, prepared, edits, importId: null }, (callbacks) =>
        operation({ ...deps.connection, ...connection, dataDir: deps.dataDir, runId, ...callbacks }),
      );
      return { runId: entry.runId };
    } finally {
      starting.delete(runId);
    }
  }

  async function start(arg: {
    readonly importId: string;
    readonly environment: EnvironmentChoice;
    readonly concurrency: number;
    readonly rate: number;
  }): Promise<{ readonly runId: string }> {
    const material = deps.imports.forRun(arg.importId);
    for (const entry of runs.values()) {
      if (entry.importId === arg.importId && !isEnded(entry)) {
        throw failed(`A run of ${material.fileName} is already going (run ${entry.runId}): let it end or cancel it first.`);
      }
    }
    if (starting.has(arg.importId)) throw failed(`A run of ${material.fileName} is already being started.`);
    starting.add(arg.importId);
    try {
      const { keyOf, ...connection } = await connectionFor(arg.environment);
      const index = await indexRunRows(material.prepared, material.cellEdits);
      if (keyOf === 'production') await confirmed(deps, { action: 'start', runId: null, fileName: material.fileName, rows: index.counts.valid });
      const entry = await launch({ index, prepared: material.prepared, edits: material.cellEdits, importId: arg.importId }, (callbacks) =>
        startSend({
          ...deps.connection,
          ...connection,
          path: material.path,
          source: material.sourceOptions,
          mappingFile: material.mappingFile,
          mappingFileName: 'the mapping',
          dataDir: deps.dataDir,
          edits: material.edits,
          concurrency: arg.concurrency,
          rate: arg.rate,
          ...callbacks,
        }),
      );
      return { runId: entry.runId };
    } finally {
      starting.delete(arg.importId);
    }
  }

  async function rows(arg: { readonly runId: string; readonly filter: RunFilter; readonly offset: number; readonly limit: number }): Promise<RowPage<RunRowView>> {
    const entry = await entryFor(arg.runId);
    const ended = isEnded(entry);
    const { index, records } = entry;
    let matching: Int32Array | null = null;
    if (arg.filter !== 'all') {
      matching = ended ? (entry.filterCache.get(arg.filter) ?? null) : null;
      if (matching === null) {
        const found: number[] = [];
        for (let i = 0; i < index.rowNumbers.length; i++) if (matches(arg.filter, stateAt(index, i, records, ended))) found.push(i);
        matching = Int32Array.from(found);
        if (ended) entry.filterCache.set(arg.filter, matching);
      }
    }
    const total = matching === null ? index.rowNumbers.length : matching.length;
    const page: RunRowView[] = [];
    for (let k = arg.offset; k < Math.min(total, arg.offset + arg.limit); k++) page.push(rowView(index, matching === null ? k : matching[k], records, ended));
    return { total, offset: arg.offset, rows: page };
  }

  return {
    start,
    rows,
    async progress(arg: { readonly runId: string }): Promise<RunProgressView> {
      const entry = await entryFor(arg.runId);
      if (entry.live !== null) return liveProgress(entry, entry.live);
      return pastProgress(entry.runId, entry.index, entry.records, entry.pastState, entry.stoppedReason);
    },
    pause(arg: { readonly runId: string }): void {
      const entry = liveEntry(arg.runId, 'pause');
      entry.live.pause();
      entry.batcher.touch();
    },
    resume(arg: { readonly runId: string }): void {
      const entry = liveEntry(arg.runId, 'resume');
      entry.live.resume();
      entry.batcher.touch();
    },
    cancel(arg: { readonly runId: string }): void {
      const entry = liveEntry(arg.runId, 'cancel');
      entry.live.cancel();
      entry.batcher.touch();
    },
    exportResults: (arg: { readonly runId: string; readonly path: string }) => exportReport(arg.runId, arg.path, 'results'),
    exportErrors: (arg: { readonly runId: string; readonly path: string }) => exportReport(arg.runId, arg.path, 'errors'),
    retry: (arg: { readonly runId: string }) => relaunch(arg.runId, 'retry'),
    resumeInterrupted: (arg: { readonly runId: string }) => relaunch(arg.runId, 'resume'),
    recheck: (arg: { readonly runId: string }) => relaunch(arg.runId, 'recheck'),
    async list(): Promise<readonly RunListItem[]> {
      try {
        return (await createRunStore(deps.dataDir).list()).runs.map(listItem);
      } catch (error) {
        throw failed(messageOf(error));
      }
    },
    async open(arg: { readonly runId: string }): Promise<RunSummaryView> {
      return summaryOf(await entryFor(arg.runId));
    },
    /** Cancels every live run (their journals keep them resumable) and waits for them to end. */
    async closeAll(): Promise<void> {
      closed = true;
      await Promise.allSettled([...launching]);
      const live = [...runs.values()].filter((entry) => entry.live !== null && entry.summary === null);
      for (const entry of live) entry.live?.cancel();
      await Promise.all(live.map((entry) => entry.ended.catch(() => undefined)));
    },
  };
}

export type Runs = ReturnType<typeof createRuns>;

function lastStopReason(entries: readonly JournalEntry[]): string | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.t === 'stopped') return entry.reason;
  }
  return undefined;
}
