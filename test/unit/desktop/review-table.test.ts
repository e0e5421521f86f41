// The compact review table: duplicate flags and counts stay what a fresh check would find,
// whatever edits move rows between leads; rows past the memory limit keep only their issues.
import { describe, expect, it } from 'vitest';
import type { DecodedRow, RowIssue } from '../../../app/lead/decoded-row.ts';
import { ReviewTable } from '../../../app/desktop/review-table.ts';
import { DuplicateLeads, leadHash } from '../../../app/validate/duplicate-leads.ts';
import { flagsOf, hasIssues, packRow } from '../../../app/validate/review-row.ts';
import type { ReviewTablePart } from '../../../app/validate/segment-protocol.ts';
import type { SourceRow } from '../../../app/source/types.ts';
import type { ReviewFilter } from '../../../app/shared/views.ts';

const NO: readonly RowIssue[] = [];
const warning: RowIssue = { column: null, field: null, value: '', message: 'w' };
const error: RowIssue = { column: 'Status', field: 'status', value: 'x', message: 'e' };

function decoded(rowNumber: number, leadId: string | null, status: DecodedRow['status'], warned = false): DecodedRow {
  return {
    rowNumber,
    leadId,
    payload: {},
    status,
    errors: status === 'invalid' ? [error] : NO,
    warnings: warned || status === 'skipped' ? [warning] : NO,
  };
}

/** What validatePrepared would count for these rows, with DuplicateLeads. */
function expected(rows: readonly DecodedRow[]) {
  const leads = new DuplicateLeads();
  const duplicate: boolean[] = [];
  const c = { rows: rows.length, valid: 0, invalid: 0, skipped: 0, warnings: 0, duplicates: 0 };
  for (const row of rows) {
    const dup = row.leadId !== null && row.status !== 'invalid' && leads.see(row.leadId, row.rowNumber).length > 0;
    duplicate.push(dup);
    c[row.status]++;
    if (row.warnings.length > 0 || dup) c.warnings++;
  }
  c.duplicates = leads.count;
  return { counts: c, duplicate };
}

