// After a run: the results file (every source row) and the error report (every row that was
// not written in full), built from a second pass over the file joined with the run's records.
import type { PreparedImport } from '../validate/prepare-import.ts';
import { decodedRows, type CellEdits } from '../validate/decoded-rows.ts';
import { formatIssue, notSentIssues } from '../validate/validation-tally.ts';
import { openReport } from '../report/error-report.ts';
import type { ReportStage } from '../report/report-writer.ts';
import { openResultsFile } from '../report/results-file.ts';
import { writeReportsTogether } from '../report/reports-together.ts';
import type { RowMatchKey } from './journal-entry.ts';
import type { RowRecord } from './row-record.ts';
import { endedState, NOT_REACHED } from '../shared/outcomes.ts';

export interface RunReportPaths {
  readonly resultsPath?: string;
  readonly errorsPath?: string;
}

/** Rows a person should look at again: everything but successes, skips and jobs still pending. */
function stageFor(record: Readonly<RowRecord>): ReportStage | undefined {
  switch (endedState(record.outcome)) {
    case 'rejected':
      return 'request';
    case 'not_found':
    case 'ambiguous':
      return 'match';
    case 'unknown':
      return record.stage === 'job' ? 'job' : 'request';
    case 'failed':
      return record.stage === 'job' ? 'job' : 'request';
    case 'partial':
      return 'job';
    case 'not_sent':
      return 'not_sent';
    default:
      return undefined;
  }
}

/**
 * A row matched to no lead: each line of its problem with the column it is about (the journal's
 * `unmatched` entry keeps them in the same order), so a workbook report marks the key's cell.
 */
function matchIssues(
  errors: readonly string[],
  columns: readonly (string | null)[] | undefined,
): { column: string | null; message: string }[] | undefined {
  if (columns === undefined) return undefined;
  const lines = errors.flatMap((error) => error.split('\n'));
  return lines.length === columns.length ? lines.map((message, i) => ({ column: columns[i], message })) : undefined;
}

export async function writeRunReports(
  prepared: PreparedImport,
  records: ReadonlyMap<number, Readonly<RowRecord>>,
  paths: RunReportPaths,
  edits?: CellEdits,
  /** The key each looked-up row's lead was matched by (the journal's `matched` / `unmatched`). */
  matches?: ReadonlyMap<number, RowMatchKey>,
): Promise<void> {
  if (!paths.resultsPath && !paths.errorsPath) return;
  await writeReportsTogether(async (open) => {
    const results = paths.resultsPath ? await open(openResultsFile(paths.resultsPath)) : undefined;
    const errors = paths.errorsPath ? await open(openReport(paths.errorsPath, prepared.source.header)) : undefined;
    for await (const batch of decodedRows(prepared, edits)) {
      for (const { source, decoded } of batch) {
        const record = records.get(source.rowNumber);
        const cells = source.rawCells ?? source.cells;
        if (decoded.status !== 'valid' || !record) {
          // Never meant to be sent (or never reached: a run stopped before it).
          const outcome = decoded.status === 'invalid' ? 'invalid' : decoded.status === 'skipped' ? 'skipped' : 'not_sent';
          const issues = notSentIssues(decoded);
          const problems = issues.length > 0 ? issues.map(formatIssue) : [NOT_REACHED];
          await results?.add({ rowNumber: source.rowNumber, leadId: decoded.leadId ?? '', outcome, errors: problems, attempts: 0 });
          await errors?.add({
            rowNumber: source.rowNumber,
            cells,
            stage: outcome === 'not_sent' ? 'not_sent' : 'validation',
            errors: problems,
            issues,
            ...(source.problem !== undefined ? { readProblem: source.problem } : {}),
          });
          continue;
        }
        const outcome = endedState(record.outcome);
        const match = matches?.get(record.row);
        await results?.add({
          rowNumber: record.row,
          leadId: record.leadId,
          outcome,
          jobId: record.jobId,
          httpStatus: record.httpStatus,
          errors: record.errors,
          attempts: record.attempts,
          ...(match === undefined ? {} : { match }),
        });
        const stage = stageFor(record);
        if (stage) {
          const issues = stage === 'match' ? matchIssues(record.errors, match?.problemColumns) : undefined;
          await errors?.add({
            rowNumber: record.row,
            cells,
            stage,
            errors: record.errors.length > 0 ? record.errors : [outcome],
            ...(issues !== undefined ? { issues } : {}),
          });
        }
      }
    }
  });
}
