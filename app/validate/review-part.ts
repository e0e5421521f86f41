// The second part of the desktop's two-thread check, read in the segment worker: what the review
// table (app/desktop/review-table.ts) needs of each row, in file order, instead of a tally.
//
// Which cells to send: the table keeps every row's cells while it holds fewer than `memoryRows`
// rows, then only the rows with issues. This part's rows come after the first part's, whose
// count is known only when the other thread has read it: that thread says how far it is after
// every batch (`FirstPartRows`), and a row without issues is held only while the table could
// still keep it (its index here below `memoryRows` minus that count). Rows with issues are
// always sent.
import type { MessagePort } from 'node:worker_threads';
import { compileRowDecoder, type CheckedRow } from '../lead/row-decoder.ts';
import { applyMappingFile } from '../mapping/mapping-file.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { LineOffsets } from '../source/record-offsets.ts';
import type { EncodingFallback, SourceRow } from '../source/types.ts';
import { applyEdits } from './decoded-rows.ts';
import { reportRowRestorer } from './report-rows.ts';
import {
  segmentRows,
  type FirstPartRows,
  type ReviewPartProgress,
  type ReviewPartResult,
  type SegmentRequest,
} from './segment-protocol.ts';

const PROGRESS_EVERY_ROWS = 20_000;

export const hasIssues = (checked: CheckedRow): boolean => checked.status !== 'valid' || checked.warnings.length > 0;

/**
 * Reads the request's part. `firstPart` says how many rows the other thread has read so far
 * (`rows`, which only grows) and, once it is done, how many in all (`final`).
 */
export async function reviewPart(
  request: SegmentRequest,
  memoryRows: number,
  firstPart: FirstPartCount,
  port: Pick<MessagePort, 'postMessage'>,
): Promise<ReviewPartResult> {
  const { mapping } = applyMappingFile(request.header, request.mapping);
  const decoder = compileRowDecoder(request.header, mapping);
  const restore = request.isReport ? reportRowRestorer(request.header) : (row: SourceRow) => row;
  const edits = new Map((request.review?.edits ?? []).map(([rowNumber, cells]) => [rowNumber, new Map(cells)]));
  const lines = new LineOffsets(undefined, request.range.firstLine, request.range.start);
  let decoded = 'ascii' as DecodedSoFar; // set by the watch's callbacks
  let fallback: EncodingFallback | undefined;
  const watch: ReadWatch = {
    readUtf8: () => (decoded = 'utf-8'),
    fellBack: (found) => {
      decoded = 'windows-1252';
      fallback = found;
    },
    bytes: lines.feed,
  };
  const source = {
    path: request.layout.path,
    header: request.header,
    headerRowNumber: request.headerRowNumber,
    textLayout: request.layout,
  };
  let rowNumbers = new Int32Array(1024);
  const leadIds: (string | null)[] = [];
  const issues: [number, CheckedRow][] = [];
  const issueRows: [number, PartRow][] = [];
  /** Rows without issues by index, while the table may still keep them (index < room). */
  const early: PartRow[] = [];
  let n = 0;
  let reported = 0;
  for await (const batch of segmentRows(source, request.range, watch)) {
    // Rows the table can still keep: fewer as the other thread reads on.
    const room = memoryRows - firstPart.rows;
    if (early.length > room) early.length = Math.max(0, room);
    for (const raw of batch) {
      const row = restore(raw);
      const checked = decoder.check(applyEdits(row, edits.get(row.rowNumber)));
      if (n === rowNumbers.length) {
        const grown = new Int32Array(n * 2);
        grown.set(rowNumbers);
        rowNumbers = grown;
      }
      rowNumbers[n] = row.rowNumber;
      leadIds.push(checked.leadId);
      if (hasIssues(checked)) {
        issues.push([n, checked]);
        issueRows.push([n, packRow(row)]);
      } else if (n < room) early[n] = packRow(row);
      n++;
    }
    if (n - reported >= PROGRESS_EVERY_ROWS) {
      reported = n;
      port.postMessage({ type: 'review-part-progress', rows: n } satisfies ReviewPartProgress);
    }
  }
  const room = memoryRows - (await firstPart.final);
  const kept: [number, PartRow][] = [...issueRows];
  for (let index = 0; index < Math.min(room, early.length); index++) if (early[index] !== undefined) kept.push([index, early[index]]);
  return {
    type: 'review-part-result',
    rowNumbers: rowNumbers.slice(0, n),
    leadIds,
    issues,
    kept,
    lines: lines.part(),
    decoded,
    ...(fallback !== undefined ? { fallback } : {}),
  };
}

// A row crosses the thread boundary as one string when its cells are all text without the
// separator (every CSV row but a flagged one): one string, not a score of them, is cheaper to
// hold while the other thread reads on, and to copy.
const SEPARATOR = '\u001f';

/** A row as it crosses to the other thread: its cells joined, or the row itself. */
export type PartRow = string | SourceRow;

function packRow(row: SourceRow): PartRow {
  if (row.rawCells !== undefined || row.problem !== undefined) return row;
  for (const cell of row.cells) if (typeof cell !== 'string' || cell.includes(SEPARATOR)) return row;
  return row.cells.join(SEPARATOR);
}

export const unpackRow = (row: PartRow, rowNumber: number): SourceRow =>
  typeof row === 'string' ? { rowNumber, cells: row.split(SEPARATOR) } : row;

/** The worker's side of `FirstPartRows`: the other thread's count so far, and its final count. */
export class FirstPartCount {
  rows = 0;
  readonly final: Promise<number>;

  constructor(port: Pick<MessagePort, 'on'>) {
    this.final = new Promise((resolve) => {
      port.on('message', (message: unknown) => {
        if (typeof message !== 'object' || message === null || !('type' in message) || message.type !== 'first-part-rows') return;
        const count = message as FirstPartRows;
        this.rows = Math.max(this.rows, count.rows);
        if (count.final) resolve(count.rows);
      });
    });
  }
}
