// The error report: every row that will not be sent, with its original columns in their
// original order and original text, then why. Re-importing it with the same mapping works as
// is: the added `import_*` columns are recognised and ignored as data.
import type { Cell } from '../source/types.ts';
// The text the decoder read and quoted in its messages (numbers as Excel shows them, to 15
// significant digits): a re-imported report is then validated on the very same text.
import { cellText } from '../lead/cell-text.ts';
import { ERROR_REPORT_COLUMNS, isReportColumn } from '../mapping/report-columns.ts';
import { openCsvFileWriter, type CsvFileOptions, type CsvFileWriter } from './csv-file-writer.ts';

/** Where a row stopped: validation before sending, the request, the job, or never sent. */
export type ReportStage = 'validation' | 'request' | 'job' | 'not_sent';

export interface ErrorReportRow {
  readonly rowNumber: number;
  /** The row's cells as read (the raw cells when the reader had to pad or cut the row). */
  readonly cells: readonly Cell[];
  readonly stage: ReportStage;
  readonly errors: readonly string[];
}

export interface ErrorReportWriter {
  add(row: ErrorReportRow): Promise<void>;
  /** Appends a part written by `openErrorReport(…, { part: true })` holding `rows` rows. */
  appendPart(partPath: string, rows: number): Promise<void>;
  readonly rowsWritten: () => number;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Joins a row's problems into one cell; each problem stays on its own line in a spreadsheet. */
export const joinErrors = (errors: readonly string[]): string => errors.join('\n');

export async function openErrorReport(path: string, sourceHeader: readonly string[], options: CsvFileOptions = {}): Promise<ErrorReportWriter> {
  const dataColumns: number[] = [];
  // Columns we added to an earlier report are not carried forward: fresh ones follow.
  sourceHeader.forEach((name, index) => {
    if (!isReportColumn(name)) dataColumns.push(index);
  });
  const writer: CsvFileWriter = await openCsvFileWriter(path, [...dataColumns.map((i) => sourceHeader[i]), ...ERROR_REPORT_COLUMNS], options);
  let written = 0;
  return {
    async add(row) {
      const fields: string[] = [];
      for (const index of dataColumns) {
        const cell = index < row.cells.length ? row.cells[index] : '';
        fields.push(cellText(cell));
      }
      // Cells beyond the header (a row with too many cells) would shift the report's own
      // columns, so their text is kept in the message instead of being lost.
      const errors = [...row.errors];
      if (row.cells.length > sourceHeader.length) {
        const extra = row.cells.slice(sourceHeader.length).map((c) => `'${cellText(c)}'`);
        errors.push(`cells beyond the last column: ${extra.join(', ')}`);
      }
      fields.push(String(row.rowNumber), row.stage, joinErrors(errors));
      written++;
      await writer.writeRow(fields);
    },
    async appendPart(partPath, rows) {
      await writer.appendPart(partPath);
      written += rows;
    },
    rowsWritten: () => written,
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
