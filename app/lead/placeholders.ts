// Placeholder cells: what exports write where there is no value ("N/A", "-/-", "null", "—").
// They read as blank ("leave unchanged"), per column, with defaults. The word `null` is not a
// default placeholder for a nullable field (desired_min_rent_in_cents): there it means "clear
// the value", as it always has.
import type { Cell } from '../source/types.ts';
import { isBlankCell, isSpaceCode } from './cell-text.ts';
import { fieldSpecByName, type LeadFieldName } from './fields.ts';

export const DEFAULT_PLACEHOLDERS: readonly string[] = ['N/A', '#N/A', '-/-', 'null', '-', '--', '—', '–'];

const isNullable = (field: LeadFieldName): boolean => {
  const kind = fieldSpecByName.get(field)?.type;
  return (kind?.kind === 'number' || kind?.kind === 'money') && kind.nullable;
};

/** The placeholders a column of `field` has when its options name none. */
export const defaultPlaceholders = (field: LeadFieldName): readonly string[] =>
  isNullable(field) ? DEFAULT_PLACEHOLDERS.filter((word) => word !== 'null') : DEFAULT_PLACEHOLDERS;

/** A column's placeholders, compiled for the row walk (no words when the column has none). */
export interface Placeholders {
  /** Lower-cased. */
  readonly words: readonly string[];
  readonly maxLength: number;
  /**
   * The code units a placeholder can start with (either case, and white space): most cells
   * are settled by their first character. ASCII ones in a table, the others in a set.
   */
  readonly asciiFirsts: Uint8Array;
  readonly otherFirsts: ReadonlySet<number>;
}

export function compilePlaceholders(words: readonly string[]): Placeholders {
  const lower = words.map((word) => word.trim().toLowerCase()).filter((word) => word !== '');
  const firsts = lower.flatMap((word) => [word.charCodeAt(0), word[0].toUpperCase().charCodeAt(0)]);
  const asciiFirsts = new Uint8Array(128);
  for (const c of [...firsts, 9, 10, 11, 12, 13, 32]) if (c < 128) asciiFirsts[c] = 1;
  return {
    words: [...new Set(lower)],
    maxLength: Math.max(0, ...lower.map((word) => word.length)),
    asciiFirsts,
    otherFirsts: new Set(firsts.filter((c) => c >= 128)),
  };
}

const lowerCode = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** `text[start, end)` equals the lower-cased `word`, ASCII case ignored; no allocation. */
function sameWord(text: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let i = start; i < end; i++) if (lowerCode(text.charCodeAt(i)) !== word.charCodeAt(i - start)) return false;
  return true;
}

/** A column without placeholders: only blank cells are skipped. */
export const NO_PLACEHOLDERS: Placeholders = compilePlaceholders([]);

/**
 * Whether a cell means "leave unchanged": blank, or one of the column's placeholders (case
 * and surrounding spaces ignored). Runs for every cell of the row walk: the first character
 * settles almost every cell with one table lookup, and the rest is compared in place,
 * without a lower-cased copy.
 */
export function isBlankOrPlaceholder(placeholders: Placeholders, cell: Cell): boolean {
  if (typeof cell !== 'string') return false;
  if (cell.length === 0) return true;
  const first = cell.charCodeAt(0);
  if (first < 128 ? placeholders.asciiFirsts[first] === 0 : !placeholders.otherFirsts.has(first) && !isSpaceCode(first)) return false;
  return matchesPlaceholder(placeholders, cell);
}

/** Whether a non-blank cell is one of the column's placeholders. */
export const isPlaceholder = (placeholders: Placeholders, cell: Cell): boolean =>
  !isBlankCell(cell) && isBlankOrPlaceholder(placeholders, cell);

function matchesPlaceholder(placeholders: Placeholders, cell: string): boolean {
  let start = 0;
  let end = cell.length;
  while (start < end && isSpaceCode(cell.charCodeAt(start))) start++;
  if (start === end) return true;
  if (end - start > placeholders.maxLength + 2 && !isSpaceCode(cell.charCodeAt(end - 1))) return false;
  while (end > start && isSpaceCode(cell.charCodeAt(end - 1))) end--;
  if (end - start > placeholders.maxLength) return false;
  const words = placeholders.words;
  for (let w = 0; w < words.length; w++) if (sameWord(cell, start, end, words[w])) return true;
  // Letters beyond ASCII in a column's own placeholders ("NÉANT"): compare lower-cased copies.
  let ascii = true;
  for (let i = start; i < end && ascii; i++) ascii = cell.charCodeAt(i) < 128;
  if (ascii) return false;
  const text = cell.slice(start, end);
  return text !== text.toLowerCase() && words.includes(text.toLowerCase());
}
