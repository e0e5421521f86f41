// The results file: one line per source row, whatever happened to it. A row the check against
// Propexo looked up also names the key it was matched by (`matched_by`: x_id, email_1, phone_1
// or lead_id; `match_key`: the key as compared), after the columns a re-import maps.
import { openCsvFileWriter, type CsvFileWriter } from './csv-file-writer.ts';
import { joinErrors } from './report-writer.ts';

export const RESULTS_COLUMNS = [
  'import_row',
  'lead_id',
  'outcome',
  'job_id',
  'http_status',
  'errors',
  'attempts',
  'matched_by',
  'match_key',
] as const;

export interface ResultLine {
  readonly rowNumber: number;
  readonly leadId: string;
  readonly outcome: string;
  readonly jobId?: string;
  readonly httpStatus?: number;
  readonly errors: readonly string[];
  readonly attempts: number;
  /** The key the check against Propexo looked the row's lead up by (none: not looked up). */
  readonly match?: { readonly kind: string; readonly key: string };
}

export interface ResultsWriter {
  add(line: ResultLine): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function openResultsFile(path: string): Promise<ResultsWriter> {
  const writer: CsvFileWriter = await openCsvFileWriter(path, RESULTS_COLUMNS);
  return {
    add: (line) =>
      writer.writeRow([
        String(line.rowNumber),
        line.leadId,
        line.outcome,
        line.jobId ?? '',
        line.httpStatus === undefined ? '' : String(line.httpStatus),
        joinErrors(line.errors),
        String(line.attempts),
        line.match?.kind ?? '',
        line.match?.key ?? '',
      ]),
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
