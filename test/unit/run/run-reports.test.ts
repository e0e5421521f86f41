// The results file of an ended run says of each row what the run's summary counts it as.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { writeRunReports } from '../../../app/run/run-reports.ts';
import type { RowRecord } from '../../../app/run/row-record.ts';
import type { RowState } from '../../../app/shared/row-states.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-reports-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (row: number, leadId: string, outcome: RowState, attempts = 1): RowRecord => ({
  row,
  leadId,
  outcome,
  errors: [],
  attempts,
});

describe('the results file of an ended run', () => {
  it('writes an accepted job nobody followed as pending, rows left in flight or never reached as not sent', async () => {
    const path = join(dir, 'leads.csv');
    await writeFile(path, 'Lead ID,First Name\nL2,Ann\nL3,Bob\nL4,Cy\nL5,Di\n');
    const prepared = await prepareImport({ path });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    const records = new Map<number, RowRecord>([
      [2, record(2, 'L2', 'succeeded')],
      [3, record(3, 'L3', 'accepted')],
      [4, record(4, 'L4', 'retrying')],
    ]);
    const resultsPath = join(dir, 'results.csv');
    const errorsPath = join(dir, 'errors.csv');
    await writeRunReports(prepared.right, records, { resultsPath, errorsPath });
    const lines = (await readFile(resultsPath, 'utf8')).trim().split(/\r?\n/);
    const outcomes = lines.slice(1).map((line) => line.replaceAll('"', '').split(',').slice(0, 3).join(','));
    expect(outcomes).toEqual(['2,L2,succeeded', '3,L3,pending', '4,L4,not_sent', '5,L5,not_sent']);
    expect(lines[4]).toContain('the run ended before this row was sent');
    // A pending job is not a problem to fix: only the rows not sent are in the error report.
    const report = await readFile(errorsPath, 'utf8');
    expect(report).not.toContain('Bob');
    expect(report).toContain('Cy');
    expect(report).toContain('Di');
  });

  it('writes a row already up to date as unchanged, and leaves it out of the error report', async () => {
    const path = join(dir, 'up-to-date.csv');
    await writeFile(path, 'Lead ID,First Name\nL2,Ann\nL3,Bob\n');
    const prepared = await prepareImport({ path });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    const records = new Map<number, RowRecord>([
      [2, record(2, 'L2', 'unchanged', 0)],
      [3, record(3, 'L3', 'failed')],
    ]);
    const resultsPath = join(dir, 'up-to-date-results.csv');
    const errorsPath = join(dir, 'up-to-date-errors.csv');
    await writeRunReports(prepared.right, records, { resultsPath, errorsPath });
    const lines = (await readFile(resultsPath, 'utf8')).trim().split(/\r?\n/);
    expect(lines.slice(1).map((line) => line.replaceAll('"', '').split(',').slice(0, 3).join(','))).toEqual([
      '2,L2,unchanged',
      '3,L3,failed',
    ]);
    const report = await readFile(errorsPath, 'utf8');
    expect(report).not.toContain('Ann');
    expect(report).toContain('Bob');
  });
});

describe('the results file of a run that looked its leads up', () => {
  it('names, for each row the check against Propexo looked up, the key kind and the key it used', async () => {
    const path = join(dir, 'by-x-id.csv');
    await writeFile(path, 'Lead ID,First Name\nL2,Ann\nL3,Bob\nL4,Cy\n');
    const prepared = await prepareImport({ path });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    const records = new Map<number, RowRecord>([
      [2, record(2, 'lead_002', 'succeeded')],
      [3, { ...record(3, 'L3', 'not_found', 0), errors: ['no lead with x_id "L3" in the scope'], stage: 'match' }],
      [4, record(4, 'L4', 'not_sent', 0)],
    ]);
    const matches = new Map([
      [2, { kind: 'x_id' as const, key: 'L2' }],
      [3, { kind: 'x_id' as const, key: 'L3' }],
    ]);
    const resultsPath = join(dir, 'by-x-id-results.csv');
    await writeRunReports(prepared.right, records, { resultsPath }, undefined, matches);
    const [header, ...lines] = (await readFile(resultsPath, 'utf8'))
      .trim()
      .split(/\r?\n/)
      .map((line) => line.replaceAll('"', '').split(','));
    const at = (name: string): number => header.indexOf(name);
    expect(at('matched_by')).toBeGreaterThan(at('lead_id'));
    expect(lines.map((l) => [l[at('import_row')], l[at('lead_id')], l[at('matched_by')], l[at('match_key')]])).toEqual([
      ['2', 'lead_002', 'x_id', 'L2'],
      ['3', 'L3', 'x_id', 'L3'],
      // Never looked up (the run stopped before it): no key was used.
      ['4', 'L4', '', ''],
    ]);
  });

  it('marks, in a workbook error report, the cell each match problem is about (a key matched to no lead)', async () => {
    const path = join(dir, 'by-x-id-2.csv');
    await writeFile(path, 'Guest Card ID,First Name\nGC-2,Ann\nGC-9,Bob\n');
    const prepared = await prepareImport({ path });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    const problem = 'by-x-id-2.csv, row 3, column "Guest Card ID": no lead with x_id "GC-9" in the scope';
    const records = new Map<number, RowRecord>([
      [2, record(2, 'lead_002', 'succeeded')],
      [3, { ...record(3, 'GC-9', 'not_found', 0), errors: [problem], stage: 'match' }],
    ]);
    const matches = new Map([
      [2, { kind: 'x_id' as const, key: 'GC-2' }],
      [3, { kind: 'x_id' as const, key: 'GC-9', problemColumns: ['Guest Card ID'] }],
    ]);
    const errorsPath = join(dir, 'by-x-id-2-errors.xlsx');
    await writeRunReports(prepared.right, records, { errorsPath }, undefined, matches);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(errorsPath);
    const sheet = book.worksheets[0];
    const row = sheet.getRow(2);
    expect(row.getCell(1).value).toBe('GC-9');
    expect(row.getCell(1).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(String(row.getCell(1).note)).toContain(problem);
    expect(row.getCell(2).fill).toBeUndefined();
  });
});
