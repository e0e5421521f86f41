// An undo run's own reports. Its rows are write-backs, one per lead, not the rows of a file, so
// the results file has one line per lead written back (import_row: the lead's last row in the
// run undone) and one per row not undone at all; the error report has one line per field a
// person should look at: left alone because it changed since the import, written back anyway
// (--force), not clearable or not restorable through Propexo, or in a write-back that failed.
import { shownValue } from '../preview/changes.ts';
import { openCsvFileWriter } from '../report/csv-file-writer.ts';
import { openResultsFile } from '../report/results-file.ts';
import { writeReportsTogether } from '../report/reports-together.ts';
import type { RowRecord } from '../run/row-record.ts';
import { endedState } from '../shared/outcomes.ts';
import type { StoredFieldUndo, UndoFile } from './undo-rows.ts';

export const UNDO_ERROR_COLUMNS = [
  'import_row',
  'lead_id',
  'field',
  'problem',
  'value_before_import',
  'value_import_wrote',
  'value_now',
  'reason',
] as const;

const NEEDS_A_LOOK = new Set<StoredFieldUndo['verdict']>(['changed_since', 'forced', 'cannot_clear', 'cannot_restore']);
const shown = (value: StoredFieldUndo['before']): string => (value === undefined ? '' : shownValue(value));

export async function writeUndoReports(
  undo: UndoFile,
  records: ReadonlyMap<number, Readonly<RowRecord>>,
  paths: { resultsPath?: string; errorsPath?: string },
): Promise<void> {
  if (!paths.resultsPath && !paths.errorsPath) return;
  await writeReportsTogether(async (open) => {
    const results = paths.resultsPath ? await open(openResultsFile(paths.resultsPath)) : undefined;
    const errors = paths.errorsPath ? await open(openCsvFileWriter(paths.errorsPath, UNDO_ERROR_COLUMNS)) : undefined;
    const failedLeads = new Map<string, string>();
    for (const write of undo.writes) {
      const record = records.get(write.row);
      const outcome = record ? endedState(record.outcome) : 'not_sent';
      await results?.add({
        rowNumber: write.row,
        leadId: write.leadId,
        outcome,
        jobId: record?.jobId,
        httpStatus: record?.httpStatus,
        errors: record?.errors ?? ['the undo stopped before this lead'],
        attempts: record?.attempts ?? 0,
      });
      if (outcome !== 'succeeded')
        failedLeads.set(
          write.leadId,
          `the write-back ended ${outcome}${record && record.errors.length > 0 ? `: ${record.errors.join('; ')}` : ''}`,
        );
    }
    for (const skipped of undo.skipped)
      await results?.add({ rowNumber: skipped.row, leadId: skipped.leadId, outcome: 'not_undone', errors: [skipped.reason], attempts: 0 });
    for (const field of undo.fields) {
      const failed = (field.verdict === 'restore' || field.verdict === 'forced') && failedLeads.get(field.leadId);
      if (!NEEDS_A_LOOK.has(field.verdict) && !failed) continue;
      const reason = failed ? `${field.reason ? `${field.reason}; ` : ''}${failed}` : (field.reason ?? '');
      await errors?.writeRow([
        String(field.row),
        field.leadId,
        field.field,
        failed ? 'write_back_failed' : field.verdict,
        shown(field.before),
        shown(field.written),
        shown(field.current),
        reason,
      ]);
    }
  });
}
