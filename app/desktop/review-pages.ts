// Review pages: the rows of a checked import, a page at a time, decoded again from their cells
// (edits included) with their issues. Where the cells come from (kept in memory, or read again
// from the file past `DEFAULT_MEMORY_ROWS` rows) is the review memory policy: app/desktop/README.md,
// "Review memory", is its one description.
import { stat } from 'node:fs/promises';
import { cellText } from '../lead/cell-text.ts';
import type { RowIssue } from '../lead/decoded-row.ts';
import type { Mapping } from '../mapping/types.ts';
import { describeFsError } from '../run/run-fs.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import { LINES_PER_ENTRY, type LineOffsets } from '../source/record-offsets.ts';
import { rowsFromLine, textRows } from '../source/rows-from.ts';
import type { CheckedRows } from '../run/run-row-index.ts';
import type { SourceRow } from '../source/types.ts';
import { applyEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import { withDuplicateWarning } from '../validate/validate-file.ts';
import { failed, messageOf } from './desktop-errors.ts';
import type { ReviewTable } from './review-table.ts';
import type { CellIssueView, ReviewRowView } from '../shared/views.ts';

/** Rows whose cells a check keeps in memory, every row's up to this many (the review memory policy). */
export const DEFAULT_MEMORY_ROWS = 300_000;
/** Rows read past a requested page when a big file is read again (the next pages while scrolling). */
const READ_AHEAD_ROWS = 1_000;
/** Wanted rows this many lines apart or closer are read in one go; farther apart, each from its own offset. */
const SAME_READ_LINES = 2 * LINES_PER_ENTRY;
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
  /** Where the file's lines start (delimited text in UTF-8 or Windows-1252): pages read from near their rows. */
  readonly offsets?: LineOffsets;
  /** Told what reading rows again reads (tests count its bytes). */
  readonly readWatch?: ReadWatch;
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
  try {
    if (review.offsets !== undefined)
      await readNear(
        review,
        review.offsets,
        [...wanted].sort((a, b) => a - b),
      );
    else await readFromTop(review, wanted);
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

/** Reads the wanted rows (and the read-ahead) streaming the file from its top: files without line offsets. */
async function readFromTop(review: Review, wanted: ReadonlySet<number>): Promise<void> {
  const last = Math.max(...wanted);
  let ahead = 0;
  const { source } = review.prepared;
  reading: for await (const batch of source.textLayout !== undefined ? textRows(source, undefined, review.readWatch) : source.rows()) {
    for (const raw of batch) {
      if (raw.rowNumber > last && ahead++ >= READ_AHEAD_ROWS) break reading;
      if (raw.rowNumber > last || wanted.has(raw.rowNumber)) remember(review, raw);
    }
  }
}

/**
 * Reads the wanted rows (row numbers, ascending) from the nearest line offsets: rows close
 * together in one read, rows far apart (a filter's page) each from its own offset, the last
 * read going on for the read-ahead.
 */
async function readNear(review: Review, offsets: LineOffsets, wanted: readonly number[]): Promise<void> {
  for (let first = 0; first < wanted.length;) {
    let last = first;
    while (last + 1 < wanted.length && wanted[last + 1] - wanted[last] <= SAME_READ_LINES) last++;
    const isLast = last === wanted.length - 1;
    const until = wanted[last];
    const want = new Set(wanted.slice(first, last + 1));
    let ahead = 0;
    reading: for await (const batch of rowsFromLine(review.prepared.source, offsets, wanted[first], review.stamp.size, review.readWatch)) {
      for (const raw of batch) {
        if (raw.rowNumber > until && (!isLast || ahead++ >= READ_AHEAD_ROWS)) break reading;
        if (raw.rowNumber > until || want.has(raw.rowNumber)) remember(review, raw);
      }
    }
    first = last + 1;
  }
}

/** A row read again, as the review shows it (a report's cells restored), at the cache's young end. */
function remember(review: Review, raw: SourceRow): void {
  review.cache.delete(raw.rowNumber);
  review.cache.set(raw.rowNumber, review.prepared.restoreRow(raw));
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
