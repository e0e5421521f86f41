import { describe, expect, it } from 'vitest';
import { editsByRow } from '../../../app/run/run-input.ts';

describe('editsByRow', () => {
  it('puts a fix stored with a run back in its column, also when the header repeats that column\'s name', () => {
    const header = ['Lead ID', 'Email', 'Company', 'Email'];
    const edits = editsByRow(header, [
      { row: 2, column: 'Email (D)', value: 'b@example.com' },
      { row: 3, column: 'Company', value: 'Co' },
      { row: 4, column: 'Gone', value: 'x' },
    ]);
    expect([...edits].map(([row, columns]) => [row, [...columns]])).toEqual([
      [2, [[3, 'b@example.com']]],
      [3, [[2, 'Co']]],
    ]);
  });
});
