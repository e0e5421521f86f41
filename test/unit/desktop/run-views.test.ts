// The run table of an ended run says of each row what the run's summary counts it as.
import { describe, expect, it } from 'vitest';
import { rowView, summarizeRows } from '../../../app/desktop/run-views.ts';
import { INVALID, SKIPPED, VALID, type RunRowIndex } from '../../../app/run/run-row-index.ts';
import type { RowRecord } from '../../../app/run/row-record.ts';
import type { RowState } from '../../../app/shared/row-states.ts';

/** Rows 2..7: five valid, one invalid, one skipped. */
function index(): RunRowIndex {
  return {
    rowNumbers: Int32Array.from([2, 3, 4, 5, 6, 7, 8]),
    status: Uint8Array.from([VALID, VALID, VALID, VALID, VALID, INVALID, SKIPPED]),
    leadIds: ['L2', 'L3', 'L4', 'L5', 'L6', null, 'L8'],
    problems: new Map([
      [7, ['lead_id: missing']],
      [8, ['nothing to change']],
    ]),
    counts: { rows: 7, valid: 5, invalid: 1, skipped: 1 },
  };
}

const record = (row: number, outcome: RowState, attempts = 1): RowRecord => ({ row, leadId: `L${row}`, outcome, errors: [], attempts });

describe('an ended run, row by row and counted', () => {
  const records = new Map<number, RowRecord>([
    [2, record(2, 'succeeded')],
    [3, record(3, 'accepted')],
    [4, record(4, 'sending')],
    [5, record(5, 'queued', 0)],
  ]);
  const rows = Array.from({ length: 7 }, (_, i) => rowView(index(), i, records, true));

  it('shows an accepted job nobody followed to its end as pending, as the summary counts it', () => {
    expect(rows[1].outcome).toBe('pending');
    expect(summarizeRows('r1', index(), records, null)).toMatchObject({ pending: 1 });
  });

  it('shows rows left in flight, and valid rows never reached, as not sent with the reason', () => {
    expect(rows.slice(2, 5).map((r) => r.outcome)).toEqual(['not_sent', 'not_sent', 'not_sent']);
    expect(rows[4].errors).toEqual(['the run ended before this row was sent']);
    expect(rows[5]).toMatchObject({ outcome: 'invalid', errors: ['lead_id: missing'] });
    expect(rows[6]).toMatchObject({ outcome: 'skipped', errors: ['nothing to change'] });
  });

  it('counts every state of the table once', () => {
    const summary = summarizeRows('r1', index(), records, 'cancelled');
    expect(summary).toEqual({
      runId: 'r1',
      rows: 7,
      valid: 5,
      invalid: 1,
      skipped: 1,
      sent: 3,
      succeeded: 1,
      unchanged: 0,
      partial: 0,
      failed: 0,
      rejected: 0,
      notFound: 0,
      ambiguous: 0,
      unknown: 0,
      pending: 1,
      notSent: 3,
      stoppedReason: 'cancelled',
    });
    const shown = rows.slice(0, 5).map((r) => r.outcome);
    expect(shown.filter((s) => s === 'not_sent')).toHaveLength(summary.notSent);
    expect(shown.filter((s) => s === 'pending')).toHaveLength(summary.pending);
  });
});
