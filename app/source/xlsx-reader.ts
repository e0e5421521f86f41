import type ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { fileError, SourceReadError } from './file-errors.ts';
import { exactCellText } from './cell-text.ts';
import { buildHeader } from './header.ts';
import { clipCell, findHeaderRow, HEADER_SEARCH_ROWS } from './header-row.ts';
import type { ReadTuning } from './read-tuning.ts';
import { isBlankCell, isBlankRow, shapeSheetRow } from './row-shape.ts';
import type { Cell, FileError, PassedOverSheet, SourceFile, SourceOptions, SourceRow } from './types.ts';
import { cellFromSheet } from './xlsx-cell.ts';
import { workbookLimits, type WorkbookLimits } from './workbook-limits.ts';
import { damaged, openSheetPass, type SheetEntry, type SheetPass } from './xlsx-workbook.ts';

/**
 * Opens an Excel workbook (.xlsx): the sheet `options.sheet` or the first visible one, its
 * header being `options.headerRow` or the first row that looks like one (header-row.ts). Rows are streamed from the zip by exceljs's streaming
 * reader, so a big workbook is never loaded whole; each `rows()` call reads the sheet afresh.
 */
export async function openWorkbook(path: string, options: SourceOptions, tuning: ReadTuning): Promise<E.Either<FileError, SourceFile>> {
  const limits = workbookLimits(options.maxWorkbookMb, tuning.workbookLimits);
  // Without a sheet asked for, an empty sheet in front is passed over for the next worksheet.
  const foundEmpty = new Set<string>();
  let first: FirstRows;
  let pass: SheetPass;
  do {
    const opened = await openSheetPass(path, options.sheet, limits, foundEmpty);
    if (E.isLeft(opened)) return opened;
    pass = opened.right;
    try {
      first = await firstRowsOf(pass, options.headerRow);
    } catch (error) {
      return E.left(damaged(path, error));
    } finally {
      await pass.close();
    }
    if (first.rows.length === 0 && options.sheet === undefined) foundEmpty.add(pass.sheet);
  } while (first.rows.length === 0 && options.sheet === undefined);
  const { sheet, sheets } = pass;
  const sheetRowCounts = await pass.sheetRowCounts();
  const { rows: firstRows, chosen } = first;
  if (options.headerRow !== undefined && chosen === undefined && firstRows.length > 0) {
    return E.left(
      fileError(
        'no_header',
        path,
        `cannot take row ${options.headerRow} of sheet "${sheet}" as its header row: that row is blank or past the last row.`,
      ),
    );
  }
  const headerRow = chosen ?? firstRows[findHeaderRow(firstRows.map((row) => ({ cells: withoutTrailingBlanks(row.cells) }))) ?? 0];
  if (headerRow === undefined) {
    return E.left(fileError('empty', path, `is empty: sheet "${sheet}" has no header row and no data.`));
  }
  const headerNumber = headerRow.number;
  const passedOver = options.sheet === undefined ? sheetsPassedOver(sheets, sheet, foundEmpty) : [];
  return pipe(
    buildHeader(path, withoutTrailingBlanks(headerRow.cells).map(plainLineBreaks), `row ${headerNumber} of sheet "${sheet}"`),
    E.map((names): SourceFile => ({
      path,
      format: 'xlsx',
      sheet,
      sheets: sheets.map((s) => s.name),
      sheetRowCounts,
      ...(passedOver.length > 0 ? { sheetsPassedOver: passedOver } : {}),
      header: names,
      headerRowNumber: headerNumber,
      headerCandidates: firstRows.slice(0, HEADER_SEARCH_ROWS).map((row) => ({
        rowNumber: row.number,
        cells: withoutTrailingBlanks(row.cells).map((cell) => clipCell(exactCellText(cell))),
        isHeader: row.number === headerNumber,
      })),
      rows: () => sheetRows(path, sheet, headerNumber, names.length, tuning.batchRows, limits),
    })),
  );
}

/** Rows read to find the header: the rows it may be among, and the rows after the last of them. */
const SEARCHED_ROWS = HEADER_SEARCH_ROWS + 3;

