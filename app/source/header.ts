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
 * Header names from the header row's cells: trimmed, a blank cell named after its column
 * ("Column C") so every column can be mapped and reported. Two columns whose names match
 * ignoring case and surrounding spaces are refused: a mapping could not tell them apart.
 * `where` says where the header is ("line 3", "row 2 of sheet "Leads"") for the message.
 */
export function buildHeader(path: string, cells: readonly Cell[], where: string): E.Either<FileError, string[]> {
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
        `has duplicate column names in its header (${where}): ${clashes.join('; ')}. ` +
          'Each column needs its own name (case and surrounding spaces are ignored); rename one of them.',
      ),
    );
  }
  return E.right(names);
}
