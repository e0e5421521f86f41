// Worker thread entry: reads workbooks for xlsx-thread.ts, one pass at a time. Each pass comes
// with its own MessagePort, on which this thread answers: the opened workbook (header, sheets),
// or its rows in batches, sent only as the reader asks for more (so a fast reader cannot queue a
// whole sheet in the other thread's memory).
import { parentPort, type MessagePort } from 'node:worker_threads';
import * as E from 'fp-ts/Either';
import { SourceReadError, unreadable } from './file-errors.ts';
import type { ReadTuning } from './read-tuning.ts';
import type { FileError, SourceFile, SourceOptions, SourceRow } from './types.ts';
import type { WorkbookLimits } from './workbook-limits.ts';
import { openWorkbook, sheetRows } from './xlsx-reader.ts';

/** A SourceFile without its `rows()`, which cannot cross threads. */
export type WorkbookSummary = Omit<SourceFile, 'rows'>;

export type PassRequest =
  | { readonly kind: 'open'; readonly path: string; readonly options: SourceOptions; readonly tuning: ReadTuning }
  | {
      readonly kind: 'rows';
      readonly path: string;
      readonly sheet: string;
      readonly headerRowNumber: number;
      readonly width: number;
      readonly batchRows: number;
      readonly limits: WorkbookLimits;
    };

/** What this thread sends on a pass's port. */
export type PassMessage =
  | { readonly type: 'opened'; readonly result: E.Either<FileError, WorkbookSummary> }
  | { readonly type: 'rows'; readonly rows: SourceRow[] }
  | { readonly type: 'end' }
  | { readonly type: 'failed'; readonly error: FileError };

/** What the reading thread sends back: one more batch may be sent, or stop reading. */
export type PassControl = { readonly type: 'more' } | { readonly type: 'stop' };

export interface PassStart {
  readonly request: PassRequest;
  readonly port: MessagePort;
}

function send(port: MessagePort, message: PassMessage): void {
  port.postMessage(message);
}

async function servePass({ request, port }: PassStart): Promise<void> {
  try {
    if (request.kind === 'open') {
      const opened = await openWorkbook(request.path, request.options, request.tuning);
      send(port, { type: 'opened', result: E.isLeft(opened) ? opened : E.right(summaryOf(opened.right)) });
    } else {
      await streamRows(request, port);
    }
  } catch (error) {
    send(port, { type: 'failed', error: error instanceof SourceReadError ? error.fileError : unreadable(request.path, error) });
  }
}

function summaryOf(file: SourceFile): WorkbookSummary {
  const { rows: _rows, ...summary } = file;
  return summary;
}

async function streamRows(request: Extract<PassRequest, { kind: 'rows' }>, port: MessagePort): Promise<void> {
  let credit = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  port.on('message', (message: PassControl) => {
    if (message.type === 'more') credit += 1;
    else stopped = true;
    wake?.();
  });
  const rows = sheetRows(request.path, request.sheet, request.headerRowNumber, request.width, request.batchRows, request.limits);
  for await (const batch of rows) {
    while (credit === 0 && !stopped) await new Promise<void>((resolve) => (wake = resolve));
    // Leaving the loop returns the generator, which closes the workbook's files.
    if (stopped) break;
    credit -= 1;
    send(port, { type: 'rows', rows: batch });
  }
  send(port, { type: 'end' });
}

function isPassStart(message: unknown): message is PassStart {
  return typeof message === 'object' && message !== null && 'request' in message && 'port' in message;
}

const parent = parentPort;
if (parent) {
  parent.on('message', (message: unknown) => {
    if (isPassStart(message)) void servePass(message);
  });
}
