// Importing an error report unchanged never turns an invalid row valid. A row whose cells did not
// fit the header (too few, too many, broken quotes) is written to the report as it was read, padded
// to the report's columns; read back unchanged it is refused again, naming the first problem.
// Once its cells are changed (the person fixed it), it is decoded like any other row.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile, type ValidationSummary } from '../../../app/validate/validate-file.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { toMappingFile } from '../../../app/mapping/mapping-file.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-reimport-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validated(path: string, errorsPath?: string): Promise<ValidationSummary> {
  const result = await validateFile({ path, errorsPath, keepProblems: 100 });
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
}

// A SuiteCRM-like export: row 3 lost its first cell, so the e-mail address sits under "Lead ID"
// (padded, the row would be valid); row 4 has a value past the last column; row 5 a stray quote.
const SOURCE = [
  'Lead ID,First Name,Last Name,Status',
  'ld_1,Ana,Lee,ACTIVE',
  'bo@example.com,Bo,ACTIVE',
  'ld_3,Cy,Smith,ACTIVE,extra',
  'ld_4,"Di"x,Smith,ACTIVE',
].join('\n');

describe('a mapping file and the reports of its file', () => {
  it.each(['csv', 'xlsx'])('match when a header has a line break, as Excel stores it (%s report)', async (kind) => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    // Excel writes a CR in a cell as _x000D_: "Move-in\r\nDate" typed with Alt+Enter on Windows.
    sheet.addRow(['Lead ID', 'Move-in_x000D_\nDate']);
    sheet.addRow(['ld_1', '2026-02-30']);
    const source = join(dir, `breaks-${kind}.xlsx`);
    await workbook.xlsx.writeFile(source);
    const opened = await prepareImport({ path: source });
    if (E.isLeft(opened)) throw new Error(opened.left.message);
    const mappingFile = toMappingFile(opened.right.mapping);
    expect(Object.keys(mappingFile.columns)).toEqual(['Lead ID', 'Move-in\nDate']);
    const report = join(dir, `breaks.errors.${kind}`);
    const result = await validateFile({ path: source, mappingFile, errorsPath: report });
    if (E.isLeft(result)) throw new Error(result.left.message);
    const again = await prepareImport({ path: report, mappingFile });
    if (E.isLeft(again)) throw new Error(again.left.message);
    expect(again.right.mappingProblems).toEqual([]);
    expect(again.right.mapping.columns.filter((c) => c.field !== null).map((c) => c.column)).toEqual(['Lead ID', 'Move-in\nDate']);
  });
});

describe('re-importing an error report unchanged', () => {
  it.each(['csv', 'xlsx'])('keeps rows whose cells did not fit the header invalid (%s report)', async (kind) => {
    const source = join(dir, `shifted-${kind}.csv`);
    await writeFile(source, `${SOURCE}\n`);
    const report = join(dir, `shifted.errors.${kind}`);
    const first = await validated(source, report);
    expect(first).toMatchObject({ rows: 4, valid: 1, invalid: 3 });

    const again = await validated(report, join(dir, `shifted.errors-2.${kind}`));
    expect(again).toMatchObject({ rows: 3, valid: 0, invalid: 3 });
    const rowMessages = again.firstProblems.filter((p) => p.column === null).map((p) => p.message);
    expect(rowMessages).toEqual([
      expect.stringContaining('has 3 cells; the header has 4'),
      expect.stringContaining('has 5 cells; the header has 4'),
      expect.stringContaining('quote'),
    ]);
    expect(rowMessages[0]).toMatch(/unchanged since/);

    // And so on, report after report.
    const third = await validated(join(dir, `shifted.errors-2.${kind}`));
    expect(third).toMatchObject({ rows: 3, valid: 0, invalid: 3 });
    expect(third.firstProblems.filter((p) => p.column === null).map((p) => p.message)).toEqual(rowMessages);
  });

  it('decodes a row of the report the person fixed', async () => {
    const source = join(dir, 'to-fix.csv');
    await writeFile(source, `${SOURCE}\n`);
    const report = join(dir, 'to-fix.errors.csv');
    await validated(source, report);
    const [header, ...rows] = Papa.parse<string[]>((await readFile(report, 'utf8')).replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    // Row 3 of the source, fixed: each value moved under its column.
    const fixedRow = rows.findIndex((r) => r[0] === 'bo@example.com');
    rows[fixedRow] = ['ld_2', 'Bo', '', 'ACTIVE', ...rows[fixedRow].slice(4)];
    const fixed = join(dir, 'fixed.csv');
    await writeFile(fixed, Papa.unparse([header, ...rows]));
    expect(await validated(fixed)).toMatchObject({ rows: 3, valid: 1, invalid: 2 });
  });

  it('a workbook report keeps a short row recognisably broken too', async () => {
    const source = join(dir, 'shifted-source.csv');
    await writeFile(source, `${SOURCE}\n`);
    const report = join(dir, 'shifted-source.errors.xlsx');
    await validated(source, report);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    const errorsCell = book.worksheets[0].getRow(2).getCell(7).value;
    expect(String(errorsCell)).toMatch(/has 3 cells; the header has 4/);
  });
});
