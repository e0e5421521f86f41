// The column plan: compiled once from the header and the mapping, so decoding a row is a
// walk over an array (cell index → field → codec), with nothing looked up by name.
import type { ColumnOptions, Mapping, NameSplit } from '../mapping/types.ts';
import type { CellCodec } from './cell-codec.ts';
import { TextFromCell } from './cell-codecs.ts';
import { cellWarningFor, isPhoneField, type CellWarning } from './cell-warnings.ts';
import { cellCodecForField, widen } from './field-codecs.ts';
import { LEAD_ID_FIELD, fieldSpecByName, fieldSpecs, type LeadFieldName } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';
import { NamePartFromCell } from './name-cells.ts';
import { SecondPhoneFromCell } from './phone-cells.ts';
import { NO_PLACEHOLDERS, compilePlaceholders, defaultPlaceholders, type Placeholders } from './placeholders.ts';
import type { LeadKeyKind } from '../lookup/lead-keys.ts';

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
  /** Cells of this column that read as blank ("N/A", "-/-"). */
  readonly placeholders: Placeholders;
  /**
   * A second value read from a column another step reads too (a split name's last name, a
   * second phone number, the raw status): it never writes the column back.
   */
  readonly secondary: boolean;
  /** A whole-name column's split, on its first-name step; else null. */
  readonly split: NameSplit | null;
}

export interface RowPlan {
  readonly header: readonly string[];
  /** The column mapped to lead_id, or -1. */
  readonly leadIdIndex: number;
  readonly leadIdColumn: string | null;
  readonly leadIdPlaceholders: Placeholders;
  /** What the lead column names the lead by (its `match`); not 'lead_id': a key to look up (app/lookup), not a path id. */
  readonly leadKey: LeadKeyKind;
  /** Mapped columns other than the lead id, in header order. */
  readonly steps: readonly ColumnStep[];
}

function ignoredNotice(field: LeadFieldName): string {
  const spec = fieldSpecByName.get(field);
  const why = spec?.deprecated
    ? `${field} is deprecated and cannot be written from a spreadsheet`
    : `${field} cannot be written from a spreadsheet`;
  return field === 'events'
    ? `${why} (write events through Propexo's events endpoints); this cell is not sent`
    : `${why}; this cell is not sent`;
}

const phoneFields = fieldSpecs.filter((spec) => !spec.deprecated && isPhoneField(spec.name)).map((spec) => spec.name);

const splits = (field: LeadFieldName, options: ColumnOptions): boolean =>
  options.split !== undefined && (field === 'first_name' || field === 'last_name');

/** The field a column mapped to `field` is read as first: a split name column is read as first_name. */
export const ownFieldOf = (field: LeadFieldName, options: ColumnOptions): LeadFieldName => (splits(field, options) ? 'first_name' : field);

/** The fields a column with `options` fills besides its own: a split's last name, a second phone, the raw status. */
export function extraFieldsOf(field: LeadFieldName, options: ColumnOptions): LeadFieldName[] {
  const extra: LeadFieldName[] = [];
  if (splits(field, options)) extra.push('last_name');
  if (options.secondPhoneTo !== undefined) extra.push(options.secondPhoneTo);
  if (options.rawTo !== undefined) extra.push(options.rawTo);
  return extra;
}

