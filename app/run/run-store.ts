// Where runs live: <dataDir>/runs/<runId>/ with run.json (header, written once, atomically),
// journal.jsonl (append-only, see journal.ts) and `lock` (the pid of the live process).
// create/open hand the engine a RunHandle that owns the lock and the open journal; list and
// read only look, never repair or lock, so they are safe beside a live run.
import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { decodeErrorLines } from '../shared/decode-errors.ts';
import { NonNegativeInteger } from './codec-util.ts';
import { JOURNAL_FILE, openJournal, readJournal, type Journal } from './journal.ts';
import { OutcomeCounts, foldRowStates, lastRunEvent, countJournalOutcomes, type JournalEntry, type RunEvent } from './journal-entry.ts';
import { makeRedactor } from '../shared/redact.ts';
import { HEADER_FILE, RUN_ID_PATTERN, RunHeader, type HeaderCounts, type RunEnvironment, type RunHeaderInput } from './run-header.ts';
import {
  acquireLock,
  isProcessAlive as defaultIsProcessAlive,
  lockStatus,
  releaseLock,
  type LockInfo,
  type LockOwner,
  type LockStatus,
} from './run-lock.ts';
import { describeFsError, errorCode, nodeRunFs, type RunFs } from './run-fs.ts';

export const RUNS_DIR = 'runs';
/** A per-run cache of what list() folds from a journal, keyed by the journal's size. */
export const SUMMARY_CACHE_FILE = 'summary-cache.json';

export type RunState = 'running' | 'interrupted' | 'finished' | 'cancelled' | 'stopped';

export type RunStoreErrorKind = 'invalid_id' | 'invalid_header' | 'not_found' | 'bad_header' | 'in_use' | 'bad_journal' | 'io';

