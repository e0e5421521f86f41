// Worker thread entry: validates one part of a delimited file (app/validate/segments.ts) and
// posts its tally once: counts, the first problems, the hashes of its leads, and the error
// report lines written to a part file the caller appends. For the desktop's check it posts the
// part's rows for the review table instead (review-part.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadWatch } from '../source/csv-records.ts';
import type { EncodingFallback } from '../source/types.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import { applyMappingFile } from '../mapping/mapping-file.ts';
import { compileRowDecoder } from '../lead/row-decoder.ts';
import { openErrorReport } from '../report/error-report.ts';
import { reportRowRestorer } from './report-rows.ts';
import { reviewPartTransfers, segmentRows, type SegmentRequest, type SegmentResult } from './segment-protocol.ts';
import { tallyRows, ValidationTally } from './validation-tally.ts';
import { editedRows } from './decoded-rows.ts';
import { FirstPartCount, reviewPart } from './review-part.ts';

async function validateSegment(request: SegmentRequest): Promise<SegmentResult> {
  const { mapping } = applyMappingFile(request.header, request.mapping);
  const decoder = compileRowDecoder(request.header, mapping);
  const report = request.reportPart === null ? null : await openErrorReport(request.reportPart, request.header, { part: true });
  const tally = new ValidationTally(request.keepProblems, report);
  const source = {
    path: request.layout.path,
    header: request.header,
    headerRowNumber: request.headerRowNumber,
    textLayout: request.layout,
  };
  let decoded = 'ascii' as DecodedSoFar; // set by the watch's callbacks
  let fallback: EncodingFallback | undefined;
  const watch: ReadWatch = {
    readUtf8: () => (decoded = 'utf-8'),
    fellBack: (found) => {
      decoded = 'windows-1252';
      fallback = found;
    },
  };
  try {
    await tallyRows(
      editedRows(segmentRows(source, request.range, watch), request.isReport ? reportRowRestorer(request.header) : (row) => row),
      decoder.check,
      tally,
    );
    await report?.commit();
  } catch (error) {
    await report?.abort();
    throw error;
  }
  return {
    type: 'segment-result',
    counts: tally.counts(),
    problems: tally.firstProblems(),
    leadHashes: tally.duplicates.leadHashes(),
    decoded,
    ...(fallback !== undefined ? { fallback } : {}),
  };
}

const port = parentPort;
if (port) {
  const request = workerData as SegmentRequest;
  if (request.review !== undefined) {
    // Listening from the start: the count may come before the part is read.
    const firstPart = new FirstPartCount(port);
    const result = await reviewPart(request, request.review.memoryRows, firstPart, port);
    port.postMessage(result, reviewPartTransfers(result));
  } else {
    const result = await validateSegment(request);
    port.postMessage(result, [result.leadHashes.hi.buffer, result.leadHashes.lo.buffer]);
  }
}
