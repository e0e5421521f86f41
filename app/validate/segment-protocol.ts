// What app/validate/segments.ts and its worker (segment-worker.ts) share: the messages that
// cross the thread boundary, and how either thread reads the rows of its part of the file.
import { readTextRecords, type ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { batchRowsFor, DEFAULT_TUNING } from '../source/read-tuning.ts';
import { shapeTextRow } from '../source/row-shape.ts';
import type { EncodingFallback, SourceFile, SourceRow, TextLayout, TextRange } from '../source/types.ts';
import type { MappingFile } from '../mapping/mapping-file.ts';
import type { CheckedRow } from '../lead/row-decoder.ts';
import type { LineOffsetsPart } from '../source/record-offsets.ts';
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
 * A review part: every row's number and lead id in file order, what the decoder found in the
 * rows that have issues (invalid, skipped, or warnings: the others are valid without issues),
 * the cells of the rows the review table may keep (`kept`, by index in the part), and the part's
 * line offsets (app/source/record-offsets.ts).
 */
export interface ReviewPartResult {
  readonly type: 'review-part-result';
  readonly rowNumbers: Int32Array<ArrayBuffer>;
  readonly leadIds: readonly (string | null)[];
  readonly issues: readonly (readonly [number, CheckedRow])[];
  /** Packed (review-part.ts's PartRow): a row of text cells as one string. */
  readonly kept: readonly (readonly [number, string | SourceRow])[];
  readonly lines: LineOffsetsPart;
  readonly decoded: DecodedSoFar;
  readonly fallback?: EncodingFallback;
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
