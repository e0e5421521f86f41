// 5. Run: the live view of a send (or the results of a past one). Progress, counts by outcome,
// requests per minute, time left, pause/resume/cancel; a virtualized table of every row that
// stays smooth at 100,000 rows: one store fed by the batched 'run:update' events and applied
// once per animation frame, pages of rows fetched by range for what no batch brought.
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { RowStateName, RunFilter, RunListItem, RunRowView, RunSummaryView } from '../../app/shared/views.ts';
import { FINAL_OUTCOMES, UNFINISHED_STATES } from '../../app/shared/outcomes.ts';
import type { RunRef } from '../app/session.ts';
import { bridge } from '../bridge.ts';
import { Badge, EmptyState, ErrorText, ProgressBar, Spinner, Stat } from '../components/Bits.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { useNotices } from '../components/Notices.tsx';
import { UndoFound } from '../components/UndoFound.tsx';
import { VirtualGrid, type GridCell, type GridColumn } from '../components/VirtualGrid.tsx';
import { RunRowsStore, type PaintTiming } from '../data/run-rows-store.ts';
import { usePagedList } from '../data/usePagedList.ts';
import {
  count,
  duration,
  environmentLabel,
  outcomeHelpIn,
  outcomeLabelIn,
  outcomeToneIn,
  percent,
  plural,
  progressAnnouncement,
  rowBadge,
  rowSentence,
  runStateHelp,
  runStateLabel,
  runStateTone,
} from '../format.ts';

export interface RunScreenProps {
  readonly run: RunRef;
  readonly onExportErrors: (run: RunRef) => void;
  readonly onExportResults: (run: RunRef) => void;
  /** A retry or re-check started another pass (same or new run id). */
  readonly onContinued: (run: RunRef) => void;
}

const PAGE = 100;
const ROW_HEIGHT = 32;
/** A live table re-reads the rows on screen at most this often (which rows a filter shows moves). */
const LIVE_REFRESH_MS = 1_000;

/** Measured in the page: how long a batch waits before it is on screen (read by the UI benchmark). */
export const BATCH_TO_PAINT = 'lead-importer:batch-to-paint';

const pageTiming: PaintTiming = {
  now: () => performance.now(),
  painted: (arrivedAt, paintedBy) => {
    // Observers (the benchmark's PerformanceObserver) get the entry; the buffer does not keep it.
    performance.measure(BATCH_TO_PAINT, { start: arrivedAt, end: paintedBy });
    performance.clearMeasures(BATCH_TO_PAINT);
  },
};

const frames = { request: (callback: () => void) => void requestAnimationFrame(() => callback()) };

const FILTER_CHOICES: readonly RunFilter[] = ['all', 'problems', ...FINAL_OUTCOMES, ...UNFINISHED_STATES, 'invalid', 'skipped'];

type Counts = Partial<Record<RowStateName, number>>;

function countsOfSummary(s: RunSummaryView): Counts {
  return {
    succeeded: s.succeeded,
    unchanged: s.unchanged,
    partial: s.partial,
    failed: s.failed,
    rejected: s.rejected,
    unknown: s.unknown,
    pending: s.pending,
    not_sent: s.notSent,
    invalid: s.invalid,
    skipped: s.skipped,
  };
}

