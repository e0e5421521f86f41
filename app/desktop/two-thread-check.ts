// The desktop's check of a big delimited file on both cores, as the CLI's validate does
// (app/validate/segments.ts cuts the file in two at a record boundary): this thread reads the
// first part into the review table and the run's row index while the segment worker reads the
// second (app/validate/review-part.ts), then the second part is appended in file order.
//
// Appending is what is left when both threads are done reading, so the worker sends its part
// ready to copy in (ReviewPartResult): per row only typed arrays, transferred (row number, the
// table's flags and lead hash, the run index's status), lead ids in the run index's own blocks,
// and the cells and problems of the few rows with issues. The run index takes it at once; the
// table in slices, each row's lead looked up among those seen (ReviewTable.appendPart), its
// table of leads grown for them while the worker still reads (makeRoom). At 1,000,000 rows this
// tail took ~0.45 s row by row (and ~0.1 s to receive a string per lead id), now ~0.1 s.
//
// The table ends as one thread would have built it: a lead in both parts is a duplicate like
// any other; a worker that failed or read its text another way (a UTF-8 guess, see readsAlike)
// is replaced by this thread reading the second part itself; a cut that fell inside a quoted
// cell means starting again in one thread.
import { toMappingFile } from '../mapping/mapping-file.ts';
import type { DecodedRow } from '../lead/decoded-row.ts';
import type { RunRowsPart } from '../run/run-row-index.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import type { LineOffsets } from '../source/record-offsets.ts';
import { textRows } from '../source/rows-from.ts';
import type { EncodingFallback, SourceRow, TextRange } from '../source/types.ts';
import type { CellEdits } from '../validate/decoded-rows.ts';
import type { PreparedImport } from '../validate/prepare-import.ts';
import type { FirstPartRows, ReviewPartProgress, ReviewPartResult } from '../validate/segment-protocol.ts';
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
   * The run's row index, built beside the table (import-check.ts). The worker's part goes in
   * whole (`addPart`); when it cannot (its lead ids were packed after another count of rows),
   * `incomplete()` is called and a run checks the file itself.
   */
  readonly runRows?: { add(row: SourceRow, checked: DecodedRow): void; addPart(part: RunRowsPart): boolean; incomplete(): void };
  /** Appends the rows of `rows` to the table; `otherRows()` is added to the progress it reports. */
  appendRows(rows: AsyncIterable<readonly SourceRow[]>, otherRows: () => number): Promise<void>;
}

/**
 * The file's rows, roughly: the lines before the cut, in proportion to its bytes. A row takes a
 * line or more, so a file whose rows span several lines reads as more rows than it has: its
 * review then reads pages from the file (stream mode), as past the memory limit, only slower.
 */
function roughRowCount(split: SegmentSplit): number {
  return split.at > 0 ? (split.line * split.size) / split.at : 0;
}

/** Reads the file in two parts into the reader's table; see SegmentOutcome (`restart`: nothing read may be used). */
export async function checkInTwo(reader: CheckReader, split: SegmentSplit, memoryRows: number): Promise<SegmentOutcome> {
  const { prepared, table, offsets } = reader;
  const source = prepared.source;
  const layout = source.textLayout;
  if (layout === undefined) return 'restart';
  // A file of far more rows than the table keeps cells of: stream mode from the start, in both
  // threads. At 1,000,000 rows, packing the cells of the first 300,000 rows (this thread's, and
  // the worker's while the other thread's count was low) only to drop them at the limit was ~0.5 s
  // of CPU and ~75 MB of strings to collect.
  const streaming = roughRowCount(split) > 2 * memoryRows;
  if (streaming) table.streamFromStart();
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
      review: {
        memoryRows: streaming ? 0 : memoryRows,
        edits: [...reader.edits].map(([rowNumber, cells]) => [rowNumber, [...cells]] as const),
      },
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
    const result = await whileWaiting(second.result, () => table.makeRoom(Math.ceil((table.size * split.size) / split.at)));
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

/**
 * `promise`, doing `work` a slice a turn until it settles or `work` says it is done (false): the
 * table grows for the second part's leads (about as many rows a byte as the first part's) while
 * the worker still reads, rather than as its rows go in.
 */
async function whileWaiting<T>(promise: Promise<T>, work: () => boolean): Promise<T> {
  let settled = false;
  const done = promise.finally(() => (settled = true));
  while (!settled && work()) await nextTurn();
  return done;
}

/** The batches of `rows`, calling `after` when the consumer is done with each (the table's count has grown). */
async function* tellingCount<B>(rows: AsyncIterable<B>, after: () => void): AsyncGenerator<B> {
  for await (const batch of rows) {
    yield batch;
    after();
  }
}

/**
 * Rows of the worker's part appended to the table between two turns of the event loop: the
 * lookup of each row's lead among those seen (duplicates) is what takes time here, ~2–5 ms a
 * slice of 32,768 on a loaded machine. The first slices are smaller (FIRST_APPEND_SLICE, then
 * doubling): the code runs once a check, not yet optimized, and the turn that received the
 * worker's answer has spent ~20–40 ms deserializing it and filling the run index.
 */
const APPEND_SLICE = 32_768;
const FIRST_APPEND_SLICE = 2_048;

/** Appends the worker's part: the run's row index at once (typed arrays and blocks copied), the table in slices (APPEND_SLICE). */
async function appendPart(table: ReviewTable, part: ReviewPartResult, reader: Pick<CheckReader, 'runRows'>): Promise<void> {
  const { runRows } = reader;
  if (runRows !== undefined && !runRows.addPart(part.runRows)) runRows.incomplete();
  const rows = part.table.rowNumbers.length;
  for (let from = 0, slice = FIRST_APPEND_SLICE; from < rows; from += slice, slice = Math.min(APPEND_SLICE, slice * 2)) {
    // From the first slice: the turn that received the part has spent its time deserializing it.
    await nextTurn();
    table.appendPart(part.table, from, Math.min(rows, from + slice));
  }
}
