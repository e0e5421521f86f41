import * as E from 'fp-ts/Either';
import { cellText } from './cell-text.ts';
import { fileError } from './file-errors.ts';
import type { Cell, FileError } from './types.ts';

/** The spreadsheet letter of a 0-based column position: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * The most columns a header may have: Excel's own limit (column XFD). Every row is held at the
 * header's width, so a header of a million empty columns (a 1 MB line of commas) would make each
 * short row a million cells.
 */
export const MAX_COLUMNS = 16_384;

/**
 * Header names from the header row's cells: trimmed, a blank cell named after its column
 * ("Column C") so every column can be mapped and reported. Two columns whose names match
 * ignoring case and surrounding spaces are refused: a mapping could not tell them apart.
 * `where` says where the header is ("line 3", "row 2 of sheet "Leads"") for the message.
 */
export function buildHeader(path: string, cells: readonly Cell[], where: string): E.Either<FileError, string[]> {
  if (cells.length > MAX_COLUMNS) {
    return E.left(
      fileError(
        'too_large',
        path,
        `has ${cells.length.toLocaleString('en-US')} columns in its header (${where}), more than the ${MAX_COLUMNS.toLocaleString('en-US')} a spreadsheet can hold. ` +
          'Delete the empty columns at the end of the header row, or check that the file is a table of leads.',
      ),
    );
  }
  const names = cells.map((cell, i) => {
    const name = cellText(cell).trim();
    return name === '' ? `Column ${columnLetter(i)}` : name;
  });
  const firstByKey = new Map<string, number>();
  const clashes: string[] = [];
  names.forEach((name, i) => {
    const key = name.toLowerCase();
    const first = firstByKey.get(key);
    if (first === undefined) {
      firstByKey.set(key, i);
    } else {
      clashes.push(`"${names[first]}" in column ${columnLetter(first)} (${first + 1}) and "${name}" in column ${columnLetter(i)} (${i + 1})`);
    }
  });
  if (clashes.length > 0) {
    return E.left(
      fileError(
        'duplicate_header',
        path,
        `has duplicate column names in its header (${where}): ${listed(clashes)}. ` +
          'Each column needs its own name (case and surrounding spaces are ignored); rename one of them.',
      ),
    );
  }
  return E.right(names);
}

/** The first few clashes: a header of thousands of equal names must not make a megabyte message. */
const MAX_LISTED = 10;

function listed(clashes: readonly string[]): string {
  const shown = clashes.slice(0, MAX_LISTED).join('; ');
  return clashes.length > MAX_LISTED ? `${shown}; and ${(clashes.length - MAX_LISTED).toLocaleString('en-US')} more` : shown;
}
