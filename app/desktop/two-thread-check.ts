// The desktop's check of a big delimited file on both cores, as the CLI's validate does
// (app/validate/segments.ts cuts the file in two at a record boundary): this thread reads the
// first part into the review table while the segment worker reads the second
// (app/validate/review-part.ts), then the second part's rows are appended in file order. The
// table ends as one thread would have built it: duplicates are found by the table over all rows
// (ReviewTable.finish), so a lead in both parts needs nothing more; a worker that failed or read
// its text another way (a UTF-8 guess, see readsAlike) is replaced by this thread reading the
// second part itself; a cut that fell inside a quoted cell means starting again in one thread.
import { toMappingFile } from '../mapping/mapping-file.ts';
import type { DecodedRow } from '../lead/decoded-row.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import type { LineOffsets } from '../source/record-offsets.ts';
import { textRows } from '../source/rows-from.ts';
import type { EncodingFallback, SourceRow, TextRange } from '../source/types.ts';
import { applyEdits, type CellEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import type { FirstPartRows, ReviewPartProgress, ReviewPartResult } from '../validate/segment-protocol.ts';
import { unpackRow } from '../validate/review-part.ts';
import { readsAlike, startSegmentWorker, type SegmentOutcome, type SegmentSplit } from '../validate/segments.ts';
import { nextTurn } from '../schedule/next-turn.ts';
import type { ReviewTable } from './review-table.ts';

/** The worker holds every lead id of its part and the cells the table may still keep: more than a tally (128 MB). */
const REVIEW_WORKER_HEAP_MB = 256;

/** What the check's reading loop does with rows read in this thread (import-check.ts). */
export interface CheckReader {
  readonly prepared: PreparedImport;
  readonly edits: CellEdits;
  readonly table: ReviewTable;
  readonly offsets: LineOffsets;
  /**
   * The run's row index, built beside the table (import-check.ts). The worker's part goes in too
   * when it brought the cells of every row with issues (a refused lead-id cell is searched for
   * the API key); otherwise `incomplete()` is called and a run checks the file itself.
   */
  readonly runRows?: { add(row: SourceRow, checked: DecodedRow): void; incomplete(): void };
  /** Appends the rows of `rows` to the table; `otherRows()` is added to the progress it reports. */
  appendRows(rows: AsyncIterable<readonly SourceRow[]>, otherRows: () => number): Promise<void>;
}

/** Reads the file in two parts into the reader's table; see SegmentOutcome (`restart`: nothing read may be used). */
export async function checkInTwo(reader: CheckReader, split: SegmentSplit, memoryRows: number): Promise<SegmentOutcome> {
  const { prepared, table, offsets } = reader;
  const source = prepared.source;
  const layout = source.textLayout;
  if (layout === undefined) return 'restart';
  let workerRows = 0;
  const second = startSegmentWorker<ReviewPartResult>(
    {
      layout,
      header: source.header,
      headerRowNumber: source.headerRowNumber,
      mapping: toMappingFile(prepared.mapping),
      isReport: prepared.isReport,
      range: { start: split.at, end: split.size, firstLine: split.line },
      keepProblems: 0,
      reportPart: null,
      review: { memoryRows, edits: [...reader.edits].map(([rowNumber, cells]) => [rowNumber, [...cells]] as const) },
    },
    'review-part-result',
    {
      maxHeapMb: REVIEW_WORKER_HEAP_MB,
      onMessage: (message) => {
        if (message.type === 'review-part-progress') workerRows = (message as ReviewPartProgress).rows;
      },
    },
  );
  const noteFallback = (fallback: EncodingFallback): void => source.noteEncodingFallback?.(fallback);
  try {
    let cutInsideQuotes = false;
    let firstPart = 'ascii' as DecodedSoFar; // set by the watch's callbacks
    const watch: ReadWatch = {
      unclosedQuote: () => (cutInsideQuotes = true),
      readUtf8: () => (firstPart = 'utf-8'),
      fellBack: () => (firstPart = 'windows-1252'),
      bytes: offsets.feed,
    };
    const told = (final: boolean): FirstPartRows => ({ type: 'first-part-rows', rows: table.size, final });
    await reader.appendRows(
      tellingCount(textRows(source, { start: 0, end: split.at, firstLine: 1 }, watch), () => second.post(told(false))),
      () => workerRows,
    );
    if (cutInsideQuotes) return 'restart';
    second.post(told(true));
    const result = await second.result;
    if (result instanceof Error || !readsAlike(layout, firstPart, result.decoded)) {
      // This thread reads on past the cut, as the text before it left the decoding.
      const range: TextRange = {
        start: split.at,
        end: split.size,
        firstLine: split.line,
        before: firstPart === 'utf-8' ? 'utf-8' : 'ascii',
      };
      await reader.appendRows(textRows(source, range, { bytes: offsets.feed }), () => 0);
      return 'second-here';
    }
    if (result.fallback !== undefined) noteFallback(result.fallback);
    offsets.append(result.lines);
    await appendPart(table, result, reader);
    return 'both';
  } finally {
    await second.stop();
  }
}

/** The batches of `rows`, calling `after` when the consumer is done with each (the table's count has grown). */
async function* tellingCount<B>(rows: AsyncIterable<B>, after: () => void): AsyncGenerator<B> {
  for await (const batch of rows) {
    yield batch;
    after();
  }
}

/** A row whose cells the table does not keep (valid, past its memory limit): never stored, so no cells are sent. */
const NOT_KEPT: readonly string[] = Object.freeze([]);

/**
 * Rows of the worker's part appended between two turns of the event loop: appending all of a
 * 1,000,000-row file's second half at once (duplicates seen, the run-row index filled) held the
 * loop for ~320 ms; a slice of 16,384 rows ~50 ms, which after the turn that received the
 * worker's answer (~60 ms of deserializing at 1,000,000 rows) made one block of ~110 ms.
 */
const APPEND_SLICE = 4_096;

/** Appends the worker's rows in file order, in slices (APPEND_SLICE). */
async function appendPart(table: ReviewTable, part: ReviewPartResult, reader: Pick<CheckReader, 'runRows' | 'edits'>): Promise<void> {
  const kept = new Map(part.kept);
  const issues = new Map(part.issues);
  const { runRows } = reader;
  const indexed = runRows !== undefined && [...issues.keys()].every((i) => kept.has(i));
  if (!indexed) runRows?.incomplete();
  for (let i = 0; i < part.rowNumbers.length; i++) {
    // From the first row: the turn that received the part has spent its time deserializing it.
    if (i % APPEND_SLICE === 0) await nextTurn();
    const rowNumber = part.rowNumbers[i];
    const checked = issues.get(i);
    // The table reads a row's status, lead id and warnings, never its payload (a page decodes
    // its rows again); a row without issues is valid with no errors or warnings.
    const decoded: DecodedRow =
      checked === undefined
        ? { rowNumber, leadId: part.leadIds[i], payload: {}, status: 'valid', errors: [], warnings: [] }
        : { ...checked, payload: {} };
    const row = kept.get(i);
    const source = row === undefined ? { rowNumber, cells: NOT_KEPT } : unpackRow(row, rowNumber);
    table.append(source, decoded);
    if (indexed) runRows?.add(applyEdits(source, reader.edits.get(rowNumber)), decoded);
  }
}
