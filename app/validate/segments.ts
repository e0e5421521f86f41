// Validating a large delimited file on both cores: the file is cut in two at a record
// boundary, this thread validates the first part while a worker validates the second, and the
// worker's tally (counts, first problems, error report lines) is appended to this one's.
//
// The cut: outside quotes, a line break ends a record. Whether a byte is inside quotes follows
// from the parity of the quote characters before it (RFC 4180 doubles a quote inside a quoted
// cell, which keeps the parity), so the cut is the first line break past the middle with an
// even number of quotes before it. In UTF-8 and Windows-1252 the quote and the line feed are
// single bytes that never occur inside another character, so the count works on bytes.
//
// Files that break the rule (a stray quote inside an unquoted cell) are caught: the first part
// then ends inside a quote as the parser sees it, and the whole file is validated again in one
// thread. A lead that appears in both parts would change the second part's duplicate warnings:
// then this thread validates the second part itself. Either way the result is what one thread
// would give.
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReadWatch } from '../source/csv-records.ts';
import type { DecodedSoFar } from '../source/encoding.ts';
import type { EncodingFallback, TextLayout, TextRange } from '../source/types.ts';
import { toMappingFile } from '../mapping/mapping-file.ts';
import type { PreparedImport } from './prepare-import.ts';
import { tallyRows, type ValidationTally } from './validation-tally.ts';
import { editedRows } from './decoded-rows.ts';
import { segmentRows, type SegmentRequest, type SegmentResult } from './segment-protocol.ts';

/** Below this size a worker's start-up costs more than the second core saves. */
export const SEGMENTS_MIN_BYTES = 24 * 1024 * 1024;
/** How far past the middle a cut is looked for before giving up (a giant multi-line cell). */
const MAX_CUT_SEARCH_BYTES = 8 * 1024 * 1024;
const SCAN_BYTES = 1024 * 1024;
const QUOTE = 0x22;
const LINE_FEED = 0x0a;

export interface SegmentSplit {
  /** The first part is [0, at), the second [at, size). */
  readonly at: number;
  /** The file line the second part starts on. */
  readonly line: number;
  readonly size: number;
}

function countByte(buffer: Buffer, length: number, byte: number): number {
  let n = 0;
  for (let i = buffer.indexOf(byte, 0); i !== -1 && i < length; i = buffer.indexOf(byte, i + 1)) n++;
  return n;
}

/**
 * Where to cut the file (at about `share` of its size), or undefined when it should be read in
 * one thread: not delimited text, an encoding with multi-byte quotes, lone-CR line ends, small.
 */
export interface SegmentOptions {
  /** Smaller files are read in one thread. Default SEGMENTS_MIN_BYTES. */
  readonly minBytes?: number;
  /** Where to cut, as a share of the file's size. Default 0.5. */
  readonly share?: number;
}

export async function planSegments(prepared: PreparedImport, options: SegmentOptions = {}): Promise<SegmentSplit | undefined> {
  const share = options.share ?? 0.5;
  const layout = prepared.source.textLayout;
  if (layout === undefined || layout.loneCarriageReturns || (layout.encoding !== 'utf-8' && layout.encoding !== 'windows-1252'))
    return undefined;
  const file = await open(layout.path, 'r');
  try {
    const size = (await file.stat()).size;
    if (size < (options.minBytes ?? SEGMENTS_MIN_BYTES)) return undefined;
    const target = Math.floor(size * share);
    const buffer = Buffer.allocUnsafe(SCAN_BYTES);
    let quotes = 0;
    let lines = 0;
    let position = 0;
    while (position < target) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(SCAN_BYTES, target - position), position);
      if (bytesRead === 0) return undefined;
      quotes += countByte(buffer, bytesRead, QUOTE);
      lines += countByte(buffer, bytesRead, LINE_FEED);
      position += bytesRead;
    }
    while (position < Math.min(size, target + MAX_CUT_SEARCH_BYTES)) {
      const { bytesRead } = await file.read(buffer, 0, SCAN_BYTES, position);
      if (bytesRead === 0) return undefined;
      for (let i = 0; i < bytesRead; i++) {
        const byte = buffer[i];
        if (byte === QUOTE) quotes++;
        else if (byte === LINE_FEED) {
          lines++;
          if ((quotes & 1) === 0) return position + i + 1 < size ? { at: position + i + 1, line: lines + 1, size } : undefined;
        }
      }
      position += bytesRead;
    }
    return undefined;
  } finally {
    await file.close();
  }
}

/** Under tsx (a checkout) the worker is TypeScript too: a small shim registers the loader first. */
function workerUrl(): URL {
  const fromTypeScript = new URL(import.meta.url).pathname.endsWith('.ts');
  return new URL(fromTypeScript ? './segment-worker-tsx.mjs' : './segment-worker.js', import.meta.url);
}

export interface RunningSegment<R> {
  readonly result: Promise<R | Error>;
  /** Sends the worker a message (review parts: the first part's row count). */
  post(message: unknown): void;
  stop(): Promise<void>;
}

