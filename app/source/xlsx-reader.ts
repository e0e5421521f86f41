import type ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { fileError, SourceReadError } from './file-errors.ts';
import { buildHeader } from './header.ts';
import type { ReadTuning } from './read-tuning.ts';
import { isBlankCell, isBlankRow, shapeSheetRow } from './row-shape.ts';
import type { Cell, FileError, PassedOverSheet, SourceFile, SourceOptions, SourceRow } from './types.ts';
import { cellFromSheet } from './xlsx-cell.ts';
import { damaged, openSheetPass, type SheetEntry, type SheetPass } from './xlsx-workbook.ts';

/**
 * Opens an Excel workbook (.xlsx): the sheet `options.sheet` or the first visible one, its
 * header being the first non-blank row. Rows are streamed from the zip by exceljs's streaming
 * reader, so a big workbook is never loaded whole; each `rows()` call reads the sheet afresh.
 */
export async function openWorkbook(path: string, options: SourceOptions, tuning: ReadTuning): Promise<E.Either<FileError, SourceFile>> {
  // Without a sheet asked for, an empty sheet in front is passed over for the next worksheet.
  const foundEmpty = new Set<string>();
  let headerRow: { number: number; cells: Cell[] } | undefined;
  let pass: SheetPass;
  do {
    const opened = await openSheetPass(path, options.sheet, foundEmpty);
    if (E.isLeft(opened)) return opened;
    pass = opened.right;
    try {
      headerRow = await firstFilledRow(pass);
    } catch (error) {
      return E.left(damaged(path, error));
    } finally {
      await pass.close();
    }
    if (headerRow === undefined && options.sheet === undefined) foundEmpty.add(pass.sheet);
  } while (headerRow === undefined && options.sheet === undefined);
  const { sheet, sheets } = pass;
  if (headerRow === undefined) {
    return E.left(fileError('empty', path, `is empty: sheet "${sheet}" has no header row and no data.`));
  }
  const headerNumber = headerRow.number;
  const headerCells = withoutTrailingBlanks(headerRow.cells).map(plainLineBreaks);
  const passedOver = options.sheet === undefined ? sheetsPassedOver(sheets, sheet, foundEmpty) : [];
  return pipe(
    buildHeader(path, headerCells, `row ${headerNumber} of sheet "${sheet}"`),
    E.map((names): SourceFile => ({
      path,
      format: 'xlsx',
      sheet,
      sheets: sheets.map((s) => s.name),
      ...(passedOver.length > 0 ? { sheetsPassedOver: passedOver } : {}),
      header: names,
      headerRowNumber: headerNumber,
      rows: () => sheetRows(path, sheet, headerNumber, names.length, tuning.batchRows),
    })),
  );
}

async function firstFilledRow(pass: SheetPass): Promise<{ number: number; cells: Cell[] } | undefined> {
  for (let row = await pass.nextRow(); row !== undefined; row = await pass.nextRow()) {
    const cells = rowCells(row);
    if (!isBlankRow(cells)) return { number: row.number, cells };
  }
  return undefined;
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

async function* sheetRows(path: string, sheet: string, headerNumber: number, width: number, batchRows: number): AsyncGenerator<SourceRow[]> {
  const opened = await openSheetPass(path, sheet);
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
