// What app/validate/segments.ts and its worker (segment-worker.ts) share: the messages that
// cross the thread boundary, and how either thread reads the rows of its part of the file.
import { readTextRecords, type ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { batchRowsFor, DEFAULT_TUNING } from '../source/read-tuning.ts';
import { shapeTextRow } from '../source/row-shape.ts';
import type { EncodingFallback, SourceFile, SourceRow, TextLayout, TextRange } from '../source/types.ts';
import type { MappingFile } from '../mapping/mapping-file.ts';
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
  return readTextRecords<SourceRow>(layout, (fields, line, quoting) => (line <= headerLine ? undefined : shapeTextRow(line, fields, width, quoting)), tuning, range, watch);
}
