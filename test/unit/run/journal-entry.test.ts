import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import {
  decodeEntry,
  encodeEntry,
  foldRowStates,
  isRowTransition,
  lastRunEvent,
  outcomeOf,
  countJournalOutcomes,
  type JournalEntry,
  type RowTransition,
} from '../../../app/run/journal-entry.ts';
import { journalPrefix, validJournal } from './arbitraries.ts';

const at = 1_764_251_101_234;

const roundTrip = (entry: JournalEntry) => decodeEntry(JSON.parse(JSON.stringify(encodeEntry(entry))));

describe('journal entry codec', () => {
  const examples: JournalEntry[] = [
    { t: 'sent', at, row: 2, leadId: 'lead_1', attempt: 1 },
    { t: 'accepted', at, row: 2, jobId: 'job_1', attempt: 1, httpStatus: 200 },
    { t: 'final', at, row: 2, jobId: 'job_1', writeStatus: 'PARTIAL_SUCCESS', errors: ['phone_2 not supported'] },
    { t: 'rejected', at, row: 3, httpStatus: 400, message: 'Invalid body', issues: [{ path: 'status', message: 'Invalid enum value' }] },
    { t: 'failed', at, row: 4, reason: 'HTTP 503 after 5 attempts', httpStatus: 503 },
    { t: 'failed', at, row: 4, reason: 'connection reset' },
    { t: 'unknown', at, row: 5, reason: 'timed out after sending' },
    { t: 'pending', at, row: 6, jobId: 'job_6' },
    { t: 'not_sent', at, row: 7, reason: 'run cancelled' },
    { t: 'retried', at, row: 8, oldJobId: 'job_8', newJobId: 'job_8b' },
    { t: 'requeued', at, row: 9, reason: 'fixed in the app' },
    { t: 'unchanged', at, row: 10, leadId: 'lead_10' },
    { t: 'unchanged', at, row: 10, leadId: 'lead_10', reason: 'changed by someone else since the import: First name' },
    { t: 'sent', at, row: 11, leadId: 'lead_11', attempt: 1, note: 'written over a change made since the import: Phone' },
    { t: 'run_started', at, resumed: true },
    { t: 'paused', at },
    { t: 'resumed', at },
    { t: 'cancelled', at },
    { t: 'stopped', at, reason: 'credentials refused (HTTP 401)' },
    { t: 'finished', at, summary: { succeeded: 10, rejected: 2 } },
  ];

  it.each(examples.map((e) => [e.t, e] as const))('%s round-trips through JSON', (_tag, entry) => {
    expect(roundTrip(entry)).toEqual(E.right(entry));
  });

  it('keeps lines short: a sent/accepted/final row costs well under 300 bytes', () => {
    const bytes = examples.slice(0, 3).reduce((n, e) => n + JSON.stringify(encodeEntry(e)).length + 1, 0);
    expect(bytes).toBeLessThan(300);
  });

  it('strips undeclared fields when encoding (a token cannot ride along)', () => {
    const entry = {
      t: 'failed',
      at,
      row: 4,
      reason: 'HTTP 500',
      token: 'sk_live_secret',
      headers: { authorization: 'Bearer x' },
    } as JournalEntry;
    expect(encodeEntry(entry)).toEqual({ t: 'failed', at, row: 4, reason: 'HTTP 500' });
  });

  it('refuses to encode an entry that would not read back', () => {
    expect(() => encodeEntry({ t: 'sent', at, row: Number.NaN, leadId: 'x', attempt: 1 })).toThrow(
      /invalid sent entry: row: expected row number/,
    );
    expect(() => encodeEntry({ t: 'accepted', at: 1.5, row: 2, jobId: 'j', attempt: 1, httpStatus: 200 })).toThrow(/at: expected time/);
    expect(() => encodeEntry({ t: 'bogus', at } as unknown as JournalEntry)).toThrow(/unknown entry type "bogus"/);
  });

  it('names the field at fault when decoding', () => {
    expect(decodeEntry({ t: 'final', at, row: 2, jobId: 'j', writeStatus: 'PENDING', errors: [] })).toEqual(
      E.left(['final: writeStatus: expected write status, got "PENDING"']),
    );
    expect(decodeEntry({ t: 'nope', at })).toEqual(E.left(['unknown entry type "nope"']));
    expect(decodeEntry([1])).toEqual(E.left(['expected a JSON object']));
    expect(decodeEntry({ t: 'constructor', at })).toEqual(E.left(['unknown entry type "constructor"']));
  });

  it('every generated journal entry round-trips', () => {
    fc.assert(
      fc.property(validJournal, (entries) => {
        for (const entry of entries) expect(roundTrip(entry)).toEqual(E.right(entry));
      }),
      { numRuns: 50 },
    );
  });
});

