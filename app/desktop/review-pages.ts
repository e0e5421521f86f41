// Review pages: the rows of a checked import, a page at a time, decoded again from their cells
// (edits included) with their issues. Where the cells come from (kept in memory, or read again
// from the file past `DEFAULT_MEMORY_ROWS` rows) is the review memory policy: app/desktop/README.md,
// "Review memory", is its one description.
import { stat } from 'node:fs/promises';
import { cellText } from '../lead/cell-text.ts';
import type { RowIssue } from '../lead/decoded-row.ts';
import type { Mapping } from '../mapping/types.ts';
import { describeFsError } from '../run/run-fs.ts';
import type { CheckedRows } from '../run/run-row-index.ts';
import type { SourceRow } from '../source/types.ts';
import { applyEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import { withDuplicateWarning } from '../validate/validate-file.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { ReviewTable } from './review-table.ts';
import type { CellIssueView, ReviewRowView } from './views.ts';

/** Rows whose cells a check keeps in memory, every row's up to this many (the review memory policy). */
export const DEFAULT_MEMORY_ROWS = 300_000;
/** Rows read past a requested page when a big file is read again (the next pages while scrolling). */
const READ_AHEAD_ROWS = 1_000;
/** Rows read again that are kept (most recent first out). */
const REREAD_CACHE_ROWS = 5_000;

/** A file's size and modification time: rows are read again only from the file that was checked. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export async function stampOf(path: string): Promise<FileStamp> {
  const info = await stat(path);
  return { size: info.size, mtimeMs: info.mtimeMs };
}

/** A check of one mapping version, what its review pages are read from. */
export interface Review {
  readonly version: number;
  readonly prepared: PreparedImport;
  readonly table: ReviewTable;
  readonly stamp: FileStamp;
  /** Rows read again from the file (stream mode), by row number. */
  readonly cache: Map<number, SourceRow>;
  /**
   * The run's row index, built in the check's pass and kept right through cell fixes (every
   * change of the import's edits updates it at once): what a run started from this review
   * takes instead of checking the file again. Absent: the run checks it itself.
   */
  readonly runRows?: CheckedRows;
}

/** What pages need of an open import (import-sessions.ts's ImportSession). */
export interface ReviewedFile {
  readonly path: string;
  readonly fileName: string;
  /** Cell fixes: row number → column index → text. */
  readonly edits: ReadonlyMap<number, ReadonlyMap<number, string>>;
  /** Header name → column index, for issues that name a column the mapping leaves out. */
  readonly columnIndex: ReadonlyMap<string, number>;
}

/** The mapped column of this name: issues name columns, and a header may repeat a name (one of them mapped by letter). */
const mappedIndex = (mapping: Mapping, column: string): number | undefined =>
  mapping.columns.find((c) => c.field !== null && c.column === column)?.index;

/** The rows at these indexes, as read (no edits): kept, cached, or read again from the file. */
export async function sourceRows(s: ReviewedFile, review: Review, indexes: readonly number[]): Promise<Map<number, SourceRow>> {
  const { table, cache } = review;
  const out = new Map<number, SourceRow>();
  const missing: number[] = [];
  for (const index of indexes) {
    const row = table.storedRow(index) ?? cache.get(table.rowNumberAt(index));
    if (row !== undefined) out.set(index, row);
    else missing.push(index);
  }
  if (missing.length === 0) return out;

  let now: FileStamp;
  try {
    now = await stampOf(s.path);
  } catch (error) {
    throw failed(`Cannot read ${s.path} again to show its rows: ${describeFsError(error)}.`);
  }
  if (now.size !== review.stamp.size || now.mtimeMs !== review.stamp.mtimeMs) {
    throw failed(`${s.fileName} changed on disk since it was checked: check it again to see its rows.`);
  }
  const wanted = new Set(missing.map((index) => table.rowNumberAt(index)));
  const last = Math.max(...wanted);
  let ahead = 0;
  try {
    reading: for await (const batch of review.prepared.source.rows()) {
      for (const raw of batch) {
        if (raw.rowNumber > last && ahead++ >= READ_AHEAD_ROWS) break reading;
        if (raw.rowNumber > last || wanted.has(raw.rowNumber)) {
          cache.delete(raw.rowNumber);
          cache.set(raw.rowNumber, review.prepared.restoreRow(raw));
        }
      }
    }
  } catch (error) {
    throw failed(messageOf(error));
  }
  for (const index of missing) {
    const row = cache.get(table.rowNumberAt(index));
    if (row === undefined) throw failed(`${s.fileName} no longer has row ${table.rowNumberAt(index)}: check it again.`);
    out.set(index, row);
  }
  // Oldest first out; the rows just read stay.
  for (const key of cache.keys()) {
    if (cache.size <= Math.max(REREAD_CACHE_ROWS, missing.length + READ_AHEAD_ROWS)) break;
    cache.delete(key);
  }
  return out;
}

/** One row of a page as the review screen shows it: its cells with the fixes, its issues (a duplicate's warning added). */
export function reviewRowView(s: ReviewedFile, review: Review, index: number, row: SourceRow): ReviewRowView {
  const rowEdits = s.edits.get(row.rowNumber);
  const edited = applyEdits(row, rowEdits);
  let decoded = review.prepared.decoder.decode(edited);
  if (review.table.isDuplicate(index) && decoded.leadId !== null && decoded.status !== 'invalid') {
    decoded = withDuplicateWarning(decoded, review.table.earlierRows(index));
  }
  const issue =
    (severity: CellIssueView['severity']) =>
    (i: RowIssue): CellIssueView => ({
      columnIndex: i.column === null ? null : (mappedIndex(review.prepared.mapping, i.column) ?? s.columnIndex.get(i.column) ?? null),
      column: i.column,
      field: i.field,
      severity,
      message: i.message,
    });
  return {
    rowNumber: row.rowNumber,
    status: decoded.status,
    leadId: decoded.leadId,
    cells: edited.cells.map(cellText),
    edited: rowEdits === undefined ? [] : [...rowEdits.keys()].sort((a, b) => a - b),
    duplicate: review.table.isDuplicate(index),
    issues: [...decoded.errors.map(issue('error')), ...decoded.warnings.map(issue('warning'))],
  };
}
