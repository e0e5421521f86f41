// Random workbooks written with exceljs, and what the reader must make of them: typed cells
// (numbers, text, booleans, dates, formulas with and without a cached result, rich text, links,
// errors, blanks), merged ranges, the header on any of the first rows, rows numbered as in the
// sheet, other sheets (some hidden) before the one that is read.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
// Header names are the text a person sees in the cell (the reader's own formatting of numbers and dates).
import { exactCellText } from '../../../app/source/cell-text.ts';
import type { Cell } from '../../../app/source/types.ts';
import { expectedHeaderIndex } from './header-model.ts';

export type XCell =
  | { readonly kind: 'blank' }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'date'; readonly value: Date }
  | { readonly kind: 'formula'; readonly formula: string; readonly result: string | number | boolean | Date }
  | { readonly kind: 'uncalculated'; readonly formula: string }
  | { readonly kind: 'rich'; readonly runs: readonly string[] }
  | { readonly kind: 'link'; readonly text: string }
  | { readonly kind: 'error'; readonly value: '#N/A' | '#REF!' | '#DIV/0!' | '#VALUE!' };

export interface XRow {
  /** Blank sheet rows before this one. */
  readonly gap: number;
  readonly cells: readonly XCell[];
}

export interface XBook {
  /** Sheets before the one read: their names and whether Excel hides them. */
  readonly before: readonly { readonly name: string; readonly hidden: boolean }[];
  readonly sheet: string;
  /** The sheet row of the header (rows above it are blank or whitespace). */
  readonly headerRow: number;
  readonly header: readonly string[];
  readonly rows: readonly XRow[];
  /** One merged range among the data rows, as offsets from the first data row / column. */
  readonly merge: { readonly row: number; readonly column: number; readonly rows: number; readonly columns: number } | null;
}

const SHEET_NAMES = ['Notes', 'Archive 2024', 'Données', 'Summary', 'Leads (old)'];
const DATA_SHEETS = ['Leads', 'Prospects', 'Hoja 1', 'Sheet1'];

// XML-special characters, accents, a surrogate pair, tab and line feed; no CR and no "_x" (exceljs
// writes them raw, Excel escapes them, so an exceljs file would not be what Excel writes).
const TEXT_UNITS = ['a', 'Z', '1', ' ', 'é', 'ë', 'ñ', '€', '😀', '中', '&', '<', '>', '"', "'", '=', '+', '-', '@', '\t', '\n', ',', ';'];
const text = fc.oneof(
  fc.constantFrom(
    'ld_1',
    'ld_2',
    'ACTIVE',
    'Actve',
    'cold',
    '$1,250.50',
    '2026-02-30',
    '3/7/2026',
    'yes',
    'zoe@example.com',
    '=1+1',
    '  ',
    '',
  ),
  fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 10 }),
);
const day = fc.integer({ min: Date.UTC(1900, 2, 1) / 86_400_000, max: Date.UTC(9999, 11, 31) / 86_400_000 });
const date = fc.tuple(day, fc.integer({ min: 0, max: 86_399 })).map(([d, s]) => new Date(d * 86_400_000 + s * 1000));
const number = fc
  .oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
  .map((n) => (Object.is(n, -0) ? 0 : n));

export const xcellArb: fc.Arbitrary<XCell> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'blank' as const }) },
  { weight: 4, arbitrary: text.map((value) => ({ kind: 'text' as const, value })) },
  { weight: 2, arbitrary: number.map((value) => ({ kind: 'number' as const, value })) },
  { weight: 1, arbitrary: fc.boolean().map((value) => ({ kind: 'boolean' as const, value })) },
  { weight: 2, arbitrary: date.map((value) => ({ kind: 'date' as const, value })) },
  {
    weight: 2,
    arbitrary: fc.oneof(text, number, fc.boolean(), date).map((result) => ({ kind: 'formula' as const, formula: 'A1&B1', result })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'uncalculated' as const, formula: 'SUM(A1:A9)' }) },
  { weight: 1, arbitrary: fc.array(text, { minLength: 1, maxLength: 3 }).map((runs) => ({ kind: 'rich' as const, runs })) },
  // exceljs writes a link without text as the JSON of the link: not what Excel writes.
  { weight: 1, arbitrary: text.filter((t) => t !== '').map((t) => ({ kind: 'link' as const, text: t })) },
  { weight: 1, arbitrary: fc.constantFrom('#N/A', '#REF!', '#DIV/0!', '#VALUE!').map((value) => ({ kind: 'error' as const, value })) },
);

