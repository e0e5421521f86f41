// Rows of one of our own reports, read back: the cells we neutralized on writing ("'=1+2")
// are restored to what the person wrote.
import { restoreNeutralized } from '../report/csv-safety.ts';
import type { Cell, SourceRow } from '../source/types.ts';

function restoreCell(cell: Cell): Cell {
  return typeof cell === 'string' && cell.length > 1 && cell[0] === "'" ? restoreNeutralized(cell) : cell;
}

export function restoreReportRow(row: SourceRow): SourceRow {
  let changed = false;
  const cells = row.cells.map((cell) => {
    const restored = restoreCell(cell);
    if (restored !== cell) changed = true;
    return restored;
  });
  return changed ? { ...row, cells, rawCells: row.rawCells?.map(restoreCell) } : row;
}
