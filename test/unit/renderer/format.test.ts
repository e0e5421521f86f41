import { describe, expect, it } from 'vitest';
import {
  changeCountsSentence,
  count,
  duration,
  outcomeHelpIn,
  outcomeLabelIn,
  outcomeToneIn,
  percent,
  progressAnnouncement,
  reportExtension,
  rowBadge,
  rowSentence,
  sheetLabel,
  suggestedName,
} from '../../../renderer/format.ts';

describe('the sheet picker', () => {
  it('lists a sheet with its row count when it is known', () => {
    expect(sheetLabel('Leads', 1234)).toBe(`Leads (${count(1234)} rows)`);
    expect(sheetLabel('Notes', 1)).toBe('Notes (1 row)');
    expect(sheetLabel('Chart1', null)).toBe('Chart1');
    expect(sheetLabel('Old', undefined)).toBe('Old');
  });
});

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

describe('what the UI says about a run', () => {
  it('says what happened to a row in a sentence, with the HTTP status support asks for and the API’s reasons', () => {
    expect(rowSentence({ outcome: 'succeeded', httpStatus: 200, errors: [] })).toBe('Written to your property-management system.');
    expect(rowSentence({ outcome: 'rejected', httpStatus: 422, errors: ['email_1: must be an e-mail address'] })).toBe(
      'Refused by Propexo (HTTP 422): email_1: must be an e-mail address',
    );
    expect(rowSentence({ outcome: 'unknown', httpStatus: 503, errors: [] })).toBe(
      'No answer came back: it may or may not have been applied (HTTP 503).',
    );
    expect(rowSentence({ outcome: 'failed', httpStatus: null, errors: ['Entrata: Desired unit is no longer available'] })).toBe(
      'Refused by your system: Entrata: Desired unit is no longer available',
    );
  });

  it('says why an undo left a lead as it is, or wrote over a change, instead of “already up to date”', () => {
    const leftAlone = {
      outcome: 'unchanged',
      httpStatus: null,
      errors: ['changed by someone else since the import: First name, Phone'],
    } as const;
    expect(rowSentence(leftAlone)).toBe('Left as it is — changed by someone else since the import: First name, Phone');
    expect(rowBadge(leftAlone)).toMatchObject({ label: 'Left as it is', tone: 'warn' });
    const upToDate = { outcome: 'unchanged', httpStatus: null, errors: [] } as const;
    expect(rowSentence(upToDate)).toBe('Not sent: the lead already had these values.');
    expect(rowBadge(upToDate)).toMatchObject({ label: 'Already up to date', tone: 'good' });
    // An undo run's counts and filter call its rows not written back "left as it is".
    expect(outcomeLabelIn({ undo: true }, 'unchanged')).toBe('Left as it is');
    expect(outcomeHelpIn({ undo: true }, 'unchanged')).toMatch(/^Not written back: someone changed the lead since the import/);
    expect(outcomeLabelIn({ undo: false }, 'unchanged')).toBe('Already up to date');
    expect(outcomeLabelIn({ undo: true }, 'succeeded')).toBe('Succeeded');
    expect([outcomeToneIn({ undo: true }, 'unchanged'), outcomeToneIn({ undo: false }, 'unchanged')]).toEqual(['warn', 'good']);
    expect(rowSentence({ outcome: 'succeeded', httpStatus: 200, errors: ['written over a change made since the import: Phone'] })).toBe(
      'Written to your property-management system — written over a change made since the import: Phone',
    );
  });

  it('formats numbers, percentages and durations in the user’s locale', () => {
    const n = new Intl.NumberFormat();
    expect(count(12345)).toBe(n.format(12345));
    expect(percent(1, 3)).toBe(new Intl.NumberFormat(undefined, { style: 'percent' }).format(0.33));
    expect(percent(999, 1000)).toBe(new Intl.NumberFormat(undefined, { style: 'percent' }).format(0.99));
    expect(duration(45_000)).toBe(new Intl.NumberFormat(undefined, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(45));
    expect(duration(80 * 60_000)).toMatch(/^1\D+20\D+$/);
  });
});

describe('progressAnnouncement', () => {
  const at = (done: number, state: 'running' | 'finished' = 'running'): string =>
    progressAnnouncement({ state, done, toSend: 1000, succeeded: done - 3, problems: 3 });

  it('changes about ten times over a run, not at every batch', () => {
    const heard = new Set<string>();
    for (let done = 0; done <= 1000; done += 7) heard.add(at(done));
    expect(heard.size).toBeLessThanOrEqual(11);
    expect(at(0)).toBe(at(99));
    expect(at(100)).not.toBe(at(99));
  });

  it('says how the run ended', () => {
    expect(at(1000, 'finished')).toBe(
      `Run finished: ${count(1000)} of ${count(1000)} rows done; ${count(997)} rows written, 3 rows with a problem.`,
    );
  });
});

describe('what a preview found', () => {
  it('says how many leads and fields change and how many rows are already up to date, as the Production confirmation does', () => {
    expect(changeCountsSentence({ rowsToSend: 1200, leads: 1180, fields: 3400, unknownFields: 0, unchangedRows: 35 })).toBe(
      `${count(1180)} leads, ${count(3400)} fields will change; 35 rows are already up to date`,
    );
    expect(changeCountsSentence({ rowsToSend: 1, leads: 1, fields: 1, unknownFields: 1, unchangedRows: 1 })).toBe(
      '1 lead, 1 field will change; 1 row is already up to date (1 field sent without comparing: the current value could not be read)',
    );
  });
});
