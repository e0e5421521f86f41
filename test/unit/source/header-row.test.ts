import { describe, expect, it } from 'vitest';
import { findHeaderRow, type RowShape } from '../../../app/source/header-row.ts';

const rows = (...lines: (readonly (string | number)[])[]): RowShape[] => lines.map((cells) => ({ cells }));
const table = (width: number, count: number): (readonly string[])[] =>
  Array.from({ length: count }, (_, r) => Array.from({ length: width }, (_, c) => `v${r}${c}`));
const header = ['Lead ID', 'First Name', 'Last Name', 'Email', 'Status'];

describe('findHeaderRow', () => {
  it('takes the first row of an ordinary file', () => {
    expect(findHeaderRow(rows(header, ...table(5, 3)))).toBe(0);
    // Rows wider than the header (a stray value past the last column) do not move it.
    expect(findHeaderRow(rows(header, ...table(6, 3)))).toBe(0);
    // Sparse rows (blank at the end) neither: no row is found, and the caller takes the first.
    expect(findHeaderRow(rows(header, ['1', 'a', '', '', ''], ['2', 'b', '', '', ''], ...table(5, 1))) ?? 0).toBe(0);
  });

  it('passes over a title block: title, property, date range', () => {
    const block = rows(
      ['Guest Card Report'],
      ['Property: Sunset Apartments'],
      ['Date Range:', '11/01/2025 - 11/30/2025'],
      header,
      ...table(5, 3),
    );
    expect(findHeaderRow(block)).toBe(3);
  });

  it('passes over title rows padded to the table width, as Excel writes them', () => {
    const pad = (...cells: string[]): string[] => [...cells, ...Array<string>(5 - cells.length).fill('')];
    expect(findHeaderRow(rows(pad('Guest Card Report'), pad('Property:', 'Sunset'), header, ...table(5, 2)))).toBe(2);
  });

  it('does not take a row of dates or numbers for a header', () => {
    expect(findHeaderRow(rows(['11/01/2025', '11/30/2025'], header, ...table(5, 2)))).toBe(1);
  });

  it('does not take a title that the delimiter splits, followed by narrower lines', () => {
    expect(
      findHeaderRow(
        rows(['Prospect Report - Sunset Apartments', ' Denver', ' CO'], ['Generated: 12/01/2025'], ['Lead ID;Email'], ['ld_1;a@x.com']),
      ),
    ).toBeUndefined();
  });

  it('finds nothing in a one-column file, and takes no last row below a title as a header', () => {
    expect(findHeaderRow(rows(['Email'], ['a@x.com'], ['b@x.com']))).toBeUndefined();
    expect(findHeaderRow(rows(['Name;Rent'], ['Bob;1250', '50']))).toBeUndefined();
  });

  it('reads a header-only file', () => {
    expect(findHeaderRow(rows(header))).toBe(0);
  });

  it('counts a row cut by the end of the sample as alike', () => {
    expect(findHeaderRow([{ cells: ['Name', 'Note'] }, { cells: ['x'], cut: true }])).toBe(0);
  });
});

describe('findHeaderRow: the first row heading a table', () => {
  it('keeps a first row of odd names (blank, numeric) that heads a table of its width', () => {
    expect(findHeaderRow(rows(['2024', '2025', ''], ['a', 'b', 'c'], ['d', 'e', 'f']))).toBe(0);
  });

  it('takes the table below a lone note for the header, not the note (calamine header-row.xlsx: a note in C3)', () => {
    expect(findHeaderRow(rows(['', '', 'Some note'], ['Columns', 'Column A', 'Column B', 'Column C'], ['put data here', 1, 2, 3]))).toBe(1);
    expect(findHeaderRow(rows(['', 'Note'], header, ...table(5, 3)))).toBe(1);
  });

  it('keeps a header of one name and blanks as wide as its rows (";Lead ID")', () => {
    expect(findHeaderRow(rows(['', 'Lead ID'], ['x', 'ld_1'], ['y', 'ld_2']))).toBe(0);
    // A lone cell above rows that do not form a run of one width stays the header too.
    expect(findHeaderRow(rows(['', '', 'Note'], ['Name', 'Email', 'Rent', 'Beds'], ['a', 'b'], ['c', 'd', 'e']))).toBe(0);
  });

  it('does not take a block of padded one-cell title lines for a table', () => {
    const pad = (cell: string): string[] => [cell, '', '', ''];
    expect(
      findHeaderRow(
        rows(
          pad('Guest Card Report'),
          pad('Property: Sunset'),
          pad('Printed 12/01/2025'),
          ['Lead ID', 'Name', 'Email', 'Status'],
          table(4, 1)[0],
        ),
      ),
    ).toBe(3);
  });
});
