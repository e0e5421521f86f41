import { columnLetter } from './header.ts';
import type { Cell, RowProblem, SourceRow } from './types.ts';

/** Blank means nothing a person would see: '' or only whitespace. Numbers, dates and booleans never are. */
export function isBlankCell(cell: Cell): boolean {
  if (typeof cell !== 'string') return false;
  const length = cell.length;
  if (length === 0) return true;
  // Fast exit on the usual first character; trim() only for the rare leading whitespace.
  const first = cell.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return cell.trim() === '';
}

export function isBlankRow(cells: readonly Cell[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    if (!isBlankCell(cells[i])) return false;
  }
  return true;
}

/**
 * A row as the pipeline wants it: always the same four keys in the same order, so every row
 * object shares one hidden class (rows are the hot path of a million-row import).
 */
export function sourceRow(rowNumber: number, cells: readonly Cell[], rawCells?: readonly Cell[], problem?: RowProblem): SourceRow {
  return { rowNumber, cells, rawCells, problem };
}

/** `cells` padded with '' or cut to `width`. */
export function fitToWidth(cells: readonly Cell[], width: number): Cell[] {
  if (cells.length >= width) return cells.slice(0, width);
  const fitted = cells.slice();
  while (fitted.length < width) fitted.push('');
  return fitted;
}

/** Index of the first non-blank cell at or after `from`, or -1. */
function firstFilledFrom(cells: readonly Cell[], from: number): number {
  for (let i = from; i < cells.length; i++) {
    if (!isBlankCell(cells[i])) return i;
  }
  return -1;
}

/**
 * A delimited-text row checked against the header width. Extra blank cells at the end are
 * what Excel writes after a deleted column: they are dropped. A short row, or a value past the
 * last header column, means the columns are shifted: the row is kept with a `cell_count` problem.
 * `cells` may be modified (it is the parser's own array).
 */
export function shapeTextRow(rowNumber: number, cells: Cell[], width: number, quoting?: RowProblem): SourceRow {
  if (quoting !== undefined) {
    return sourceRow(rowNumber, fitToWidth(cells, width), cells.length === width ? undefined : cells, quoting);
  }
  if (cells.length === width) return sourceRow(rowNumber, cells);
  if (cells.length > width) {
    const extra = firstFilledFrom(cells, width);
    if (extra === -1) {
      cells.length = width;
      return sourceRow(rowNumber, cells);
    }
    const message =
      `has ${cells.length} cells; the header has ${width}` + ` (there is a value in column ${columnLetter(extra)}, past the last column)`;
    return sourceRow(rowNumber, cells.slice(0, width), cells, { kind: 'cell_count', message });
  }
  const message = `has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}; the header has ${width}`;
  return sourceRow(rowNumber, fitToWidth(cells, width), cells, { kind: 'cell_count', message });
}

/**
 * A sheet row checked against the header width. Sheets store no trailing empty cells, so a
 * short row is simply blank at the end; only a value past the last header column is a problem.
 */
export function shapeSheetRow(rowNumber: number, cells: Cell[], width: number): SourceRow {
  if (cells.length <= width) return sourceRow(rowNumber, cells.length === width ? cells : fitToWidth(cells, width));
  const extra = firstFilledFrom(cells, width);
  if (extra === -1) {
    cells.length = width;
    return sourceRow(rowNumber, cells);
  }
  const lastFilled = lastFilledIndex(cells);
  const message =
    `has values in ${lastFilled + 1} columns; the header has ${width}` + ` (column ${columnLetter(extra)} has a value but no header)`;
  return sourceRow(rowNumber, cells.slice(0, width), cells.slice(0, lastFilled + 1), { kind: 'cell_count', message });
}

function lastFilledIndex(cells: readonly Cell[]): number {
  for (let i = cells.length - 1; i >= 0; i--) {
    if (!isBlankCell(cells[i])) return i;
  }
  return -1;
}