function build(rows: readonly DecodedRow[], memoryRows = 1_000): ReviewTable {
  const table = new ReviewTable(memoryRows);
  for (const row of rows) table.append({ rowNumber: row.rowNumber, cells: [row.leadId ?? '', row.status] }, row);
  table.finish();
  return table;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomRow(next: () => number, rowNumber: number): DecodedRow {
  const lead = next() < 0.1 ? null : `lead-${Math.floor(next() * 8)}`;
  const roll = next();
  const status: DecodedRow['status'] = lead === null || roll < 0.2 ? 'invalid' : roll < 0.3 ? 'skipped' : 'valid';
  return decoded(rowNumber, lead, status, next() < 0.15);
}

describe('ReviewTable', () => {
  it('flags every repeat of a lead but its first row, as the command line does', () => {
    const rows = [
      decoded(2, 'a', 'valid'),
      decoded(3, 'a', 'invalid'), // invalid rows take no part
      decoded(4, 'a', 'valid'),
      decoded(5, null, 'invalid'),
      decoded(6, 'b', 'skipped'),
      decoded(7, 'b', 'valid', true),
      decoded(9, 'a', 'valid'),
    ];
    const table = build(rows);
    expect(table.counts()).toEqual(expected(rows).counts);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => table.isDuplicate(i))).toEqual([false, false, true, false, false, true, true]);
    expect(table.earlierRows(6)).toEqual([2, 4]);
    expect(table.earlierRows(0)).toEqual([]);
    expect(table.indexOf(9)).toBe(6);
    expect(table.indexOf(8)).toBe(-1);
    expect(Array.from(table.filterIndexes('duplicates') ?? [])).toEqual([2, 5, 6]);
    expect(Array.from(table.filterIndexes('errors') ?? [])).toEqual([1, 3]);
    expect(Array.from(table.filterIndexes('warnings') ?? [])).toEqual([2, 4, 5, 6]);
    expect(table.filterIndexes('all')).toBeNull();
  });

  it('after any sequence of edits, matches a fresh check of the edited rows', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const rows = Array.from({ length: 60 }, (_, i) => randomRow(next, i + 2));
      const table = build(rows);
      for (let step = 0; step < 200; step++) {
        const index = Math.floor(next() * rows.length);
        rows[index] = randomRow(next, rows[index].rowNumber);
        table.update(index, rows[index]);
        const fresh = expected(rows);
        expect(table.counts(), `seed ${seed}, step ${step}`).toEqual(fresh.counts);
        expect(
          rows.map((_, i) => table.isDuplicate(i)),
          `seed ${seed}, step ${step}`,
        ).toEqual(fresh.duplicate);
        const dupes = Array.from(table.filterIndexes('duplicates') ?? []);
        expect(dupes).toEqual(fresh.duplicate.flatMap((d, i) => (d ? [i] : [])));
      }
    }
  });

  it("finds every lead's earlier rows, in file order, in a big random table and after edits", () => {
    const next = random(19);
    // Many leads, some repeated up to a dozen times, far apart in the file.
    const rowOf = (rowNumber: number): DecodedRow => {
      const lead = next() < 0.05 ? null : `lead-${Math.floor(next() * 800)}`;
      const roll = next();
      return decoded(rowNumber, lead, lead === null || roll < 0.05 ? 'invalid' : roll < 0.1 ? 'skipped' : 'valid', next() < 0.02);
    };
    const rows = Array.from({ length: 5_000 }, (_, i) => rowOf(i + 2 + (i >> 4)));
    /** Each row's earlier rows of the same lead (rows that take part only), as the check defines them. */
    const earlier = (all: readonly DecodedRow[]): number[][] => {
      const seen = new Map<string, number[]>();
      return all.map((row) => {
        if (row.leadId === null || row.status === 'invalid') return [];
        const before = seen.get(row.leadId) ?? [];
        seen.set(row.leadId, [...before, row.rowNumber]);
        return before;
      });
    };
    const same = (table: ReviewTable, label: string): void => {
      const fresh = expected(rows);
      expect(table.counts(), label).toEqual(fresh.counts);
      expect(
        rows.map((_, i) => table.isDuplicate(i)),
        label,
      ).toEqual(fresh.duplicate);
      expect(
        rows.map((_, i) => table.earlierRows(i)),
        label,
      ).toEqual(earlier(rows).map((before, i) => (fresh.duplicate[i] ? before : [])));
      for (const filter of ['errors', 'warnings', 'duplicates'] as const) {
        const want = rows.flatMap((row, i) =>
          (
            filter === 'errors'
              ? row.status === 'invalid'
              : filter === 'warnings'
                ? row.warnings.length > 0 || fresh.duplicate[i]
                : fresh.duplicate[i]
          )
            ? [i]
            : [],
        );
        expect(Array.from(table.filterIndexes(filter) ?? []), `${label}: ${filter}`).toEqual(want);
      }
    };
    const inMemory = build(rows, 10_000);
    const streamed = build(rows, 1_000);
    same(inMemory, 'memory');
    same(streamed, 'stream');
    for (let step = 0; step < 10; step++) {
      const index = Math.floor(next() * rows.length);
      rows[index] = rowOf(rows[index].rowNumber);
      inMemory.update(index, rows[index]);
      same(inMemory, `edit ${step}`);
    }
  });

  it('keeps every row in memory up to the limit, then only rows with issues', () => {
    const rows = Array.from({ length: 30 }, (_, i) => decoded(i + 2, `lead-${i}`, i % 10 === 3 ? 'invalid' : 'valid', i === 25));
    const small = build(rows, 100);
    expect(small.mode).toBe('memory');
    expect(small.storedRow(4)).toEqual({ rowNumber: 6, cells: ['lead-4', 'valid'] });

    const big = build(rows, 10);
    expect(big.mode).toBe('stream');
    const kept = rows.flatMap((_, i) => (big.storedRow(i) === undefined ? [] : [i]));
    expect(kept).toEqual([3, 13, 23, 25]);
    expect(big.storedRow(13)).toEqual({ rowNumber: 15, cells: ['lead-13', 'invalid'] });
    // A row read again is kept from then on.
    big.keep(4, { rowNumber: 6, cells: ['lead-4', 'valid'] });
    expect(big.storedRow(4)).toEqual({ rowNumber: 6, cells: ['lead-4', 'valid'] });
  });

  it('keeps only rows with issues from the first row on when told the file is far past the limit', () => {
    const rows = Array.from({ length: 30 }, (_, i) => decoded(i + 2, `lead-${i}`, i % 10 === 3 ? 'invalid' : 'valid', i === 25));
    const table = new ReviewTable(100);
    table.streamFromStart();
    expect(table.mode).toBe('stream');
    for (const row of rows) table.append({ rowNumber: row.rowNumber, cells: [row.leadId ?? '', row.status] }, row);
    table.finish();
    expect(rows.flatMap((_, i) => (table.storedRow(i) === undefined ? [] : [i]))).toEqual([3, 13, 23, 25]);
    expect(table.counts()).toEqual(build(rows, 10).counts());
    expect(() => build(rows.slice(0, 1)).streamFromStart()).toThrow(/after rows were appended/);
  });

  it('keeps typed and ragged rows as they are', () => {
    const table = new ReviewTable(10);
    const typed = { rowNumber: 2, cells: ['lead-1', 3, new Date(Date.UTC(2026, 0, 2)), true] };
    const ragged = {
      rowNumber: 3,
      cells: ['lead-2', ''],
      rawCells: ['lead-2'],
      problem: { kind: 'cell_count' as const, message: 'has 1 cell' },
    };
    const separator = { rowNumber: 4, cells: ['lead-3', 'a\u001fb'] };
    table.append(typed, decoded(2, 'lead-1', 'valid'));
    table.append(ragged, decoded(3, 'lead-2', 'invalid'));
    table.append(separator, decoded(4, 'lead-3', 'valid'));
    table.finish();
    expect(table.storedRow(0)).toBe(typed);
    expect(table.storedRow(1)).toBe(ragged);
    expect(table.storedRow(2)).toBe(separator);
  });

  it('takes a part checked by another thread in slices as if each row had been appended (duplicates across the cut, both memory modes, room made for it or not)', () => {
    const next = random(19);
    const rows = Array.from({ length: 3_000 }, (_, i) => randomRow(next, i + 2));
    const cellsOf = (row: DecodedRow): SourceRow => ({
      rowNumber: row.rowNumber,
      cells: [row.leadId ?? '', row.status, `note ${row.rowNumber}`],
    });
    for (const memoryRows of [5_000, 1_700, 1_200, 10]) {
      for (const cut of [0, 1, 1_234, 2_999]) {
        const one = new ReviewTable(memoryRows);
        for (const row of rows) one.append(cellsOf(row), row);
        one.finish();
        const two = new ReviewTable(memoryRows);
        for (const row of rows.slice(0, cut)) two.append(cellsOf(row), row);
        const rest = rows.slice(cut);
        // What the worker sends (review-part.ts): the cells of every row the table may keep.
        const kept = rest.map((row, j) => [j, row] as const).filter(([j, row]) => cut + j < memoryRows || hasIssues(flagsOf(row)));
        const hashes = rest.map((row) => {
          const hash = new Int32Array(2);
          if (row.leadId !== null) leadHash(row.leadId, hash);
          return hash;
        });
        const part: ReviewTablePart = {
          rowNumbers: Int32Array.from(rest, (row) => row.rowNumber),
          flags: Uint8Array.from(rest, flagsOf),
          hashHi: Int32Array.from(hashes, (hash) => hash[0]),
          hashLo: Int32Array.from(hashes, (hash) => hash[1]),
          keptAt: Int32Array.from(kept, ([j]) => j),
          keptRows: kept.map(([, row]) => packRow(cellsOf(row))),
        };
        // Room made for the part's leads while waiting for it (two-thread-check.ts): all of it, or a growth begun.
        if (memoryRows === 1_200) while (two.makeRoom(rows.length));
        if (memoryRows === 10) two.makeRoom(1_000_000);
        for (let from = 0; from < rest.length; from += 700) two.appendPart(part, from, Math.min(rest.length, from + 700));
        two.finish();
        const what = `memory ${memoryRows}, cut ${cut}`;
        expect(two.counts(), what).toEqual(one.counts());
        expect(two.mode, what).toBe(one.mode);
        const rowsOf = (table: ReviewTable) =>
          rows.map((_, i) => [table.rowNumberAt(i), table.isDuplicate(i), table.earlierRows(i), table.storedRow(i)]);
        expect(rowsOf(two), what).toEqual(rowsOf(one));
        for (const filter of ['errors', 'warnings', 'duplicates'] as const satisfies readonly ReviewFilter[])
          expect(two.filterIndexes(filter), `${what}, ${filter}`).toEqual(one.filterIndexes(filter));
      }
    }
  });
});
