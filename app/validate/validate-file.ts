// The `validate` capability: decode every row of a file, count what is valid, invalid,
// skipped or duplicated, and write the error report. Nothing is sent.
import * as E from 'fp-ts/Either';
import type { LeadFieldName } from '../lead/fields.ts';
import type { CheckedRow } from '../lead/row-decoder.ts';
import type { RowsWatch, SourceRow } from '../source/types.ts';
import { isWorkbookReportPath, openReport } from '../report/error-report.ts';
import type { ErrorReportWriter } from '../report/report-writer.ts';
import { sourceNotices } from '../source/notices.ts';
import { SourceReadError } from '../source/file-errors.ts';
import { editedRows, type CellEdits } from './decoded-rows.ts';
import { planSegments, validateInSegments, type SegmentOptions, type SegmentOutcome } from './segments.ts';
import { tallyRows, ValidationTally, type ProblemLine } from './validation-tally.ts';
import type { RowCounts } from './row-counts.ts';

export { formatIssue, withDuplicateWarning, type ProblemLine } from './validation-tally.ts';
import { prepareImport, type ImportError, type PrepareOptions, type PreparedImport } from './prepare-import.ts';

export interface ValidationSummary extends RowCounts {
  readonly file: string;
  readonly format: string;
  readonly encoding: string | null;
  readonly delimiter: string | null;
  readonly sheet: string | null;
  /** The header's row number (a line for CSV, a sheet row for XLSX); rows above it are not data. */
  readonly headerRow: number;
  /** How the file was read, when that is worth a look (a file read as Windows-1252 after all). */
  readonly notices: readonly string[];
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
  /**
   * A large delimited file is cut in two at a record boundary and the second part validated in
   * a worker thread at the same time (the CLI's validate). The result is the same either way.
   */
  readonly segments?: boolean | SegmentOptions;
  /** How a two-part validation went, when the file was cut (for tests and diagnostics). */
  readonly onSegments?: (outcome: SegmentOutcome) => void;
  /**
   * Sees every row as it is checked, in file order, edits applied (a run builds its row table
   * and looks for the key in lead ids in the same pass). The file is then read in one thread.
   */
  readonly onChecked?: (row: SourceRow, checked: CheckedRow) => void;
  /** Runs once every row is tallied, before the report is committed: what it adds (the check against Propexo's rows) goes in the same report. */
  readonly beforeCommit?: (report: ErrorReportWriter | null, prepared: PreparedImport) => Promise<void>;
  /** Told what a one-thread read of the file sees (its bytes: a run hashes them); a two-part validation tells nothing. */
  readonly readWatch?: RowsWatch;
}

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
  const { source } = prepared;
  const keep = options.keepProblems ?? 20;
  const openTheReport = (): Promise<ErrorReportWriter | null> =>
    options.errorsPath ? openReport(options.errorsPath, source.header) : Promise.resolve(null);
  let report = await openTheReport();
  let tally = new ValidationTally(keep, report);
  try {
    const segments = options.segments === true ? {} : options.segments;
    // A workbook report is written by one writer: its rows cannot be appended from a part.
    const workbookReport = options.errorsPath !== undefined && isWorkbookReportPath(options.errorsPath);
    const split =
      segments !== undefined && segments !== false && !options.edits && !options.onChecked && !workbookReport
        ? await planSegments(prepared, segments)
        : undefined;
    let done = false;
    if (split !== undefined) {
      const outcome = await validateInSegments(prepared, split, tally, options);
      options.onSegments?.(outcome);
      done = outcome !== 'restart';
      if (!done) {
        // The cut was not a record boundary after all: start again in one thread.
        await report?.abort();
        report = await openTheReport();
        tally = new ValidationTally(keep, report);
      }
    }
    if (!done) {
      const { onChecked } = options;
      const check =
        onChecked === undefined
          ? prepared.decoder.check
          : (row: SourceRow): CheckedRow => {
              const checked = prepared.decoder.check(row);
              onChecked(row, checked);
              return checked;
            };
      await tallyRows(editedRows(source.rows(options.readWatch), prepared.restoreRow, options.edits), check, tally, options.onProgress);
    }
    await options.beforeCommit?.(report, prepared);
    await report?.commit();
  } catch (error) {
    await report?.abort();
    throw error;
  }

  return validationSummary(prepared, options.path, tally.counts(), {
    errorsFile: report ? (options.errorsPath ?? null) : null,
    firstProblems: tally.firstProblems(),
  });
}

/**
 * A validation's summary from its counts: how the file was read and mapped, besides them. A
 * check made elsewhere (the app's review) gives its own counts, with no error report.
 */
export function validationSummary(
  prepared: PreparedImport,
  path: string,
  counts: RowCounts,
  found: Pick<ValidationSummary, 'errorsFile' | 'firstProblems'>,
): ValidationSummary {
  const { source, mapping } = prepared;
  const mappedColumns: Record<string, LeadFieldName> = {};
  for (const c of mapping.columns) if (c.field !== null) mappedColumns[c.column] = c.field;
  return {
    file: path,
    format: source.format,
    encoding: source.encoding ?? null,
    delimiter: source.delimiter ?? null,
    sheet: source.sheet ?? null,
    headerRow: source.headerRowNumber,
    notices: sourceNotices(source),
    rows: counts.rows,
    valid: counts.valid,
    invalid: counts.invalid,
    skipped: counts.skipped,
    warnings: counts.warnings,
    duplicates: counts.duplicates,
    unmappedColumns: mapping.columns.filter((c) => c.field === null && c.method === 'unmapped').map((c) => c.column),
    mapping: mappedColumns,
    mappingProblems: prepared.mappingProblems,
    errorsFile: found.errorsFile,
    firstProblems: found.firstProblems,
  };
}
