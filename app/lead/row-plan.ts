// The column plan: compiled once from the header and the mapping, so decoding a row is a
// walk over an array (cell index → field → codec), with nothing looked up by name.
import type { Mapping } from '../mapping/types.ts';
import type { CellCodec } from './cell-codec.ts';
import { cellWarningFor, type CellWarning } from './cell-warnings.ts';
import { cellCodecFor } from './field-codecs.ts';
import { LEAD_ID_FIELD, fieldSpecByName, type LeadFieldName } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';

/**
 * One mapped column. `send`: decoded and sent as `field`. `deprecated`: decoded with the
 * replacement's codec and sent as `target`, with a warning. `ignored`: never sent; a
 * non-blank cell gets `notice` as a warning. Every step has the same shape (one hidden class).
 */
export interface ColumnStep {
  readonly role: 'send' | 'deprecated' | 'ignored';
  /** Position in the header and in `row.cells`. */
  readonly index: number;
  readonly column: string;
  /** The field the column is mapped to. */
  readonly field: LeadFieldName;
  /** The payload key the value goes to (the replacement of a deprecated field). */
  readonly target: LeadFieldName;
  /** Null exactly when the step is ignored. */
  readonly codec: CellCodec<LeadFieldValue> | null;
  readonly warn: CellWarning | null;
  /** deprecated: the warning when sent; ignored: why it is not sent. */
  readonly notice: string;
  /** deprecated: the column of the replacement field, whose value wins when non-blank; else -1. */
  readonly replacementIndex: number;
  readonly replacementNotice: string;
}

export interface RowPlan {
  readonly header: readonly string[];
  /** The column mapped to lead_id, or -1. */
  readonly leadIdIndex: number;
  readonly leadIdColumn: string | null;
  /** Mapped columns other than the lead id, in header order. */
  readonly steps: readonly ColumnStep[];
}

function ignoredNotice(field: LeadFieldName): string {
  const spec = fieldSpecByName.get(field);
  const why = spec?.deprecated ? `${field} is deprecated and cannot be written from a spreadsheet` : `${field} cannot be written from a spreadsheet`;
  return field === 'events' ? `${why} (write events through Propexo's events endpoints); this cell is not sent` : `${why}; this cell is not sent`;
}

export function compileRowPlan(header: readonly string[], mapping: Mapping): RowPlan {
  const mapped = mapping.columns.filter((c) => c.field !== null && c.index >= 0);
  const indexOfField = new Map<LeadFieldName, number>();
  for (const c of mapped) if (c.field !== null && !indexOfField.has(c.field)) indexOfField.set(c.field, c.index);

  const columnName = (index: number, fallback: string): string => header[index] ?? fallback;
  let leadIdIndex = -1;
  let leadIdColumn: string | null = null;
  const steps: ColumnStep[] = [];
  const claimed = new Map<LeadFieldName, string>();

  for (const c of mapped) {
    const field = c.field as LeadFieldName;
    const column = columnName(c.index, c.column);
    if (field === LEAD_ID_FIELD) {
      if (leadIdIndex < 0) {
        leadIdIndex = c.index;
        leadIdColumn = column;
      } else steps.push(ignoredStep(c.index, column, field, `another column ('${leadIdColumn}') already gives the lead id; this cell is not used`));
      continue;
    }
    const spec = fieldSpecByName.get(field);
    if (spec === undefined) continue;
    const target = spec.replacedBy ?? field;
    const targetSpec = fieldSpecByName.get(target) ?? spec;
    const codec = cellCodecFor(targetSpec.type, c.options);
    const earlier = claimed.get(field);
    if (codec === null || earlier !== undefined) {
      steps.push(ignoredStep(c.index, column, field, earlier !== undefined ? `${field} is already read from column '${earlier}'; this cell is not sent` : ignoredNotice(field)));
      continue;
    }
    claimed.set(field, column);
    const deprecated = spec.replacedBy !== undefined;
    const replacementIndex = deprecated ? (indexOfField.get(target) ?? -1) : -1;
    steps.push({
      role: deprecated ? 'deprecated' : 'send',
      index: c.index,
      column,
      field,
      target,
      codec,
      warn: cellWarningFor(target),
      notice: deprecated ? `${field} is deprecated; sent as ${target}` : '',
      replacementIndex,
      replacementNotice:
        replacementIndex >= 0
          ? `${field} is deprecated and ${target} (column '${columnName(replacementIndex, target)}') has a value on this row: ${target} is sent, this cell is not`
          : '',
    });
  }
  return { header, leadIdIndex, leadIdColumn, steps };
}

function ignoredStep(index: number, column: string, field: LeadFieldName, notice: string): ColumnStep {
  return { role: 'ignored', index, column, field, target: field, codec: null, warn: null, notice, replacementIndex: -1, replacementNotice: '' };
}
