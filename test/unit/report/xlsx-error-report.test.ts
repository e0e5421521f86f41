// The error report as a workbook: the CSV report's rows and columns, the cells a problem is
// about filled and noted, text that could run as a formula neutralized, typed cells kept; read
// back, it validates exactly as the CSV report does.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile, type ValidationSummary } from '../../../app/validate/validate-file.ts';
import { openXlsxErrorReport } from '../../../app/report/xlsx-error-report.ts';
import { openSource } from '../../../app/source/open-source.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LEADS = [
  'Lead ID,First Name,Status,Max Rent,Move-in Date,Notes',
  'ld_1,Ana,ACTIVE,$1200,2026-03-01,fine',
  'ld_2,José,Actve,abc,2026-02-30,=HYPERLINK("http://x")',
  'ld_3,Zoë,COLD,$900,2026-04-01,"two\nlines"',
  'ld_4,,,,,',
].join('\n');

async function summaryOf(path: string, errorsPath?: string): Promise<ValidationSummary> {
  const result = await validateFile({ path, errorsPath });
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
}

describe('the workbook error report', () => {
  it('holds the rows not sent, with the problem cells filled and their messages in notes', async () => {
    const source = join(dir, 'leads.csv');
    await writeFile(source, LEADS);
    const report = join(dir, 'errors.xlsx');
    const summary = await summaryOf(source, report);
    expect(summary).toMatchObject({ valid: 2, invalid: 1, skipped: 1, errorsFile: report });

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    const sheet = book.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1);
    expect(header).toEqual([
      'Lead ID',
      'First Name',
      'Status',
      'Max Rent',
      'Move-in Date',
      'Notes',
      'import_row',
      'import_stage',
      'import_errors',
    ]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.rowCount).toBe(3);

    const invalid = sheet.getRow(2);
    expect(invalid.getCell(7).value).toBe(3);
    expect(invalid.getCell(8).value).toBe('validation');
    expect(invalid.getCell(9).value).toEqual(expect.stringContaining("Status: 'Actve' is not one of ACTIVE"));
    // Formula-like text is neutralized as in the CSV report, never written as a formula.
    expect(invalid.getCell(6).value).toBe('\'=HYPERLINK("http://x")');
    for (const [column, message] of [
      [3, "'Actve' is not one of ACTIVE"],
      [4, "'abc' is not an amount"],
      [5, "'2026-02-30' is not a real date"],
    ] as const) {
      const cell = invalid.getCell(column);
      expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
      expect(String(cell.note)).toContain(message);
    }
    // Cells without a problem are left plain.
    expect(invalid.getCell(2).fill).toBeUndefined();
    expect(invalid.getCell(2).note).toBeUndefined();
    // The row after a two-line cell: line 6 of the file.
    expect(sheet.getRow(3).getCell(7).value).toBe(6);
  });

  it('read back, validates as the CSV report does', async () => {
    const source = join(dir, 'again.csv');
    await writeFile(source, LEADS);
    await summaryOf(source, join(dir, 'again.csv.errors.xlsx'));
    await summaryOf(source, join(dir, 'again.csv.errors.csv'));
    const fromWorkbook = await summaryOf(join(dir, 'again.csv.errors.xlsx'));
    const fromCsv = await summaryOf(join(dir, 'again.csv.errors.csv'));
    // Row numbers differ by nature (sheet rows there, lines here, and the CSV report's messages
    // span lines); everything else must be the same.
    const comparable = (s: ValidationSummary) => ({
      ...s,
      file: '',
      format: '',
      encoding: null,
      delimiter: null,
      sheet: null,
      firstProblems: s.firstProblems.map((p) => ({ ...p, rowNumber: 0 })),
    });
    expect(comparable(fromWorkbook)).toEqual(comparable(fromCsv));
    expect(fromWorkbook).toMatchObject({ rows: 2, invalid: 1, skipped: 1 });
  });

  it('read back, every cell holds the text it was given: entities, _xHHHH_ sequences, CRs and control characters', async () => {
    const texts = ['AT&amp;T <b> & co', 'keep _x000D_ as typed', '_x005F_ and _x41_', 'one\rtwo', 'bell\u0007 and tab\t', 'Zoë\nnext line'];
    const report = join(dir, 'texts.xlsx');
    const writer = await openXlsxErrorReport(report, ['Lead ID', ...texts.map((_, i) => `Text ${i}`)]);
    await writer.add({ rowNumber: 2, stage: 'validation', cells: ['ld_1', ...texts], errors: ['a problem'] });
    await writer.commit();
    const opened = await openSource(report);
    if (E.isLeft(opened)) throw new Error(opened.left.message);
    const rows: unknown[][] = [];
    for await (const batch of opened.right.rows()) rows.push(...batch.map((row) => [...row.cells]));
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(0, texts.length + 1)).toEqual(['ld_1', ...texts]);
  });

  it('a path it cannot write is a clear error, and leaves nothing behind', async () => {
    const source = join(dir, 'bad-paths.csv');
    await writeFile(source, LEADS);
    const missing = join(dir, 'missing', 'errors.xlsx');
    await expect(validateFile({ path: source, errorsPath: missing })).rejects.toThrow(`Cannot write the report ${missing} (ENOENT)`);
    const folder = join(dir, 'a-folder.xlsx');
    await mkdir(folder);
    await expect(validateFile({ path: source, errorsPath: folder })).rejects.toThrow(`Cannot write the report ${folder} (EISDIR)`);
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });
});
