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
 * Whether `rows[index]` could name a table's columns: two or more names, mostly text (a date
 * range or a row of numbers is not a header), and mostly followed by rows of about its width,
 * within a factor of two (a title that happens to contain the delimiter is followed by
 * narrower lines; "Date range:, 11/01/2025" by a much wider table).
 */
function couldBeHeader(rows: readonly RowShape[], index: number): boolean {
  const { cells } = rows[index];
  let filled = 0;
  let text = 0;
  for (const cell of cells) {
    if (isBlankCell(cell)) continue;
    filled++;
    if (typeof cell === 'string' && LETTER.test(cell)) text++;
  }
  if (filled < 2 || text * 2 < filled) return false;
  const width = filledWidth(cells);
  const followers = rows.slice(index + 1, index + 1 + FOLLOWERS);
  // A header-only file has no rows below; a row below a title block must head some.
  if (followers.length === 0) return index === 0;
  const alike = followers.filter((row) => {
    const other = filledWidth(row.cells);
    return row.cut === true || (other * 2 > width && width * 2 > other);
  }).length;
  return alike * 2 > followers.length;
}

/**
 * The index of the header among a file's first non-blank rows: the first row that could be a
 * header (couldBeHeader) and that every row above it is much narrower than (at most half its
 * width: a title, a property name, "Date range:, 01/01/2025 - 01/31/2025"). Undefined when no
 * row is: the caller then takes the first row, as a file without a title block has it.
 */
export function findHeaderRow(rows: readonly RowShape[]): number | undefined {
  let widestAbove = 0;
  const limit = Math.min(rows.length, HEADER_SEARCH_ROWS);
  for (let i = 0; i < limit; i++) {
    const width = filledWidth(rows[i].cells);
    if (widestAbove * 2 <= width && couldBeHeader(rows, i)) return i;
    widestAbove = Math.max(widestAbove, width);
  }
  return undefined;
}