interface FirstRows {
  /** The first non-blank rows, enough to find the header below a title block (or to reach a chosen row). */
  readonly rows: { number: number; cells: Cell[] }[];
  /** The row asked for as the header (`headerRow`), when it holds something. */
  readonly chosen: { number: number; cells: Cell[] } | undefined;
}

async function firstRowsOf(pass: SheetPass, headerRow: number | undefined): Promise<FirstRows> {
  const rows: { number: number; cells: Cell[] }[] = [];
  let chosen: { number: number; cells: Cell[] } | undefined;
  for (let row = await pass.nextRow(); row !== undefined; row = await pass.nextRow()) {
    const cells = rowCells(row);
    if (headerRow !== undefined) {
      if (row.number < headerRow) {
        if (!isBlankRow(cells) && rows.length < HEADER_SEARCH_ROWS) rows.push({ number: row.number, cells });
        continue;
      }
      if (row.number === headerRow && !isBlankRow(cells)) chosen = { number: row.number, cells };
      if (chosen !== undefined) rows.push({ number: row.number, cells });
      break;
    }
    if (isBlankRow(cells)) continue;
    rows.push({ number: row.number, cells });
    if (rows.length >= SEARCHED_ROWS) break;
  }
  return { rows, chosen };
}

/** The visible sheets in front of the one read, which hold no table (charts) or were found empty. */
function sheetsPassedOver(sheets: readonly SheetEntry[], read: string, foundEmpty: ReadonlySet<string>): PassedOverSheet[] {
  const passed: PassedOverSheet[] = [];
  for (const s of sheets) {
    if (s.name === read) break;
    if (s.hidden) continue;
    if (s.kind !== 'worksheet') passed.push({ name: s.name, why: s.kind === 'chart' ? 'chart' : 'not_a_worksheet' });
    else if (foundEmpty.has(s.name)) passed.push({ name: s.name, why: 'empty' });
  }
  return passed;
}

/** The data rows of a sheet whose header is known (xlsx-worker.ts reads them without a header pass). */
export async function* sheetRows(
  path: string,
  sheet: string,
  headerNumber: number,
  width: number,
  batchRows: number,
  limits: WorkbookLimits,
): AsyncGenerator<SourceRow[]> {
  const opened = await openSheetPass(path, sheet, limits);
  if (E.isLeft(opened)) throw new SourceReadError(opened.left);
  const pass = opened.right;
  try {
    let batch: SourceRow[] = [];
    for (let row = await readRow(pass, path); row !== undefined; row = await readRow(pass, path)) {
      if (row.number <= headerNumber) continue;
      const cells = rowCells(row);
      if (isBlankRow(cells)) continue;
      batch.push(shapeSheetRow(row.number, cells, width));
      if (batch.length >= batchRows) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    await pass.close();
  }
}

async function readRow(pass: { nextRow(): Promise<ExcelJS.Row | undefined> }, path: string): Promise<ExcelJS.Row | undefined> {
  try {
    return await pass.nextRow();
  } catch (error) {
    throw new SourceReadError(damaged(path, error), { cause: error });
  }
}

/** The row's cells by column position, gaps as ''. */
function rowCells(row: ExcelJS.Row): Cell[] {
  const cells: Cell[] = [];
  row.eachCell((cell, column) => {
    while (cells.length < column - 1) cells.push('');
    cells[column - 1] = cellFromSheet(cell.value);
  });
  return cells;
}

/**
 * A header cell's line breaks as "\n" (Excel writes "\r\n" in a cell as `_x000D_` + LF): a CSV
 * report of the sheet reads them back as "\n", so a mapping file names the column the same in both.
 */
function plainLineBreaks(cell: Cell): Cell {
  return typeof cell === 'string' && cell.indexOf('\r') !== -1 ? cell.replace(/\r\n?/g, '\n') : cell;
}

function withoutTrailingBlanks(cells: Cell[]): Cell[] {
  let end = cells.length;
  while (end > 0 && isBlankCell(cells[end - 1])) end--;
  return cells.slice(0, end);
}
