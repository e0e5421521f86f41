// How rows end, in one place: every write status and every row state has exactly one meaning.
import { describe, expect, it } from 'vitest';
import openApiDocument from '../../../app/propexo/openapi-lead-update.json' with { type: 'json' };
import {
  API_WRITE_STATUSES,
  countRun,
  endedState,
  FINAL_OUTCOMES,
  IN_FLIGHT_STATES,
  isFinalState,
  isInFlight,
  needsAttention,
  NEVER_SENT_STATES,
  outcomeOfWriteStatus,
  ROW_STATES,
  UNFINISHED_STATES,
  type ApiWriteStatus,
  type RowState,
} from '../../../app/shared/outcomes.ts';
import { matches } from '../../../app/desktop/run-rows.ts';
import { RowState as RowStateCodec, SendOutcome as SendOutcomeCodec } from '../../../app/shared/row-states.ts';
import { outcomeOf } from '../../../app/run/journal-entry.ts';

describe('outcomeOfWriteStatus', () => {
  it('gives each write status its outcome', () => {
    const outcomes = Object.fromEntries(API_WRITE_STATUSES.map((status) => [status, outcomeOfWriteStatus(status)]));
    expect(outcomes).toEqual({ SUCCESS: 'succeeded', PARTIAL_SUCCESS: 'partial', FAILURE: 'failed', PENDING: 'pending' });
  });

  it('is total over the write statuses of the OpenAPI document', () => {
    const schema = openApiDocument.components.schemas['_v1_admin_write-status_{root_job_id}_get_output'];
    const documented: readonly string[] = schema.properties.write_status.enum;
    expect([...documented].sort()).toEqual([...API_WRITE_STATUSES].sort());
    for (const status of documented) expect(SendOutcomeCodec.is(outcomeOfWriteStatus(status as ApiWriteStatus))).toBe(true);
  });

  it('is what the journal counts, a job FAILURE kept apart from a request that failed', () => {
    const final = (writeStatus: 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILURE') =>
      outcomeOf({ t: 'final', at: 0, row: 2, jobId: 'j', writeStatus, errors: [] });
    expect([final('SUCCESS'), final('PARTIAL_SUCCESS'), final('FAILURE')]).toEqual(['succeeded', 'partial', 'write_failed']);
  });
});

describe('row states', () => {
  it('are the codec’s states, each in exactly one group', () => {
    expect([...ROW_STATES].sort()).toEqual(Object.keys(RowStateCodec.keys).sort());
    expect([...FINAL_OUTCOMES].sort()).toEqual(Object.keys(SendOutcomeCodec.keys).sort());
    const groups = [...UNFINISHED_STATES, ...FINAL_OUTCOMES, ...NEVER_SENT_STATES];
    expect(new Set(groups).size).toBe(groups.length);
    expect(new Set(groups)).toEqual(new Set(ROW_STATES));
  });

  it('say for every state whether it is in flight, final, and what it becomes when the run ends', () => {
    const table = Object.fromEntries(ROW_STATES.map((state) => [state, [isInFlight(state), isFinalState(state), endedState(state)]]));
    expect(table).toEqual({
      queued: [true, false, 'not_sent'],
      sending: [true, false, 'not_sent'],
      retrying: [true, false, 'not_sent'],
      accepted: [false, false, 'pending'],
      succeeded: [false, true, 'succeeded'],
      unchanged: [false, true, 'unchanged'],
      partial: [false, true, 'partial'],
      failed: [false, true, 'failed'],
      rejected: [false, true, 'rejected'],
      not_found: [false, true, 'not_found'],
      ambiguous: [false, true, 'ambiguous'],
      unknown: [false, true, 'unknown'],
      pending: [false, true, 'pending'],
      not_sent: [false, true, 'not_sent'],
      invalid: [false, true, 'invalid'],
      skipped: [false, true, 'skipped'],
    });
    expect(IN_FLIGHT_STATES.every((state) => UNFINISHED_STATES.includes(state))).toBe(true);
    // Once the run has ended, no row is left without an outcome.
    for (const state of ROW_STATES) expect(isFinalState(endedState(state))).toBe(true);
  });
});

describe('rows that need attention', () => {
  it('are every state but succeeded, unchanged and skipped, and the desktop’s "problems" filter shows exactly those', () => {
    expect(ROW_STATES.filter((state) => !needsAttention(state))).toEqual(['succeeded', 'unchanged', 'skipped']);
    for (const state of ROW_STATES) expect(matches('problems', state), state).toBe(needsAttention(state));
  });
});

describe('countRun', () => {
  const totals = { rows: 20, valid: 16, invalid: 3, skipped: 1 };
  const row = (outcome: RowState, attempts = 1) => ({ outcome, attempts });

  it('counts each record by how it ended, and valid rows without a record as not sent', () => {
    // Rows that never left: queued, not sent, up to date, and those whose lead was not matched.
    const neverLeft: readonly RowState[] = ['queued', 'not_sent', 'unchanged', 'not_found', 'ambiguous'];
    const records = [...UNFINISHED_STATES, ...FINAL_OUTCOMES].map((state) => row(state, neverLeft.includes(state) ? 0 : 1));
    expect(countRun('run-1', totals, records)).toEqual({
      runId: 'run-1',
      rows: 20,
      valid: 16,
      invalid: 3,
      skipped: 1,
      sent: 9,
      succeeded: 1,
      unchanged: 1, // never sent: not in `sent`
      partial: 1,
      failed: 1,
      rejected: 1,
      notFound: 1, // stage match: never sent
      ambiguous: 1,
      unknown: 1,
      pending: 2, // pending, and accepted with nobody following its job
      // queued, sending, retrying, not_sent, and the 2 valid rows that have no record
      notSent: 6,
    });
  });

  it('counts every valid row exactly once', () => {
    const counts = countRun('run-2', totals, [row('succeeded'), row('accepted'), row('sending'), row('unchanged', 0)]);
    const ended =
      counts.succeeded +
      counts.unchanged +
      counts.partial +
      counts.failed +
      counts.rejected +
      counts.notFound +
      counts.ambiguous +
      counts.unknown +
      counts.pending +
      counts.notSent;
    expect(ended).toBe(totals.valid);
    expect(counts).toMatchObject({ succeeded: 1, unchanged: 1, pending: 1, notSent: 13, sent: 3 });
  });
});