const HEADER_NAMES = [
  'Lead ID',
  'Status',
  'Max Rent',
  'E-mail Address',
  'Move-in Date',
  'Beds',
  'Notes',
  'Prénom',
  'Has Cats',
  '',
  ' Status ',
  'Zoë & co',
];

export const xbookArb: fc.Arbitrary<XBook> = fc
  .record({
    before: fc
      .uniqueArray(fc.constantFrom(...SHEET_NAMES), { maxLength: 2 })
      .chain((names) => fc.tuple(...names.map((name) => fc.boolean().map((hidden) => ({ name, hidden }))))),
    sheet: fc.constantFrom(...DATA_SHEETS),
    headerRow: fc.integer({ min: 1, max: 3 }),
    width: fc.integer({ min: 1, max: 6 }),
    withLeadId: fc.boolean(),
  })
  .chain(({ before, sheet, headerRow, width, withLeadId }) =>
    fc
      .record({
        header: fc.array(fc.constantFrom(...HEADER_NAMES), { minLength: width, maxLength: width }),
        rows: fc.array(
          fc.record({
            gap: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }),
            cells: fc.array(xcellArb, { minLength: 0, maxLength: width + 1 }),
          }),
          { maxLength: 10 },
        ),
        merge: fc.option(
          fc
            .record({
              row: fc.nat(3),
              column: fc.nat(width - 1),
              rows: fc.integer({ min: 1, max: 3 }),
              columns: fc.integer({ min: 1, max: 2 }),
            })
            .filter((m) => m.rows * m.columns > 1),
        ),
      })
      .map(({ header, rows, merge }) => ({
        before,
        sheet,
        headerRow,
        header: withLeadId ? ['Lead ID', ...header.slice(1)] : header,
        rows,
        merge,
      })),
  );

// ---------------------------------------------------------------- writing

function sheetValue(cell: XCell): ExcelJS.CellValue {
  switch (cell.kind) {
    case 'blank':
      return null;
    case 'text':
    case 'number':
    case 'boolean':
    case 'date':
      return cell.value;
    case 'formula':
      return { formula: cell.formula, result: cell.result } as ExcelJS.CellFormulaValue;
    case 'uncalculated':
      return { formula: cell.formula } as ExcelJS.CellFormulaValue;
    case 'rich':
      return { richText: cell.runs.map((t, i) => ({ text: t, font: i % 2 === 1 ? { bold: true } : {} })) };
    case 'link':
      return { text: cell.text, hyperlink: 'https://example.com/lead' };
    case 'error':
      return { error: cell.value } as ExcelJS.CellErrorValue;
  }
}

/** The sheet row of each data row. */
export function rowNumbers(book: XBook): number[] {
  const numbers: number[] = [];
  let at = book.headerRow;
  for (const row of book.rows) {
    at += 1 + row.gap;
    numbers.push(at);
  }
  return numbers;
}

const firstDataRow = (book: XBook): number => book.headerRow + 1;

export async function writeBook(book: XBook): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  for (const other of book.before) {
    const sheet = workbook.addWorksheet(other.name, { state: other.hidden ? 'hidden' : 'visible' });
    sheet.addRow(['Something else', 42]);
  }
  const sheet = workbook.addWorksheet(book.sheet);
  // Rows above the header: blank, or holding only spaces.
  for (let r = 1; r < book.headerRow; r++) if (r % 2 === 0) sheet.getCell(r, 2).value = '   ';
  book.header.forEach((name, i) => {
    if (name !== '') sheet.getCell(book.headerRow, i + 1).value = name;
  });
  rowNumbers(book).forEach((rowNumber, i) => {
    book.rows[i].cells.forEach((cell, c) => {
      const target = sheet.getCell(rowNumber, c + 1);
      target.value = sheetValue(cell);
      if (cell.kind === 'date' || (cell.kind === 'formula' && cell.result instanceof Date)) target.numFmt = 'yyyy-mm-dd';
    });
  });
  if (book.merge !== null) {
    const top = firstDataRow(book) + book.merge.row;
    const left = book.merge.column + 1;
    sheet.mergeCells(top, left, top + book.merge.rows - 1, left + book.merge.columns - 1);
  }
  return workbook;
}

