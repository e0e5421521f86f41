// How rows end: the one place for the outcome a write status gives, which states are still
// under way, what a row left under way becomes when its run ends, and how a run's rows are
// counted. The engine, the journal fold, the desktop views, the reports and the renderer all
// read it. Pure on purpose (no imports but types): the renderer imports its values. The
// names of states are here, not in row-record.ts (whose codecs are built from them), so that
// this module depends on no other module's values.
import type { RunCounts } from '../run/run-counts.ts';

/** Every `write_status` Propexo's write-status endpoint answers (PENDING: ask again later). */
export type ApiWriteStatus = 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILURE' | 'PENDING';
export const API_WRITE_STATUSES: readonly ApiWriteStatus[] = ['SUCCESS', 'PARTIAL_SUCCESS', 'FAILURE', 'PENDING'];

/**
 * The outcomes a row that was to be sent ends with, in the order people read them. `unchanged`:
 * the preview found the lead already as the row says, so nothing was sent and nothing is to do
 * (a good ending, read beside `succeeded`; never counted as sent). `not_found` / `ambiguous`: the
 * check against Propexo found no lead, or several, for the row (stage `match`): never sent.
 */
export const FINAL_OUTCOMES = [
  'succeeded',
  'unchanged',
  'partial',
  'failed',
  'rejected',
  'not_found',
  'ambiguous',
  'unknown',
  'pending',
  'not_sent',
] as const;
export type SendOutcome = (typeof FINAL_OUTCOMES)[number];

/** No answer yet: waiting, being sent, or waiting to be sent again. */
export const IN_FLIGHT_STATES = ['queued', 'sending', 'retrying'] as const;
/** No outcome yet: in flight, or accepted with the job's write status still to come. */
export const UNFINISHED_STATES = [...IN_FLIGHT_STATES, 'accepted'] as const;
/** Rows the run never sends: they failed checking, or change nothing. */
export const NEVER_SENT_STATES = ['invalid', 'skipped'] as const;

/** Every state a row can show, live and final, including rows that are never sent. */
export const ROW_STATES = [...UNFINISHED_STATES, ...FINAL_OUTCOMES, ...NEVER_SENT_STATES] as const;
export type RowState = (typeof ROW_STATES)[number];

/** The outcome a job's write status gives its row. */
export type WriteOutcome = Extract<SendOutcome, 'succeeded' | 'partial' | 'failed' | 'pending'>;

const OUTCOME_OF_WRITE_STATUS: Readonly<Record<ApiWriteStatus, WriteOutcome>> = {
  SUCCESS: 'succeeded',
  PARTIAL_SUCCESS: 'partial',
  // The PMS refused the write: the row failed, at stage `job` (a request that failed is stage
  // `request`). The journal's counts keep the two apart as `write_failed` / `failed`.
  FAILURE: 'failed',
  PENDING: 'pending',
};

export const outcomeOfWriteStatus = (status: ApiWriteStatus): WriteOutcome => OUTCOME_OF_WRITE_STATUS[status];

/** Rows that need nobody's attention: written, already up to date, or empty. */
const SETTLED_WELL: ReadonlySet<RowState> = new Set<RowState>(['succeeded', 'unchanged', 'skipped']);
/** Whether a row belongs under "problems": everything but rows that need nobody's attention. */
export const needsAttention = (state: RowState): boolean => !SETTLED_WELL.has(state);

const IN_FLIGHT: ReadonlySet<RowState> = new Set(IN_FLIGHT_STATES);
const UNFINISHED: ReadonlySet<RowState> = new Set(UNFINISHED_STATES);

export const isInFlight = (state: RowState): boolean => IN_FLIGHT.has(state);
/** Whether the row has its outcome (invalid and skipped rows have theirs from the start). */
export const isFinalState = (state: RowState): boolean => !UNFINISHED.has(state);

/**
 * What a row's state means once its run has ended: a row still in flight was not sent, and
 * an accepted job nobody followed to its end is pending (its status can be checked later).
 */
export function endedState(state: RowState): RowState {
  if (IN_FLIGHT.has(state)) return 'not_sent';
  if (state === 'accepted') return 'pending';
  return state;
}

/** Why a valid row that the run never reached shows as not sent. */
export const NOT_REACHED = 'the run ended before this row was sent';

/** What counting needs of a row's record (RowRecord has it). */
export interface EndingRow {
  readonly outcome: RowState;
  /** Update requests sent for the row. */
  readonly attempts: number;
}

/** How many rows a file had, and how they came out of checking. */
export interface RowTotals {
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly skipped: number;
}

/**
 * The counts of an ended run: each record by its ended state; valid rows without a record
 * were never reached, so not sent. `records` holds the valid rows' records only.
 */
export function countRun(runId: string, totals: RowTotals, records: Iterable<EndingRow>): RunCounts {
  const count = {
    sent: 0,
    succeeded: 0,
    unchanged: 0,
    partial: 0,
    failed: 0,
    rejected: 0,
    notFound: 0,
    ambiguous: 0,
    unknown: 0,
    pending: 0,
    notSent: 0,
  };
  let seen = 0;
  for (const record of records) {
    seen++;
    if (record.attempts > 0) count.sent++;
    const state = endedState(record.outcome);
    switch (state) {
      case 'succeeded':
      case 'unchanged':
      case 'partial':
      case 'failed':
      case 'rejected':
      case 'unknown':
      case 'pending':
        count[state]++;
        break;
      case 'not_found':
        count.notFound++;
        break;
      case 'ambiguous':
        count.ambiguous++;
        break;
      default:
        count.notSent++;
    }
  }
  count.notSent += Math.max(0, totals.valid - seen);
  return { runId, rows: totals.rows, valid: totals.valid, invalid: totals.invalid, skipped: totals.skipped, ...count };
}
