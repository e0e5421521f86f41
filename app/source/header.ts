import * as E from 'fp-ts/Either';
import { exactCellText } from './cell-text.ts';
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

/** The 0-based position of a column letter ("A" → 0, "aa" → 26), or undefined if `text` is not one. */
export function columnIndexOf(text: string): number | undefined {
  const letters = text.trim().toUpperCase();
  if (!/^[A-Z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const letter of letters) n = n * 26 + (letter.charCodeAt(0) - 64);
  return n - 1;
}

/**
 * The most columns a header may have: Excel's own limit (column XFD). Every row is held at the
 * header's width, so a header of a million empty columns (a 1 MB line of commas) would make each
 * short row a million cells.
 */
export const MAX_COLUMNS = 16_384;

/**
 * Header names from the header row's cells: trimmed, a blank cell named after its column
 * ("Column C") so every column can be mapped and reported. Names may repeat (CRM exports have
 * "Company Name" and "Company name"): the mapping refuses a repeated name only when it would
 * use it (see repeatedNames).
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
  return E.right(
    cells.map((cell, i) => {
      const name = exactCellText(cell).trim();
      return name === '' ? `Column ${columnLetter(i)}` : name;
    }),
  );
}

/** How header names are compared when a mapping looks a column up: case and surrounding spaces ignored. */
export const headerKey = (name: string): string => name.trim().toLowerCase();

/** Columns whose names repeat (by headerKey), grouped: each group lists its 0-based positions. */
export function repeatedNames(header: readonly string[]): readonly (readonly number[])[] {
  const byKey = new Map<string, number[]>();
  header.forEach((name, i) => {
    const key = headerKey(name);
    const group = byKey.get(key);
    if (group === undefined) byKey.set(key, [i]);
    else group.push(i);
  });
  return [...byKey.values()].filter((group) => group.length > 1);
}

/** `column T ("Create Date") and column AB ("Create date")`: a repeated name's columns in a message. */
export function describeColumns(header: readonly string[], indexes: readonly number[]): string {
  const named = indexes.map((i) => `column ${columnLetter(i)} ("${header[i]}")`);
  return named.length <= 2 ? named.join(' and ') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
}

/**
 * How a column is named where only a name is kept (a cell fixed in the app, stored with its run):
 * its header text, or `Create Date (I)` when the header repeats that name.
 */
export function columnLabel(header: readonly string[], index: number): string {
  const key = headerKey(header[index]);
  const repeated = header.some((name, i) => i !== index && headerKey(name) === key);
  return repeated ? `${header[index]} (${columnLetter(index)})` : header[index];
}

/** The column a label names (see columnLabel), or -1. */
export function columnOfLabel(header: readonly string[], label: string): number {
  const lettered = /^(.*) \(([A-Z]{1,3})\)$/.exec(label);
  if (lettered !== null) {
    const index = columnIndexOf(lettered[2]);
    if (index !== undefined && header[index] === lettered[1]) return index;
  }
  return header.indexOf(label);
}