// ---------------------------------------------------------------- the expected outcome

const utcDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

function expectedCell(cell: XCell): Cell {
  switch (cell.kind) {
    case 'blank':
    case 'uncalculated':
      return '';
    case 'text':
    case 'number':
    case 'boolean':
      return cell.value;
    case 'date':
      return utcDay(cell.value);
    case 'formula':
      return cell.result instanceof Date ? utcDay(cell.result) : cell.result;
    case 'rich':
      return cell.runs.join('');
    case 'link':
      return cell.text;
    case 'error':
      return cell.value;
  }
}

const isBlank = (cell: Cell): boolean => typeof cell === 'string' && cell.trim() === '';

export interface ExpectedSheetRow {
  readonly rowNumber: number;
  readonly cells: readonly Cell[];
  readonly rawCells?: readonly Cell[];
  readonly problem?: 'cell_count';
}

export type ExpectedBook =
  | { readonly kind: 'file_error'; readonly code: 'empty' }
  | {
      readonly kind: 'file';
      readonly header: readonly string[];
      readonly headerRowNumber: number;
      readonly rows: readonly ExpectedSheetRow[];
    };

function letter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** The sheet as a grid of expected cells by sheet row, merged ranges holding their value in the top-left cell only. */
function grid(book: XBook): Map<number, Cell[]> {
  const rows = new Map<number, Cell[]>();
  rowNumbers(book).forEach((rowNumber, i) => rows.set(rowNumber, book.rows[i].cells.map(expectedCell)));
  if (book.merge !== null) {
    const top = firstDataRow(book) + book.merge.row;
    for (let r = top; r < top + book.merge.rows; r++) {
      for (let c = book.merge.column; c < book.merge.column + book.merge.columns; c++) {
        if (r === top && c === book.merge.column) continue;
        const cells = rows.get(r) ?? [];
        while (cells.length <= c) cells.push('');
        cells[c] = '';
        rows.set(r, cells);
      }
    }
  }
  return rows;
}

function withoutTrailingBlanks(cells: readonly Cell[]): Cell[] {
  let end = cells.length;
  while (end > 0 && isBlank(cells[end - 1])) end--;
  return cells.slice(0, end);
}

export function expectedBook(book: XBook): ExpectedBook {
  const sheet = grid(book);
  sheet.set(book.headerRow, [...book.header]);
  const ordered = [...sheet].sort(([a], [b]) => a - b);
  // The header is among the rows with something in it (below a title block, see header-model.ts).
  const filled = ordered.filter(([, cells]) => !cells.every(isBlank));
  if (filled.length === 0) return { kind: 'file_error', code: 'empty' };
  // Sheets keep no trailing blank cells: a row is as wide as its last value.
  const headerAt = ordered.indexOf(filled[expectedHeaderIndex(filled.map(([, cells]) => withoutTrailingBlanks(cells)))]);
  const [headerRowNumber, headerCells] = ordered[headerAt];
  const names = headerCells.map((cell) => exactCellText(cell).trim());
  let end = names.length;
  while (end > 0 && names[end - 1] === '') end--;
  const header = names.slice(0, end).map((name, i) => (name === '' ? `Column ${letter(i)}` : name));
  const width = header.length;
  const rows: ExpectedSheetRow[] = [];
  for (const [rowNumber, cells] of ordered.slice(headerAt + 1)) {
    if (cells.every(isBlank)) continue;
    let lastFilled = cells.length - 1;
    while (lastFilled >= 0 && isBlank(cells[lastFilled])) lastFilled--;
    const fitted = Array.from({ length: width }, (_, i) => (i < cells.length ? cells[i] : ''));
    if (lastFilled < width) rows.push({ rowNumber, cells: fitted });
    else rows.push({ rowNumber, cells: fitted, rawCells: cells.slice(0, lastFilled + 1), problem: 'cell_count' });
  }
  return { kind: 'file', header, headerRowNumber, rows };
}

/** The sheet to ask for: none when every sheet before it is hidden (the first visible one is the default). */
export function sheetOption(book: XBook, loose: boolean): string | undefined {
  if (book.before.every((s) => s.hidden)) return undefined;
  return loose ? ` ${book.sheet.toUpperCase()} ` : book.sheet;
}
