import { describe, expect, it } from 'vitest';
import { columnValues, valueTableSkeleton, VALUE_LIMIT } from '../../../app/mapping/column-values.ts';

describe('columnValues', () => {
  const cells = ['Contacted', 'contacted ', 'Lost Lead', 'Working', 'Active', '', 'N/A', 'Open Deal', 'Contacted', 'Actve', 'Purple'];

  it('lists distinct values with counts, what they read as, and suggestions for the refused ones', () => {
    const result = columnValues(cells, 'status');
    expect(result).toMatchObject({
      field: 'status',
      targets: ['ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'],
      distinct: 7,
      distinctIsExact: true,
    });
    expect(result?.values).toEqual([
      { text: 'Contacted', count: 3, reads: null, suggestion: 'ACTIVE' },
      { text: 'Active', count: 1, reads: 'ACTIVE', suggestion: null },
      { text: 'Actve', count: 1, reads: null, suggestion: 'ACTIVE' },
      { text: 'Lost Lead', count: 1, reads: null, suggestion: 'INACTIVE' },
      { text: 'Open Deal', count: 1, reads: null, suggestion: 'ACTIVE' },
      { text: 'Purple', count: 1, reads: null, suggestion: null },
      { text: 'Working', count: 1, reads: null, suggestion: 'ACTIVE' },
    ]);
    expect(result?.raw?.field).toBe('status_raw');
  });

  it("reads values through the column's table", () => {
    const result = columnValues(['Contacted', 'Purple'], 'status', { values: { contacted: 'COLD' } });
    expect(result?.values.map((v) => [v.text, v.reads, v.suggestion])).toEqual([
      ['Contacted', 'COLD', null],
      ['Purple', null, null],
    ]);
  });

  it('works for yes/no fields and phone types', () => {
    expect(columnValues(['Y', 'x', 'maybe'], 'has_dogs')?.values.map((v) => [v.text, v.reads, v.suggestion])).toEqual([
      ['maybe', null, null],
      ['x', null, true],
      ['Y', true, null],
    ]);
    expect(columnValues(['Cell', 'Pager'], 'phone_1_type')?.values.map((v) => [v.text, v.reads])).toEqual([
      ['Cell', 'MOBILE'],
      ['Pager', null],
    ]);
  });

  it('answers null for fields without a fixed list', () => {
    expect(columnValues(['Denver'], 'city')).toBeNull();
  });

  it('keeps at most the limit of values, still counting the others', () => {
    const many = Array.from({ length: VALUE_LIMIT + 5 }, (_, i) => `word ${i}`);
    const result = columnValues(many, 'status');
    expect(result?.values.length).toBe(VALUE_LIMIT);
    expect(result?.distinct).toBe(VALUE_LIMIT + 5);
  });

  it('makes a skeleton of the refused values, undecided', () => {
    const result = columnValues(cells, 'status');
    expect(result === null ? null : valueTableSkeleton(result)).toEqual({
      Contacted: null,
      Actve: null,
      'Lost Lead': null,
      'Open Deal': null,
      Purple: null,
      Working: null,
    });
  });
});
