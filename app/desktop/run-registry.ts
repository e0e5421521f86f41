// The runs this window knows, by run id: live ones (started, resumed, re-checked or retried
// here) and past ones opened from history. Also what is under way: runs being opened from
// their journal, imports and runs being started, and starts not yet answered by the core.
import type { Batcher } from './batcher.ts';
import type { RunInput } from '../run/run-input.ts';
import type { RowRecord } from '../run/row-record.ts';
import type { RunRowIndex } from '../run/run-row-index.ts';
import type { LiveRun } from '../run/send-run.ts';
import { failed } from './desktop-errors.ts';
import type { RunFilter, RunProgressView, RunSummaryView } from '../shared/views.ts';

interface EntryBase {
  readonly runId: string;
  readonly index: RunRowIndex;
  readonly records: ReadonlyMap<number, Readonly<RowRecord>>;
  /** Why the run stopped early, if it did. */
  stoppedReason: string | null;
  /** Filtered row indexes of a run that has ended (its rows no longer change). */
  readonly filterCache: Map<RunFilter, Int32Array>;
}

/** A run going (or gone) in this window: its rows change until `summary` is set. */
export interface LiveEntry extends EntryBase {
  readonly kind: 'live';
  readonly live: LiveRun;
  readonly batcher: Batcher<number, Readonly<RowRecord>>;
  /** The import it was started from (none for a resumed, re-checked or retried run). */
  readonly importId: string | null;
  /** Its summary once it has ended. */
  summary: RunSummaryView | null;
  /** Resolves once the run has ended and 'run:finished' was sent. */
  ended: Promise<void>;
}

/** A run read from its journal; its file as the run read it, or why it cannot be read. */
export interface PastEntry extends EntryBase {
  readonly kind: 'past';
  readonly file: { readonly readable: true; readonly input: RunInput } | { readonly readable: false; readonly problem: string };
  /** An interrupted run shows as stopped, with the reason; 'running' when another process sends it. */
  readonly state: RunProgressView['state'];
  readonly summary: RunSummaryView | null;
}

export type RunEntry = LiveEntry | PastEntry;

/**
 * Runs that have ended kept at hand: the one on screen. Each holds its row table and records
 * (a 1,000,000-row run, ~100 MB even compactly), so the others are released and read again
 * from their journal if asked (past-runs.ts).
 */
export const KEEP_ENDED_RUNS = 1;

export const isEnded = (entry: RunEntry): boolean => (entry.kind === 'past' ? entry.state !== 'running' : entry.summary !== null);

export function createRunRegistry() {
  const runs = new Map<string, RunEntry>();
  /** Past runs being read from their journal, so two requests read once. */
  const opening = new Map<string, Promise<RunEntry>>();
  /** Imports and runs being started right now (a double click must not send twice). */
  const starting = new Set<string>();
  /** Starts under way, so closing can wait for them and cancel what they start. */
  const launching = new Set<Promise<unknown>>();

  return {
    get: (runId: string): RunEntry | undefined => runs.get(runId),
    entries: (): IterableIterator<RunEntry> => runs.values(),

    /**
     * Keeps an entry, newest last (also when a live one has just ended); only the newest
     * `KEEP_ENDED_RUNS` ended runs stay, the others are released.
     */
    remember(entry: RunEntry): void {
      runs.delete(entry.runId);
      runs.set(entry.runId, entry);
      const ended = [...runs.values()].filter(isEnded);
      for (const old of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED_RUNS))) if (old !== entry) runs.delete(old.runId);
    },

    /** A known run, or the one `open` reads (once, however many ask meanwhile). */
    entryFor(runId: string, open: () => Promise<RunEntry>): Promise<RunEntry> {
      const known = runs.get(runId);
      if (known !== undefined) return Promise.resolve(known);
      let pending = opening.get(runId);
      if (pending === undefined) {
        pending = open().finally(() => opening.delete(runId));
        opening.set(runId, pending);
      }
      return pending;
    },

    /** Runs `start` unless `key` (an import id or run id) is already being started. */
    async startingOnce<T>(key: string, busy: string, start: () => Promise<T>): Promise<T> {
      if (starting.has(key)) throw failed(busy);
      starting.add(key);
      try {
        return await start();
      } finally {
        starting.delete(key);
      }
    },

    /** Follows a start until the core answers. */
    async launching<T>(beginning: Promise<T>): Promise<T> {
      launching.add(beginning);
      try {
        return await beginning;
      } finally {
        launching.delete(beginning);
      }
    },

    /** Waits for the starts under way (whatever they answer). */
    async settled(): Promise<void> {
      await Promise.allSettled([...launching]);
    },
  };
}

export type RunRegistry = ReturnType<typeof createRunRegistry>;
