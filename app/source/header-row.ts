// Which row is the header. Report exports (a property-management system's guest-card report, a
// CRM's "export view") start with a title block: the report's name, the property, a date
// range, a blank line, then the table. Those lines are not data and must not name the columns.
import { isBlankCell } from './row-shape.ts';
import type { Cell } from './types.ts';

/** One non-blank row as the header search sees it. */
export interface RowShape {
  readonly cells: readonly Cell[];
  /** Cut off by the end of what was read (a sample that ends inside a quoted cell): its width is unknown. */
  readonly cut?: boolean;
}

/** How far down a header is looked for, in non-blank rows: a title block is a few lines. */
export const HEADER_SEARCH_ROWS = 20;
/** Rows after a candidate that may show it heads a table of its width. */
const FOLLOWERS = 3;

/** Cells shown for a row a person may choose as the header: enough to recognise it. */
const SHOWN_CELL_CHARS = 120;

export function clipCell(text: string): string {
  return text.length > SHOWN_CELL_CHARS ? `${text.slice(0, SHOWN_CELL_CHARS - 1)}…` : text;
}

/** Position of the last non-blank cell, plus one: how wide the row really is (padding ignored). */
export function filledWidth(cells: readonly Cell[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (!isBlankCell(cells[i])) return i + 1;
  return 0;
}

const LETTER = /\p{L}/u;

/**
 * Whether `rows[index]` heads a table of its width: mostly followed by rows of about its width,
 * within a factor of two (a title that happens to contain the delimiter is followed by narrower
 * lines; "Date range:, 11/01/2025" by a much wider table). A header-only file has no rows below;
 * a row below a title block must head some.
 */
function headsTable(rows: readonly RowShape[], index: number): boolean {
  const width = filledWidth(rows[index].cells);
  const followers = rows.slice(index + 1, index + 1 + FOLLOWERS);
  if (followers.length === 0) return index === 0;
  // A single column heads nothing (a block of one-cell title lines is alike), but a row cut by
  // the end of the sample could be anything.
  const alike = followers.filter((row) => {
    const other = filledWidth(row.cells);
    return row.cut === true || (width >= 2 && other * 2 > width && width * 2 > other);
  }).length;
  return alike * 2 > followers.length;
}

/**
 * Whether `rows[index]` could name a table's columns: two or more names, mostly text (a date
 * range or a row of numbers is not a header), heading a table of its width.
 */
function couldBeHeader(rows: readonly RowShape[], index: number): boolean {
  let filled = 0;
  let text = 0;
  for (const cell of rows[index].cells) {
    if (isBlankCell(cell)) continue;
    filled++;
    if (typeof cell === 'string' && LETTER.test(cell)) text++;
  }
  return filled >= 2 && text * 2 >= filled && headsTable(rows, index);
}

/**
 * Whether `rows[index]` is a lone note above a table rather than its header: a single non-blank
 * cell (a note in C3) narrower than the next row, which could be a header and starts a run of
 * rows of its own width. A header with one name and blanks (";Lead ID") is as wide as its rows.
 */
function noteAboveTable(rows: readonly RowShape[], index: number): boolean {
  if (index + 1 >= rows.length || rows[index].cells.filter((cell) => !isBlankCell(cell)).length !== 1) return false;
  const width = filledWidth(rows[index + 1].cells);
  if (width <= filledWidth(rows[index].cells) || !couldBeHeader(rows, index + 1)) return false;
  const followers = rows.slice(index + 2, index + 2 + FOLLOWERS);
  const same = followers.filter((row) => row.cut === true || filledWidth(row.cells) === width).length;
  return same * 2 > followers.length;
}

/**
 * The index of the header among a file's first non-blank rows: the first row if it could be a
 * header (couldBeHeader), or if it is split in columns and heads a table of its width (a header
 * of blank or numeric names is still the header) unless it is a lone note above the table
 * (noteAboveTable: the next row is the header); else the first row that could be a header and
 * that every row above is much narrower than (at most half its width: a title, a property name,
 * "Date range:, 01/01/2025 - 01/31/2025"). Undefined when no row is: the caller then takes the
 * first row, as a file without a title block has it.
 */
export function findHeaderRow(rows: readonly RowShape[]): number | undefined {
  if (rows.length === 0) return undefined;
  if (couldBeHeader(rows, 0)) return 0;
  if (rows[0].cells.length >= 2 && headsTable(rows, 0)) return noteAboveTable(rows, 0) ? 1 : 0;
  let widestAbove = filledWidth(rows[0].cells);
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 1; i < limit; i++) {
    const width = filledWidth(rows[i].cells);
    if (widestAbove * 2 <= width && couldBeHeader(rows, i)) return i;
    widestAbove = Math.max(widestAbove, width);
  }
  return undefined;
}
