// What the desktop's review table (app/desktop/review-table.ts) keeps of a row, worked out by
// either thread of its check: the row's flags byte and its cells packed. The segment worker
// (review-part.ts) computes both for the second part, so this thread only copies them in: one
// rule for each, whichever thread reads the row.
import type { CheckedRow } from '../lead/row-decoder.ts';
import { statusOf } from '../run/run-row-index.ts';
import { leadHash } from './duplicate-leads.ts';
import type { SourceRow } from '../source/types.ts';

/** The row's status bits: VALID, INVALID or SKIPPED, as in the run's row index. */
export const STATUS_MASK = 3;
/** The row has warnings of its own (a duplicate's warning is added when it is shown). */
export const OWN_WARNINGS = 4;
/** A row that updates a lead an earlier row updates (set by the table, never here). */
export const DUPLICATE = 8;
/** The row takes part in duplicate detection: it has a lead id and is not invalid (as in validatePrepared). */
export const PARTICIPATES = 16;

/** A checked row's flags, without DUPLICATE (only the table, holding every row, knows it). */
export function flagsOf(checked: Pick<CheckedRow, 'status' | 'warnings' | 'leadId'>): number {
  let flags = statusOf(checked.status);
  if (checked.warnings.length > 0) flags |= OWN_WARNINGS;
  if (checked.leadId !== null && checked.status !== 'invalid') flags |= PARTICIPATES;
  return flags;
}

/** The hash duplicates are found by: the CLI's (leadHash), or 0, 0 for a row without a lead id. */
export function rowLeadHash(leadId: string | null, into: Int32Array): void {
  if (leadId === null) into.fill(0);
  else leadHash(leadId, into);
}

/** The row has something to show (invalid, skipped, or warnings of its own): its cells are always kept. */
export const hasIssues = (flags: number): boolean => (flags & (STATUS_MASK | OWN_WARNINGS)) !== 0;

// A row whose cells are all text (every CSV row) is kept as one string, cells joined by the unit
// separator: cheaper to hold and to copy across threads than a score of strings. Anything else
// (typed Excel cells, a cell holding the separator, a row the reader padded or flagged) is kept
// as the row itself.
const SEPARATOR = '\u001f';

/** A row's cells as the table keeps them (and as they cross from the worker). */
export type PackedRow = string | SourceRow;

export function packRow(row: SourceRow): PackedRow {
  if (row.rawCells !== undefined || row.problem !== undefined) return row;
  for (const cell of row.cells) if (typeof cell !== 'string' || cell.includes(SEPARATOR)) return row;
  return row.cells.join(SEPARATOR);
}

export const unpackRow = (row: PackedRow, rowNumber: number): SourceRow =>
  typeof row === 'string' ? { rowNumber, cells: row.split(SEPARATOR) } : row;

/** A row's number, flags and lead hash by index: the columns both threads of a check fill. */
export interface RowColumns {
  readonly rowNumbers: Int32Array<ArrayBuffer>;
  readonly flags: Uint8Array<ArrayBuffer>;
  readonly hashHi: Int32Array<ArrayBuffer>;
  readonly hashLo: Int32Array<ArrayBuffer>;
}

/** The columns twice as long, their rows copied. */
export function doubled(columns: RowColumns): RowColumns {
  const grown = <A extends Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(old: A, make: (n: number) => A): A => {
    const next = make(old.length * 2);
    next.set(old);
    return next;
  };
  return {
    rowNumbers: grown(columns.rowNumbers, (n) => new Int32Array(n)),
    flags: grown(columns.flags, (n) => new Uint8Array(n)),
    hashHi: grown(columns.hashHi, (n) => new Int32Array(n)),
    hashLo: grown(columns.hashLo, (n) => new Int32Array(n)),
  };
}
