// Which fields an undo left alone because its re-read found them changed (undo-rows.ts
// `leftAloneAtReread`): read from undo.json alone (the confirmed payloads and the verdicts as
// found), so the app says the same live and after a restart.
import { describe, expect, it } from 'vitest';
import { leftAloneAtReread, type StoredFieldUndo, type UndoFile } from '../../../app/undo/undo-rows.ts';

const changed = (row: number, leadId: string, field: string, current: string): StoredFieldUndo => ({
  row,
  leadId,
  field,
  verdict: 'changed_since',
  before: 'was',
  written: 'run',
  current,
  reason: 'changed since the import',
});
const restored = (row: number, leadId: string, field: string): StoredFieldUndo => ({
  row,
  leadId,
  field,
  verdict: 'restore',
  before: 'was',
  written: 'run',
  current: 'run',
});

const fileWith = (writes: UndoFile['writes'], fields: StoredFieldUndo[]): UndoFile => ({
  undoOf: '20261205-010101-abcd',
  force: false,
  writes,
  fields,
  skipped: [],
  counts: {},
});

describe('leftAloneAtReread', () => {
  it('names a field the confirmed plan wrote back that the re-read found changed, not one left alone from the start', () => {
    const file = fileWith(
      [{ row: 3, leadId: 'A', rows: [3], payload: { first_name: 'was', status: 'ACTIVE' } }],
      [
        changed(3, 'A', 'first_name', 'Meanwhile'),
        restored(3, 'A', 'status'),
        // Left alone at the start (the confirmation listed it): not in the payload.
        changed(3, 'A', 'email', 'before@example.com'),
      ],
    );
    expect(leftAloneAtReread(file)).toEqual([changed(3, 'A', 'first_name', 'Meanwhile')]);
  });

  it('names nothing while the write-backs still show the plan as confirmed (or wrote the field after all)', () => {
    const writes = [{ row: 5, leadId: 'B', rows: [5, 2], payload: { first_name: 'was' } }];
    expect(leftAloneAtReread(fileWith(writes, [restored(5, 'B', 'first_name'), restored(2, 'B', 'first_name')]))).toEqual([]);
    // One row of the lead still written back: the field was written, not left alone.
    expect(leftAloneAtReread(fileWith(writes, [changed(5, 'B', 'first_name', 'x'), restored(2, 'B', 'first_name')]))).toEqual([]);
  });

  it('names a field once per lead, by the lead’s latest row (undone first), when several rows wrote it', () => {
    const file = fileWith(
      [{ row: 5, leadId: 'B', rows: [5, 2], payload: { first_name: 'was' } }],
      [changed(5, 'B', 'first_name', 'Meanwhile'), changed(2, 'B', 'first_name', 'Meanwhile')],
    );
    expect(leftAloneAtReread(file)).toEqual([changed(5, 'B', 'first_name', 'Meanwhile')]);
  });
});
