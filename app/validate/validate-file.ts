// The `validate` capability: decode every row of a file, count what is valid, invalid,
// skipped or duplicated, and write the error report. Nothing is sent.
import * as E from 'fp-ts/Either';
import type { LeadFieldName } from '../lead/fields.ts';
import type { DecodedRow, RowIssue } from '../lead/decoded-row.ts';
import { openErrorReport, type ErrorReportWriter } from '../report/error-report.ts';
import { SourceReadError } from '../source/file-errors.ts';
import { DuplicateLeads } from './duplicate-leads.ts';
import { decodedRows, type CellEdits } from './decoded-rows.ts';
import { prepareImport, type ImportError, type PrepareOptions, type PreparedImport } from './prepare-import.ts';

export interface ProblemLine {
  readonly rowNumber: number;
  readonly severity: 'error' | 'warning';
  readonly column: string | null;
  readonly field: LeadFieldName | null;
  readonly value: string;
  readonly message: string;
}

export interface ValidationSummary {
  readonly file: string;
  readonly format: string;
  readonly encoding: string | null;
  readonly delimiter: string | null;
  readonly sheet: string | null;
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly skipped: number;
  /** Rows with at least one warning. */
  readonly warnings: number;
  /** Rows that update a lead an earlier row already updates. */
  readonly duplicates: number;
  readonly unmappedColumns: readonly string[];
  readonly mapping: Readonly<Record<string, LeadFieldName>>;
  readonly mappingProblems: readonly string[];
  readonly errorsFile: string | null;
  /** The first problems in file order (errors before warnings within a row). */
  readonly firstProblems: readonly ProblemLine[];
}

export interface ValidateOptions extends PrepareOptions {
  /** Where to write the error report; none when absent. */
  readonly errorsPath?: string;
  /** How many problems to keep for display. */
  readonly keepProblems?: number;
  readonly onProgress?: (rowsRead: number) => void;
  /** Cell fixes made in the app (the file is not changed). */
  readonly edits?: CellEdits;
}

const issueLine = (rowNumber: number, severity: ProblemLine['severity'], issue: RowIssue): ProblemLine => ({
  rowNumber,
  severity,
  column: issue.column,
  field: issue.field,
  value: issue.value,
  message: issue.message,
});

export const formatIssue = (issue: Pick<RowIssue, 'column' | 'message'>): string =>
  issue.column === null ? issue.message : `${issue.column}: ${issue.message}`;

export function formatProblem(p: ProblemLine): string {
  const where = p.column === null ? `row ${p.rowNumber}` : `row ${p.rowNumber}, column "${p.column}"${p.field ? ` (${p.field})` : ''}`;
  return `${where}: ${p.message}`;
}

/**
 * Opens, maps and decodes the file; a Left is a file-level problem and nothing was written.
 * That includes a file that fails while its rows are read (a workbook damaged past its
 * header, a file deleted meanwhile): the report is abandoned and the reader's FileError returned.
 */
export async function validateFile(options: ValidateOptions): Promise<E.Either<ImportError, ValidationSummary>> {
  const prepared = await prepareImport(options);
  if (E.isLeft(prepared)) return prepared;
  try {
    return E.right(await validatePrepared(prepared.right, options));
  } catch (error) {
    if (error instanceof SourceReadError) return E.left(error.fileError);
    throw error;
  }
}

export async function validatePrepared(prepared: PreparedImport, options: ValidateOptions): Promise<ValidationSummary> {
  const { source, mapping } = prepared;
  const keep = options.keepProblems ?? 20;
  const report: ErrorReportWriter | null = options.errorsPath ? await openErrorReport(options.errorsPath, source.header) : null;
  const duplicates = new DuplicateLeads();
  const firstProblems: ProblemLine[] = [];
  let rows = 0;
  let valid = 0;
  let invalid = 0;
  let skipped = 0;
  let warned = 0;

  try {
    for await (const batch of decodedRows(prepared, options.edits)) {
      for (const { source: row, decoded: first } of batch) {
        rows++;
        let decoded: DecodedRow = first;
        if (decoded.leadId !== null && decoded.status !== 'invalid') {
          const earlier = duplicates.see(decoded.leadId, row.rowNumber);
          if (earlier.length > 0) decoded = withDuplicateWarning(decoded, earlier);
        }
        if (decoded.status === 'valid') valid++;
        else if (decoded.status === 'invalid') invalid++;
        else skipped++;
        if (decoded.warnings.length > 0) warned++;

        if (firstProblems.length < keep && (decoded.errors.length > 0 || decoded.warnings.length > 0)) {
          for (const issue of decoded.errors) firstProblems.push(issueLine(row.rowNumber, 'error', issue));
          for (const issue of decoded.warnings) firstProblems.push(issueLine(row.rowNumber, 'warning', issue));
        }
        if (report && decoded.status !== 'valid') {
          const problems = decoded.status === 'invalid' ? decoded.errors : decoded.warnings;
          await report.add({ rowNumber: row.rowNumber, cells: row.rawCells ?? row.cells, stage: 'validation', errors: problems.map(formatIssue) });
        }
      }
      options.onProgress?.(rows);
    }
    await report?.commit();
  } catch (error) {
    await report?.abort();
    throw error;
  }

  const mappedColumns: Record<string, LeadFieldName> = {};
  for (const c of mapping.columns) if (c.field !== null) mappedColumns[c.column] = c.field;
  return {
    file: options.path,
    format: source.format,
    encoding: source.encoding ?? null,
    delimiter: source.delimiter ?? null,
    sheet: source.sheet ?? null,
    rows,
    valid,
    invalid,
    skipped,
    warnings: warned,
    duplicates: duplicates.count,
    unmappedColumns: mapping.columns.filter((c) => c.field === null && c.method === 'unmapped').map((c) => c.column),
    mapping: mappedColumns,
    mappingProblems: prepared.mappingProblems,
    errorsFile: report ? (options.errorsPath ?? null) : null,
    firstProblems: firstProblems.slice(0, keep),
  };
}

export function withDuplicateWarning(decoded: DecodedRow, earlierRows: readonly number[]): DecodedRow {
  const rowsText = earlierRows.length === 1 ? `row ${earlierRows[0]}` : `rows ${earlierRows.join(', ')}`;
  const warning: RowIssue = {
    column: null,
    field: null,
    value: decoded.leadId ?? '',
    message: `lead ${decoded.leadId} is also updated by ${rowsText}; rows for one lead are sent in file order`,
  };
  return { ...decoded, warnings: [...decoded.warnings, warning] };
}
