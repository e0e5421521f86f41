// Every row of a run's file, compactly, for the run's row table: row number, whether it is
// sent (valid) or not (invalid, nothing to change), its lead id, and why a row is not sent.
// Built in the pass that validates the run's input (send-run.ts), so the table and the
// engine read the same prepared import with the same edits.
import type { CheckedRow } from '../lead/row-decoder.ts';
import { editedRows } from '../validate/decoded-rows.ts';
import { formatIssue } from '../validate/validation-tally.ts';
import type { RunInput } from './run-input.ts';

export const VALID = 0;
export const INVALID = 1;
export const SKIPPED = 2;

export interface RunRowIndex {
  readonly rowNumbers: Int32Array;
  /** VALID, INVALID or SKIPPED, by index. */
  readonly status: Uint8Array;
  /** The lead id each row updates (null when it has none), by index. */
  readonly leadIds: readonly (string | null)[];
  /** Why an invalid or skipped row is not sent, by row number. */
  readonly problems: ReadonlyMap<number, readonly string[]>;
  readonly counts: { readonly rows: number; readonly valid: number; readonly invalid: number; readonly skipped: number };
}

/** Takes rows in file order as they are checked. */
export class RunRowIndexBuilder {
  private readonly rowNumbers: number[] = [];
  private readonly status: number[] = [];
  private readonly leadIds: (string | null)[] = [];
  private readonly problems = new Map<number, readonly string[]>();
  private readonly counts = { rows: 0, valid: 0, invalid: 0, skipped: 0 };

  add(row: CheckedRow): void {
    this.rowNumbers.push(row.rowNumber);
    this.leadIds.push(row.leadId);
    this.counts.rows++;
    if (row.status === 'valid') {
      this.status.push(VALID);
      this.counts.valid++;
    } else if (row.status === 'invalid') {
      this.status.push(INVALID);
      this.counts.invalid++;
      this.problems.set(row.rowNumber, row.errors.map(formatIssue));
    } else {
      this.status.push(SKIPPED);
      this.counts.skipped++;
      this.problems.set(row.rowNumber, row.warnings.map(formatIssue));
    }
  }

  finish(): RunRowIndex {
    return {
      rowNumbers: Int32Array.from(this.rowNumbers),
      status: Uint8Array.from(this.status),
      leadIds: this.leadIds,
      problems: this.problems,
      counts: { ...this.counts },
    };
  }
}

/** One pass over the input (a past run opened from history: nothing else reads its file). */
export async function indexRunInput(input: Pick<RunInput, 'prepared' | 'edits'>): Promise<RunRowIndex> {
  const { prepared } = input;
  const builder = new RunRowIndexBuilder();
  for await (const batch of editedRows(prepared.source.rows(), prepared.restoreRow, input.edits)) {
    for (const row of batch) builder.add(prepared.decoder.check(row));
  }
  return builder.finish();
}
