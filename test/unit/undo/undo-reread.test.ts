// The undo's step before each write-back (undo-reread.ts), with reads answered in memory: the
// lead read again decides what is sent (never more than the plan confirmed), the before-values
// are the lead's as read of exactly the fields sent, the verdicts found are stored before the
// PUT, and a read that fails for good ends the row. Also how undoing an undo takes the rows such
// a step ended without a request (undo-plan.ts `undoRowsOf`).
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../app/propexo/read-codecs.ts';
import type { PropexoResult } from '../../../app/propexo/client.ts';
import type { PropexoError } from '../../../app/propexo/failure.ts';
import type { EngineRow } from '../../../app/run/engine.ts';
import type { JournalEntry } from '../../../app/run/journal-entry.ts';
import { rereadWriteBacks } from '../../../app/undo/undo-reread.ts';
import { undoRowsOf } from '../../../app/undo/undo-plan.ts';
import type { UndoFile } from '../../../app/undo/undo-rows.ts';
import { blankLead } from '../preview/practice.ts';

const at = 1_764_251_101_234;
const LEAD = 'lead_blank';

/** The run undone wrote first_name 'Ann' (was 'Anna') and status 'COLD' (was 'ACTIVE'); the plan confirmed both. */
const undoFile = (): UndoFile => ({
  undoOf: '20261205-010101-abcd',
  force: false,
  writes: [
    {
      row: 2,
      leadId: LEAD,
      rows: [2],
      payload: { first_name: 'Anna', status: 'ACTIVE' },
      plannedFrom: [
        {
          row: 2,
          outcome: 'succeeded',
          before: { values: { first_name: 'Anna', status: 'ACTIVE' }, unreadable: {} },
          payload: { first_name: 'Ann', status: 'COLD' },
        },
      ],
    },
  ],
  fields: [
    { row: 2, leadId: LEAD, field: 'first_name', verdict: 'restore', before: 'Anna', written: 'Ann', current: 'Ann' },
    { row: 2, leadId: LEAD, field: 'status', verdict: 'restore', before: 'ACTIVE', written: 'COLD', current: 'COLD' },
  ],
  skipped: [],
  counts: { restore: 2, forced: 0, changed_since: 0, not_applied: 0, cannot_clear: 0, cannot_restore: 0, leadsToWrite: 1 },
});

const leadWith = (values: Partial<Lead>): Lead => ({ ...blankLead(), ...values });
const row: EngineRow = { rowNumber: 2, leadId: LEAD, payload: { first_name: 'Anna', status: 'ACTIVE' } };

function stepWith(answers: (() => PropexoResult<Lead>)[], file = undoFile()) {
  const saved: UndoFile[] = [];
  let reads = 0;
  const step = rereadWriteBacks(
    file,
    { force: file.force },
    {
      reads: {
        getLead: async () => {
          const answer = answers[Math.min(reads, answers.length - 1)];
          reads++;
          return answer();
        },
      },
      queue: { run: (_kind, task) => task() },
      clock: { sleep: async () => undefined },
      backoff: { baseMs: 1, capMs: 1, maxRetries: 2 },
      save: async (f) => {
        saved.push(f);
      },
    },
  );
  return { step, saved, reads: () => reads };
}

const ok = (lead: Lead) => (): PropexoResult<Lead> => ({ ok: true, value: lead, status: 200 });
const failing = (error: PropexoError) => (): PropexoResult<Lead> => ({ ok: false, error });

