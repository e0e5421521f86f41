// Error reports under hostile cells. A report is opened in Excel or LibreOffice, so no cell of it
// may start like a formula (OWASP's CSV-injection rule: =, +, -, @, tab, CR); it is fixed and
// imported again with the same mapping, so every cell, quotes and line breaks included, must come
// back as it was. Source files: CSV full of fast-check's nastiest cells, and workbooks whose cells
// also hold CRs (as Excel stores them, `_x000D_`), numbers, dates and booleans.
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedRow } from '../../../app/lead/decoded-row.ts';
import { autoMap } from '../../../app/mapping/auto-map.ts';
import { toMappingFile, type MappingFile } from '../../../app/mapping/mapping-file.ts';
// The text a cell shows, as the decoder reads it (numbers to Excel's 15 significant digits).
import { cellText } from '../../../app/lead/cell-text.ts';
import { openSource } from '../../../app/source/open-source.ts';
import type { Cell, SourceRow } from '../../../app/source/types.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
import { renderCsv, type CsvDoc } from './csv-model.ts';
import { CASE_LIMIT_MS, decodeAll, readReport, runs, scratchDir, seedOption, timeFor, withinTime, type Scratch } from './support.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir('lead-importer-reports-');
});
afterAll(() => scratch.remove());

// ---------------------------------------------------------------- the oracle

/** What a spreadsheet may run as a formula: OWASP's triggers, unless the cell is a plain number. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'];
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const runnable = (text: string): boolean => text.length > 0 && TRIGGERS.includes(text[0]) && !PLAIN_NUMBER.test(text);

/** Line breaks read as \n from a CSV whatever they were (app/source/README.md). */
const lineBreaksAsRead = (text: string): string => text.replace(/\r\n?/g, '\n');

// ---------------------------------------------------------------- generators

