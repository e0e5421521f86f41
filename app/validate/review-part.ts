// The second part of the desktop's two-thread check, read in the segment worker: what the review
// table (app/desktop/review-table.ts) needs of each row, in file order, instead of a tally.
//
// Which cells to send: the table keeps every row's cells while it holds fewer than `memoryRows`
// rows, then only the rows with issues. This part's rows come after the first part's, whose
// count is known only when the other thread has read it: the cells of the first `memoryRows`
// rows here are held until it says (`FirstPartRows`), then only those the table can still keep
// are sent. Rows with issues are always sent.
import type { MessagePort } from 'node:worker_threads';
import { compileRowDecoder, type CheckedRow } from '../lead/row-decoder.ts';
import { applyMappingFile } from '../mapping/mapping-file.ts';
import type { ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { LineOffsets } from '../source/record-offsets.ts';
import type { EncodingFallback, SourceRow } from '../source/types.ts';
import { applyEdits } from './decoded-rows.ts';
import { reportRowRestorer } from './report-rows.ts';
import { segmentRows, type FirstPartRows, type ReviewPartProgress, type ReviewPartResult, type SegmentRequest } from './segment-protocol.ts';

const PROGRESS_EVERY_ROWS = 20_000;

export const hasIssues = (checked: CheckedRow): boolean => checked.status !== 'valid' || checked.warnings.length > 0;

/** Reads the request's part; `firstPartRows` resolves when the other thread has read the first part. */
export async function reviewPart(request: SegmentRequest, memoryRows: number, firstPartRows: Promise<number>, port: Pick<MessagePort, 'postMessage'>): Promise<ReviewPartResult> {
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
  const source = { path: request.layout.path, header: request.header, headerRowNumber: request.headerRowNumber, textLayout: request.layout };
  let rowNumbers = new Int32Array(1024);
  const leadIds: (string | null)[] = [];
  const issues: [number, CheckedRow][] = [];
  const kept = new Map<number, SourceRow>();
  let n = 0;
  let reported = 0;
  for await (const batch of segmentRows(source, request.range, watch)) {
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
        kept.set(n, row);
      } else if (n < memoryRows) kept.set(n, row);
      n++;
    }
    if (n - reported >= PROGRESS_EVERY_ROWS) {
      reported = n;
      port.postMessage({ type: 'review-part-progress', rows: n } satisfies ReviewPartProgress);
    }
  }
  // Cells of valid rows the table will no longer keep stay here.
  const room = memoryRows - (await firstPartRows);
  const issueAt = new Set(issues.map(([index]) => index));
  const sent: [number, SourceRow][] = [];
  for (const [index, row] of kept) if (index < room || issueAt.has(index)) sent.push([index, row]);
  return {
    type: 'review-part-result',
    rowNumbers: rowNumbers.slice(0, n),
    leadIds,
    issues,
    kept: sent,
    lines: lines.part(),
    decoded,
    ...(fallback !== undefined ? { fallback } : {}),
  };
}

/** The worker's side of `FirstPartRows`: resolves with the count when it arrives on `port`. */
export function firstPartRowsFrom(port: Pick<MessagePort, 'on'>): Promise<number> {
  return new Promise((resolve) => {
    port.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'type' in message && message.type === 'first-part-rows') resolve((message as FirstPartRows).rows);
    });
  });
}
