// The error report: every row that will not be sent, with its original columns in their
// original order and original text, then why. Re-importing it with the same mapping works as
// is: the added `import_*` columns are recognised and ignored as data.
import { extname } from 'node:path';
import type { Cell, RowProblem } from '../source/types.ts';
// The text the decoder read and quoted in its messages (numbers as Excel shows them, to 15
// significant digits): a re-imported report is then validated on the very same text.
import { cellText } from '../lead/cell-text.ts';
import { ERROR_REPORT_COLUMNS, isReportColumn } from '../mapping/report-columns.ts';
import { openCsvFileWriter, type CsvFileOptions, type CsvFileWriter } from './csv-file-writer.ts';
import { rowCheckLine } from './row-check.ts';

/** Where a row stopped: validation before sending, the request, the job, or never sent. */
export type ReportStage = 'validation' | 'request' | 'job' | 'not_sent';

export interface ErrorReportRow {
  readonly rowNumber: number;
  /** The row's cells as read (the raw cells when the reader had to pad or cut the row). */
  readonly cells: readonly Cell[];
  readonly stage: ReportStage;
  readonly errors: readonly string[];
  /** The problems with the columns they are about, when known (a workbook report marks those cells). */
  readonly issues?: readonly { readonly column: string | null; readonly message: string }[];
  /** The reader's problem with the row's shape: the report marks the row (row-check.ts). */
  readonly readProblem?: RowProblem;
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

/**
 * A row's problems as the report states them. Cells beyond the header (a row with too many
 * cells) would shift the report's own columns, so their text is kept in the message instead.
 */
export function reportErrors(row: ErrorReportRow, headerWidth: number, dataCells: readonly Cell[]): string[] {
  const errors = [...row.errors];
  if (row.cells.length > headerWidth) {
    const extra = row.cells.slice(headerWidth).map((c) => `'${cellText(c)}'`);
    errors.push(`cells beyond the last column: ${extra.join(', ')}`);
  }
  if (row.readProblem !== undefined) errors.push(rowCheckLine(dataCells));
  return errors;
}

/** The cells of a row under the report's data columns, '' where the row is short. */
export function reportDataCells(row: ErrorReportRow, dataColumns: readonly number[]): Cell[] {
  return dataColumns.map((index) => (index < row.cells.length ? row.cells[index] : ''));
}

/** A workbook (`.xlsx`) report for an `.xlsx` path, else the CSV report. */
export const isWorkbookReportPath = (path: string): boolean => extname(path).toLowerCase() === '.xlsx';

export async function openReport(path: string, sourceHeader: readonly string[]): Promise<ErrorReportWriter> {
  if (!isWorkbookReportPath(path)) return openErrorReport(path, sourceHeader);
  // exceljs is loaded only when a workbook is asked for.
  const { openXlsxErrorReport } = await import('./xlsx-error-report.ts');
  return openXlsxErrorReport(path, sourceHeader);
}

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
      const cells = reportDataCells(row, dataColumns);
      const fields = cells.map(cellText);
      const errors = reportErrors(row, sourceHeader.length, cells);
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