export class RunStoreError extends Error {
  override readonly name = 'RunStoreError';
  constructor(
    readonly kind: RunStoreErrorKind,
    message: string,
    readonly runId?: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface RunStoreOptions {
  readonly fs?: RunFs;
  readonly now?: () => number;
  /** The random part of new run ids (default: 4 hex digits). */
  readonly newId?: () => string;
  /** Values that must never reach the disk (the API token): replaced by "[redacted]". */
  readonly secrets?: readonly string[];
  /** Group-commit window of the journals this store opens (default 50 ms). */
  readonly commitDelayMs?: number;
  readonly pid?: number;
  readonly host?: string;
  readonly isProcessAlive?: (pid: number) => boolean;
}

/** An open run: this process holds its lock and appends to its journal. */
export interface RunHandle {
  readonly runId: string;
  readonly dir: string;
  readonly header: RunHeader;
  readonly journal: Journal;
  /** The journal as it was when opened (empty for a new run): fold it to resume. */
  readonly entries: readonly JournalEntry[];
  /** A torn last line was dropped from the journal on open. */
  readonly repaired: boolean;
  readonly problems: readonly string[];
  /** Flushes and closes the journal, then removes the lock. Rejects if the last writes failed. */
  close(): Promise<void>;
}

/** A run as read without taking it: for history screens and reports. */
export interface RunRecord {
  readonly runId: string;
  readonly dir: string;
  readonly header: RunHeader;
  readonly entries: readonly JournalEntry[];
  readonly state: RunState;
  readonly lock?: LockInfo;
  readonly problems: readonly string[];
}

export interface StoredRunSummary {
  readonly runId: string;
  readonly dir: string;
  readonly createdAt: string;
  readonly file: { readonly name: string; readonly path: string };
  readonly environment: RunEnvironment;
  readonly counts: HeaderCounts;
  readonly state: RunState;
  /** From the last `finished` entry when the run finished, else folded from the journal. */
  readonly outcomes: OutcomeCounts;
  /** The live process holding the run, when running. */
  readonly lock?: LockInfo;
  readonly problems: readonly string[];
  /** An undo run: the run it undoes. */
  readonly undoOf?: string;
  /** The undo runs of this run, newest first (History links the two). */
  readonly undoneBy?: readonly string[];
}

export interface RunListing {
  /** Newest first. */
  readonly runs: StoredRunSummary[];
  /** Folders that look like runs but cannot be read, with the reason. */
  readonly skipped: { readonly runId: string; readonly message: string }[];
}

export interface RunStore {
  readonly dataDir: string;
  readonly runsDir: string;
  /**
   * Creates the run folder, its lock, run.json (atomically) and an empty journal. Throws
   * RunStoreError. `runId`: one from `newRunId()` (then a folder already there is an error).
   */
  create(input: RunHeaderInput, runId?: string): Promise<RunHandle>;
  /** A fresh run id, for a run created later (the app answers with it before the run exists). */
  newRunId(): string;
  /** Takes an existing run to resume it: refuses a run held by a live process unless `force`. */
  open(runId: string, options?: { readonly force?: boolean }): Promise<E.Either<RunStoreError, RunHandle>>;
  read(runId: string): Promise<E.Either<RunStoreError, RunRecord>>;
  /** run.json alone, without reading the journal or looking at the lock. */
  header(runId: string): Promise<E.Either<RunStoreError, RunHeader>>;
  list(): Promise<RunListing>;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `20261127-134501-3f9a` from a UTC time and a suffix. */
export function formatRunId(ms: number, suffix: string): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}-${suffix}`;
}

const defaultNewId = () => randomBytes(2).toString('hex');

const SummaryCache = t.exact(
  t.type({
    journalSize: NonNegativeInteger,
    outcomes: OutcomeCounts,
    lastEvent: t.union([
      t.null,
      t.keyof({ run_started: null, paused: null, resumed: null, cancelled: null, stopped: null, finished: null }),
    ]),
  }),
);

const terminal = new Set<RunEvent['t']>(['finished', 'cancelled', 'stopped']);

function stateOf(lastEvent: RunEvent['t'] | null, lock: LockStatus): RunState {
  if (lastEvent !== null && terminal.has(lastEvent)) return lastEvent as 'finished' | 'cancelled' | 'stopped';
  return lock.status === 'live' ? 'running' : 'interrupted';
}

export function createRunStore(dataDir: string, options: RunStoreOptions = {}): RunStore {
  const fs = options.fs ?? nodeRunFs;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? defaultNewId;
  const redact = makeRedactor(options.secrets);
  const owner: LockOwner = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    now,
    isProcessAlive: options.isProcessAlive ?? defaultIsProcessAlive,
  };
  const runsDir = join(dataDir, RUNS_DIR);
  const journalOptions = { fs, now, secrets: options.secrets, commitDelayMs: options.commitDelayMs };

  async function readHeader(runId: string, dir: string): Promise<E.Either<RunStoreError, RunHeader>> {
    const path = join(dir, HEADER_FILE);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        const exists = await fs.stat(dir).then(
          () => true,
          () => false,
        );
        return E.left(
          new RunStoreError(
            'not_found',
            exists
              ? `Run ${runId} has no ${HEADER_FILE} in ${dir}: its creation was interrupted.`
              : `There is no run ${runId} in ${runsDir}.`,
            runId,
          ),
        );
      }
      return E.left(new RunStoreError('io', `Could not read ${path}: ${describeFsError(error)}.`, runId, { cause: error }));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return E.left(new RunStoreError('bad_header', `${path} is not valid JSON.`, runId));
    }
    const decoded = RunHeader.decode(parsed);
    if (E.isLeft(decoded))
      return E.left(
        new RunStoreError(
          'bad_header',
          `${path} is not a valid run header: ${decodeErrorLines(decoded.left, { actual: 'json' }).join('; ')}.`,
          runId,
        ),
      );
    if (decoded.right.runId !== runId)
      return E.left(new RunStoreError('bad_header', `${path} belongs to run ${decoded.right.runId}, not ${runId}.`, runId));
    return E.right(decoded.right);
  }

  async function create(input: RunHeaderInput, chosenId?: string): Promise<RunHandle> {
    const createdMs = now();
    const candidate = {
      version: 1 as const,
      runId: chosenId ?? formatRunId(createdMs, newId()),
      createdAt: new Date(createdMs).toISOString(),
      file: input.file,
      mapping: input.mapping,
      environment: input.environment,
      options: input.options,
      counts: input.counts,
      edits: input.edits,
      ...(input.undoOf !== undefined ? { undoOf: input.undoOf } : {}),
      ...(input.lookup !== undefined ? { lookup: input.lookup } : {}),
      ...(input.preview !== undefined ? { preview: input.preview } : {}),
    };
    const valid = RunHeader.decode(candidate);
    if (E.isLeft(valid))
      throw new RunStoreError('invalid_header', `Cannot create a run: ${decodeErrorLines(valid.left, { actual: 'json' }).join('; ')}.`);

    try {
      await fs.mkdir(runsDir, { recursive: true });
      await fs.syncDir(dataDir);
    } catch (error) {
      throw new RunStoreError('io', `Cannot create the runs folder ${runsDir}: ${describeFsError(error)}.`, undefined, { cause: error });
    }
    let header: RunHeader = valid.right;
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.mkdir(join(runsDir, header.runId));
        break;
      } catch (error) {
        if (errorCode(error) !== 'EEXIST' || attempt >= 20 || chosenId !== undefined) {
          throw new RunStoreError(
            'io',
            `Cannot create the run folder ${join(runsDir, header.runId)}: ${describeFsError(error)}.`,
            header.runId,
            { cause: error },
          );
        }
        header = { ...header, runId: formatRunId(createdMs, newId()) };
      }
    }
    const { runId } = header;
    const dir = join(runsDir, runId);
    let journal: Journal | undefined;
    try {
      await fs.syncDir(runsDir);
      const lock = await acquireLock(fs, dir, owner);
      if (E.isLeft(lock)) throw new Error(`the new run folder is locked by process ${lock.left.holder.pid}`);
      // Exact codec: anything not declared in the header (a token) is stripped here.
      await writeFileAtomic(fs, join(dir, HEADER_FILE), `${redact(JSON.stringify(RunHeader.encode(header), null, 2))}\n`);
      journal = await openJournal(dir, journalOptions);
    } catch (error) {
      // Leave no half-created run behind (best effort: a leftover folder lists as skipped).
      await fs.unlink(join(dir, HEADER_FILE)).catch(() => undefined);
      await fs.unlink(join(dir, JOURNAL_FILE)).catch(() => undefined);
      await releaseLock(fs, dir).catch(() => undefined); // the folder is new: any lock in it is ours
      await fs.rmdir(dir).catch(() => undefined);
      const cause = error instanceof Error && errorCode(error) === undefined ? error.message : describeFsError(error);
      throw new RunStoreError('io', `Could not create run ${runId} in ${dir}: ${cause}.`, runId, { cause: error });
    }
    return handleFor(header, dir, journal, [], false, []);
  }

  function handleFor(
    header: RunHeader,
    dir: string,
    journal: Journal,
    entries: readonly JournalEntry[],
    repaired: boolean,
    problems: readonly string[],
  ): RunHandle {
    let closing: Promise<void> | undefined;
    return {
      runId: header.runId,
      dir,
      header,
      journal,
      entries,
      repaired,
      problems,
      close() {
        closing ??= (async () => {
          try {
            await journal.close();
          } finally {
            await releaseLock(fs, dir);
          }
        })();
        return closing;
      },
    };
  }

  async function open(runId: string, openOptions: { readonly force?: boolean } = {}): Promise<E.Either<RunStoreError, RunHandle>> {
    if (!RUN_ID_PATTERN.test(runId))
      return E.left(new RunStoreError('invalid_id', `${JSON.stringify(runId)} is not a run id (like 20261127-134501-3f9a).`, runId));
    const dir = join(runsDir, runId);
    const header = await readHeader(runId, dir);
    if (E.isLeft(header)) return header;

    let lock;
    try {
      lock = await acquireLock(fs, dir, owner, openOptions.force === true);
    } catch (error) {
      return E.left(new RunStoreError('io', `Could not lock run ${runId} in ${dir}: ${describeFsError(error)}.`, runId, { cause: error }));
    }
    if (E.isLeft(lock)) {
      const { holder } = lock.left;
      const where = holder.host === owner.host ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
      return E.left(new RunStoreError('in_use', `Run ${runId} is in use by ${where} since ${holder.startedAt}.`, runId));
    }
    const read = await readJournal(dir, { fs, repair: true });
    if (E.isLeft(read)) {
      await releaseLock(fs, dir).catch(() => undefined);
      return E.left(new RunStoreError(read.left.kind === 'corrupt' ? 'bad_journal' : 'io', read.left.message, runId));
    }
    let journal: Journal;
    try {
      journal = await openJournal(dir, journalOptions);
    } catch (error) {
      await releaseLock(fs, dir).catch(() => undefined);
      return E.left(new RunStoreError('io', error instanceof Error ? error.message : String(error), runId, { cause: error }));
    }
    return E.right(handleFor(header.right, dir, journal, read.right.entries, read.right.repaired, read.right.problems));
  }

  async function read(runId: string): Promise<E.Either<RunStoreError, RunRecord>> {
    if (!RUN_ID_PATTERN.test(runId))
      return E.left(new RunStoreError('invalid_id', `${JSON.stringify(runId)} is not a run id (like 20261127-134501-3f9a).`, runId));
    const dir = join(runsDir, runId);
    const header = await readHeader(runId, dir);
    if (E.isLeft(header)) return header;
    const lock = await lockStatus(fs, dir, owner).catch((): LockStatus => ({ status: 'none' }));
    const journal = await readJournal(dir, { fs, repair: false });
    if (E.isLeft(journal))
      return E.left(new RunStoreError(journal.left.kind === 'corrupt' ? 'bad_journal' : 'io', journal.left.message, runId));
    const last = lastRunEvent(journal.right.entries);
    return E.right({
      runId,
      dir,
      header: header.right,
      entries: journal.right.entries,
      state: stateOf(last?.t ?? null, lock),
      ...(lock.status === 'live' ? { lock: lock.lock } : {}),
      problems: journal.right.problems,
    });
  }

  async function readCache(dir: string): Promise<t.TypeOf<typeof SummaryCache> | undefined> {
    try {
      const decoded = SummaryCache.decode(JSON.parse(new TextDecoder().decode(await fs.readFile(join(dir, SUMMARY_CACHE_FILE)))));
      return E.isRight(decoded) ? decoded.right : undefined;
    } catch {
      return undefined;
    }
  }

  async function summarizeRun(runId: string): Promise<E.Either<string, StoredRunSummary> | undefined> {
    const dir = join(runsDir, runId);
    const lock = await lockStatus(fs, dir, owner).catch((): LockStatus => ({ status: 'none' }));
    const header = await readHeader(runId, dir);
    if (E.isLeft(header)) {
      // A live lock without a header: the run is being created right now.
      return lock.status === 'live' ? undefined : E.left(header.left.message);
    }
    const journalSize = await fs.stat(join(dir, JOURNAL_FILE)).then(
      (s) => s.size,
      () => 0,
    );
    let outcomes: OutcomeCounts;
    let lastEvent: RunEvent['t'] | null;
    let problems: readonly string[] = [];
    const cache = journalSize > 0 ? await readCache(dir) : undefined;
    if (cache !== undefined && cache.journalSize === journalSize) {
      outcomes = cache.outcomes;
      lastEvent = cache.lastEvent;
    } else {
      const journal = await readJournal(dir, { fs, repair: false });
      if (E.isLeft(journal)) return E.left(journal.left.message);
      const last = lastRunEvent(journal.right.entries);
      lastEvent = last?.t ?? null;
      outcomes = last?.t === 'finished' ? last.summary : countJournalOutcomes(foldRowStates(journal.right.entries).values());
      problems = journal.right.problems;
      // Folding a 200,000-row journal takes a while: remember the answer for this size.
      if (lock.status !== 'live' && problems.length === 0 && journal.right.size > 0) {
        const text = JSON.stringify(SummaryCache.encode({ journalSize: journal.right.size, outcomes, lastEvent }));
        await writeFileAtomic(fs, join(dir, SUMMARY_CACHE_FILE), text).catch(() => undefined);
      }
    }
    const h = header.right;
    return E.right({
      runId,
      dir,
      createdAt: h.createdAt,
      file: { name: h.file.name, path: h.file.path },
      environment: h.environment,
      counts: h.counts,
      state: stateOf(lastEvent, lock),
      outcomes,
      ...(lock.status === 'live' ? { lock: lock.lock } : {}),
      problems,
      ...(h.undoOf !== undefined ? { undoOf: h.undoOf } : {}),
    });
  }

  async function list(): Promise<RunListing> {
    let names: string[];
    try {
      names = await fs.readdir(runsDir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { runs: [], skipped: [] };
      throw new RunStoreError('io', `Could not list the runs in ${runsDir}: ${describeFsError(error)}.`, undefined, { cause: error });
    }
    const runs: StoredRunSummary[] = [];
    const skipped: { runId: string; message: string }[] = [];
    // One at a time: each may read a large journal.
    for (const runId of names.filter((name) => RUN_ID_PATTERN.test(name))) {
      const summary = await summarizeRun(runId).catch((error: unknown) =>
        E.left(`Could not read run ${runId}: ${describeFsError(error)}.`),
      );
      if (summary === undefined) continue;
      if (E.isLeft(summary)) skipped.push({ runId, message: summary.left });
      else runs.push(summary.right);
    }
    runs.sort((a, b) => (a.createdAt === b.createdAt ? b.runId.localeCompare(a.runId) : b.createdAt.localeCompare(a.createdAt)));
    const undos = new Map<string, string[]>();
    for (const run of runs) if (run.undoOf !== undefined) undos.set(run.undoOf, [...(undos.get(run.undoOf) ?? []), run.runId]);
    for (let i = 0; i < runs.length; i++) {
      const undoneBy = undos.get(runs[i].runId);
      if (undoneBy !== undefined) runs[i] = { ...runs[i], undoneBy };
    }
    skipped.sort((a, b) => b.runId.localeCompare(a.runId));
    return { runs, skipped };
  }

  return {
    dataDir,
    runsDir,
    create,
    newRunId: () => formatRunId(now(), newId()),
    open,
    read,
    async header(runId) {
      if (!RUN_ID_PATTERN.test(runId))
        return E.left(new RunStoreError('invalid_id', `${JSON.stringify(runId)} is not a run id (like 20261127-134501-3f9a).`, runId));
      return readHeader(runId, join(runsDir, runId));
    },
    list,
  };
}
