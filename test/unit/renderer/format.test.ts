import { describe, expect, it } from 'vitest';
import { reportExtension, suggestedName } from '../../../renderer/format.ts';

describe('suggested export names', () => {
  it('offer an error report as a workbook for a workbook, as CSV otherwise', () => {
    expect(suggestedName('March Leads.XLSX', 'errors', reportExtension('March Leads.XLSX'))).toBe('March Leads-errors.xlsx');
    expect(suggestedName('march.csv', 'errors', reportExtension('march.csv'))).toBe('march-errors.csv');
    expect(reportExtension('leads.tsv')).toBe('csv');
  });

  it('keep a name the file system accepts', () => {
    expect(suggestedName('../a/b:c.csv', 'results', 'csv')).toBe('.._a_b_c-results.csv');
    expect(suggestedName('.csv', 'results', 'csv')).toBe('leads-results.csv');
  });
});
