// Which non-blank row the readers must take for the header, worked out again from the rule
// app/source/header-row.ts states (independently of it, so a change to either is caught):
// report exports put a title block above the header.
import type { Cell } from '../../../app/source/types.ts';

const isBlank = (cell: Cell): boolean => typeof cell === 'string' && cell.trim() === '';
const hasLetter = (cell: Cell): boolean => typeof cell === 'string' && /\p{L}/u.test(cell);

/** Where the last non-blank cell is, plus one. */
function widthOf(cells: readonly Cell[]): number {
  let width = 0;
  cells.forEach((cell, i) => {
    if (!isBlank(cell)) width = i + 1;
  });
  return width;
}

/** Most of the next three rows are within a factor of two of its width (two columns or more); none below: only the first row. */
function headsTable(rows: readonly (readonly Cell[])[], at: number): boolean {
  const width = widthOf(rows[at]);
  const next = rows.slice(at + 1, at + 4);
  if (next.length === 0) return at === 0;
  const alike = next.filter((cells) => width >= 2 && widthOf(cells) < 2 * width && width < 2 * widthOf(cells));
  return alike.length > next.length / 2;
}

function looksLikeHeader(rows: readonly (readonly Cell[])[], at: number): boolean {
  const filled = rows[at].filter((cell) => !isBlank(cell));
  return filled.length >= 2 && filled.filter(hasLetter).length >= filled.length / 2 && headsTable(rows, at);
}

/**
 * One filled cell, the next row wider and looking like a header, and most of the (up to three)
 * rows after that exactly as wide as it: a note above the table, whose header is the next row.
 */
function isNoteAboveTable(rows: readonly (readonly Cell[])[], at: number): boolean {
  const next = rows[at + 1];
  if (next === undefined || rows[at].filter((cell) => !isBlank(cell)).length !== 1) return false;
  if (!(widthOf(next) > widthOf(rows[at])) || !looksLikeHeader(rows, at + 1)) return false;
  const after = rows.slice(at + 2, at + 5);
  return after.filter((cells) => widthOf(cells) === widthOf(next)).length > after.length / 2;
}

/**
 * The index of the header among the non-blank rows: the first row when it looks like a header;
 * when it is split in columns heading a table, the first row too, or the second when the first
 * is a note above the table; else the first of the first 20 rows that looks like one with every
 * row above at most half as wide; else the first row.
 */
export function expectedHeaderIndex(rows: readonly (readonly Cell[])[]): number {
  if (rows.length === 0) return 0;
  if (looksLikeHeader(rows, 0)) return 0;
  if (rows[0].length >= 2 && headsTable(rows, 0)) return isNoteAboveTable(rows, 0) ? 1 : 0;
  for (let at = 1; at < Math.min(rows.length, 20); at++) {
    const above = Math.max(...rows.slice(0, at).map(widthOf));
    if (2 * above <= widthOf(rows[at]) && looksLikeHeader(rows, at)) return at;
  }
  return 0;
}
