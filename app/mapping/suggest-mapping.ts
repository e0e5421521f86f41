// The automatic mapping of an opened file, with what its rows tell us: a whole-name column's
// split (from the first rows) and, for each enum or yes/no column, its distinct values with
// suggestions (from every row). `lead-import map` prints and writes it; the Map screen shows it.
import type { SourceFile } from '../source/types.ts';
import type { Cell } from '../source/types.ts';
import { autoMap } from './auto-map.ts';
import { valueTally, type ColumnValues, type ValueTally } from './column-values.ts';
import type { Mapping } from './types.ts';

/** Rows read to recognise a column's shape (a whole-name column's split). */
export const SAMPLE_ROWS = 500;

export interface SuggestedMapping {
  readonly mapping: Mapping;
  /** Per column index: the values of each column whose field takes a value table. */
  readonly values: ReadonlyMap<number, ColumnValues>;
}

export async function suggestMapping(source: SourceFile): Promise<SuggestedMapping> {
  // Value columns come from the header alone: what the rows add (a split) is never one of them.
  const byHeader = autoMap(source.header);
  const tallies = new Map<number, ValueTally>();
  for (const column of byHeader.columns) {
    const tally = column.field === null ? null : valueTally(column.field, column.options);
    if (tally !== null) tallies.set(column.index, tally);
  }
  const sample: (readonly Cell[])[] = [];
  for await (const batch of source.rows()) {
    for (const row of batch) {
      if (sample.length < SAMPLE_ROWS) sample.push(row.cells);
      for (const [index, tally] of tallies) {
        const cell = row.cells[index];
        if (cell !== undefined) tally.add(cell);
      }
    }
    if (tallies.size === 0 && sample.length >= SAMPLE_ROWS) break;
  }
  const values = new Map([...tallies].map(([index, tally]) => [index, tally.result()] as const));
  return { mapping: autoMap(source.header, sample), values };
}
