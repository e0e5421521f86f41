import type { WorkbookLimits } from './workbook-limits.ts';

/** Sizes that trade memory for speed; tests shrink them to reach chunk and batch boundaries. */
export interface ReadTuning {
  /** Bytes read from disk at a time. */
  readonly chunkBytes: number;
  /** Rows per batch handed to the consumer (one await per batch). */
  readonly batchRows: number;
  /**
   * Text that may wait for a row to end before we call its quote runaway. Excel caps a cell at
   * 32,767 characters, so a "row" of megabytes is an opening quote that never closes; without a
   * cap papaparse would re-scan an ever-growing tail (quadratic) and hold the rest of the file.
   */
  readonly maxPendingChars: number;
  /** What a workbook may hold (DEFAULT_WORKBOOK_LIMITS unless given); `SourceOptions.maxWorkbookMb` scales it. */
  readonly workbookLimits?: WorkbookLimits;
}

export const DEFAULT_TUNING: ReadTuning = {
  chunkBytes: 64 * 1024,
  batchRows: 1000,
  maxPendingChars: 4 * 1024 * 1024,
};

/**
 * Cells a batch may hold: rows are held at the header's width, so a wide file (up to 16,384
 * columns) gets shorter batches, and a batch stays about 8 MB of cell slots whatever the width.
 */
export const MAX_BATCH_CELLS = 1024 * 1024;

/** Rows per batch for rows `width` cells wide: `batchRows`, fewer for a wide file, at least one. */
export function batchRowsFor(width: number, batchRows: number): number {
  return Math.max(1, Math.min(batchRows, Math.floor(MAX_BATCH_CELLS / Math.max(1, width))));
}

/** Bytes read up front to tell the format, encoding and delimiter. */
export const SAMPLE_BYTES = 64 * 1024;
