// The results file: one line per source row, whatever happened to it.
import { openCsvFileWriter, type CsvFileWriter } from './csv-file-writer.ts';
import { joinErrors } from './report-writer.ts';

export const RESULTS_COLUMNS = ['import_row', 'lead_id', 'outcome', 'job_id', 'http_status', 'errors', 'attempts'] as const;

export interface ResultLine {
  readonly rowNumber: number;
  readonly leadId: string;
  readonly outcome: string;
  readonly jobId?: string;
  readonly httpStatus?: number;
  readonly errors: readonly string[];
  readonly attempts: number;
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
      ]),
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