/**
 * Starts the worker on `request`; `result` is its message of type `resultType`, and any other
 * message of ours goes to `onMessage` (progress).
 */
export function startSegmentWorker<R>(
  request: SegmentRequest,
  resultType: string,
  options: { readonly maxHeapMb?: number; readonly onMessage?: (message: { readonly type: string }) => void } = {},
): RunningSegment<R> {
  // A worker's heap grows lazily like any other; capped, it collects sooner and the process stays
  // within its memory budget. Running out is not fatal: this thread then reads the second part.
  const worker = new Worker(workerUrl(), { workerData: request, resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 128 } });
  const result = new Promise<R | Error>((resolve) => {
    // Only our messages: a loader registered in the worker may post messages of its own.
    worker.on('message', (message: unknown) => {
      if (typeof message !== 'object' || message === null || !('type' in message) || typeof message.type !== 'string') return;
      if (message.type === resultType) resolve(message as R);
      else options.onMessage?.(message as { readonly type: string });
    });
    worker.once('error', (error) => resolve(error));
    worker.once('exit', (code) => resolve(new Error(`the second reader stopped (exit ${code})`)));
  });
  return {
    result,
    post: (message) => worker.postMessage(message),
    stop: async () => {
      await worker.terminate();
    },
  };
}

/**
 * How a two-part validation went: `both` threads' tallies were used; the worker failed or a lead
 * was in both parts, so this thread read the `second-here` too; or the cut was inside a quoted
 * cell and the file must be validated again in one thread (`restart`: nothing may be used).
 */
export type SegmentOutcome = 'both' | 'second-here' | 'restart';

/**
 * Whether the worker read its part as one thread would have. From a fresh UTF-8 guess it does
 * when either part is plain ASCII, or both hold UTF-8 characters; not after a fallback (every
 * byte is then Windows-1252), nor when it fell back after UTF-8 (one thread stops there with an
 * error). See Utf8Reading in app/source/encoding.ts.
 */
export function readsAlike(layout: TextLayout, firstPart: DecodedSoFar, secondPart: DecodedSoFar): boolean {
  return (
    layout.utf8Guessed !== true || firstPart === 'ascii' || secondPart === 'ascii' || (firstPart === 'utf-8' && secondPart === 'utf-8')
  );
}

/** Validates the file in two parts into `tally`; see SegmentOutcome. */
export async function validateInSegments(
  prepared: PreparedImport,
  split: SegmentSplit,
  tally: ValidationTally,
  options: { readonly keepProblems?: number; readonly errorsPath?: string; readonly onProgress?: (rows: number) => void },
): Promise<SegmentOutcome> {
  const layout = prepared.source.textLayout;
  if (layout === undefined) return 'restart';
  const scratch = await mkdtemp(join(tmpdir(), 'lead-import-segment-'));
  const reportPart = options.errorsPath === undefined ? null : join(scratch, 'report-part.csv');
  const second = startSegmentWorker<SegmentResult>(
    {
      layout,
      header: prepared.source.header,
      headerRowNumber: prepared.source.headerRowNumber,
      mapping: toMappingFile(prepared.mapping),
      isReport: prepared.isReport,
      range: { start: split.at, end: split.size, firstLine: split.line },
      keepProblems: options.keepProblems ?? 20,
      reportPart,
    },
    'segment-result',
  );
  const source = prepared.source;
  const noteFallback = (fallback: EncodingFallback): void => source.noteEncodingFallback?.(fallback);
  try {
    let cutInsideQuotes = false;
    let firstPart = 'ascii' as DecodedSoFar; // set by the watch's callbacks
    const watch: ReadWatch = {
      unclosedQuote: () => (cutInsideQuotes = true),
      readUtf8: () => (firstPart = 'utf-8'),
      fellBack: (fallback) => {
        firstPart = 'windows-1252';
        noteFallback(fallback);
      },
    };
    await tallyRows(
      editedRows(segmentRows(source, { start: 0, end: split.at, firstLine: 1 }, watch), prepared.restoreRow),
      prepared.decoder.check,
      tally,
      options.onProgress,
    );
    if (cutInsideQuotes) return 'restart';
    const result = await second.result;
    if (result instanceof Error || !readsAlike(layout, firstPart, result.decoded) || tally.duplicates.sharesLeadWith(result.leadHashes)) {
      // The worker failed, read differently, or a lead is in both parts: this thread reads on
      // past the cut, as the text before it left the decoding (the layout is Windows-1252 after a fallback).
      const range: TextRange = {
        start: split.at,
        end: split.size,
        firstLine: split.line,
        before: firstPart === 'utf-8' ? 'utf-8' : 'ascii',
      };
      await tallyRows(
        editedRows(segmentRows(source, range, { fellBack: noteFallback }), prepared.restoreRow),
        prepared.decoder.check,
        tally,
        options.onProgress,
      );
      return 'second-here';
    }
    if (result.fallback !== undefined) noteFallback(result.fallback);
    await tally.merge({ counts: result.counts, problems: result.problems, reportPart });
    options.onProgress?.(tally.counts().rows);
    return 'both';
  } finally {
    await second.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}
