import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import {
  buildHeader,
  columnIndexOf,
  columnLabel,
  columnLetter,
  columnOfLabel,
  describeColumns,
  repeatedNames,
} from '../../../app/source/header.ts';

describe('columnLetter', () => {
  it('names positions as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('reads letters back, in any case, and refuses what is not one', () => {
    expect(['A', 'b', ' Z ', 'AA', 'ab', 'AZ', 'BA', 'ZZ', 'AAA'].map(columnIndexOf)).toEqual([0, 1, 25, 26, 27, 51, 52, 701, 702]);
    expect(['', 'A1', '1', 'ABCD', 'É'].map(columnIndexOf)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('buildHeader', () => {
  it('trims names and names blank cells after their column', () => {
    expect(buildHeader('f.csv', ['  Name ', '', 'Email', ' \t', 2024], 'line 1')).toEqual(
      E.right(['Name', 'Column B', 'Email', 'Column D', '2024']),
    );
  });

  it('keeps names that repeat: only a mapping that uses one refuses it', () => {
    expect(buildHeader('f.csv', ['Name', 'Email', 'Phone', ' email '], 'line 1')).toEqual(E.right(['Name', 'Email', 'Phone', 'email']));
  });
});

describe('repeatedNames', () => {
  it('groups the columns whose names repeat ignoring case and spaces', () => {
    expect(repeatedNames(['A', 'B', 'a', 'b ', 'C', 'B'])).toEqual([
      [0, 2],
      [1, 3, 5],
    ]);
    expect(repeatedNames(['A', 'B'])).toEqual([]);
  });

  it('names repeated columns by letter and name', () => {
    const header = ['Create Date', 'Email', 'Create date', 'create date'];
    expect(describeColumns(header, [0, 2])).toBe('column A ("Create Date") and column C ("Create date")');
    expect(describeColumns(header, [0, 2, 3])).toBe('column A ("Create Date"), column C ("Create date") and column D ("create date")');
  });
});

describe('columnLabel and columnOfLabel', () => {
  const header = ['Lead ID', 'Email', 'Company', 'email'];

  it('names a column by its header, with its letter when the header repeats the name, and finds it again', () => {
    expect(header.map((_, i) => columnLabel(header, i))).toEqual(['Lead ID', 'Email (B)', 'Company', 'email (D)']);
    expect(header.map((_, i) => columnOfLabel(header, columnLabel(header, i)))).toEqual([0, 1, 2, 3]);
  });

  it('finds a plain name, and nothing for a label whose letter does not hold that name', () => {
    expect(columnOfLabel(header, 'Company')).toBe(2);
    expect(columnOfLabel(header, 'Email (C)')).toBe(-1);
    expect(columnOfLabel(header, 'Nope')).toBe(-1);
  });
});
