// journal.jsonl: the append-only record of a run, one JSON entry per line, which makes the
// run crash-safe. Writes use group commit: appended entries are buffered and written plus
// fsync'd together, within ~50 ms of the first buffered entry or at once on flush(). A crash
// can only cut the last line short; readJournal drops and truncates that line.
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { decodeEntry, encodeEntry, type JournalEntry } from './journal-entry.ts';
import { makeRedactor } from '../shared/redact.ts';
import { describeFsError, errorCode, nodeRunFs, type RunFileHandle, type RunFs } from './run-fs.ts';

export const JOURNAL_FILE = 'journal.jsonl';

/** The default group-commit window: the longest an appended entry waits for its fsync. */
export const COMMIT_DELAY_MS = 50;

/** An entry whose `at` may be left out: the journal stamps it with `now()`. */
export type JournalInput = JournalEntry extends infer T
  ? T extends JournalEntry
    ? Omit<T, 'at'> & { readonly at?: number }
    : never
  : never;

export interface JournalOptions {
  readonly fs?: RunFs;
  readonly now?: () => number;
  /** Group-commit window in ms (default 50). */
  readonly commitDelayMs?: number;
  /** Values that must never reach the disk (the API token): replaced by "[redacted]". */
  readonly secrets?: readonly string[];
}

export interface Journal {
  readonly path: string;
  /**
   * Buffers an entry (stamped with `now()` when it has no `at`). Throws the journal's
   * JournalWriteError once a write has failed, and a plain Error after close().
   */
  append(entry: JournalInput): void;
  /** Resolves when everything appended before the call is written and fsync'd. */
  flush(): Promise<void>;
  /** Flushes, then closes the file. Rejects like flush() when the last writes failed. */
  close(): Promise<void>;
  /** The write error that stopped this journal, if any. */
  readonly failure: JournalWriteError | undefined;
}

/** Writing or syncing the journal failed: the run must stop; what was saved before is intact. */
export class JournalWriteError extends Error {
  override readonly name = 'JournalWriteError';
  readonly code: string | undefined;
  constructor(
    readonly path: string,
    override readonly cause: unknown,
    operation: 'open' | 'write' | 'sync' | 'close',
  ) {
    super(
      operation === 'open'
        ? `Could not open the run journal ${path}: ${describeFsError(cause)}.`
        : `Could not save the run journal ${path} (${operation} failed): ${describeFsError(cause)}. ` +
            'Everything saved before this is intact; the run cannot continue until this is fixed.',
    );
    this.code = errorCode(cause);
  }
}

const encoder = new TextEncoder();

export async function openJournal(dir: string, options: JournalOptions = {}): Promise<Journal> {
  const fs = options.fs ?? nodeRunFs;
  const now = options.now ?? Date.now;
  const delay = options.commitDelayMs ?? COMMIT_DELAY_MS;
  const redact = makeRedactor(options.secrets);
  const path = join(dir, JOURNAL_FILE);

  let handle: RunFileHandle;
  let durableSize: number;
  try {
    handle = await fs.open(path, 'a+');
  } catch (error) {
    throw new JournalWriteError(path, error, 'open');
  }
  try {
    durableSize = await handle.size();
    if (durableSize > 0) {
      const last = await handle.read(durableSize - 1, 1);
      if (last[0] !== 0x0a) {
        throw new Error(
          `The run journal ${path} ends with an incomplete line; read it with readJournal (which repairs it) before appending.`,
        );
      }
    }
    // The file may have just been created: make its directory entry durable too.
    await fs.syncDir(dir);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error instanceof Error && errorCode(error) === undefined ? error : new JournalWriteError(path, error, 'open');
  }

  let pending: string[] = [];
  let appended = 0; // entries accepted by append()
  let durable = 0; // entries written and fsync'd
  let timer: ReturnType<typeof setTimeout> | undefined;
  let commitWanted = false;
  let draining = false;
  let failure: JournalWriteError | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  const waiters: { upTo: number; resolve: () => void; reject: (error: Error) => void }[] = [];

  const onTimer = () => {
    timer = undefined;
    requestCommit();
  };

  function requestCommit(): void {
    commitWanted = true;
    if (!draining) void drain();
  }

  function settle(): void {
    while (waiters.length > 0 && waiters[0].upTo <= durable) waiters.shift()?.resolve();
  }

  async function fail(error: unknown, operation: 'write' | 'sync'): Promise<void> {
    failure = new JournalWriteError(path, error, operation);
    pending = [];
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // Cut a half-written batch so the file ends on the last saved line (truncating frees
    // space, so it works on a full disk); readJournal would drop a torn line anyway.
    await handle.truncate(durableSize).catch(() => undefined);
    for (const waiter of waiters.splice(0)) waiter.reject(failure);
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (commitWanted && pending.length > 0 && failure === undefined) {
        commitWanted = false;
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        const batch = pending;
        pending = [];
        const upTo = appended;
        const bytes = encoder.encode(batch.join(''));
        try {
          await handle.write(bytes);
        } catch (error) {
          await fail(error, 'write');
          return;
        }
        try {
          await handle.sync();
        } catch (error) {
          await fail(error, 'sync');
          return;
        }
        durableSize += bytes.length;
        durable = upTo;
        settle();
      }
      commitWanted = false;
    } finally {
      draining = false;
    }
  }

  function flush(): Promise<void> {
    if (failure !== undefined) return Promise.reject(failure);
    if (durable >= appended) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      waiters.push({ upTo: appended, resolve, reject });
      requestCommit();
    });
  }

  return {
    path,
    get failure() {
      return failure;
    },
    append(input) {
      if (failure !== undefined) throw failure;
      if (closed) throw new Error(`The run journal ${path} is closed.`);
      // `t` and `at` lead every line, whatever order the caller wrote.
      const { t: tag, at, ...rest } = input;
      const entry = { t: tag, at: at ?? now(), ...rest } as JournalEntry;
      pending.push(`${redact(JSON.stringify(encodeEntry(entry)))}\n`);
      appended += 1;
      if (timer === undefined) timer = setTimeout(onTimer, delay);
    },
    flush,
    close() {
      if (closing !== undefined) return closing;
      closed = true;
      closing = (async () => {
        let error: unknown;
        try {
          await flush();
        } catch (e) {
          error = e;
        }
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        try {
          await handle.close();
        } catch (e) {
          error ??= new JournalWriteError(path, e, 'close');
        }
        if (error !== undefined) throw error;
      })();
      return closing;
    },
  };
}

