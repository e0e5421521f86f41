// Which cell codec reads a field's column: chosen once per column from the field's kind
// (derived from the schema) and the column's options (money unit, date order, separator).
import type { ColumnOptions } from '../mapping/types.ts';
import { CellCodec } from './cell-codec.ts';
import {
  BooleanFromCell,
  CentsFromMoneyCell,
  EmailFromCell,
  EnumFromCell,
  InitialFromCell,
  IntegerFromCell,
  ListFromCell,
  NumberFromCell,
  TextFromCell,
} from './cell-codecs.ts';
import { IsoDateFromCell } from './date-cell.ts';
import { isPhoneField } from './cell-warnings.ts';
import type { FieldKind, FieldSpec } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';
import { PhoneFromCell } from './phone-cells.ts';
import { takesValueTable, withValueTable } from './value-table.ts';
import { enumAliasesFor } from './value-words.ts';

/** The same codec, typed by the value union every field shares (parse is reused as is). */
export function widen<A extends LeadFieldValue>(codec: CellCodec<A>): CellCodec<LeadFieldValue> {
  return new CellCodec<LeadFieldValue>(
    codec.name,
    (u): u is LeadFieldValue => codec.is(u),
    codec.parse,
    (value) => (codec.is(value) ? codec.encode(value) : String(value)),
  );
}

/**
 * The cell codec for `field` in a column with `options`: its kind's codec, read by name where
 * the schema says too little (phone numbers, other words for an enum's values), behind the
 * column's value table when it has one. Null when no cell can express the field.
 */
export function cellCodecForField(field: FieldSpec, options: ColumnOptions = {}): CellCodec<LeadFieldValue> | null {
  const kind = field.type;
  let codec: CellCodec<LeadFieldValue> | null;
  if (kind.kind === 'string' && isPhoneField(field.name)) codec = widen(PhoneFromCell);
  else if (kind.kind === 'enum') codec = widen(EnumFromCell(kind.values, enumAliasesFor(field.name)));
  else codec = cellCodecFor(kind, options);
  return codec !== null && options.values !== undefined && takesValueTable(kind) ? withValueTable(codec, options.values) : codec;
}

/** The cell codec for a field of `kind` in a column with `options`; null when no cell can express the kind. */
export function cellCodecFor(kind: FieldKind, options: ColumnOptions = {}): CellCodec<LeadFieldValue> | null {
  switch (kind.kind) {
    case 'string':
      return widen(TextFromCell);
    case 'email':
      return widen(EmailFromCell);
    case 'char':
      return widen(InitialFromCell);
    case 'integer':
      return widen(IntegerFromCell({ minimum: kind.minimum }));
    case 'number':
      return widen(NumberFromCell({ minimum: kind.minimum, nullable: kind.nullable }));
    case 'money':
      return widen(
        CentsFromMoneyCell({ unit: options.money ?? 'dollars', integer: kind.integer, minimum: kind.minimum, nullable: kind.nullable }),
      );
    case 'boolean':
      return widen(BooleanFromCell);
    case 'enum':
      return widen(EnumFromCell(kind.values));
    case 'date':
      return widen(IsoDateFromCell({ order: options.dateOrder ?? 'MDY', twoDigitYears: options.twoDigitYears }));
    case 'list':
      return widen(ListFromCell({ separator: options.listSeparator, maxItems: kind.maxItems }));
    case 'unsupported':
      return null;
  }
}
