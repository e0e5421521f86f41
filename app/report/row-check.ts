// A row the reader refused for its shape (too few or too many cells, broken quotes, too long) is
// written to the error report as it was read, padded to the report's columns: read back as it is,
// it would fit the header and could pass, its values still under the wrong columns. So the report
// marks it with a check of its cells; a re-import that finds the same cells refuses it again, and
// once the person changed them (fixed the row), it is decoded like any other row.
import { cellText } from '../lead/cell-text.ts';
import type { Cell } from '../source/types.ts';

const CHECK_LINE = /\(row check ([0-9a-f]{8}):[^\n]*\)/;

/** The check of a row's data cells, as their text (line breaks as a CSV report reads them back). */
export function rowCheck(cells: readonly Cell[]): string {
  // FNV-1a, 32 bits: a short mark telling "unchanged" from "edited", not a secret.
  let hash = 0x811c9dc5;
  for (let c = 0; c < cells.length; c++) {
    const text = cellText(cells[c]).replace(/\r\n?/g, '\n');
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x1f; // the cells' boundaries count: "ab","" is not "a","b"
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The line the report adds to such a row's problems. */
export function rowCheckLine(cells: readonly Cell[]): string {
  return `(row check ${rowCheck(cells)}: while these cells stay as they are, the row is refused again)`;
}

/** The check a report row's problems carry, if any. */
export function rowCheckIn(errorsText: string): string | undefined {
  return CHECK_LINE.exec(errorsText)?.[1];
}

const UNCHANGED = ' (unchanged since the error report: put each value under its column, then import it again)';

/** The row-level problem of a report row found unchanged: the first problem the report gives it. */
export function unchangedProblem(errorsText: string): string {
  const first = errorsText.split('\n', 1)[0].trim();
  const reason = first.endsWith(UNCHANGED) ? first.slice(0, -UNCHANGED.length) : first;
  return reason + UNCHANGED;
}