export function RunScreen({ run, onExportErrors, onExportResults, onContinued }: RunScreenProps): ReactNode {
  const notices = useNotices();
  const { runId } = run;
  const kind = { undo: run.undoOf !== undefined };
  // Not disposed on unmount: the event subscriptions below end with the screen, and a store
  // nothing listens to is simply collected (StrictMode's extra mount must not find it dead).
  const store = useMemo(() => new RunRowsStore({ runId, frames, timing: pageTiming }), [runId]);

  useSyncExternalStore(
    useCallback((listener: () => void) => store.subscribe(listener), [store]),
    () => store.version,
  );
  const progress = store.progress;
  const [summary, setSummary] = useState<RunSummaryView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState<RunFilter>('all');
  const [active, setActive] = useState<{ row: number; column: number } | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [acting, setActing] = useState<string | null>(null);

  // Events first, then what is already there: nothing falls between the two.
  useEffect(() => {
    const api = bridge();
    const offUpdate = api.on('run:update', (update) => store.receive(update));
    const offFinished = api.on('run:finished', (finished) => {
      if (finished.runId === runId) setSummary(finished.summary);
    });
    let cancelled = false;
    void (async () => {
      const live = await api.runProgress({ runId });
      if (cancelled) return;
      if (live.ok) store.setProgress(live.value);
      if (!live.ok || live.value.state !== 'running') {
        const opened = await api.openRun({ runId });
        if (cancelled) return;
        if (opened.ok) setSummary(opened.value);
        else if (!live.ok) setLoadError(`Could not open run ${runId}: ${opened.error.message}`);
      }
    })();
    return () => {
      cancelled = true;
      offUpdate();
      offFinished();
    };
  }, [store, runId]);

  const fetchPage = useCallback(
    async (offset: number, limit: number) => {
      const askedAt = store.sequence;
      const result = await bridge().runRows({ runId, filter, offset, limit });
      if (result.ok) store.mergePage(result.value.rows, askedAt);
      return result;
    },
    [store, runId, filter],
  );
  const list = usePagedList<number, RunRowView>({ pageSize: PAGE, fetchPage, select: (r) => r.rowNumber });

  const state = runState(progress?.state ?? null, summary, run.state);
  const isLive = state === 'running' || state === 'paused';

  // While rows move, the rows a filter shows move too: re-read the visible ones now and then.
  // 'All rows' is every row of the file in file order from the start: batches keep it current,
  // unless one said it could not list every changed row.
  useEffect(() => {
    if (!isLive) return;
    const timer = window.setInterval(() => {
      const batched = filter !== 'all' && store.takeBatchesSinceRefresh() > 0;
      if (store.takeRefreshWanted() || batched) list.refresh();
    }, LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [isLive, filter, store, list.refresh]);

  // The final state of every row once the run ends.
  useEffect(() => {
    if (summary !== null) list.refresh();
  }, [summary, list.refresh]);

  useEffect(() => setActive(null), [filter]);

  const counts: Counts =
    progress !== null && summary === null
      ? progress.counts
      : summary !== null
        ? { ...(progress?.counts ?? {}), ...countsOfSummary(summary) }
        : {};
  /** Nothing read yet (a run reopened from history): figures show as dashes, not zeros. */
  const known = progress !== null || summary !== null;
  // Shown as 'in flight': every row still without its outcome, accepted jobs included.
  const inFlight = UNFINISHED_STATES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  const retryableCount = (counts.failed ?? 0) + (counts.rejected ?? 0) + (counts.unknown ?? 0) + (counts.not_sent ?? 0);

  const columns = useMemo<GridColumn[]>(
    () => [
      { key: 'row', header: 'Row', width: '72px', align: 'end', title: 'Row number in the file' },
      { key: 'lead', header: 'Lead ID', width: 'minmax(120px, 1fr)' },
      { key: 'outcome', header: 'Outcome', width: '150px' },
      { key: 'job', header: 'Job ID', width: 'minmax(140px, 1fr)' },
      { key: 'errors', header: 'What happened', width: 'minmax(200px, 3fr)' },
      { key: 'attempts', header: 'Tries', width: '64px', align: 'end', title: 'Update requests sent for this row' },
    ],
    [],
  );

  const cellsOf = useCallback(
    (index: number): GridCell[] | null => {
      const rowNumber = list.cache.get(index);
      const row = rowNumber === undefined ? undefined : store.row(rowNumber);
      if (row === undefined) return null;
      const errors = row.errors.join(' · ');
      const sentence = rowSentence(row);
      const badge = rowBadge(row);
      return [
        { content: count(row.rowNumber), className: 'cell-rownum' },
        { content: <span className="cell-text mono">{row.leadId}</span>, title: row.leadId },
        {
          content: (
            <Badge tone={badge.tone} title={badge.help}>
              {badge.label}
            </Badge>
          ),
        },
        { content: <span className="cell-text mono">{row.jobId ?? ''}</span>, title: row.jobId ?? undefined },
        {
          content: <span className="cell-text">{sentence}</span>,
          title: sentence,
          className: errors === '' ? undefined : badge.tone === 'bad' ? 'cell--error-text' : 'cell--note-text',
        },
        { content: row.attempts === 0 ? '' : count(row.attempts), className: 'cell-num' },
      ];
    },
    // store.version: a batch was applied; list.version: a page arrived.
    [list.cache, list.version, store, store.version],
  );
  const rowKeyOf = useCallback(
    (index: number) => {
      const rowNumber = list.cache.get(index);
      return rowNumber === undefined ? undefined : store.row(rowNumber);
    },
    [list.cache, list.version, store, store.version],
  );

  const act = async (name: string, action: () => Promise<void>): Promise<void> => {
    setActing(name);
    try {
      await action();
    } finally {
      setActing(null);
    }
  };

  const control = (request: 'pauseRun' | 'resumeRun' | 'cancelRun', doing: string): void =>
    void act(request, async () => {
      const result = await bridge()[request]({ runId });
      if (!result.ok) notices.error(`Could not ${doing} the run: ${result.error.message}`);
      else {
        const fresh = await bridge().runProgress({ runId });
        if (fresh.ok) store.setProgress(fresh.value);
      }
    });

  const continueWith = (request: 'retryRun' | 'recheckRun' | 'resumeInterrupted', doing: string): void =>
    void act(request, async () => {
      const result = await bridge()[request]({ runId });
      // 'cancelled': the person said no in Lead Importer's own Production confirmation.
      if (!result.ok && result.error.code === 'cancelled') notices.info(result.error.message);
      else if (!result.ok) notices.error(`Could not ${doing}: ${result.error.message}`);
      else onContinued({ ...run, runId: result.value.runId, live: true, shownAt: Date.now() });
    });

  const toSend = progress?.toSend ?? summary?.valid ?? 0;
  const done =
    progress?.done ??
    (summary === null ? 0 : summary.succeeded + summary.partial + summary.failed + summary.rejected + summary.unknown + summary.pending);
  const stoppedReason = summary?.stoppedReason ?? progress?.stoppedReason ?? null;

  return (
    <div className="screen screen--run">
      <header className="screen-head">
        <div>
          <h1 className="screen-title">
            {isLive ? 'Sending' : 'Results'}{' '}
            {state !== null ? (
              <Badge tone={runStateTone[state]} title={runStateHelp[state]}>
                <span data-testid="run-state">{runStateLabel[state]}</span>
              </Badge>
            ) : null}
          </h1>
          <p className="screen-subtitle">
            <span className="file-name">{run.fileName}</span> to {environmentLabel(run.environment)} · run{' '}
            <span className="mono">{runId}</span>
          </p>
        </div>
        <div className="toolbar">
          {state === 'running' && progress?.preparing === undefined ? (
            <button type="button" className="button" disabled={acting !== null} onClick={() => control('pauseRun', 'pause')}>
              Pause
            </button>
          ) : null}
          {state === 'paused' ? (
            <button
              type="button"
              className="button button--primary"
              disabled={acting !== null}
              onClick={() => control('resumeRun', 'resume')}
            >
              Resume
            </button>
          ) : null}
          {isLive ? (
            <button type="button" className="button button--quiet" disabled={acting !== null} onClick={() => setConfirmCancel(true)}>
              Cancel run
            </button>
          ) : null}
          <button
            type="button"
            className="button"
            disabled={isLive || state === null}
            onClick={() => onExportErrors(run)}
            data-testid="export-run-errors"
          >
            Export error report…
          </button>
          <button
            type="button"
            className="button"
            disabled={isLive || state === null}
            onClick={() => onExportResults(run)}
            data-testid="export-results"
          >
            Export results…
          </button>
        </div>
      </header>

      <ErrorText message={loadError} />
      {stoppedReason !== null && !isLive ? (
        <div className="callout callout--bad" role="alert">
          <strong>The run stopped early.</strong> {stoppedReason}
        </div>
      ) : null}
      {/* An undo: the fields its write-backs found changed meanwhile, left as they are. */}
      {summary?.undo !== undefined && !isLive ? <UndoFound found={summary.undo} /> : null}

      <p className="sr-only" role="status" aria-live="polite" data-testid="run-announcement">
        {run.live
          ? progressAnnouncement({
              state,
              done,
              toSend,
              succeeded: counts.succeeded ?? 0,
              problems: retryableCount + (counts.partial ?? 0),
            })
          : ''}
      </p>
      <section className="panel run-progress" aria-label="Progress">
        <ProgressBar value={done} max={Math.max(toSend, 1)} label="Rows done" indeterminate={state === null} />
        <div className="run-figures" aria-live="off">
          <span data-testid="run-done">
            {known ? `${count(done)} of ${plural(toSend, 'row')} done (${percent(done, toSend)})` : 'Reading the run…'}
          </span>
          {isLive && progress?.preparing !== undefined ? (
            <span data-testid="run-preparing">
              {progress.preparing === 'checking' ? 'Preparing: checking the rows…' : 'Preparing: reading the file to identify it…'}
            </span>
          ) : isLive && progress !== null ? (
            <>
              <span>{count(Math.round(progress.requestsPerMinute))} requests/min</span>
              <span>{progress.etaMs === null ? 'estimating time left…' : `about ${duration(progress.etaMs)} left`}</span>
              {progress.requests.throttled > 0 ? <span>{plural(progress.requests.throttled, 'slow-down')} from Propexo</span> : null}
            </>
          ) : null}
          {!isLive && summary !== null ? <span>{plural(summary.sent, 'row')} sent</span> : null}
        </div>
        <div className="stats stats--compact" aria-label="Rows by outcome">
          {FINAL_OUTCOMES.map((s) => (
            <Stat
              key={s}
              label={outcomeLabelIn(kind, s).toLowerCase()}
              value={known ? (counts[s] ?? 0) : null}
              tone={(counts[s] ?? 0) > 0 ? outcomeToneIn(kind, s) : 'neutral'}
              title={outcomeHelpIn(kind, s)}
              pressed={filter === s}
              onClick={() => setFilter(filter === s ? 'all' : s)}
              testId={`outcome-${s}`}
            />
          ))}
          <Stat
            label="in progress"
            value={known ? inFlight : null}
            tone={inFlight > 0 ? 'busy' : 'neutral'}
            title="Queued, being sent, or accepted and awaiting an answer"
          />
          {(counts.invalid ?? 0) + (counts.skipped ?? 0) > 0 ? (
            <Stat
              label="not sendable"
              value={(counts.invalid ?? 0) + (counts.skipped ?? 0)}
              title="Invalid or empty rows of the file: never sent (fix them and import the error report)"
              pressed={filter === 'invalid'}
              onClick={() => setFilter(filter === 'invalid' ? 'all' : 'invalid')}
              testId="outcome-unsendable"
            />
          ) : null}
        </div>
      </section>

      <div className="filter-bar">
        <label className="inline-label">
          Show
          <select className="select" value={filter} onChange={(e) => setFilter(e.target.value as RunFilter)} data-testid="run-filter">
            {FILTER_CHOICES.map((f) => (
              <option key={f} value={f}>
                {f === 'all' ? 'All rows' : f === 'problems' ? 'Problems only' : outcomeLabelIn(kind, f)}
              </option>
            ))}
          </select>
        </label>
        <span className="foot-text">{list.total === null ? '' : plural(list.total, 'row')}</span>
        <span className="spacer" />
        {!isLive && run.state === 'interrupted' ? (
          <button
            type="button"
            className="button button--primary"
            disabled={acting !== null}
            onClick={() => continueWith('resumeInterrupted', 'resume the run')}
          >
            {acting === 'resumeInterrupted' ? <Spinner /> : null} Resume run
          </button>
        ) : null}
        {!isLive && state !== null && run.state !== 'interrupted' && (counts.pending ?? 0) > 0 ? (
          <button
            type="button"
            className="button"
            disabled={acting !== null}
            onClick={() => continueWith('recheckRun', 're-check the pending jobs')}
          >
            {acting === 'recheckRun' ? <Spinner /> : null} Re-check pending jobs
          </button>
        ) : null}
        {!isLive && state !== null && run.state !== 'interrupted' && retryableCount > 0 ? (
          <button
            type="button"
            className="button button--primary"
            disabled={acting !== null}
            onClick={() => continueWith('retryRun', 'retry the failed rows')}
            data-testid="retry-run"
            title="Failed jobs are retried; rejected, unknown and unsent rows are sent again"
          >
            {acting === 'retryRun' ? <Spinner /> : null} Retry {plural(retryableCount, 'row')} that did not go through
          </button>
        ) : null}
      </div>

      <ErrorText message={list.error === null ? null : `Could not read the rows: ${list.error}`} onRetry={list.refresh} />

      <VirtualGrid
        label={`Rows of run ${runId}`}
        className="run-grid"
        columns={columns}
        rowCount={list.total ?? 0}
        rowHeight={ROW_HEIGHT}
        cellsOf={cellsOf}
        rowKeyOf={rowKeyOf}
        onRange={list.show}
        activeRow={active?.row ?? null}
        activeColumn={active?.column ?? null}
        onActiveChange={(row, column) => setActive({ row, column })}
        busy={list.total === null}
        testId="run-grid"
        empty={
          list.total === 0 ? (
            <EmptyState
              title={
                filter === 'all'
                  ? 'No rows yet'
                  : `No row is ${filter === 'problems' ? 'a problem' : outcomeLabelIn(kind, filter).toLowerCase()}`
              }
            >
              {filter === 'problems' ? 'Every row went through, or is still on its way.' : null}
            </EmptyState>
          ) : (
            <p className="loading-line">
              <Spinner /> Reading rows…
            </p>
          )
        }
      />

      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this run?"
        confirmLabel="Cancel the run"
        cancelLabel="Keep sending"
        danger
        onCancel={() => setConfirmCancel(false)}
        onConfirm={() => {
          setConfirmCancel(false);
          control('cancelRun', 'cancel');
        }}
      >
        <p>
          Rows not sent yet stay unsent; updates already accepted are still followed to their outcome. You can resume the run later from
          History.
        </p>
      </ConfirmDialog>
    </div>
  );
}

type ShownState = RunListItem['state'] | 'paused';

/**
 * What the run is doing: the live progress says it while the run goes; once it has ended (a
 * summary came), the summary; a run reopened from history keeps the state the history gave it.
 */
function runState(live: ShownState | null, summary: RunSummaryView | null, listed: ShownState | undefined): ShownState | null {
  const ended = live !== null && live !== 'running' && live !== 'paused';
  if (ended) return live;
  if (summary !== null) {
    if (live === null && listed !== undefined && listed !== 'running') return listed;
    return summary.stoppedReason !== null ? 'stopped' : 'finished';
  }
  return live ?? listed ?? null;
}