describe('foldRowStates', () => {
  const fold = (...entries: JournalEntry[]) => foldRowStates(entries);

  it('a row accepted without a final status keeps polling its job', () => {
    const state = fold(
      { t: 'sent', at, row: 2, leadId: 'L', attempt: 1 },
      { t: 'accepted', at, row: 2, jobId: 'J', attempt: 1, httpStatus: 200 },
    ).get(2);
    expect(state).toMatchObject({ next: 'poll', jobId: 'J', attempts: 1, history: 2, last: { t: 'accepted' } });
  });

  it('a row sent without an answer has an unknown outcome: resend (PUT is idempotent)', () => {
    const state = fold({ t: 'sent', at, row: 2, leadId: 'L', attempt: 1 }, { t: 'sent', at, row: 2, leadId: 'L', attempt: 2 }).get(2);
    expect(state).toMatchObject({ next: 'resend', attempts: 2, history: 2 });
    expect(state?.jobId).toBeUndefined();
  });

  it.each<[string, RowTransition]>([
    ['final', { t: 'final', at, row: 2, jobId: 'J', writeStatus: 'SUCCESS', errors: [] }],
    ['rejected', { t: 'rejected', at, row: 2, httpStatus: 422, message: 'm', issues: [] }],
    ['failed', { t: 'failed', at, row: 2, reason: 'r' }],
    ['not_sent', { t: 'not_sent', at, row: 2, reason: 'r' }],
    ['pending', { t: 'pending', at, row: 2, jobId: 'J' }],
    ['unknown', { t: 'unknown', at, row: 2, reason: 'r' }],
  ])('a row whose last transition is %s is done', (_tag, last) => {
    expect(fold({ t: 'sent', at, row: 2, leadId: 'L', attempt: 1 }, last).get(2)?.next).toBe('done');
  });

  it('retry-write follows the new job; requeue sends again and restarts the attempt count', () => {
    const entries: JournalEntry[] = [
      { t: 'sent', at, row: 2, leadId: 'L', attempt: 1 },
      { t: 'accepted', at, row: 2, jobId: 'J1', attempt: 1, httpStatus: 200 },
      { t: 'final', at, row: 2, jobId: 'J1', writeStatus: 'FAILURE', errors: [] },
      { t: 'retried', at, row: 2, oldJobId: 'J1', newJobId: 'J2' },
    ];
    expect(foldRowStates(entries).get(2)).toMatchObject({ next: 'poll', jobId: 'J2', attempts: 1, history: 4 });
    const requeued = foldRowStates([...entries, { t: 'requeued', at, row: 2, reason: 'fixed' }]).get(2);
    expect(requeued).toMatchObject({ next: 'send', attempts: 0, history: 5, jobId: 'J2' });
  });

  it('keeps rows apart, ignores run events, and leaves never-sent rows out', () => {
    const states = fold(
      { t: 'run_started', at, resumed: false },
      { t: 'sent', at, row: 2, leadId: 'A', attempt: 1 },
      { t: 'sent', at, row: 3, leadId: 'B', attempt: 1 },
      { t: 'paused', at },
      { t: 'rejected', at, row: 3, httpStatus: 400, message: 'bad', issues: [] },
    );
    expect([...states.keys()].sort()).toEqual([2, 3]);
    expect(states.get(2)?.next).toBe('resend');
    expect(states.get(3)?.next).toBe('done');
    expect(states.has(4)).toBe(false);
  });

  it('summarizes outcomes by the last transition', () => {
    const states = fold(
      { t: 'final', at, row: 2, jobId: 'a', writeStatus: 'SUCCESS', errors: [] },
      { t: 'final', at, row: 3, jobId: 'b', writeStatus: 'SUCCESS', errors: [] },
      { t: 'final', at, row: 4, jobId: 'c', writeStatus: 'PARTIAL_SUCCESS', errors: [] },
      { t: 'final', at, row: 5, jobId: 'd', writeStatus: 'FAILURE', errors: [] },
      { t: 'sent', at, row: 6, leadId: 'L', attempt: 1 },
      { t: 'retried', at, row: 7, oldJobId: 'x', newJobId: 'y' },
    );
    expect(countJournalOutcomes(states.values())).toEqual({ succeeded: 2, partial: 1, write_failed: 1, sent: 1, accepted: 1 });
    expect(outcomeOf({ t: 'requeued', at, row: 2, reason: 'r' })).toBe('queued');
  });

  it('finds the last run event', () => {
    const entries: JournalEntry[] = [
      { t: 'run_started', at, resumed: false },
      { t: 'stopped', at, reason: '401' },
      { t: 'sent', at, row: 2, leadId: 'L', attempt: 1 },
    ];
    expect(lastRunEvent(entries)).toEqual({ t: 'stopped', at, reason: '401' });
    expect(lastRunEvent([])).toBeUndefined();
  });

  it('property: any prefix of a valid journal folds; an accepted row is never "never sent"', () => {
    fc.assert(
      fc.property(journalPrefix, ({ prefix }) => {
        const states = foldRowStates(prefix);
        const rowEntries = new Map<number, RowTransition[]>();
        for (const entry of prefix) {
          if (isRowTransition(entry)) rowEntries.set(entry.row, [...(rowEntries.get(entry.row) ?? []), entry]);
        }
        expect(new Set(states.keys())).toEqual(new Set(rowEntries.keys()));
        for (const [row, list] of rowEntries) {
          const state = states.get(row);
          expect(state).toBeDefined();
          if (state === undefined) continue;
          const last = list[list.length - 1];
          expect(state.last).toBe(last);
          expect(state.history).toBe(list.length);
          const sinceRequeue = list.slice(list.map((e) => e.t).lastIndexOf('requeued') + 1);
          expect(state.attempts).toBe(sinceRequeue.filter((e) => e.t === 'sent').length);
          expect(state.next === 'send').toBe(last.t === 'requeued');
          if (list.some((e) => e.t === 'accepted')) expect(state.jobId).toBeDefined();
          if (last.t === 'sent') expect(state.next).toBe('resend');
          if (last.t === 'accepted' || last.t === 'retried') expect(state.next).toBe('poll');
        }
      }),
      { numRuns: 200 },
    );
  });
});
