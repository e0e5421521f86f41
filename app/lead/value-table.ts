// A column's value table ("Contacted" → ACTIVE): the file's own words for an enum or yes/no
// field, looked up before the field's codec. Only columns that have a table pay for it.
import type { TableValue } from '../mapping/types.ts';
import type { Cell } from '../source/types.ts';
import { CellCodec } from './cell-codec.ts';
import { plainNumberText, quote } from './cell-text.ts';
import type { FieldKind } from './fields.ts';
import type { LeadFieldValue } from './lead-update.ts';
import { closestMatch } from './suggest.ts';

/** How a table's words are compared: case and surrounding spaces ignored. */
export const valueKey = (text: string): string => text.trim().toLowerCase();

/** The kinds of field a value table can translate to. */
export const takesValueTable = (kind: FieldKind): boolean => kind.kind === 'enum' || kind.kind === 'boolean';

/** Why `target` cannot be a value of a field of `kind`, or null when it can. */
export function valueTargetProblem(kind: FieldKind, target: unknown): string | null {
  if (kind.kind === 'boolean')
    return typeof target === 'boolean' ? null : `${showTarget(target)} is not a yes/no value: write true or false`;
  if (kind.kind !== 'enum') return `a value table applies only to fields with a fixed list of values and to yes/no fields`;
  if (typeof target === 'string' && kind.values.includes(target)) return null;
  const near = typeof target === 'string' ? closestMatch(target, kind.values) : undefined;
  return `${showTarget(target)} is not one of ${kind.values.join(', ')}${near === undefined ? '' : `; did you mean ${near}?`}`;
}

const showTarget = (target: unknown): string => (typeof target === 'string' ? quote(target) : (JSON.stringify(target) ?? 'nothing'));

/** The text of a cell a table can name: text and numbers (an XLSX 1 is the table's "1"). */
function keyOfCell(cell: Cell): string | null {
  if (typeof cell === 'string') return valueKey(cell);
  if (typeof cell === 'number' && Number.isFinite(cell)) return plainNumberText(cell);
  return null;
}

/** `codec`, with the table's words read first; any other cell is read by `codec` as before. */
export function withValueTable(codec: CellCodec<LeadFieldValue>, values: Readonly<Record<string, TableValue>>): CellCodec<LeadFieldValue> {
  const table = new Map(Object.entries(values).map(([word, target]) => [valueKey(word), target]));
  if (table.size === 0) return codec;
  const parse = (cell: Cell): LeadFieldValue | ReturnType<typeof codec.parse> => {
    const key = keyOfCell(cell);
    const target = key === null ? undefined : table.get(key);
    return target === undefined ? codec.parse(cell) : target;
  };
  return new CellCodec<LeadFieldValue>(`${codec.name} with a value table`, codec.is, parse, (value) => codec.encode(value));
}