const NASTY_UNITS = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\n',
  '\r\n',
  '"',
  '""',
  ',',
  ';',
  '|',
  "'",
  'é',
  ' ',
  'a',
  '1',
  '.',
  'SUM(A1)',
  'cmd|',
  '\u00a0',
  '😀',
  '_x000D_',
];
const NASTY_CONSTANTS = [
  '-5',
  '+1',
  '+1 555 0100',
  "'=x",
  "''",
  "'",
  '=1+1',
  '@SUM(1)',
  '\t=1',
  '=HYPERLINK("http://evil","x")',
  '-2+3',
  '"quoted"',
  '',
  ' ',
];
const nastyText = (units: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(fc.constantFrom(...NASTY_CONSTANTS), fc.string({ unit: fc.constantFrom(...units), maxLength: 10 }));

/** Header names, some of them formula-like themselves ("+Notes" still maps to notes). */
const headerArb = fc.tuple(
  fc.constantFrom('Notes', '+Notes', '=Notes', '@Notes'),
  fc.constantFrom('Comment', '-Comment', 'Comment "x"'),
  fc.constantFrom('Lead ID', '@Lead ID'),
);

const DATE_THAT_FAILS = '2026-02-30'; // no such day: every row is invalid, so every row is reported

// ---------------------------------------------------------------- helpers

interface RoundTrip {
  readonly sourceHeader: readonly string[];
  readonly sourceRows: readonly SourceRow[];
  readonly firstDecode: readonly DecodedRow[];
  readonly reportPath: string;
  readonly mappingFile: MappingFile;
}

async function exportReport(path: string): Promise<RoundTrip> {
  const opened = await openSource(path);
  if (E.isLeft(opened)) throw new Error(opened.left.message);
  const mappingFile = toMappingFile(autoMap(opened.right.header));
  const reportPath = scratch.path('report.csv');
  const validated = await withinTime('validate', CASE_LIMIT_MS, () => validateFile({ path, mappingFile, errorsPath: reportPath }));
  if (E.isLeft(validated)) throw new Error(validated.left.message);
  const prepared = await prepareImport({ path, mappingFile });
  if (E.isLeft(prepared)) throw new Error(prepared.left.message);
  const { rows, decoded } = await decodeAll(prepared.right);
  // Every row is invalid (see DATE_THAT_FAILS), so the report holds them all.
  expect(validated.right.invalid).toBe(rows.length);
  return { sourceHeader: opened.right.header, sourceRows: rows, firstDecode: decoded, reportPath, mappingFile };
}

/** The report as raw cells: no cell may start like a formula; data cells are the source's, neutralized. */
async function expectNeutralized(trip: RoundTrip): Promise<void> {
  const [header, ...rows] = await readReport(trip.reportPath);
  for (const cell of [...header, ...rows.flat()]) expect(runnable(cell), `report cell ${JSON.stringify(cell)}`).toBe(false);
  expect(rows).toHaveLength(trip.sourceRows.length);
  rows.forEach((row, r) => {
    trip.sourceRows[r].cells.forEach((cell, c) => {
      const written = row[c];
      const text = cellText(cell);
      // Unchanged, or behind one apostrophe that stops a spreadsheet from running it.
      if (written !== text) expect(written).toBe(`'${text}`);
    });
  });
}

/** Re-imported with the same mapping: the same header, the same cells, the same problems. */
async function expectRoundTrip(trip: RoundTrip, compareText: (text: string) => string): Promise<void> {
  const prepared = await prepareImport({ path: trip.reportPath, mappingFile: trip.mappingFile });
  if (E.isLeft(prepared)) throw new Error(prepared.left.message);
  expect(prepared.right.mappingProblems).toEqual([]);
  const width = trip.sourceHeader.length;
  expect(prepared.right.source.header.slice(0, width)).toEqual(trip.sourceHeader);
  expect(prepared.right.source.header.slice(width)).toEqual(['import_row', 'import_stage', 'import_errors']);
  const { rows, decoded } = await withinTime('re-import', CASE_LIMIT_MS, () => decodeAll(prepared.right));
  expect(rows).toHaveLength(trip.sourceRows.length);
  rows.forEach((row, r) => {
    const source = trip.sourceRows[r];
    expect(row.cells.slice(0, width)).toEqual(source.cells.map((cell) => compareText(cellText(cell))));
    expect(row.cells[width]).toBe(String(source.rowNumber));
    expect(row.cells[width + 1]).toBe('validation');
    // The same problems, cell for cell (only the row numbers differ: they are the report's).
    const asRead = (issues: DecodedRow['errors']) =>
      issues.map((i) => ({ ...i, value: compareText(i.value), message: compareText(i.message) }));
    expect(asRead(decoded[r].errors)).toEqual(asRead(trip.firstDecode[r].errors));
    expect(decoded[r].status).toBe('invalid');
  });
}

// ---------------------------------------------------------------- properties

const CSV_RUNS = runs(60);
const XLSX_RUNS = runs(25);

describe('error reports of hostile cells', () => {
  it(
    'CSV source: no report cell can run as a formula, and re-importing the report gives the same header, cells and problems',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          headerArb,
          fc.array(fc.tuple(nastyText(NASTY_UNITS), nastyText(NASTY_UNITS), nastyText(NASTY_UNITS), nastyText(NASTY_UNITS)), {
            minLength: 1,
            maxLength: 12,
          }),
          fc.constantFrom<CsvDoc['encoding']>('utf-8', 'utf-8-bom'),
          async ([notes, comment, leadId], table, encoding) => {
            const header = [leadId, 'Status', notes, 'Move-in Date', comment, 'Max Rent'];
            const records = [
              { cells: header.map((value) => ({ value, quoted: true })), end: '\r\n' as const },
              ...table.map(([id, status, a, b], i) => ({
                cells: [`ld_${i}${id}`, status, a, DATE_THAT_FAILS, b, `${a}`].map((value) => ({ value, quoted: true })),
                end: '\r\n' as const,
              })),
            ];
            const path = await scratch.write('nasty.csv', renderCsv({ delimiter: ',', encoding, records }).bytes);
            const trip = await exportReport(path);
            await expectNeutralized(trip);
            // A CSV's cells are already read with \n line breaks: they come back exactly.
            await expectRoundTrip(trip, (text) => text);
          },
        ),
        { numRuns: CSV_RUNS, ...seedOption() },
      );
    },
    timeFor(CSV_RUNS, 600),
  );

  it(
    'XLSX source (CRs in cells, numbers, dates, booleans): neutralized, and re-imported as the text it showed',
    async () => {
      const cellArb: fc.Arbitrary<Cell> = fc.oneof(
        { weight: 5, arbitrary: nastyText(NASTY_UNITS) },
        { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
        { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)) },
        { weight: 1, arbitrary: fc.boolean() },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 60_000 }).map((d) => new Date(Date.UTC(1970, 0, 1) + d * 86_400_000)) },
      );
      await fc.assert(
        fc.asyncProperty(
          headerArb,
          fc.array(fc.tuple(nastyText(NASTY_UNITS), cellArb, cellArb, cellArb), { minLength: 1, maxLength: 10 }),
          async ([notes, comment, leadId], table) => {
            const workbook = new ExcelJS.Workbook();
            const sheet = workbook.addWorksheet('Leads');
            sheet.addRow([leadId, 'Status', notes, 'Move-in Date', comment, 'Max Rent']);
            table.forEach(([id, status, a, b], i) => {
              const row = sheet.addRow([`ld_${i}${id}`, status, a, DATE_THAT_FAILS, b, a]);
              row.eachCell((cell) => {
                if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
              });
            });
            const path = scratch.path('nasty.xlsx');
            await workbook.xlsx.writeFile(path);
            const trip = await exportReport(path);
            await expectNeutralized(trip);
            // A report is CSV: a cell reads back as the text it showed, its line breaks as \n.
            await expectRoundTrip(trip, lineBreaksAsRead);
          },
        ),
        { numRuns: XLSX_RUNS, ...seedOption() },
      );
    },
    timeFor(XLSX_RUNS, 1500),
  );
});

describe('formula-like cells in a report', () => {
  it('each trigger at the start of a cell is neutralized with an apostrophe; plain numbers are left readable', async () => {
    const cells = ['=1+1', '+1 555', '-x', '@SUM(A1)', '\tcmd', '\rcmd', '\ncmd', "'=already", '-5', '+15551234567', '-1.5', 'plain'];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Lead ID', 'Notes', 'Move-in Date']);
    // Excel stores a CR in a cell as _x000D_.
    cells.forEach((cell, i) => sheet.addRow([`ld_${i}`, cell.replace('\r', '_x000D_'), DATE_THAT_FAILS]));
    const path = scratch.path('triggers.xlsx');
    await workbook.xlsx.writeFile(path);
    const trip = await exportReport(path);
    const [, ...rows] = await readReport(trip.reportPath);
    expect(rows.map((r) => r[1])).toEqual([
      "'=1+1",
      "'+1 555",
      "'-x",
      "'@SUM(A1)",
      "'\tcmd",
      "'\rcmd",
      "'\ncmd",
      "''=already",
      '-5',
      '+15551234567',
      '-1.5',
      'plain',
    ]);
  });
});
