// Rows read and parsed in a worker thread. Parsing and decoding then overlap on two cores:
// for a large file the time is that of the slower of the two instead of their sum.
import { Worker } from 'node:worker_threads';
import type { SourceFile, SourceOptions, SourceRow } from './types.ts';
import { SourceReadError } from './file-errors.ts';
import { CELL_SEPARATOR, type PackedBatch, type RowReaderMessage, type RowReaderRequest } from './row-reader-worker.ts';

/** Under tsx (a checkout) the worker is TypeScript too: a small shim registers the loader first. */
function workerUrl(): URL {
  const fromTypeScript = new URL(import.meta.url).pathname.endsWith('.ts');
  return new URL(fromTypeScript ? './row-reader-worker-tsx.mjs' : './row-reader-worker.js', import.meta.url);
}

export function unpackBatch(batch: PackedBatch): SourceRow[] {
  const rows: SourceRow[] = new Array(batch.size);
  const cells = batch.packedAt.length > 0 ? batch.text.split(CELL_SEPARATOR) : [];
  let offset = 0;
  for (let p = 0; p < batch.packedAt.length; p++) {
    const count = batch.cellCounts[p];
    rows[batch.packedAt[p]] = { rowNumber: batch.rowNumbers[p], cells: cells.slice(offset, offset + count), rawCells: undefined, problem: undefined };
    offset += count;
  }
  for (const { at, row } of batch.loose) rows[at] = row;
  return rows;
}

export async function* threadedRows(path: string, options: SourceOptions): AsyncGenerator<readonly SourceRow[]> {
  const request: RowReaderRequest = { path, options };
  const worker = new Worker(workerUrl(), { workerData: request });
  const queue: RowReaderMessage[] = [];
  let failure: unknown;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  worker.on('message', (message: RowReaderMessage) => {
    queue.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      const message = queue.shift();
      if (message === undefined) {
        if (failure !== undefined) throw failure;
        if (exited) throw new Error(`the reader of ${path} stopped unexpectedly`);
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (message.type === 'end') return;
      if (message.type === 'error') throw new SourceReadError(message.fileError);
      worker.postMessage(1);
      yield unpackBatch(message);
    }
  } finally {
    await worker.terminate();
  }
}

/** The same file, its rows read in a worker thread (same rows, same order, same problems). */
export function withThreadedRows(source: SourceFile): SourceFile {
  const options: SourceOptions = { encoding: source.encoding, delimiter: source.delimiter, sheet: source.sheet };
  return { ...source, rows: () => threadedRows(source.path, options) };
}
