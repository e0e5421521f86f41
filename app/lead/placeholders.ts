// Placeholder cells: what exports write where there is no value ("N/A", "-/-", "null", "—").
// They read as blank ("leave unchanged"), per column, with defaults. The word `null` is not a
// default placeholder for a nullable field (desired_min_rent_in_cents): there it means "clear
// the value", as it always has.
import type { Cell } from '../source/types.ts';
import { isSpaceCode } from './cell-text.ts';
import { fieldSpecByName, type LeadFieldName } from './fields.ts';

export const DEFAULT_PLACEHOLDERS: readonly string[] = ['N/A', '#N/A', '-/-', 'null', '-', '--', '—', '–'];

const isNullable = (field: LeadFieldName): boolean => {
  const kind = fieldSpecByName.get(field)?.type;
  return (kind?.kind === 'number' || kind?.kind === 'money') && kind.nullable;
};

/** The placeholders a column of `field` has when its options name none. */
export const defaultPlaceholders = (field: LeadFieldName): readonly string[] =>
  isNullable(field) ? DEFAULT_PLACEHOLDERS.filter((word) => word !== 'null') : DEFAULT_PLACEHOLDERS;

/** A column's placeholders, compiled for the row walk; null when the column has none. */
export interface Placeholders {
  /** Lower-cased. */
  readonly words: ReadonlySet<string>;
  readonly maxLength: number;
  /** Lower-cased first code units: most cells are settled by their first character. */
  readonly firsts: ReadonlySet<number>;
}

export function compilePlaceholders(words: readonly string[]): Placeholders | null {
  const lower = words.map((word) => word.trim().toLowerCase()).filter((word) => word !== '');
  if (lower.length === 0) return null;
  return {
    words: new Set(lower),
    maxLength: Math.max(...lower.map((word) => word.length)),
    firsts: new Set(lower.map((word) => word.charCodeAt(0))),
  };
}

const lowerCode = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/** Whether a non-blank cell is one of the column's placeholders (case and surrounding spaces ignored). */
export function isPlaceholder(placeholders: Placeholders, cell: Cell): boolean {
  if (typeof cell !== 'string') return false;
  const length = cell.length;
  const padded = isSpaceCode(cell.charCodeAt(0)) || isSpaceCode(cell.charCodeAt(length - 1));
  if (!padded) {
    if (length > placeholders.maxLength || !placeholders.firsts.has(lowerCode(cell.charCodeAt(0)))) return false;
    return placeholders.words.has(cell) || placeholders.words.has(cell.toLowerCase());
  }
  const text = cell.trim().toLowerCase();
  return text.length <= placeholders.maxLength && placeholders.words.has(text);
}
