// Rows of one of our own reports, read back: the cells we neutralized on writing ("'=1+2")
// are restored to what the person wrote, and a row the report marked as not fitting the header
// when first read is refused again while its cells are unchanged (app/report/row-check.ts).
import { cellText } from '../lead/cell-text.ts';
import { isReportColumn } from '../mapping/report-columns.ts';
import { restoreNeutralized } from '../report/csv-safety.ts';
import { rowCheck, rowCheckIn, unchangedProblem } from '../report/row-check.ts';
import { sourceRow } from '../source/row-shape.ts';
import type { Cell, SourceRow } from '../source/types.ts';

function restoreCell(cell: Cell): Cell {
  return typeof cell === 'string' && cell.length > 1 && cell[0] === "'" ? restoreNeutralized(cell) : cell;
}

/** How to read back the rows of a report with this header. */
export function reportRowRestorer(header: readonly string[]): (row: SourceRow) => SourceRow {
  const dataColumns: number[] = [];
  header.forEach((name, index) => {
    if (!isReportColumn(name)) dataColumns.push(index);
  });
  const errorsColumn = header.findIndex((name) => name.trim().toLowerCase() === 'import_errors');
  return (row) => {
    let changed = false;
    const cells = row.cells.map((cell) => {
      const restored = restoreCell(cell);
      if (restored !== cell) changed = true;
      return restored;
    });
    const restored = changed ? sourceRow(row.rowNumber, cells, row.rawCells?.map(restoreCell), row.problem) : row;
    if (errorsColumn === -1 || row.problem !== undefined) return restored;
    const errorsText = cellText(cells[errorsColumn] ?? '');
    const check = errorsText.indexOf('(row check ') === -1 ? undefined : rowCheckIn(errorsText);
    if (check === undefined || check !== rowCheck(dataColumns.map((index) => cells[index] ?? ''))) return restored;
    return sourceRow(restored.rowNumber, restored.cells, restored.rawCells, { kind: 'unfixed', message: unchangedProblem(errorsText) });
  };
}
