// The error report as an Excel workbook: the same rows and columns as the CSV report, with each
// cell a problem is about filled red and its message in the cell's note, so a person fixes the
// cells where they are. Streamed (exceljs's WorkbookWriter) to a temporary file renamed into
// place on commit, like the CSV report. Re-imported, it reads as the CSV report does.
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { ERROR_REPORT_COLUMNS, isReportColumn } from '../mapping/report-columns.ts';
import type { Cell } from '../source/types.ts';
import { escapeOoxml } from '../source/ooxml-text.ts';
import { neutralizeFormula } from './csv-safety.ts';
import { ReportWriteError, createStagedFile } from './staged-file.ts';
import { joinErrors, reportDataCells, reportErrors, type ErrorReportWriter } from './report-writer.ts';

const PROBLEM_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const PROBLEM_FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' } };

/**
 * Text stays text: cells a spreadsheet could take for a formula are neutralized as in the CSV
 * report, and written as Excel writes text (a CR, a control character or a literal `_x000D_`
 * would not read back as it was otherwise).
 */
const reportText = (text: string): string => escapeOoxml(neutralizeFormula(text));
const reportValue = (cell: Cell): ExcelJS.CellValue => (typeof cell === 'string' ? reportText(cell) : cell);

export async function openXlsxErrorReport(path: string, sourceHeader: readonly string[]): Promise<ErrorReportWriter> {
  const dataColumns: number[] = [];
  sourceHeader.forEach((name, index) => {
    if (!isReportColumn(name)) dataColumns.push(index);
  });
  /** Source column name → its column in the report (1-based, as exceljs counts). */
  const reportColumnOf = new Map<string, number>();
  dataColumns.forEach((index, at) => {
    if (!reportColumnOf.has(sourceHeader[index])) reportColumnOf.set(sourceHeader[index], at + 1);
  });
  // The file is opened here, not by exceljs: a folder that is missing or read-only is then a
  // clear error at once, and a failing disk surfaces through the stream's error below.
  const { staged, handle } = await createStagedFile(path);
  const stream = handle.createWriteStream();
  let streamError: unknown;
  const failed = new Promise<never>((_, reject) =>
    stream.once('error', (error) => {
      streamError = error;
      reject(error);
    }),
  );
  failed.catch(() => undefined);
  // exceljs's writer cannot be stopped: its stream is (which closes the file), and the file is removed.
  const stop = async (): Promise<void> => {
    stream.destroy();
  };
  let workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  let sheet: ExcelJS.Worksheet;
  try {
    workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    sheet = workbook.addWorksheet('Rows to fix', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      ...dataColumns.map((i) => ({ header: reportText(sourceHeader[i]), width: 18 })),
      ...ERROR_REPORT_COLUMNS.map((name) => ({ header: name, width: name === 'import_errors' ? 60 : 14 })),
    ];
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
  } catch (error) {
    return staged.fail(error, stop);
  }
  const errorsColumn = dataColumns.length + ERROR_REPORT_COLUMNS.length;
  let written = 0;

  return {
    async add(row) {
      if (staged.finished) throw new ReportWriteError(path, new Error('the report is already closed'));
      if (streamError !== undefined) return staged.fail(streamError, stop);
      const cells = reportDataCells(row, dataColumns);
      const values: ExcelJS.CellValue[] = cells.map(reportValue);
      values.push(row.rowNumber, row.stage, reportText(joinErrors(reportErrors(row, sourceHeader.length, cells))));
      try {
        const added = sheet.addRow(values);
        added.getCell(errorsColumn).alignment = { wrapText: true, vertical: 'top' };
        // Each cell a problem is about: filled, its messages in the cell's note.
        const notes = new Map<number, string[]>();
        for (const issue of row.issues ?? []) {
          const column = issue.column === null ? undefined : reportColumnOf.get(issue.column);
          if (column === undefined) continue;
          notes.set(column, [...(notes.get(column) ?? []), issue.message]);
        }
        for (const [column, messages] of notes) {
          const cell = added.getCell(column);
          cell.fill = PROBLEM_FILL;
          cell.font = PROBLEM_FONT;
          cell.note = messages.join('\n');
        }
        added.commit();
      } catch (error) {
        return staged.fail(error, stop);
      }
      written++;
    },
    appendPart() {
      return Promise.reject(new ReportWriteError(path, new Error('a workbook report is written in one thread')));
    },
    rowsWritten: () => written,
    commit: () =>
      staged.commit(async () => {
        sheet.commit();
        // The writer waits for its stream to finish, which a failed stream never does.
        await Promise.race([workbook.commit(), failed]);
        if (!stream.closed) await once(stream, 'close');
        // On disk before it is renamed into place, as the CSV report is.
        const written = await open(staged.temporary, 'r+');
        try {
          await written.sync();
        } finally {
          await written.close();
        }
      }, stop),
    abort: () => staged.abort(stop),
  };
}
