// Live runs: a run started through the core and followed here. Its row changes go through a
// batcher to 'run:update' (at most one message per `batchIntervalMs`, each changed row once
// with its latest state); when it ends, the last changes, then 'run:finished' with the summary.
import * as E from 'fp-ts/Either';
import type { RowRecord } from '../run/row-record.ts';
import type { LiveRun, RunCallbacks, RunError } from '../run/send-run.ts';
import { createBatcher, type Batcher } from './batcher.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { DesktopEventSender } from './events.ts';
import type { LiveEntry, RunRegistry } from './run-registry.ts';
import { progressView, recordView, stoppedReasonOf, summarizeRows, summaryView } from './run-views.ts';
import type { RunProgressView } from '../shared/views.ts';

export interface LiveRunDeps {
  readonly batchIntervalMs: number;
  readonly emit: DesktopEventSender;
  readonly registry: RunRegistry;
  /** The service has closed: a run created now stops at once (and stays resumable). */
  readonly closed: () => boolean;
}

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
    process: (records) => {
      const entry = known.entry;
      if (entry === undefined) {
        // Changes before the run's id is known (never seen, but never lost either).
        for (const record of records) batcher.add(record.row, record);
        return;
      }
      deps.emit('run:update', { runId: entry.runId, rows: records.map(recordView), progress: liveProgress(entry) });
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
