// Live runs: a run started through the core and followed here. Its row changes go through a
// batcher to 'run:update' (at most one message per `batchIntervalMs`, each changed row once
// with its latest state); when it ends, the last changes, then 'run:finished' with the summary
// (an undo's with what its write-backs found: undo-views.ts).
import * as E from 'fp-ts/Either';
import type { RowRecord } from '../run/row-record.ts';
import type { LiveRun, RunCallbacks, RunError } from '../run/send-run.ts';
import { createBatcher, type Batcher } from './batcher.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { DesktopEventSender } from './events.ts';
import type { LiveEntry, RunRegistry } from './run-registry.ts';
import { progressView, recordView, stoppedReasonOf, summarizeRows, summaryView } from './run-views.ts';
import { withUndoFound } from './undo-views.ts';
import type { RunProgressView } from '../shared/views.ts';

export interface LiveRunDeps {
  /** Where the runs are: an undo's undo.json is read from its folder when it ends. */
  readonly dataDir: string;
  readonly batchIntervalMs: number;
  readonly emit: DesktopEventSender;
  readonly registry: RunRegistry;
  /** The service has closed: a run created now stops at once (and stays resumable). */
  readonly closed: () => boolean;
}

/**
 * A 'run:update' message stays well under 256 KB: rows past this many characters of JSON wait
 * for the next message (at most ~10 a second), and past `MAX_PENDING_ROWS` waiting rows the
 * message says `refresh` instead of listing them (the page reads its rows again).
 */
const MAX_UPDATE_CHARS = 192 * 1024;
const MAX_PENDING_ROWS = 20_000;

/** About the JSON length of a row's view (a few characters over, never under, for ASCII text). */
export const viewWeight = (record: Readonly<RowRecord>): number => {
  let chars = 140 + record.leadId.length + (record.jobId?.length ?? 0);
  for (const error of record.errors) chars += error.length + 3;
  return chars;
};

export const liveProgress = (entry: LiveEntry): RunProgressView => progressView(entry.live.progress(), entry.index, entry.stoppedReason);

/** The live run of this id that has not ended, for pause, resume and cancel. */
export function liveEntry(registry: RunRegistry, runId: string, action: string): LiveEntry {
  const entry = registry.get(runId);
  if (entry === undefined || entry.kind !== 'live') throw failed(`Run ${runId} is not running in this window: nothing to ${action}.`);
  if (entry.summary !== null) throw failed(`Run ${runId} has already ended: nothing to ${action}.`);
  return entry;
}

/** Starts a run through the core and follows it: events while it runs, the summary at the end. */
export async function launch(
  deps: LiveRunDeps,
  importId: string | null,
  start: (callbacks: RunCallbacks) => Promise<E.Either<RunError, LiveRun>>,
): Promise<LiveEntry> {
  /** Set once the core has given the run its id. */
  const known: { entry?: LiveEntry } = {};
  const batcher: Batcher<number, Readonly<RowRecord>> = createBatcher<number, Readonly<RowRecord>>({
    wait: deps.batchIntervalMs,
    maxSize: MAX_UPDATE_CHARS,
    weigh: viewWeight,
    maxPending: MAX_PENDING_ROWS,
    process: (records, overflowed) => {
      const entry = known.entry;
      if (entry === undefined) {
        // Changes before the run's id is known (never seen, but never lost either).
        for (const record of records) batcher.add(record.row, record);
        return;
      }
      const rows = records.map(recordView);
      deps.emit(
        'run:update',
        overflowed
          ? { runId: entry.runId, rows, progress: liveProgress(entry), refresh: true }
          : { runId: entry.runId, rows, progress: liveProgress(entry) },
      );
    },
  });
  let started: E.Either<RunError, LiveRun>;
  try {
    started = await deps.registry.launching(start({ onRow: (record) => batcher.add(record.row, record) }));
  } catch (error) {
    batcher.close();
    throw failed(messageOf(error));
  }
  if (E.isLeft(started)) {
    batcher.close();
    throw failed(started.left.message);
  }
  const live = started.right;
  const created: LiveEntry = {
    kind: 'live',
    runId: live.runId,
    // The core's row table: built in the pass that checked the rows it sends.
    index: live.rows,
    importId,
    live,
    batcher,
    records: live.records,
    summary: null,
    stoppedReason: null,
    ended: Promise.resolve(),
    filterCache: new Map(),
  };
  known.entry = created;
  deps.registry.remember(created);
  if (deps.closed()) live.cancel();
  created.ended = live.done
    .then(
      (summary) => {
        created.stoppedReason = stoppedReasonOf(summary);
        return summaryView(summary);
      },
      (error: unknown) => {
        created.stoppedReason = `The run ended unexpectedly: ${messageOf(error)}`;
        return summarizeRows(created.runId, created.index, created.records, created.stoppedReason);
      },
    )
    // An undo's summary says what its write-backs found (its undo.json), set with the rest: the run has ended only then.
    .then(async (summary) => {
      created.summary = await withUndoFound(deps.dataDir, summary).catch(() => summary);
    })
    .then(async () => {
      // The last changes and the final progress, then the summary.
      batcher.touch();
      await batcher.flushAndWait();
      batcher.close();
      // Now the run on screen: older ended runs are released (read again from their journal if asked).
      if (deps.registry.get(created.runId) === created) deps.registry.remember(created);
      if (created.summary !== null) deps.emit('run:finished', { runId: created.runId, summary: created.summary });
    });
  return created;
}
