// What the run knows about one row it sends: the live state shown to people and the outcome
// written to the results file. Rebuilt from the journal on resume.
import type { RowJournalState } from './journal-entry.ts';
import { outcomeOfWriteStatus } from '../shared/outcomes.ts';
import type { RowState } from '../shared/row-states.ts';

/** Where a row that will not reach Propexo, or failed there, stopped. */
export const ROW_STAGES = ['validation', 'match', 'request', 'job', 'not_sent'] as const;
export type RowStage = (typeof ROW_STAGES)[number];

export interface RowRecord {
  readonly row: number;
  readonly leadId: string;
  outcome: RowState;
  jobId?: string;
  httpStatus?: number;
  errors: readonly string[];
  /** Update requests sent for this row (429s included). */
  attempts: number;
  stage?: RowStage;
}

/** A written row's errors with the note it was sent with (the undo: fields written over a change made since). */
export const withNote = (outcome: RowState, errors: readonly string[], note: string | undefined): readonly string[] =>
  note !== undefined && (outcome === 'succeeded' || outcome === 'partial') ? [...errors, note] : errors;

/** The record a row starts with: fresh, or what the journal already says about it. */
export function startingRecord(row: number, leadId: string, state: RowJournalState | undefined): RowRecord {
  const record: RowRecord = { row, leadId, outcome: 'queued', errors: [], attempts: state?.attempts ?? 0 };
  if (!state) return record;
  if (state.jobId !== undefined) record.jobId = state.jobId;
  const last = state.last;
  switch (last.t) {
    case 'final':
      record.outcome = outcomeOfWriteStatus(last.writeStatus);
      record.errors = withNote(record.outcome, last.errors, state.note);
      record.stage = 'job';
      break;
    case 'rejected':
      record.outcome = 'rejected';
      record.httpStatus = last.httpStatus;
      record.errors = [last.message, ...last.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))];
      record.stage = 'request';
      break;
    case 'failed':
      record.outcome = 'failed';
      if (last.httpStatus !== undefined) record.httpStatus = last.httpStatus;
      record.errors = [last.reason];
      record.stage = 'request';
      break;
    case 'unknown':
      record.outcome = 'unknown';
      record.errors = [last.reason];
      record.stage = 'request';
      break;
    case 'pending':
      record.outcome = 'pending';
      break;
    case 'not_sent':
      record.outcome = 'queued';
      break;
    case 'accepted':
    case 'retried':
      record.outcome = 'accepted';
      break;
    case 'unchanged':
      record.outcome = 'unchanged';
      if (last.reason !== undefined) record.errors = [last.reason];
      break;
    case 'unmatched':
      record.outcome = last.outcome;
      record.errors = [last.message];
      record.stage = 'match';
      break;
    case 'sent':
    case 'requeued':
      record.outcome = 'queued';
      break;
  }
  return record;
}
