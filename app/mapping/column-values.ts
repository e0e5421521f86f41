// What a column of an enum or yes/no field holds, for choosing its value table: each distinct
// value (case and surrounding spaces folded) with its count, what the column's reading makes
// of it now, and a suggested target when it reads as nothing. Suggestions are only offered:
// the Map screen and `lead-import map` show them, the user decides.
import { CellFailure } from '../lead/cell-codec.ts';
import { cellText } from '../lead/cell-text.ts';
import { cellCodecForField } from '../lead/field-codecs.ts';
import { fieldSpecByName, type LeadFieldName } from '../lead/fields.ts';
import { compilePlaceholders, defaultPlaceholders, isBlankOrPlaceholder } from '../lead/placeholders.ts';
import { closestMatch, normalizeWord } from '../lead/suggest.ts';
import { takesValueTable, valueKey } from '../lead/value-table.ts';
import { suggestedWordsFor } from '../lead/value-words.ts';
import type { Cell } from '../source/types.ts';
import type { ColumnOptions, TableValue } from './types.ts';

export interface ColumnValue {
  /** The value as first written in the file, trimmed. */
  readonly text: string;
  readonly count: number;
  /** What the column reads it as now (its table, the field's own words), or null when it is refused. */
  readonly reads: TableValue | null;
  /** For a refused value: the target we would suggest, or null. */
  readonly suggestion: TableValue | null;
}

export interface ColumnValues {
  readonly field: LeadFieldName;
  /** What a value can be translated to: the field's values, or true and false. */
  readonly targets: readonly TableValue[];
  /** Most frequent first; at most the tally's limit. */
  readonly values: readonly ColumnValue[];
  /** How many distinct values there are, listed or not (counted up to `DISTINCT_CAP`). */
  readonly distinct: number;
  readonly distinctIsExact: boolean;
  /** Where the text as written can also go, and what that field means (status → status_raw). */
  readonly raw: { readonly field: 'status_raw'; readonly meaning: string } | null;
}

export const STATUS_RAW_MEANING =
  "status_raw is Propexo's raw status: the property-management system's own status text. Sending the cell there as written keeps your CRM's word next to the status it was translated to.";

/** Counts a column's values as rows are read; `result` lists them. */
export interface ValueTally {
  add(cell: Cell): void;
  result(): ColumnValues;
}

/** Distinct values kept beyond which others are only counted (a free-text column is not a list). */
export const VALUE_LIMIT = 200;
/** Distinct values counted at most: enough to say "200 of 9,999+" without keeping a free-text column. */
export const DISTINCT_CAP = 10_000;

/** A tally for a column of `field` read with `options`; null when the field takes no value table. */
export function valueTally(field: LeadFieldName, options: ColumnOptions = {}, limit = VALUE_LIMIT): ValueTally | null {
  const spec = fieldSpecByName.get(field);
  if (spec === undefined || !takesValueTable(spec.type)) return null;
  const kind = spec.type;
  const codec = cellCodecForField(spec, options);
  const placeholders = compilePlaceholders(options.placeholders ?? defaultPlaceholders(field));
  const counts = new Map<string, { text: string; count: number; cell: Cell }>();
  const overflow = new Set<string>();
  const words = suggestedWordsFor(field, kind.kind === 'boolean' ? 'boolean' : 'enum');
  const targets: readonly TableValue[] = kind.kind === 'enum' ? kind.values : [true, false];

  const suggest = (text: string): TableValue | null => {
    const word = words[normalizeWord(text)];
    if (word !== undefined) return word;
    return kind.kind === 'enum' ? (closestMatch(text, kind.values) ?? null) : null;
  };

  return {
    add(cell) {
      if (isBlankOrPlaceholder(placeholders, cell)) return;
      const text = cellText(cell).trim();
      const key = valueKey(text);
      const seen = counts.get(key);
      if (seen !== undefined) seen.count++;
      else if (counts.size < limit) counts.set(key, { text, count: 1, cell });
      else if (overflow.size < DISTINCT_CAP) overflow.add(key);
    },
    result() {
      const values = [...counts.values()]
        .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
        .map(({ text, count, cell }): ColumnValue => {
          const read = codec === null ? null : codec.parse(cell);
          const reads = read instanceof CellFailure || (typeof read !== 'string' && typeof read !== 'boolean') ? null : read;
          return { text, count, reads, suggestion: reads === null ? suggest(text) : null };
        });
      return {
        field,
        targets,
        values,
        distinct: counts.size + overflow.size,
        distinctIsExact: overflow.size < DISTINCT_CAP,
        raw: field === 'status' ? { field: 'status_raw', meaning: STATUS_RAW_MEANING } : null,
      };
    },
  };
}

/** The distinct values of a column's cells (see `valueTally`); null when the field takes no value table. */
export function columnValues(
  cells: Iterable<Cell>,
  field: LeadFieldName,
  options: ColumnOptions = {},
  limit = VALUE_LIMIT,
): ColumnValues | null {
  const tally = valueTally(field, options, limit);
  if (tally === null) return null;
  for (const cell of cells) tally.add(cell);
  return tally.result();
}

/**
 * A value-table skeleton for the values the column refuses, each undecided (null) for the
 * user to fill in: suggestions are shown next to it, never written as decisions. Empty when
 * every value reads.
 */
export function valueTableSkeleton(values: ColumnValues): Record<string, TableValue | null> {
  return Object.fromEntries(values.values.filter((v) => v.reads === null).map((v) => [v.text, null]));
}
