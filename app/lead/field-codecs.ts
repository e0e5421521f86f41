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
import type { FieldKind } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';

/** The same codec, typed by the value union every field shares (parse is reused as is). */
function widen<A extends LeadFieldValue>(codec: CellCodec<A>): CellCodec<LeadFieldValue> {
  return new CellCodec<LeadFieldValue>(
    codec.name,
    (u): u is LeadFieldValue => codec.is(u),
    codec.parse,
    (value) => (codec.is(value) ? codec.encode(value) : String(value)),
  );
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
      return widen(CentsFromMoneyCell({ unit: options.money ?? 'dollars', integer: kind.integer, minimum: kind.minimum, nullable: kind.nullable }));
    case 'boolean':
      return widen(BooleanFromCell);
    case 'enum':
      return widen(EnumFromCell(kind.values));
    case 'date':
      return widen(IsoDateFromCell({ order: options.dateOrder ?? 'MDY' }));
    case 'list':
      return widen(ListFromCell({ separator: options.listSeparator, maxItems: kind.maxItems }));
    case 'unsupported':
      return null;
  }
}
