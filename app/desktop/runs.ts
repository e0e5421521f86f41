// Runs seen by this app, as the desktop service offers them: start one from a checked import,
// resume, re-check or retry one, page through its rows, export its reports. Live runs are
// followed in live-runs.ts, past ones read from their journal in past-runs.ts; run-registry.ts
// keeps both, and what is being opened or started.
import { basename, resolve } from 'node:path';
import * as E from 'fp-ts/Either';
import { BridgeError } from '../shared/contract-kit.ts';
import { CREDENTIAL_ENVIRONMENTS, type CredentialEnvironment } from '../shared/contract.ts';
import { resolveBaseUrl } from '../propexo/base-url.ts';
import { startPracticeThread, type ConnectionOptions } from '../run/run-context.ts';
import type { PracticeServer, PracticeThread } from '../simulator/practice-thread.ts';
import type { RunHeader } from '../run/run-header.ts';
import type { RowTotals } from '../shared/outcomes.ts';
import { createRunStore } from '../run/run-store.ts';
import { countRun } from '../shared/outcomes.ts';
import { changedSincePrepared, recheckRun, retryRun, startSend, type PreparingStep, type RunFiles } from '../run/send-run.ts';
import { planUndoRun, resumeAnyRun, startUndo } from '../undo/undo-run.ts';
import { ENVIRONMENT_LABEL, failed, messageOf } from './desktop-errors.ts';
import type { DesktopEventSender } from './events.ts';
import type { Imports } from './imports.ts';
import { launch, liveEntry, liveProgress, type LiveRunDeps } from './live-runs.ts';
import { openPast } from './past-runs.ts';
import { exportRunReport } from './run-exports.ts';
import { createRunRegistry, isEnded, type LiveEntry, type RunEntry } from './run-registry.ts';
import { matches, stateAt } from './run-rows.ts';
import { listItem, pastProgress, rowView, summarizeRows, unsentProgress } from './run-views.ts';
import { undoPlanView } from './undo-views.ts';
import type {
  EnvironmentChoice,
  ProductionConfirmation,
  RowPage,
  RunFilter,
  RunListItem,
  RunProgressView,
  RunRowView,
  RunSummaryView,
  UndoPlanView,
} from '../shared/views.ts';

export interface RunDeps {
  readonly dataDir: string;
  readonly getToken: (environment: CredentialEnvironment) => Promise<string | undefined>;
  readonly connection: Partial<ConnectionOptions>;
  /** Where sandbox/production requests go instead of Propexo's servers (tests, the e2e harness). */
  readonly servers: Partial<Record<CredentialEnvironment, string>>;
  readonly batchIntervalMs: number;
  readonly emit: DesktopEventSender;
  readonly imports: Pick<Imports, 'forRun'>;
  /** How the run core reads the file's bytes (tests count the reads). */
  readonly files?: RunFiles;
  /**
   * Asks the person, outside the page, before anything is written to Production (main: a native
   * modal dialog). Resolves true only for an explicit yes.
   */
  readonly confirmProduction: (request: ProductionConfirmation) => Promise<boolean>;
  /** What the import's check against Propexo found (propexo-check.ts), for the Production confirmation. */
  readonly findings?: (importId: string, environment: EnvironmentChoice) => Pick<ProductionConfirmation, 'unmatched' | 'changes'>;
}

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
  /** Practice: the service's own simulator, kept across runs. */
  readonly practice?: PracticeServer;
  readonly token?: string;
  readonly keyOf: CredentialEnvironment | null;
}

/** A new run answered at once and still preparing (its rows checked, its file hashed). */
interface Preparing {
  readonly importId: string;
  readonly totals: RowTotals;
  step: PreparingStep;
  cancelled: boolean;
  /** Resolves once the run is created (it is then a live entry), rejects if it never was. */
  launched: Promise<unknown>;
}

/** A new run whose preparation failed after `run:start` answered: nothing was sent. */
interface Unstarted {
  readonly totals: RowTotals;
  readonly summary: RunSummaryView;
}

