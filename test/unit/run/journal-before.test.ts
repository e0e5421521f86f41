// Before-values and `unchanged` rows in the journal: they round-trip, the fold passes
// `before` by (it never moves a row on), the first reading of a field wins, old journals
// without them still load, and the engine can write `before` + `sent` in one write and fsync.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  beforeValuesOf,
  decodeEntry,
  encodeEntry,
  foldRowStates,
  lastRunEvent,
  outcomeOf,
  type JournalEntry,
} from '../../../app/run/journal-entry.ts';
import { JOURNAL_FILE, openJournal, readJournal } from '../../../app/run/journal.ts';
import { nodeRunFs } from '../../../app/run/run-fs.ts';
import { startingRecord } from '../../../app/run/row-record.ts';
import { recordingFs } from './fs-doubles.ts';

const at = 1_764_251_101_234;
const roundTrip = (entry: JournalEntry) => decodeEntry(JSON.parse(JSON.stringify(encodeEntry(entry))));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-before-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('before-values and unchanged rows in the journal', () => {
  it('round-trips a before entry (every kind of value, unreadable fields) and an unchanged row', () => {
    const examples: JournalEntry[] = [
      {
        t: 'before',
        at,
        row: 2,
        leadId: 'lead_1',
        values: {
          status: 'ACTIVE',
          desired_max_rent_in_cents: 120_000,
          desired_min_rent_in_cents: null,
          desired_unit_ids: ['u1', 'u2'],
          phone_1: '(720) 273-5593',
        },
        unreadable: { credit_score: 'the lead does not show a credit score' },
      },
      { t: 'before', at, row: 3, leadId: 'lead_2', values: {} },
      { t: 'unchanged', at, row: 4, leadId: 'lead_3' },
    ];
    for (const entry of examples) expect(roundTrip(entry)).toEqual(E.right(entry));
  });

  it('refuses a before entry whose value is not a field value, naming the field', () => {
    const decoded = decodeEntry({ t: 'before', at, row: 2, leadId: 'L', values: { notes: { nested: true } } });
    expect(E.isLeft(decoded)).toBe(true);
    if (E.isLeft(decoded)) expect(decoded.left.join('\n')).toContain('notes');
  });

  it('the fold passes before entries by; an unchanged row is done and counted as unchanged', () => {
    const entries: JournalEntry[] = [
      { t: 'run_started', at, resumed: false },
      { t: 'before', at, row: 2, leadId: 'L2', values: { city: 'Denver' } },
      { t: 'sent', at, row: 2, leadId: 'L2', attempt: 1 },
      { t: 'before', at, row: 2, leadId: 'L2', values: { city: 'Boulder' } },
      { t: 'unchanged', at, row: 3, leadId: 'L3' },
      { t: 'before', at, row: 4, leadId: 'L4', values: { city: 'Aspen' } },
    ];
    const states = foldRowStates(entries);
    expect(states.get(2)).toMatchObject({ next: 'resend', attempts: 1, history: 1 });
    expect(states.get(3)).toMatchObject({ next: 'done' });
    expect(states.has(4)).toBe(false); // a before entry alone: the row was never sent
    expect(outcomeOf({ t: 'unchanged', at, row: 3, leadId: 'L3' })).toBe('unchanged');
    const last = states.get(3)?.last;
    if (last) expect(startingRecord(3, 'L3', states.get(3)).outcome).toBe('unchanged');
    expect(lastRunEvent(entries)).toEqual({ t: 'run_started', at, resumed: false });
  });

  it('keeps the first reading of each field: a resend reads the lead after its own write', () => {
    const before = beforeValuesOf([
      { t: 'before', at, row: 2, leadId: 'L2', values: { city: 'Denver' }, unreadable: { credit_score: 'not shown' } },
      { t: 'sent', at, row: 2, leadId: 'L2', attempt: 1 },
      { t: 'before', at, row: 2, leadId: 'L2', values: { city: 'Boulder', zip: '80202', credit_score: '700' } },
    ]);
    expect(before.get(2)).toEqual({
      row: 2,
      leadId: 'L2',
      values: { city: 'Denver', zip: '80202' },
      unreadable: { credit_score: 'not shown' },
    });
  });

  it('loads a journal written before before-values existed (no undo data, nothing else lost)', async () => {
    const old: JournalEntry[] = [
      { t: 'run_started', at, resumed: false },
      { t: 'sent', at, row: 2, leadId: 'L2', attempt: 1 },
      { t: 'accepted', at, row: 2, jobId: 'j', attempt: 1, httpStatus: 200 },
      { t: 'final', at, row: 2, jobId: 'j', writeStatus: 'SUCCESS', errors: [] },
    ];
    await writeFile(join(dir, JOURNAL_FILE), old.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const read = await readJournal(dir);
    if (E.isLeft(read)) throw new Error(read.left.message);
    expect(read.right.entries).toEqual(old);
    expect(beforeValuesOf(read.right.entries).size).toBe(0);
  });

  it('before and sent appended together reach the disk in one write and one fsync', async () => {
    const { fs, log } = recordingFs(nodeRunFs);
    const journal = await openJournal(dir, { fs });
    const path = join(dir, JOURNAL_FILE);
    journal.append({ t: 'before', row: 2, leadId: 'L2', values: { city: 'Denver' } });
    journal.append({ t: 'sent', row: 2, leadId: 'L2', attempt: 1 });
    await journal.flush();
    expect(log.filter((op) => op.path === path && (op.op === 'write' || op.op === 'sync')).map((op) => op.op)).toEqual(['write', 'sync']);
    await journal.close();
    const read = await readJournal(dir);
    if (E.isLeft(read)) throw new Error(read.left.message);
    expect(read.right.entries.map((e) => e.t)).toEqual(['before', 'sent']);
  });
});
