import type ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { fileError, SourceReadError } from './file-errors.ts';
import { cellText } from './cell-text.ts';
import { buildHeader } from './header.ts';
import { clipCell, findHeaderRow, HEADER_SEARCH_ROWS } from './header-row.ts';
import type { ReadTuning } from './read-tuning.ts';
import { isBlankCell, isBlankRow, shapeSheetRow } from './row-shape.ts';
import type { Cell, FileError, SourceFile, SourceOptions, SourceRow } from './types.ts';
import { cellFromSheet } from './xlsx-cell.ts';
import { workbookLimits, type WorkbookLimits } from './workbook-limits.ts';
import { damaged, openSheetPass } from './xlsx-workbook.ts';

/**
 * Opens an Excel workbook (.xlsx): the sheet `options.sheet` or the first visible one, its
 * header being `options.headerRow` or the first row that looks like one (header-row.ts). Rows are streamed from the zip by exceljs's streaming
 * reader, so a big workbook is never loaded whole; each `rows()` call reads the sheet afresh.
 */
export async function openWorkbook(path: string, options: SourceOptions, tuning: ReadTuning): Promise<E.Either<FileError, SourceFile>> {
  const limits = workbookLimits(options.maxWorkbookMb, tuning.workbookLimits);
  const opened = await openSheetPass(path, options.sheet, limits);
  if (E.isLeft(opened)) return opened;
  const pass = opened.right;
  // The first rows, enough to find the header below a title block (or to reach a chosen row).
  const firstRows: { number: number; cells: Cell[] }[] = [];
  let chosen: { number: number; cells: Cell[] } | undefined;
  try {
    for (let row = await pass.nextRow(); row !== undefined; row = await pass.nextRow()) {
      const cells = rowCells(row);
      if (options.headerRow !== undefined) {
        if (row.number < options.headerRow) {
          if (!isBlankRow(cells) && firstRows.length < HEADER_SEARCH_ROWS) firstRows.push({ number: row.number, cells });
          continue;
        }
        if (row.number === options.headerRow && !isBlankRow(cells)) chosen = { number: row.number, cells };
        if (chosen !== undefined) firstRows.push({ number: row.number, cells });
        break;
      }
      if (isBlankRow(cells)) continue;
      firstRows.push({ number: row.number, cells });
      if (firstRows.length >= SEARCHED_ROWS) break;
    }
  } catch (error) {
    return E.left(damaged(path, error));
  } finally {
    await pass.close();
  }
  const { sheet, sheets } = pass;
  if (options.headerRow !== undefined && chosen === undefined) {
    return E.left(fileError('no_header', path, `cannot take row ${options.headerRow} of sheet "${sheet}" as its header row: that row is blank or past the last row.`));
  }
  const headerRow = chosen ?? firstRows[findHeaderRow(firstRows.map((row) => ({ cells: withoutTrailingBlanks(row.cells) }))) ?? 0];
  if (headerRow === undefined) {
    return E.left(fileError('empty', path, `is empty: sheet "${sheet}" has no header row and no data.`));
  }
  const headerNumber = headerRow.number;
  return pipe(
    buildHeader(path, withoutTrailingBlanks(headerRow.cells), `row ${headerNumber} of sheet "${sheet}"`),
    E.map((names): SourceFile => ({
      path,
      format: 'xlsx',
      sheet,
      sheets: sheets.map((s) => s.name),
      header: names,
      headerRowNumber: headerNumber,
      headerCandidates: firstRows.slice(0, HEADER_SEARCH_ROWS).map((row) => ({
        rowNumber: row.number,
        cells: withoutTrailingBlanks(row.cells).map((cell) => clipCell(cellText(cell))),
        isHeader: row.number === headerNumber,
      })),
      rows: () => sheetRows(path, sheet, headerNumber, names.length, tuning.batchRows, limits),
    })),
  );
}

/** Rows read to find the header: the rows it may be among, and the rows after the last of them. */
const SEARCHED_ROWS = HEADER_SEARCH_ROWS + 3;

/** The data rows of a sheet whose header is known (xlsx-worker.ts reads them without a header pass). */
export async function* sheetRows(path: string, sheet: string, headerNumber: number, width: number, batchRows: number, limits: WorkbookLimits): AsyncGenerator<SourceRow[]> {
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

function withoutTrailingBlanks(cells: Cell[]): Cell[] {
  let end = cells.length;
  while (end > 0 && isBlankCell(cells[end - 1])) end--;
  return cells.slice(0, end);
}