describe('rereadWriteBacks: each write-back reads its lead again right before its PUT', () => {
  it('sends the confirmed write-back when the lead still shows what the run wrote, and stores nothing new', async () => {
    const { step, saved } = stepWith([ok(leadWith({ first_name: 'Ann', status: 'COLD' }))]);
    const prepared = await step.prepare(row, new AbortController().signal);
    expect(prepared).toEqual({
      send: {
        payload: { first_name: 'Anna', status: 'ACTIVE' },
        before: { values: { first_name: 'Ann', status: 'COLD' }, unreadable: {} },
      },
    });
    expect(saved).toEqual([]);
  });

  it('leaves a field changed since the plan alone, stores its verdict before the PUT, and journals only the field sent', async () => {
    const { step, saved } = stepWith([ok(leadWith({ first_name: 'Someone else', status: 'COLD' }))]);
    const prepared = await step.prepare(row, new AbortController().signal);
    expect(prepared).toEqual({ send: { payload: { status: 'ACTIVE' }, before: { values: { status: 'COLD' }, unreadable: {} } } });
    expect(saved).toHaveLength(1);
    expect(step.file().fields.find((f) => f.field === 'first_name')).toMatchObject({
      verdict: 'changed_since',
      current: 'Someone else',
      written: 'Ann',
    });
    expect(step.file().counts).toMatchObject({ restore: 1, changed_since: 1, leadsToWrite: 1 });
  });

  it('ends the row unchanged when nothing is left to write back, saying which fields someone else changed', async () => {
    const { step } = stepWith([ok(leadWith({ first_name: 'Someone else', status: 'INACTIVE' }))]);
    expect(await step.prepare(row, new AbortController().signal)).toEqual({
      end: { t: 'unchanged', reason: 'changed by someone else since the import: First name, Lead status' },
    });
    expect(step.file().counts).toMatchObject({ restore: 0, changed_since: 2 });
  });

  it('a forced undo writes over a field changed since, and its row says so', async () => {
    const { step } = stepWith([ok(leadWith({ first_name: 'Someone else', status: 'COLD' }))], { ...undoFile(), force: true });
    expect(await step.prepare(row, new AbortController().signal)).toEqual({
      send: {
        payload: { first_name: 'Anna', status: 'ACTIVE' },
        before: { values: { first_name: 'Someone else', status: 'COLD' }, unreadable: {} },
        note: 'written over a change made since the import: First name',
      },
    });
  });

  it('ends the row unchanged with no reason of its own when the lead already shows the values from before', async () => {
    const { step } = stepWith([ok(leadWith({ first_name: 'Anna', status: 'ACTIVE' }))]);
    expect(await step.prepare(row, new AbortController().signal)).toEqual({ end: { t: 'unchanged' } });
    expect(step.file().counts).toMatchObject({ restore: 0, not_applied: 2 });
  });

  it('never sends more than the plan confirmed: a field left alone then stays alone though it shows the run’s value again', async () => {
    const file = undoFile();
    const confirmed: UndoFile = {
      ...file,
      writes: file.writes.map((w) => ({ ...w, payload: { status: 'ACTIVE' } })),
      fields: file.fields.map((f) => (f.field === 'first_name' ? { ...f, verdict: 'changed_since', current: 'Someone else' } : f)),
    };
    const { step } = stepWith([ok(leadWith({ first_name: 'Ann', status: 'COLD' }))], confirmed);
    expect(await step.prepare(row, new AbortController().signal)).toEqual({
      send: { payload: { status: 'ACTIVE' }, before: { values: { status: 'COLD' }, unreadable: {} } },
    });
    expect(step.file().fields.find((f) => f.field === 'first_name')?.verdict).toBe('changed_since');
  });

  it('retries a read that fails with a 5xx, then ends the row failed with the reason', async () => {
    const down: PropexoError = {
      kind: 'retryable',
      status: 503,
      reason: 'server_error',
      message: 'HTTP 503',
      outcomeUnknown: false,
      errorCode: undefined,
      retryAfterMs: undefined,
      body: null,
      bodyText: undefined,
    };
    const { step, reads } = stepWith([failing(down)]);
    const prepared = await step.prepare(row, new AbortController().signal);
    expect(prepared).toEqual({ end: { t: 'failed', reason: `Could not read lead ${LEAD}: HTTP 503`, httpStatus: 503 } });
    expect(reads()).toBe(3);
    const { step: recovering } = stepWith([failing(down), ok(leadWith({ first_name: 'Ann', status: 'COLD' }))]);
    expect(await recovering.prepare(row, new AbortController().signal)).toHaveProperty('send');
  });

  it('stops the run on a refused key', async () => {
    const refused: PropexoError = { kind: 'auth', status: 401, message: 'bad key', code: undefined, body: null, bodyText: undefined };
    const { step } = stepWith([failing(refused)]);
    expect(await step.prepare(row, new AbortController().signal)).toEqual({ stop: refused });
  });
});

describe('undoRowsOf an undo run whose write-backs read their lead first', () => {
  it('takes a write-back sent, then found needing nothing on resume, as sent; skips one whose read failed', () => {
    const entries: JournalEntry[] = [
      { t: 'run_started', at, resumed: false },
      { t: 'before', at, row: 2, leadId: 'a', values: { first_name: 'Ann' } },
      { t: 'sent', at, row: 2, leadId: 'a', attempt: 1 },
      { t: 'failed', at, row: 3, reason: 'Could not read lead b: HTTP 503', httpStatus: 503 },
      { t: 'unchanged', at, row: 4, leadId: 'c' },
      { t: 'run_started', at, resumed: true },
      { t: 'unchanged', at, row: 2, leadId: 'a' },
    ];
    const rows = undoRowsOf(entries, new Map([[2, { first_name: 'Anna' }]]));
    expect(rows.map((r) => [r.row, r.outcome])).toEqual([[2, 'sent']]);
  });
});
