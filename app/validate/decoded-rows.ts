// The decoded rows of a prepared import, in file order and in batches: each source row (with
// the cell edits a person made in the app applied) next to what the decoder made of it.
import type { Cell, SourceRow } from '../source/types.ts';
import type { DecodedRow } from '../lead/decoded-row.ts';
import type { PreparedImport } from './prepare-import.ts';

export interface DecodedSourceRow {
  readonly source: SourceRow;
  readonly decoded: DecodedRow;
}

/** Cell edits by row number, then column index. The source file itself is never changed. */
export type CellEdits = ReadonlyMap<number, ReadonlyMap<number, string>>;

export function applyEdits(row: SourceRow, edits: ReadonlyMap<number, string> | undefined): SourceRow {
  if (!edits || edits.size === 0) return row;
  const cells: Cell[] = [...row.cells];
  for (const [column, value] of edits) if (column < cells.length) cells[column] = value;
  // An edited row is re-validated as a person now sees it: the reader's width problem is gone
  // only if the person fixed it by hand, which cell edits cannot do.
  return { ...row, cells, rawCells: row.rawCells ? cells : undefined };
}

/** Rows as the decoder is to see them: a report's cells restored, the app's edits applied. */
export async function* editedRows(
  rows: AsyncIterable<readonly SourceRow[]>,
  restoreRow: (row: SourceRow) => SourceRow,
  edits?: CellEdits,
): AsyncGenerator<readonly SourceRow[]> {
  for await (const batch of rows) {
    const out: SourceRow[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) out[i] = applyEdits(restoreRow(batch[i]), edits?.get(batch[i].rowNumber));
    yield out;
  }
}

export async function* decodedRows(prepared: PreparedImport, edits?: CellEdits): AsyncGenerator<readonly DecodedSourceRow[]> {
  const { source, decoder, restoreRow } = prepared;
  for await (const batch of editedRows(source.rows(), restoreRow, edits)) {
    const out: DecodedSourceRow[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) out[i] = { source: batch[i], decoded: decoder.decode(batch[i]) };
    yield out;
  }
}
