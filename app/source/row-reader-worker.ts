// Worker thread entry: reads and parses a lead file and posts its rows in batches, so that
// parsing (this thread) and decoding (the caller's thread) use both cores at once.
//
// Posting arrays of strings costs as much as parsing them again (structured clone walks every
// cell), so plain rows travel packed: all their cells joined by NUL into one string, which
// crosses as one copy and is split in one native call on the other side. Rows that cannot be
// packed (a reader problem, typed XLSX cells, a NUL inside a cell) travel as they are.
import { parentPort, workerData } from 'node:worker_threads';
import * as E from 'fp-ts/Either';
import { openSource } from './open-source.ts';
import { SourceReadError, unreadable } from './file-errors.ts';
import type { FileError, SourceOptions, SourceRow } from './types.ts';

export interface RowReaderRequest {
  readonly path: string;
  readonly options: SourceOptions;
}

export const CELL_SEPARATOR = '\u0000';

/** One batch: packed rows in `text`, the others in `loose`, each with its place in the batch. */
export interface PackedBatch {
  readonly type: 'rows';
  /** Batch positions of the packed rows, their row numbers and cell counts. */
  readonly packedAt: Int32Array;
  readonly rowNumbers: Int32Array;
  readonly cellCounts: Int32Array;
  readonly text: string;
  readonly loose: readonly { readonly at: number; readonly row: SourceRow }[];
  readonly size: number;
}

export type RowReaderMessage = PackedBatch | { readonly type: 'end' } | { readonly type: 'error'; readonly fileError: FileError };

/** Batches posted and not yet taken by the reader thread, at most. */
export const MAX_AHEAD = 4;

function packable(row: SourceRow): boolean {
  if (row.problem !== undefined) return false;
  const cells = row.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (typeof cell !== 'string' || cell.indexOf(CELL_SEPARATOR) !== -1) return false;
  }
  return true;
}

export function packBatch(rows: readonly SourceRow[]): PackedBatch {
  const packedAt: number[] = [];
  const rowNumbers: number[] = [];
  const cellCounts: number[] = [];
  const parts: string[] = [];
  const loose: { at: number; row: SourceRow }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!packable(row)) {
      loose.push({ at: i, row });
      continue;
    }
    packedAt.push(i);
    rowNumbers.push(row.rowNumber);
    cellCounts.push(row.cells.length);
    parts.push((row.cells as readonly string[]).join(CELL_SEPARATOR));
  }
  return {
    type: 'rows',
    packedAt: Int32Array.from(packedAt),
    rowNumbers: Int32Array.from(rowNumbers),
    cellCounts: Int32Array.from(cellCounts),
    text: parts.join(CELL_SEPARATOR),
    loose,
    size: rows.length,
  };
}

const port = parentPort;
if (port) {
  const { path, options } = workerData as RowReaderRequest;
  let credit = MAX_AHEAD;
  let wake: (() => void) | undefined;
  port.on('message', (n: number) => {
    credit += n;
    const w = wake;
    wake = undefined;
    w?.();
  });
  try {
    const opened = await openSource(path, options);
    if (E.isLeft(opened)) port.postMessage({ type: 'error', fileError: opened.left } satisfies RowReaderMessage);
    else {
      for await (const rows of opened.right.rows()) {
        while (credit <= 0) await new Promise<void>((resolve) => (wake = resolve));
        credit--;
        const batch = packBatch(rows);
        // The typed arrays' buffers move instead of being copied.
        port.postMessage(batch, [batch.packedAt.buffer as ArrayBuffer, batch.rowNumbers.buffer as ArrayBuffer, batch.cellCounts.buffer as ArrayBuffer]);
      }
      port.postMessage({ type: 'end' } satisfies RowReaderMessage);
    }
  } catch (error) {
    port.postMessage({ type: 'error', fileError: error instanceof SourceReadError ? error.fileError : unreadable(path, error) } satisfies RowReaderMessage);
  }
  port.close();
}
