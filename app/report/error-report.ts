// The error report: every row that will not be sent, with its original columns in their
// original order and original text, then why. Re-importing it with the same mapping works as
// is: the added `import_*` columns are recognised and ignored as data.
import { extname } from 'node:path';
// The text the decoder read and quoted in its messages (numbers as Excel shows them, to 15
// significant digits): a re-imported report is then validated on the very same text.
import { cellText } from '../lead/cell-text.ts';
import { ERROR_REPORT_COLUMNS, isReportColumn } from '../mapping/report-columns.ts';
import { openCsvFileWriter, type CsvFileOptions, type CsvFileWriter } from './csv-file-writer.ts';
import { joinErrors, reportDataCells, reportErrors, type ErrorReportWriter } from './report-writer.ts';

/** A workbook (`.xlsx`) report for an `.xlsx` path, else the CSV report. */
export const isWorkbookReportPath = (path: string): boolean => extname(path).toLowerCase() === '.xlsx';

export async function openReport(path: string, sourceHeader: readonly string[]): Promise<ErrorReportWriter> {
  if (!isWorkbookReportPath(path)) return openErrorReport(path, sourceHeader);
  // exceljs is loaded only when a workbook is asked for.
  const { openXlsxErrorReport } = await import('./xlsx-error-report.ts');
  return openXlsxErrorReport(path, sourceHeader);
}

export async function openErrorReport(
  path: string,
  sourceHeader: readonly string[],
  options: CsvFileOptions = {},
): Promise<ErrorReportWriter> {
  const dataColumns: number[] = [];
  // Columns we added to an earlier report are not carried forward: fresh ones follow.
  sourceHeader.forEach((name, index) => {
    if (!isReportColumn(name)) dataColumns.push(index);
  });
  const writer: CsvFileWriter = await openCsvFileWriter(
    path,
    [...dataColumns.map((i) => sourceHeader[i]), ...ERROR_REPORT_COLUMNS],
    options,
  );
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
