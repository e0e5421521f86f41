import { describe, expect, it } from 'vitest';
import type { RowRecord } from '../../../app/run/row-record.ts';
import { RowRecords } from '../../../app/run/row-records.ts';

const record = (row: number, fields: Partial<RowRecord> = {}): RowRecord => ({
  row,
  leadId: `lead-${row}`,
  outcome: 'queued',
  errors: [],
  attempts: 0,
  ...fields,
});

describe('RowRecords', () => {
  it('reads a settled row back as the record it settled, and a row under way as the very object', () => {
    const records = new RowRecords();
    const open = record(5, { outcome: 'sending', attempts: 1 });
    records.set(5, open);
    const settled = record(2, {
      outcome: 'failed',
      attempts: 3,
      httpStatus: 500,
      errors: ['boom', 'again'],
      stage: 'request',
      jobId: 'job-2',
    });
    records.set(2, settled);
    records.settle(settled);
    const plain = record(3, { outcome: 'succeeded', attempts: 1, jobId: 'job-3', stage: 'job' });
    records.settle(plain);
    expect(records.get(5)).toBe(open);
    expect(records.get(2)).toEqual(settled);
    expect(records.get(3)).toEqual(plain);
    expect(records.get(4)).toBeUndefined();
    expect(records.size).toBe(3);
    expect(records.has(3) && records.has(5) && !records.has(4)).toBe(true);
    expect([...records.keys()]).toEqual([5, 2, 3]);
    expect([...records.values()].map((r) => r.outcome)).toEqual(['sending', 'failed', 'succeeded']);
    expect(records.underWay()).toEqual([open]);
  });

  it('keeps many rows past its first arrays, and a row settled again keeps its latest end', () => {
    const records = new RowRecords();
    for (let row = 2; row < 5_002; row++) records.settle(record(row, { outcome: 'succeeded', attempts: 1, httpStatus: 200 }));
    records.settle(record(7, { outcome: 'rejected', attempts: 2, errors: ['no'] }));
    expect(records.size).toBe(5_000);
    expect(records.get(5_001)).toEqual(record(5_001, { outcome: 'succeeded', attempts: 1, httpStatus: 200 }));
    expect(records.get(7)).toEqual(record(7, { outcome: 'rejected', attempts: 2, errors: ['no'] }));
    // Sent again (a resumed row): under way, then settled anew.
    const again = record(7, { outcome: 'sending', attempts: 3 });
    records.set(7, again);
    expect(records.get(7)).toBe(again);
    expect(records.size).toBe(5_000);
  });

  it('does not keep a lead id the row table holds', () => {
    const records = new RowRecords((row) => (row === 2 ? 'lead-2' : undefined));
    records.settle(record(2, { outcome: 'succeeded' }));
    records.settle(record(3, { outcome: 'succeeded' }));
    expect(records.get(2)?.leadId).toBe('lead-2');
    expect(records.get(3)?.leadId).toBe('lead-3');
  });

  it('keeps each settled row’s job id across many rows, and one settled again with another job', () => {
    const records = new RowRecords();
    for (let row = 9_000; row > 1; row--) records.settle(record(row, { outcome: 'succeeded', jobId: `job-${row}` }));
    records.settle(record(4_000, { outcome: 'failed', jobId: 'job-again' }));
    records.settle(record(9_501, { outcome: 'not_sent' })); // past the index's first growth
    expect(records.get(2)?.jobId).toBe('job-2');
    expect(records.get(8_999)?.jobId).toBe('job-8999');
    expect(records.get(4_000)?.jobId).toBe('job-again');
    expect(records.get(9_501)).toEqual(record(9_501, { outcome: 'not_sent' }));
    expect(records.get(9_502)).toBeUndefined();
    expect(records.size).toBe(9_000);
  });

  it('lists settled rows in the order they settled; a row sent again is listed where it settles anew', () => {
    const records = new RowRecords();
    for (const row of [5, 3, 9]) records.settle(record(row, { outcome: 'succeeded', jobId: `job-${row}` }));
    records.set(3, record(3, { outcome: 'sending', attempts: 2 }));
    expect([...records.keys()]).toEqual([3, 5, 9]);
    records.settle(record(3, { outcome: 'succeeded', attempts: 2, jobId: 'job-3b' }));
    expect([...records.keys()]).toEqual([5, 9, 3]);
    expect(records.get(3)).toEqual(record(3, { outcome: 'succeeded', attempts: 2, jobId: 'job-3b' }));
    expect(records.size).toBe(3);
  });
});
