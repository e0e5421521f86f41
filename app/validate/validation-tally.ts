// What validating rows adds up to: counts, the first problems, duplicate leads, and the error
// report's lines. One tally per thread; a second thread's tally of the rows after the first's
// is merged in (app/validate/segments.ts).
import { NO_ISSUES, type RowIssue } from '../lead/decoded-row.ts';
import type { CheckedRow } from '../lead/row-decoder.ts';
import type { LeadFieldName } from '../lead/fields.ts';
import type { ErrorReportWriter } from '../report/report-writer.ts';
import type { SourceRow } from '../source/types.ts';
import { DuplicateLeads } from './duplicate-leads.ts';
import type { RowCounts } from './row-counts.ts';

export interface ProblemLine {
  readonly rowNumber: number;
  readonly severity: 'error' | 'warning';
  readonly column: string | null;
  readonly field: LeadFieldName | null;
  readonly value: string;
  readonly message: string;
}

export interface TallyCounts extends RowCounts {
  /** Rows written to the error report. */
  readonly reported: number;
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

/**
 * Why a checked row is not sent: an invalid row's errors, a skipped row's warnings ("nothing
 * to change" among them); none for a valid row. Validate's report, the run's row table and the
 * run's reports all say it this way (each as `formatIssue` text).
 */
export const notSentIssues = (row: Pick<CheckedRow, 'status' | 'errors' | 'warnings'>): readonly RowIssue[] =>
  row.status === 'invalid' ? row.errors : row.status === 'skipped' ? row.warnings : NO_ISSUES;

export function withDuplicateWarning<R extends CheckedRow>(decoded: R, earlierRows: readonly number[]): R {
  const rowsText = earlierRows.length === 1 ? `row ${earlierRows[0]}` : `rows ${earlierRows.join(', ')}`;
  const warning: RowIssue = {
    column: null,
    field: null,
    value: decoded.leadId ?? '',
    message: `lead ${decoded.leadId} is also updated by ${rowsText}; rows for one lead are sent in file order`,
  };
  return { ...decoded, warnings: [...decoded.warnings, warning] };
}

/** Checks and counts every row of `rows` into `tally`, telling `onProgress` after each batch. */
export async function tallyRows(
  rows: AsyncIterable<readonly SourceRow[]>,
  check: (row: SourceRow) => CheckedRow,
  tally: ValidationTally,
  onProgress?: (rows: number) => void,
): Promise<void> {
  for await (const batch of rows) {
    for (let i = 0; i < batch.length; i++) {
      const waiting = tally.add(batch[i], check(batch[i]));
      if (waiting !== undefined) await waiting;
    }
    onProgress?.(tally.counts().rows);
  }
}

export class ValidationTally {
  readonly duplicates = new DuplicateLeads();
  private readonly problems: ProblemLine[] = [];
  private rows = 0;
  private valid = 0;
  private invalid = 0;
  private skipped = 0;
  private warnings = 0;
  private reported = 0;
  /** Duplicates found by tallies merged into this one. */
  private mergedDuplicates = 0;

  constructor(
    private readonly keepProblems: number,
    private readonly report: Pick<ErrorReportWriter, 'add' | 'appendPart'> | null,
  ) {}

  /** Counts one row; a promise only when its report line had to wait for the disk. */
  add(row: SourceRow, first: CheckedRow): Promise<void> | undefined {
    this.rows++;
    let decoded = first;
    if (decoded.leadId !== null && decoded.status !== 'invalid') {
      const earlier = this.duplicates.see(decoded.leadId, row.rowNumber);
      if (earlier.length > 0) decoded = withDuplicateWarning(decoded, earlier);
    }
    if (decoded.status === 'valid') this.valid++;
    else if (decoded.status === 'invalid') this.invalid++;
    else this.skipped++;
    if (decoded.warnings.length > 0) this.warnings++;

    if (this.problems.length < this.keepProblems && (decoded.errors.length > 0 || decoded.warnings.length > 0)) {
      for (const issue of decoded.errors) this.problems.push(issueLine(row.rowNumber, 'error', issue));
      for (const issue of decoded.warnings) this.problems.push(issueLine(row.rowNumber, 'warning', issue));
    }
    if (this.report === null || decoded.status === 'valid') return undefined;
    const problems = notSentIssues(decoded);
    this.reported++;
    return this.report.add({
      rowNumber: row.rowNumber,
      cells: row.rawCells ?? row.cells,
      stage: 'validation',
      errors: problems.map(formatIssue),
      issues: problems,
      ...(row.problem !== undefined ? { readProblem: row.problem } : {}),
    });
  }

  counts(): TallyCounts {
    return {
      rows: this.rows,
      valid: this.valid,
      invalid: this.invalid,
      skipped: this.skipped,
      warnings: this.warnings,
      duplicates: this.duplicates.count + this.mergedDuplicates,
      reported: this.reported,
    };
  }

  /** The first problems in file order (errors before warnings within a row). */
  firstProblems(): ProblemLine[] {
    return this.problems.slice(0, this.keepProblems);
  }

  /**
   * Adds the tally of the rows that follow this one's, taken by another thread. Only valid when
   * no lead of those rows appears in this tally's rows (their duplicate warnings would differ).
   */
  async merge(next: {
    readonly counts: TallyCounts;
    readonly problems: readonly ProblemLine[];
    readonly reportPart: string | null;
  }): Promise<void> {
    const c = next.counts;
    this.rows += c.rows;
    this.valid += c.valid;
    this.invalid += c.invalid;
    this.skipped += c.skipped;
    this.warnings += c.warnings;
    this.mergedDuplicates += c.duplicates;
    this.reported += c.reported;
    if (this.problems.length < this.keepProblems) this.problems.push(...next.problems);
    if (this.report !== null && next.reportPart !== null) await this.report.appendPart(next.reportPart, c.reported);
  }
}
