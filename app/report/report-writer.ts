// What every error report writer (CSV: error-report.ts, workbook: xlsx-error-report.ts) takes
// and how both turn a row into report cells, so neither format depends on the other.
import type { Cell, RowProblem } from '../source/types.ts';
// The text the decoder read and quoted in its messages (numbers as Excel shows them, to 15
// significant digits): a re-imported report is then validated on the very same text.
import { cellText } from '../lead/cell-text.ts';
import { rowCheckLine } from './row-check.ts';

/** Where a row stopped: validation before sending, matching it to its lead and ids (app/lookup), the request, the job, or never sent. */
export type ReportStage = 'validation' | 'match' | 'request' | 'job' | 'not_sent';

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
