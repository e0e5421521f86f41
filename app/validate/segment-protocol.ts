// What app/validate/segments.ts and its worker (segment-worker.ts) share: the messages that
// cross the thread boundary, and how either thread reads the rows of its part of the file.
import { readTextRecords, type ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { batchRowsFor, DEFAULT_TUNING } from '../source/read-tuning.ts';
import { shapeTextRow } from '../source/row-shape.ts';
import type { EncodingFallback, SourceFile, SourceRow, TextLayout, TextRange } from '../source/types.ts';
import type { MappingFile } from '../mapping/mapping-file.ts';
import type { RunRowsPart } from '../run/run-row-index.ts';
import type { LineOffsetsPart } from '../source/record-offsets.ts';
import type { PackedRow } from './review-row.ts';
import type { ProblemLine, TallyCounts } from './validation-tally.ts';

export interface SegmentRequest {
  readonly layout: TextLayout;
  readonly header: readonly string[];
  readonly headerRowNumber: number;
  readonly mapping: MappingFile;
  readonly isReport: boolean;
  readonly range: TextRange;
  readonly keepProblems: number;
  /** Where to write the error report lines of this part; none when no report is wanted. */
  readonly reportPart: string | null;
  /** The desktop's check: the part's rows for its review table, not a tally (review-part.ts). */
  readonly review?: ReviewPartRequest;
}

export interface ReviewPartRequest {
  /** The review table's memory limit: rows up to it may need their cells (review-part.ts). */
  readonly memoryRows: number;
  /** Cell fixes by row number: [column index, text] pairs. */
  readonly edits: readonly (readonly [number, readonly (readonly [number, string])[]])[];
}

/**
 * A review part, worked out in the worker so this thread only copies it in: what the review
 * table keeps of each row (`table`), the run's row index of the part (`runRows`), and the part's
 * line offsets (app/source/record-offsets.ts). Per row only typed arrays (transferred, not
 * copied) and lead ids packed in blocks (a string per row costs ~100 ms to copy and read back at
 * 1,000,000 rows); the rows with issues, which are few, bring their cells and problems.
 */
export interface ReviewPartResult {
  readonly type: 'review-part-result';
  readonly table: ReviewTablePart;
  /** Lead ids packed to follow the other thread's final count of rows (FirstPartRows). */
  readonly runRows: RunRowsPart;
  readonly lines: LineOffsetsPart;
  readonly decoded: DecodedSoFar;
  readonly fallback?: EncodingFallback;
}

/** What ReviewTable.appendPart takes, by index in the part (app/validate/review-row.ts). */
export interface ReviewTablePart {
  readonly rowNumbers: Int32Array<ArrayBuffer>;
  /** flagsOf each row: status, own warnings, whether it takes part in duplicate detection. */
  readonly flags: Uint8Array<ArrayBuffer>;
  /** leadHash of each row's lead id (0, 0 without one). */
  readonly hashHi: Int32Array<ArrayBuffer>;
  readonly hashLo: Int32Array<ArrayBuffer>;
  /** The rows whose cells the table may keep (every row with issues), ascending, and their cells (packRow). */
  readonly keptAt: Int32Array<ArrayBuffer>;
  readonly keptRows: readonly PackedRow[];
}

/** The buffers a review part hands over to the other thread rather than copy. */
export function reviewPartTransfers(part: ReviewPartResult): ArrayBuffer[] {
  const { table, runRows, lines } = part;
  const rows = [table.rowNumbers, table.flags, table.hashHi, table.hashLo, table.keptAt, runRows.rowNumbers, runRows.status];
  return [...rows, runRows.leadIds.ends, lines.lines, lines.offsets].map((array) => array.buffer);
}

/** From the worker while it reads a review part: rows read so far (progress). */
export interface ReviewPartProgress {
  readonly type: 'review-part-progress';
  readonly rows: number;
}

/** To the worker while this thread reads the first part: its rows so far (which cells the table can still keep), `final` at its end. */
export interface FirstPartRows {
  readonly type: 'first-part-rows';
  readonly rows: number;
  readonly final: boolean;
}

export interface SegmentResult {
  readonly type: 'segment-result';
  readonly counts: TallyCounts;
  readonly problems: readonly ProblemLine[];
  readonly leadHashes: { readonly hi: Int32Array<ArrayBuffer>; readonly lo: Int32Array<ArrayBuffer> };
  /** What the part's text held past ASCII, read from a fresh UTF-8 guess (see segments.ts). */
  readonly decoded: DecodedSoFar;
  readonly fallback?: EncodingFallback;
}

/** The rows of one part, shaped as the whole-file reader shapes them. */
export function segmentRows(
  source: Pick<SourceFile, 'path' | 'header' | 'headerRowNumber' | 'textLayout'>,
  range: TextRange,
  watch?: ReadWatch,
): AsyncIterable<SourceRow[]> {
  const layout = source.textLayout;
  if (layout === undefined) throw new Error(`${source.path} is not delimited text`);
  const width = source.header.length;
  const headerLine = source.headerRowNumber;
  const tuning = { ...DEFAULT_TUNING, batchRows: batchRowsFor(width, DEFAULT_TUNING.batchRows) };
  return readTextRecords<SourceRow>(
    layout,
    (fields, line, quoting) => (line <= headerLine ? undefined : shapeTextRow(line, fields, width, quoting)),
    tuning,
    range,
    watch,
  );
}
