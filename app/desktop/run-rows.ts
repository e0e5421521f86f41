// The run table's rows: every row of the run's file (the run core's RunRowIndex, built in the
// pass that checks the rows), the rows the run sends next to the ones it never sends (invalid,
// nothing to change), in file order. Rows' states are read from the records on demand, so a
// page costs its rows, not the file.
import { startingRecord, type RowRecord } from '../run/row-record.ts';
import type { JournalEntry, RowJournalState } from '../run/journal-entry.ts';
import { endedState, needsAttention } from '../shared/outcomes.ts';
import { INVALID, SKIPPED, VALID, type RunRowIndex } from '../run/run-row-index.ts';
import { RowRecords } from '../run/row-records.ts';
import type { RowStateName, RunFilter } from '../shared/views.ts';

/**
 * When the run's file is gone or changed: the rows the journal knows (those it sent), with
 * the lead ids it journaled. The header's counts still say how many rows there were.
 */
export function indexFromJournal(
  states: ReadonlyMap<number, RowJournalState>,
  entries: readonly JournalEntry[],
  counts: RunRowIndex['counts'],
): RunRowIndex {
  const leadOf = new Map<number, string>();
  for (const entry of entries) if (entry.t === 'sent') leadOf.set(entry.row, entry.leadId);
  const rows = [...states.keys()].sort((a, b) => a - b);
  return {
    rowNumbers: Int32Array.from(rows),
    status: new Uint8Array(rows.length),
    leadIds: rows.map((row) => leadOf.get(row) ?? null),
    problems: new Map(),
    counts,
  };
}

/**
 * The records of a run that is not running, from its journal, as a person should read them:
 * a row still `queued` or only `sent` when the run ended was not (known to be) applied, and a
 * job never followed to its end is pending.
 */
export function recordsFromJournal(
  index: RunRowIndex,
  states: ReadonlyMap<number, RowJournalState>,
  entries: readonly JournalEntry[],
): RowRecords {
  // The fold keeps a row's last transition only: the HTTP status of its accepted update is earlier.
  const acceptedStatus = new Map<number, number>();
  for (const entry of entries) if (entry.t === 'accepted') acceptedStatus.set(entry.row, entry.httpStatus);
  // Kept compactly (row-records.ts): a past run of 1,000,000 rows holds no million objects.
  const records = new RowRecords();
  for (let i = 0; i < index.rowNumbers.length; i++) {
    if (index.status[i] !== VALID) continue;
    const row = index.rowNumbers[i];
    const state = states.get(row);
    if (state === undefined) continue;
    const record = startingRecord(row, index.leadIds.at(i) ?? '', state);
    const last = state.last;
    const accepted = acceptedStatus.get(row);
    if (
      record.httpStatus === undefined &&
      accepted !== undefined &&
      (last.t === 'final' || last.t === 'pending' || last.t === 'accepted' || last.t === 'retried')
    ) {
      record.httpStatus = accepted;
    }
    switch (last.t) {
      case 'not_sent':
        record.outcome = 'not_sent';
        record.errors = [last.reason];
        break;
      case 'requeued':
        record.outcome = 'not_sent';
        record.errors = ['queued to be sent again when the run ended'];
        break;
      case 'sent':
        record.outcome = 'unknown';
        record.errors = ['the app stopped before Propexo answered: resuming the run sends this row again'];
        record.stage = 'request';
        break;
      case 'accepted':
      case 'retried':
        record.outcome = 'pending';
        record.errors = ['the job was not followed to its end: re-check the run to learn its outcome'];
        break;
      default:
        break;
    }
    records.settle(record);
  }
  return records;
}

/**
 * The state of the row at `index`. A valid row with no record is still waiting (live run) or
 * was never reached (ended run); an ended run shows each row as it ended (`endedState`).
 */
export function stateAt(index: RunRowIndex, i: number, records: ReadonlyMap<number, Readonly<RowRecord>>, ended: boolean): RowStateName {
  const status = index.status[i];
  if (status === INVALID) return 'invalid';
  if (status === SKIPPED) return 'skipped';
  const record = records.get(index.rowNumbers[i]);
  if (record === undefined) return ended ? 'not_sent' : 'queued';
  return ended ? endedState(record.outcome) : record.outcome;
}

/** Whether a row in `state` is shown under `filter` ('problems': outcomes.ts `needsAttention`). */
export function matches(filter: RunFilter, state: RowStateName): boolean {
  if (filter === 'all') return true;
  if (filter === 'problems') return needsAttention(state);
  return filter === state;
}
