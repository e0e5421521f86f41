import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { buildHeader, columnLetter } from '../../../app/source/header.ts';

describe('columnLetter', () => {
  it('names positions as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('buildHeader', () => {
  it('trims names and names blank cells after their column', () => {
    expect(buildHeader('leads.csv', ['  Name ', '', 'Email', ' \t', 2024], 'line 1')).toEqual(
      E.right(['Name', 'Column B', 'Email', 'Column D', '2024']),
    );
  });

  it('refuses names that repeat ignoring case and spaces, naming the file, both columns and their positions', () => {
    const result = buildHeader('leads.csv', ['Name', 'Email', 'Phone', ' email '], 'line 3');
    expect(E.isLeft(result)).toBe(true);
    if (E.isRight(result)) return;
    expect(result.left.code).toBe('duplicate_header');
    expect(result.left.message).toContain('"leads.csv"');
    expect(result.left.message).toContain('line 3');
    expect(result.left.message).toContain('"Email" in column B (2)');
    expect(result.left.message).toContain('"email" in column D (4)');
  });

  it('reports every repeated name', () => {
    const result = buildHeader('x.csv', ['A', 'B', 'a', 'b'], 'line 1');
    if (E.isRight(result)) throw new Error('expected duplicates');
    expect(result.left.message).toContain('column A (1) and "a" in column C (3)');
    expect(result.left.message).toContain('column B (2) and "b" in column D (4)');
  });
});
