// What opening an import reads of its rows: a few values per column to show beside it on the
// Map screen, and the first rows, whose shape suggests a whole-name column's split. Only the
// start of the file is read, so a big file opens as fast as a small one.
import { cellText } from '../lead/cell-text.ts';
import { SAMPLE_ROWS } from '../mapping/suggest-mapping.ts';
import { isReportColumn } from '../mapping/report-columns.ts';
import { restoreNeutralized } from '../report/csv-safety.ts';
import type { Cell, SourceFile } from '../source/types.ts';

const SAMPLES_PER_COLUMN = 5;
/** Rows looked at for samples: enough for sparse columns, bounded for wide files. */
const SAMPLE_SCAN_ROWS = 1_000;

export interface Sampled {
  /** Per column: up to five distinct non-blank values from the first rows. */
  readonly samples: string[][];
  /** The first rows' cells (up to SAMPLE_ROWS), for what their shape suggests (a name split). */
  readonly rows: (readonly Cell[])[];
}

/** Up to five distinct non-blank values per column, and the first rows, from the start of the file. */
export async function sampleColumns(source: SourceFile): Promise<Sampled> {
  const width = source.header.length;
  const samples: string[][] = Array.from({ length: width }, () => []);
  const rows: (readonly Cell[])[] = [];
  // Our own reports keep formulas neutralized ('=…): show them as the person wrote them.
  const isReport = source.header.some(isReportColumn);
  const text = (cell: Cell): string => {
    const shown = cellText(cell).trim();
    return isReport && shown.length > 1 && shown[0] === "'" ? restoreNeutralized(shown) : shown;
  };
  let full = 0;
  let scanned = 0;
  reading: for await (const batch of source.rows()) {
    for (const row of batch) {
      if (rows.length < SAMPLE_ROWS) rows.push(row.cells);
      for (let i = 0; i < width; i++) {
        const list = samples[i];
        if (list.length >= SAMPLES_PER_COLUMN) continue;
        const value = text(row.cells[i] ?? '');
        if (value === '' || list.includes(value)) continue;
        list.push(value);
        if (list.length === SAMPLES_PER_COLUMN) full++;
      }
      if ((full === width && rows.length >= SAMPLE_ROWS) || ++scanned >= SAMPLE_SCAN_ROWS) break reading;
    }
  }
  return { samples, rows };
}