export function createRuns(deps: RunDeps) {
  const registry = createRunRegistry();
  const preparing = new Map<string, Preparing>();
  const unstarted = new Map<string, Unstarted>();
  let closed = false;
  /**
   * One practice simulator per service, on a worker thread (its requests answered off this
   * thread), started on first use and kept until it closes: a run and its undo (or resume,
   * retry) see the same leads, as they would in Sandbox. One whose thread ended (out of memory)
   * is replaced by a fresh one rather than left unanswering.
   */
  let practice: Promise<PracticeThread> | null = null;
  let practiceStarted: PracticeThread | null = null;
  const practiceSimulator = (): Promise<PracticeThread> => {
    if (practice === null || practiceStarted?.running === false) {
      practiceStarted = null;
      const starting = startPracticeThread(deps.connection.simulator).then((thread) => (practiceStarted = thread));
      // One that failed to start is tried again next time.
      starting.catch(() => {
        if (practice === starting) practice = null;
      });
      practice = starting;
    }
    return practice;
  };
  const liveDeps: LiveRunDeps = {
    dataDir: deps.dataDir,
    batchIntervalMs: deps.batchIntervalMs,
    emit: deps.emit,
    registry,
    closed: () => closed,
  };

  async function tokenFor(environment: CredentialEnvironment): Promise<string> {
    const key = await deps.getToken(environment);
    if (key === undefined || key === '')
      throw failed(`No API key for ${ENVIRONMENT_LABEL[environment]}: add it in Send settings, then start again.`);
    return key;
  }

  /**
   * Where a run goes, and with which key. `keyOf` names the stored key it uses: a run with the
   * Production key writes to Production, whatever server it is pointed at.
   */
  async function connectionFor(environment: EnvironmentChoice): Promise<RunConnection> {
    if (environment === 'practice') return { environment: 'practice', practice: await practiceSimulator(), keyOf: null };
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

  /** A run of this app, or a past one read from its journal (and kept for the next requests). */
  async function entryFor(runId: string): Promise<RunEntry> {
    const prep = preparing.get(runId);
    if (prep !== undefined) await prep.launched.catch(() => undefined);
    const never = unstarted.get(runId);
    if (never !== undefined) throw failed(never.summary.stoppedReason ?? `Run ${runId} did not start.`);
    return registry.entryFor(runId, async () => {
      const entry = await openPast(deps.dataDir, runId);
      // Started here meanwhile (resume, retry): the live entry wins.
      const current = registry.get(runId);
      if (current !== undefined) return current;
      // A run another process is sending changes under our feet: read it afresh each time.
      if (entry.state !== 'running') registry.remember(entry);
      return entry;
    });
  }

  function summaryOf(entry: RunEntry): RunSummaryView {
    return entry.summary ?? summarizeRows(entry.runId, entry.index, entry.records, entry.stoppedReason);
  }

  async function exportReport(runId: string, path: string, kind: 'results' | 'errors'): Promise<{ readonly path: string }> {
    const what = kind === 'results' ? 'results' : 'error report';
    const entry = await entryFor(runId);
    if (!isEnded(entry)) throw failed(`Run ${runId} is still going: export its ${what} when it has ended (or cancel it).`);
    const target = resolve(path);
    // An undo run's reports are its own (run-exports.ts).
    await exportRunReport(deps.dataDir, entry, kind === 'results' ? { resultsPath: target } : { errorsPath: target });
    return { path: target };
  }

  /** Resume, re-check or retry a run that is not going: same run id, journal continued. */
  async function relaunch(runId: string, kind: 'resume' | 'recheck' | 'retry'): Promise<{ readonly runId: string }> {
    const known = registry.get(runId);
    if (known !== undefined && !isEnded(known)) throw failed(`Run ${runId} is still going: let it end (or cancel it) first.`);
    return registry.startingOnce(runId, `Run ${runId} is already being started.`, async () => {
      const read = await createRunStore(deps.dataDir).read(runId);
      if (E.isLeft(read)) throw failed(read.left.message);
      const { header, state, lock } = read.right;
      if (state === 'running') {
        throw failed(
          `Run ${runId} is in use by another Lead Importer or lead-import process${lock ? ` (process ${lock.pid})` : ''}: let it finish first.`,
        );
      }
      if (kind === 'resume' && state === 'finished') {
        throw failed(`Run ${runId} has finished: there is nothing to resume. Retry its failed rows, or re-check its pending jobs.`);
      }
      const { keyOf, ...connection } = await connectionOfRun(header);
      // Re-checking only reads job statuses; resuming and retrying write.
      if (keyOf === 'production' && kind !== 'recheck')
        await confirmed(deps, { action: kind, runId, fileName: basename(header.file.path), rows: null });
      // The core reads the run's file again (prepareFromHeader) and hands back its row table; an
      // undo run continues its planned write-backs (resumeAnyRun routes it).
      const operation = kind === 'resume' ? resumeAnyRun : kind === 'recheck' ? recheckRun : retryRun;
      const entry = await launch(liveDeps, null, (callbacks) =>
        operation({ ...deps.connection, ...deps.files, ...connection, dataDir: deps.dataDir, runId, ...callbacks }),
      );
      return { runId: entry.runId };
    });
  }

  /** The run to undo, ended and not in use; with the connection it was sent through. */
  async function undoable(runId: string): Promise<{
    readonly header: RunHeader;
    readonly connection: Omit<RunConnection, 'keyOf'>;
    readonly keyOf: CredentialEnvironment | null;
  }> {
    const known = registry.get(runId);
    if (known !== undefined && !isEnded(known)) throw failed(`Run ${runId} is still going: undo it once it has ended.`);
    const read = await createRunStore(deps.dataDir).read(runId);
    if (E.isLeft(read)) throw failed(read.left.message);
    const { header, state, lock } = read.right;
    if (state === 'running')
      throw failed(
        `Run ${runId} is in use by another Lead Importer or lead-import process${lock ? ` (process ${lock.pid})` : ''}: undo it once it has ended.`,
      );
    const { keyOf, ...connection } = await connectionOfRun(header);
    return { header, connection, keyOf };
  }

  /** What undoing the run would do: the leads are read now, nothing is written. */
  async function undoPlan(arg: { readonly runId: string }): Promise<UndoPlanView> {
    const { header, connection } = await undoable(arg.runId);
    const planned = await planUndoRun(arg.runId, { ...deps.connection, ...deps.files, ...connection, dataDir: deps.dataDir });
    if (E.isRight(planned)) return undoPlanView(header, planned.right, null);
    if (planned.left.code === 'nothing_to_do' && planned.left.summary !== undefined)
      return undoPlanView(header, planned.left.summary, planned.left.message);
    throw failed(planned.left.message);
  }

  /** Starts undoing an ended run: a new run, followed like any (Production asked first, as an undo). */
  async function undo(arg: { readonly runId: string; readonly force: boolean }): Promise<{ readonly runId: string }> {
    return registry.startingOnce(`undo:${arg.runId}`, `An undo of run ${arg.runId} is already being started.`, async () => {
      const { header, connection, keyOf } = await undoable(arg.runId);
      if (keyOf === 'production')
        await confirmed(deps, { action: 'undo', runId: arg.runId, fileName: basename(header.file.path), rows: null });
      const entry = await launch(liveDeps, null, async (callbacks) => {
        const started = await startUndo(arg.runId, {
          ...deps.connection,
          ...deps.files,
          ...connection,
          dataDir: deps.dataDir,
          force: arg.force,
          ...callbacks,
        });
        return E.isLeft(started) ? started : E.right(started.right.run);
      });
      return { runId: entry.runId };
    });
  }

  async function start(arg: {
    readonly importId: string;
    readonly environment: EnvironmentChoice;
    readonly concurrency: number;
    readonly rate: number;
    /** Read current values first (default yes): see the contract's run:start. */
    readonly preview?: boolean;
  }): Promise<{ readonly runId: string }> {
    const material = deps.imports.forRun(arg.importId);
    for (const entry of registry.entries()) {
      if (entry.kind === 'live' && entry.importId === arg.importId && !isEnded(entry)) {
        throw failed(`A run of ${material.fileName} is already going (run ${entry.runId}): let it end or cancel it first.`);
      }
    }
    for (const [runId, prep] of preparing) {
      if (prep.importId === arg.importId)
        throw failed(`A run of ${material.fileName} is already going (run ${runId}): let it end or cancel it first.`);
    }
    return registry.startingOnce(arg.importId, `A run of ${material.fileName} is already being started.`, async () => {
      const { keyOf, ...connection } = await connectionFor(arg.environment);
      if (keyOf === 'production') {
        await confirmed(deps, {
          action: 'start',
          runId: null,
          fileName: material.fileName,
          rows: material.counts.valid,
          ...deps.findings?.(arg.importId, arg.environment),
        });
      }
      // Refusals that cost a stat come before the answer; the check pass and the hash after it.
      const changed = await changedSincePrepared(material.input.sourceFile);
      if (changed !== undefined) throw failed(changed.message);
      // Answered at once with the id the run will take: preparing a big file takes seconds, told
      // as progress ('run:update' with `preparing`), then the run goes as any other.
      const runId = createRunStore(deps.dataDir).newRunId();
      const totals: RowTotals = {
        rows: material.counts.rows,
        valid: material.counts.valid,
        invalid: material.counts.invalid,
        skipped: material.counts.skipped,
      };
      const prep: Preparing = { importId: arg.importId, totals, step: 'checking', cancelled: false, launched: Promise.resolve() };
      // At most one message per batch interval, as the run's own batches (a small file's steps take ms).
      let toldAt = Number.NEGATIVE_INFINITY;
      const told = (): void => {
        if (performance.now() - toldAt < deps.batchIntervalMs) return;
        toldAt = performance.now();
        deps.emit('run:update', { runId, rows: [], progress: unsentProgress(runId, totals, prep.step, null) });
      };
      preparing.set(runId, prep);
      told();
      prep.launched = launch(liveDeps, arg.importId, (callbacks) =>
        startSend(material.input, {
          ...deps.connection,
          ...deps.files,
          ...connection,
          mappingFileName: 'the mapping',
          dataDir: deps.dataDir,
          concurrency: arg.concurrency,
          rate: arg.rate,
          // Only changed fields are sent and the run can be undone, unless the person skipped it.
          preview: arg.preview ?? true,
          // Where names and keys are looked up: the scope the check against Propexo chose (or the mapping file's).
          ...(material.lookup === undefined ? {} : { lookup: material.lookup }),
          runId,
          onPreparing: (step) => {
            prep.step = step;
            told();
          },
          ...callbacks,
        }),
      )
        .then(
          (entry) => {
            // Cancelled while preparing: it stops before its first request.
            if (prep.cancelled) {
              entry.live.cancel();
              entry.batcher.touch();
            }
          },
          (error: unknown) => {
            const summary: RunSummaryView = { ...countRun(runId, totals, []), stoppedReason: `Nothing was sent: ${messageOf(error)}` };
            unstarted.set(runId, { totals, summary });
            deps.emit('run:finished', { runId, summary });
          },
        )
        .finally(() => preparing.delete(runId));
      return { runId };
    });
  }

  async function rows(arg: {
    readonly runId: string;
    readonly filter: RunFilter;
    readonly offset: number;
    readonly limit: number;
  }): Promise<RowPage<RunRowView>> {
    const prep = preparing.get(arg.runId);
    if (prep !== undefined) await prep.launched.catch(() => undefined);
    if (unstarted.has(arg.runId)) return { total: 0, offset: arg.offset, rows: [] };
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
    for (let k = arg.offset; k < Math.min(total, arg.offset + arg.limit); k++)
      page.push(rowView(index, matching === null ? k : matching[k], records, ended));
    return { total, offset: arg.offset, rows: page };
  }

  return {
    start,
    rows,
    async progress(arg: { readonly runId: string }): Promise<RunProgressView> {
      const prep = preparing.get(arg.runId);
      if (prep !== undefined) return unsentProgress(arg.runId, prep.totals, prep.step, null);
      const never = unstarted.get(arg.runId);
      if (never !== undefined) return unsentProgress(arg.runId, never.totals, null, never.summary.stoppedReason);
      const entry = await entryFor(arg.runId);
      if (entry.kind === 'live') return liveProgress(entry);
      return pastProgress(entry.runId, entry.index, entry.records, entry.state, entry.stoppedReason);
    },
    pause(arg: { readonly runId: string }): void {
      const entry = liveEntry(registry, arg.runId, 'pause');
      entry.live.pause();
      entry.batcher.touch();
    },
    resume(arg: { readonly runId: string }): void {
      const entry = liveEntry(registry, arg.runId, 'resume');
      entry.live.resume();
      entry.batcher.touch();
    },
    cancel(arg: { readonly runId: string }): void {
      const prep = preparing.get(arg.runId);
      if (prep !== undefined && registry.get(arg.runId) === undefined) {
        prep.cancelled = true;
        return;
      }
      const entry = liveEntry(registry, arg.runId, 'cancel');
      entry.live.cancel();
      entry.batcher.touch();
    },
    exportResults: (arg: { readonly runId: string; readonly path: string }) => exportReport(arg.runId, arg.path, 'results'),
    exportErrors: (arg: { readonly runId: string; readonly path: string }) => exportReport(arg.runId, arg.path, 'errors'),
    retry: (arg: { readonly runId: string }) => relaunch(arg.runId, 'retry'),
    resumeInterrupted: (arg: { readonly runId: string }) => relaunch(arg.runId, 'resume'),
    recheck: (arg: { readonly runId: string }) => relaunch(arg.runId, 'recheck'),
    undoPlan,
    undo,
    async list(): Promise<readonly RunListItem[]> {
      try {
        return (await createRunStore(deps.dataDir).list()).runs.map(listItem);
      } catch (error) {
        throw failed(messageOf(error));
      }
    },
    async open(arg: { readonly runId: string }): Promise<RunSummaryView> {
      const never = unstarted.get(arg.runId);
      if (never !== undefined) return never.summary;
      return summaryOf(await entryFor(arg.runId));
    },
    /** The practice simulator every practice run of this service uses (and its checks against Propexo). */
    practiceSimulator,
    /** Cancels every live run (their journals keep them resumable) and waits for them to end. */
    async closeAll(): Promise<void> {
      closed = true;
      await registry.settled();
      const live = [...registry.entries()].filter((entry): entry is LiveEntry => entry.kind === 'live' && entry.summary === null);
      for (const entry of live) entry.live.cancel();
      await Promise.all(live.map((entry) => entry.ended.catch(() => undefined)));
      await practice?.then((simulator) => simulator.close()).catch(() => undefined);
    },
  };
}

export type Runs = ReturnType<typeof createRuns>;
