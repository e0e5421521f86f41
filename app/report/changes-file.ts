// The changes file (`validate --changes OUT.csv`): one line per field a run will write, with
// the lead's current value and the new one. Written through the CSV writer, so cells are
// formula-safe (csv-safety.ts) and the file appears only once complete.
import type { RowChanges } from '../preview/changes.ts';
import { shownValue } from '../preview/changes.ts';
import { openCsvFileWriter } from './csv-file-writer.ts';

export const CHANGES_COLUMNS = ['import_row', 'lead_id', 'field', 'current', 'new'] as const;

/** The cells of a row's changed fields; a field whose current value cannot be read says why. */
export function changeLines(row: RowChanges): string[][] {
  const lines: string[][] = [];
  for (const change of row.fields) {
    if (change.verdict === 'same') continue;
    const current = change.current.known ? shownValue(change.current.value) : `(not readable: ${change.current.reason})`;
    lines.push([String(row.row), row.leadId, change.field, current, shownValue(change.next)]);
  }
  return lines;
}

export interface ChangesWriter {
  add(row: RowChanges): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function openChangesFile(path: string): Promise<ChangesWriter> {
  const writer = await openCsvFileWriter(path, CHANGES_COLUMNS);
  return {
    async add(row) {
      for (const line of changeLines(row)) await writer.writeRow(line);
    },
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
