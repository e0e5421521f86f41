// The core's run shapes as the UI sees them (app/shared/views.ts): plain, copied data.
import { emptyCounts, type RunProgress } from '../run/progress.ts';
import type { RowRecord } from '../run/row-record.ts';
import type { StoredRunSummary } from '../run/run-store.ts';
import { countRun, isFinalState, NOT_REACHED, type RowTotals } from '../shared/outcomes.ts';
import type { PreparingStep, RunResult } from '../run/send-run.ts';
import { VALID, type RunRowIndex } from '../run/run-row-index.ts';
import { stateAt } from './run-rows.ts';
import type { RowStateName, RunListItem, RunProgressView, RunRowView, RunSummaryView } from '../shared/views.ts';
import { runCounts } from '../run/run-counts.ts';

/** A live row change, as 'run:update' carries it (a copy: the engine updates records in place). */
export function recordView(record: Readonly<RowRecord>): RunRowView {
  return {
    rowNumber: record.row,
    leadId: record.leadId,
    outcome: record.outcome,
    jobId: record.jobId ?? null,
    httpStatus: record.httpStatus ?? null,
    errors: [...record.errors],
    attempts: record.attempts,
  };
}

/** The row at `index` of the run's table. */
export function rowView(index: RunRowIndex, i: number, records: ReadonlyMap<number, Readonly<RowRecord>>, ended: boolean): RunRowView {
  const rowNumber = index.rowNumbers[i];
  const outcome = stateAt(index, i, records, ended);
  const record = records.get(rowNumber);
  if (record !== undefined) {
    const errors = outcome === 'not_sent' && record.errors.length === 0 ? [NOT_REACHED] : [...record.errors];
    return { ...recordView(record), outcome, errors };
  }
  const errors = index.problems.get(rowNumber) ?? (outcome === 'not_sent' ? [NOT_REACHED] : []);
  return { rowNumber, leadId: index.leadIds.at(i) ?? '', outcome, jobId: null, httpStatus: null, errors: [...errors], attempts: 0 };
}

/**
 * A live run's progress, with the rows it never sends counted too, and the valid rows the
 * engine has not reached yet counted as queued.
 */
export function progressView(p: RunProgress, index: RunRowIndex, stoppedReason: string | null): RunProgressView {
  const counts: Record<RowStateName, number> = { ...p.counts };
  counts.invalid = index.counts.invalid;
  counts.skipped = index.counts.skipped;
  let seen = 0;
  for (const [state, n] of Object.entries(p.counts)) if (state !== 'invalid' && state !== 'skipped') seen += n;
  if (seen < p.toSend && (p.state === 'running' || p.state === 'paused')) counts.queued += p.toSend - seen;
  return {
    runId: p.runId,
    state: p.state,
    toSend: p.toSend,
    done: p.done,
    counts,
    requests: { ...p.requests },
    requestsPerMinute: p.requestsPerMinute,
    etaMs: p.etaMs ?? null,
    stoppedReason,
  };
}

/**
 * A new run still preparing (`preparing` says which step), or one whose preparation failed
 * (`stoppedReason`): nothing sent, every valid row waiting (or not sent).
 */
export function unsentProgress(
  runId: string,
  totals: RowTotals,
  preparing: PreparingStep | null,
  stoppedReason: string | null,
): RunProgressView {
  const counts: Record<RowStateName, number> = { ...emptyCounts(), invalid: totals.invalid, skipped: totals.skipped };
  if (preparing !== null) counts.queued = totals.valid;
  else counts.not_sent = totals.valid;
  return {
    runId,
    state: preparing !== null ? 'running' : 'stopped',
    toSend: totals.valid,
    done: preparing !== null ? 0 : totals.valid,
    counts,
    requests: { update: 0, status: 0, logs: 0, retries: 0, throttled: 0 },
    requestsPerMinute: 0,
    etaMs: preparing !== null ? null : 0,
    stoppedReason,
    ...(preparing !== null ? { preparing } : {}),
  };
}

/** Why a run ended early, for people (a cancel is not a problem: the state says it). */
export const stoppedReasonOf = (summary: RunResult): string | null =>
  summary.stopped !== null && summary.stopped.reason !== 'cancelled' ? summary.stopped.message : null;

export function summaryView(s: RunResult): RunSummaryView {
  return { ...runCounts(s), stoppedReason: stoppedReasonOf(s) };
}

/** Counts of the valid rows by state (a run that is not live), plus how many the index lacks. */
function tally(index: RunRowIndex, records: ReadonlyMap<number, Readonly<RowRecord>>, ended: boolean): Record<RowStateName, number> {
  const counts = emptyCounts();
  let validSeen = 0;
  for (let i = 0; i < index.rowNumbers.length; i++) {
    if (index.status[i] !== VALID) continue;
    validSeen++;
    counts[stateAt(index, i, records, ended)]++;
  }
  // Rows the journal never mentions, when the file could not be read: never sent.
  counts.not_sent += Math.max(0, index.counts.valid - validSeen);
  counts.invalid = index.counts.invalid;
  counts.skipped = index.counts.skipped;
  return counts;
}

/** The records of the index's valid rows (a record of any other row is not the run's). */
function* validRecords(index: RunRowIndex, records: ReadonlyMap<number, Readonly<RowRecord>>): Generator<Readonly<RowRecord>> {
  for (let i = 0; i < index.rowNumbers.length; i++) {
    const record = index.status[i] === VALID ? records.get(index.rowNumbers[i]) : undefined;
    if (record !== undefined) yield record;
  }
}

/** The summary of a run that is not live, from its rows and records. */
export function summarizeRows(
  runId: string,
  index: RunRowIndex,
  records: ReadonlyMap<number, Readonly<RowRecord>>,
  stoppedReason: string | null,
): RunSummaryView {
  return { ...countRun(runId, index.counts, validRecords(index, records)), stoppedReason };
}

/** The progress of a run that is not live in this app (from its journal). */
export function pastProgress(
  runId: string,
  index: RunRowIndex,
  records: ReadonlyMap<number, Readonly<RowRecord>>,
  state: RunProgressView['state'],
  stoppedReason: string | null,
): RunProgressView {
  const ended = state !== 'running';
  const counts = tally(index, records, ended);
  let done = 0;
  for (const [name, n] of Object.entries(counts))
    if (name !== 'invalid' && name !== 'skipped' && isFinalState(name as RowStateName)) done += n;
  return {
    runId,
    state,
    toSend: index.counts.valid,
    done,
    counts,
    requests: { update: 0, status: 0, logs: 0, retries: 0, throttled: 0 },
    requestsPerMinute: 0,
    etaMs: ended ? 0 : null,
    stoppedReason,
  };
}

export function listItem(s: StoredRunSummary): RunListItem {
  return {
    runId: s.runId,
    createdAt: s.createdAt,
    fileName: s.file.name,
    filePath: s.file.path,
    environment: s.environment.name,
    state: s.state,
    rows: s.counts.rows,
    outcomes: { ...s.outcomes },
    undoOf: s.undoOf ?? null,
    undoneBy: [...(s.undoneBy ?? [])],
  };
}