export function compileRowPlan(header: readonly string[], mapping: Mapping): RowPlan {
  const mapped = mapping.columns.filter((c) => c.field !== null && c.index >= 0);
  const indexOfField = new Map<LeadFieldName, number>();
  for (const c of mapped) {
    if (c.field === null) continue;
    for (const field of [ownFieldOf(c.field, c.options), ...extraFieldsOf(c.field, c.options)])
      if (!indexOfField.has(field)) indexOfField.set(field, c.index);
  }

  const columnName = (index: number, fallback: string): string => header[index] ?? fallback;
  let leadIdIndex = -1;
  let leadIdColumn: string | null = null;
  let leadIdPlaceholders = NO_PLACEHOLDERS;
  let leadKey: LeadKeyKind = 'lead_id';
  const steps: ColumnStep[] = [];
  const claimed = new Map<LeadFieldName, string>();

  for (const c of mapped) {
    const field = c.field as LeadFieldName;
    const column = columnName(c.index, c.column);
    if (field === LEAD_ID_FIELD) {
      if (leadIdIndex < 0) {
        leadIdIndex = c.index;
        leadIdColumn = column;
        leadIdPlaceholders = compilePlaceholders(c.options.placeholders ?? defaultPlaceholders(field));
        leadKey = c.options.match ?? 'lead_id';
      } else
        steps.push(
          ignoredStep(c.index, column, field, `another column ('${leadIdColumn}') already gives the lead id; this cell is not used`),
        );
      continue;
    }
    const spec = fieldSpecByName.get(field);
    if (spec === undefined) continue;
    const target = spec.replacedBy ?? field;
    const targetSpec = fieldSpecByName.get(target) ?? spec;
    const options = c.options;
    const split = splits(field, options) ? options.split : undefined;
    const codec = split !== undefined ? widen(NamePartFromCell(split, 'first')) : cellCodecForField(targetSpec, options);
    // A split name column is read as first_name, its last name as a second step.
    const own = ownFieldOf(field, options);
    const earlier = claimed.get(own);
    if (codec === null || earlier !== undefined) {
      steps.push(
        ignoredStep(
          c.index,
          column,
          field,
          earlier !== undefined ? `${field} is already read from column '${earlier}'; this cell is not sent` : ignoredNotice(field),
        ),
      );
      continue;
    }
    claimed.set(own, column);
    const placeholders = compilePlaceholders(options.placeholders ?? defaultPlaceholders(field));
    const deprecated = spec.replacedBy !== undefined;
    const replacementIndex = deprecated ? (indexOfField.get(target) ?? -1) : -1;
    const secondTo = options.secondPhoneTo !== undefined && isPhoneField(target) ? options.secondPhoneTo : undefined;
    const offer = phoneFields.find((phone) => phone !== target && !indexOfField.has(phone));
    const main: ColumnStep = {
      role: deprecated ? 'deprecated' : 'send',
      index: c.index,
      column,
      field: own,
      target: split !== undefined ? own : target,
      codec,
      warn: cellWarningFor(target, { secondTo, offer }),
      notice: deprecated ? `${field} is deprecated; sent as ${target}` : '',
      replacementIndex,
      replacementNotice:
        replacementIndex >= 0
          ? `${field} is deprecated and ${target} (column '${columnName(replacementIndex, target)}') has a value on this row: ${target} is sent, this cell is not`
          : '',
      placeholders,
      secondary: false,
      split: split ?? null,
    };
    steps.push(main);
    const extra = (extraField: LeadFieldName, extraCodec: CellCodec<LeadFieldValue>): void => {
      // A field another column already fills keeps that column (the mapping file says so as an error).
      if (claimed.has(extraField)) return;
      claimed.set(extraField, column);
      steps.push({
        ...main,
        role: 'send',
        field: extraField,
        target: extraField,
        codec: extraCodec,
        warn: null,
        notice: '',
        replacementIndex: -1,
        replacementNotice: '',
        secondary: true,
        split: null,
      });
    };
    if (split !== undefined) extra('last_name', widen(NamePartFromCell(split, 'last')));
    if (secondTo !== undefined) extra(secondTo, widen(SecondPhoneFromCell));
    if (options.rawTo !== undefined && target === 'status') extra(options.rawTo, widen(TextFromCell));
  }
  return { header, leadIdIndex, leadIdColumn, leadIdPlaceholders, leadKey, steps };
}

function ignoredStep(index: number, column: string, field: LeadFieldName, notice: string): ColumnStep {
  return {
    role: 'ignored',
    index,
    column,
    field,
    target: field,
    codec: null,
    warn: null,
    notice,
    replacementIndex: -1,
    replacementNotice: '',
    placeholders: NO_PLACEHOLDERS,
    secondary: false,
    split: null,
  };
}