// ---- reading ---------------------------------------------------------------------------

export interface JournalRead {
  readonly entries: JournalEntry[];
  /** A line cut short by a crash was dropped (and, with `repair`, truncated from the file). */
  readonly repaired: boolean;
  /** Non-fatal findings, each naming the file and line. */
  readonly problems: string[];
  /** Bytes of the file as read (before any repair). */
  readonly size: number;
}

export interface JournalReadError {
  readonly kind: 'corrupt' | 'io';
  readonly path: string;
  /** 1-based line number of a corrupt line. */
  readonly line?: number;
  readonly message: string;
}

export interface ReadJournalOptions {
  readonly fs?: RunFs;
  /**
   * Truncate a torn last line from the file (default true). Only the run's lock holder may
   * repair: a reader beside a live run must pass false (the line may still be being written).
   */
  readonly repair?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Reads and decodes the journal in `dir`. A missing journal reads as empty. */
export async function readJournal(dir: string, options: ReadJournalOptions = {}): Promise<E.Either<JournalReadError, JournalRead>> {
  const fs = options.fs ?? nodeRunFs;
  const repair = options.repair ?? true;
  const path = join(dir, JOURNAL_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return E.right({ entries: [], repaired: false, problems: [], size: 0 });
    return E.left({ kind: 'io', path, message: `Could not read the run journal ${path}: ${describeFsError(error)}.` });
  }

  // Everything after the last newline is a line the crash cut short.
  const completeEnd = bytes.lastIndexOf(0x0a) + 1;
  const lines = decoder.decode(bytes.subarray(0, completeEnd)).split('\n');
  lines.pop(); // the '' after the final newline
  const entries: JournalEntry[] = [];
  const problems: string[] = [];
  let goodEnd = completeEnd;
  let dropped: { line: number; bytes: number; terminated: boolean } | undefined;

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const lineNo = i + 1;
    if (text.trim() === '') {
      problems.push(`${path} line ${lineNo}: blank line ignored`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      if (i === lines.length - 1 && completeEnd === bytes.length) {
        // The last line is garbage (e.g. zeros after a crash): cut like a torn line.
        goodEnd = bytes.lastIndexOf(0x0a, completeEnd - 2) + 1;
        dropped = { line: lineNo, bytes: completeEnd - goodEnd, terminated: true };
        break;
      }
      return E.left({
        kind: 'corrupt',
        path,
        line: lineNo,
        message: `${path} line ${lineNo}: not valid JSON; the journal is damaged (${preview(text)})`,
      });
    }
    const decoded = decodeEntry(parsed);
    if (E.isLeft(decoded)) {
      return E.left({ kind: 'corrupt', path, line: lineNo, message: `${path} line ${lineNo}: ${decoded.left.join('; ')}` });
    }
    entries.push(decoded.right);
  }
  if (dropped === undefined && completeEnd < bytes.length) {
    dropped = { line: lines.length + 1, bytes: bytes.length - completeEnd, terminated: false };
  }
  if (dropped === undefined) return E.right({ entries, repaired: false, problems, size: bytes.length });

  const what = `an incomplete last line (line ${dropped.line}, ${dropped.bytes} bytes) left by an interrupted write`;
  if (!repair) {
    problems.push(`${path}: ignored ${what}`);
    return E.right({ entries, repaired: false, problems, size: bytes.length });
  }
  try {
    await fs.truncate(path, goodEnd);
  } catch (error) {
    return E.left({ kind: 'io', path, message: `Could not repair the run journal ${path} (dropping ${what}): ${describeFsError(error)}.` });
  }
  problems.push(`${path}: dropped ${what}`);
  return E.right({ entries, repaired: true, problems, size: bytes.length });
}

function preview(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}
