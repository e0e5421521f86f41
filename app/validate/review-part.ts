// The second part of the desktop's two-thread check, read in the segment worker: what the review
// table (app/desktop/review-table.ts) and the run's row index (app/run/run-row-index.ts) keep of
// each row, in file order, worked out here so the other thread only copies it in (it appends
// this part after reading its own, while nothing else is left to do: at 1,000,000 rows,
// appending rows one by one and copying a string per lead id took ~0.5 s there).
//
// Which cells to send: the table keeps every row's cells while it holds fewer than `memoryRows`
// rows, then only the rows with issues. This part's rows come after the first part's, whose
// count is known only when the other thread has read it: that thread says how far it is after
// every batch (`FirstPartRows`), and a row without issues is held only while the table could
// still keep it (its index here below `memoryRows` minus that count). Rows with issues are
// always sent. The final count also says where the run index's blocks of lead ids end, so
// this part's ids are packed to follow it (PackedLeadIds.partAfter).
import type { MessagePort } from 'node:worker_threads';
import { compileRowDecoder } from '../lead/row-decoder.ts';
import { applyMappingFile } from '../mapping/mapping-file.ts';
import { RunRowIndexBuilder } from '../run/run-row-index.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { LineOffsets } from '../source/record-offsets.ts';
import type { EncodingFallback, SourceRow } from '../source/types.ts';
import { applyEdits } from './decoded-rows.ts';
import { reportRowRestorer } from './report-rows.ts';
import { doubled, flagsOf, hasIssues, packRow, rowLeadHash, type PackedRow } from './review-row.ts';
import {
  segmentRows,
  type FirstPartRows,
  type ReviewPartProgress,
  type ReviewPartResult,
  type SegmentRequest,
} from './segment-protocol.ts';

const PROGRESS_EVERY_ROWS = 20_000;

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
  const rows = new PartArrays();
  const hash = new Int32Array(2);
  /** The run's row index of this part, as the other thread builds it for its own. */
  const runRows = new RunRowIndexBuilder(decoder.plan.leadIdIndex);
  /** Rows with issues: their indexes (ascending) and cells. */
  const issueAt: number[] = [];
  const issueRows: PackedRow[] = [];
  /** Rows without issues by index, while the table may still keep them (index < room). */
  const early: PackedRow[] = [];
  let reported = 0;
  for await (const batch of segmentRows(source, request.range, watch)) {
    // Rows the table can still keep: fewer as the other thread reads on.
    const room = memoryRows - firstPart.rows;
    if (early.length > room) early.length = Math.max(0, room);
    for (const raw of batch) {
      const row = restore(raw);
      const edited = applyEdits(row, edits.get(row.rowNumber));
      const checked = decoder.check(edited);
      const n = rows.length;
      rowLeadHash(checked.leadId, hash);
      const flags = flagsOf(checked);
      rows.push(row.rowNumber, flags, hash);
      runRows.add(edited, checked);
      if (hasIssues(flags)) {
        issueAt.push(n);
        issueRows.push(packRow(row));
      } else if (n < room) early[n] = packRow(row);
    }
    if (rows.length - reported >= PROGRESS_EVERY_ROWS) {
      reported = rows.length;
      port.postMessage({ type: 'review-part-progress', rows: reported } satisfies ReviewPartProgress);
    }
  }
  const final = await firstPart.final;
  // The cells the table keeps, by index: every row while it is in memory, then rows with issues.
  const keptAt: number[] = [];
  const keptRows: PackedRow[] = [];
  let k = 0;
  for (let index = 0; index < Math.min(memoryRows - final, early.length); index++) {
    const issue = k < issueAt.length && issueAt[k] === index;
    const cells = issue ? issueRows[k++] : early[index];
    if (cells === undefined) continue;
    keptAt.push(index);
    keptRows.push(cells);
  }
  for (; k < issueAt.length; k++) {
    keptAt.push(issueAt[k]);
    keptRows.push(issueRows[k]);
  }
  return {
    type: 'review-part-result',
    table: {
      rowNumbers: rows.rowNumbers.slice(0, rows.length),
      flags: rows.flags.slice(0, rows.length),
      hashHi: rows.hashHi.slice(0, rows.length),
      hashLo: rows.hashLo.slice(0, rows.length),
      keptAt: Int32Array.from(keptAt),
      keptRows,
    },
    runRows: runRows.part(final),
    lines: lines.part(),
    decoded,
    ...(fallback !== undefined ? { fallback } : {}),
  };
}

/** The part's typed arrays, grown as rows come. */
class PartArrays {
  rowNumbers = new Int32Array(1024);
  flags = new Uint8Array(1024);
  hashHi = new Int32Array(1024);
  hashLo = new Int32Array(1024);
  length = 0;

  push(rowNumber: number, flags: number, hash: Int32Array): void {
    const n = this.length++;
    if (n === this.rowNumbers.length) this.grow();
    this.rowNumbers[n] = rowNumber;
    this.flags[n] = flags;
    this.hashHi[n] = hash[0];
    this.hashLo[n] = hash[1];
  }

  private grow(): void {
    ({ rowNumbers: this.rowNumbers, flags: this.flags, hashHi: this.hashHi, hashLo: this.hashLo } = doubled(this));
  }
}

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
