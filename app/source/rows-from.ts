// Reading a delimited text file's rows from a given line on, through its line offsets
// (record-offsets.ts): a review page near the end of a big file reads a few hundred lines to
// find its own, not the file from the top. Rows are shaped as the whole-file reader shapes them
// (csv-reader.ts): the same row numbers, cells and problems.
import { open } from 'node:fs/promises';
import { readTextRecords, type ReadWatch } from './csv-records.ts';
import { SourceReadError, unreadable } from './file-errors.ts';
import { batchRowsFor, DEFAULT_TUNING } from './read-tuning.ts';
import type { LineOffsets } from './record-offsets.ts';
import { shapeTextRow } from './row-shape.ts';
import type { SourceFile, SourceRow, TextRange } from './types.ts';

/** What reading a text file's rows takes of its SourceFile. */
export type TextSource = Pick<SourceFile, 'path' | 'header' | 'headerRowNumber' | 'textLayout' | 'noteEncodingFallback'>;

/**
 * The data rows of a delimited text file (all of it, or `range`), as `SourceFile.rows()` reads
 * them, with `watch` told what reading sees (its bytes, for one). A Windows-1252 fallback found
 * while reading is noted on the source, as its own reader notes it.
 */
export function textRows(source: TextSource, range?: TextRange, watch: ReadWatch = {}): AsyncIterable<SourceRow[]> {
  const layout = source.textLayout;
  if (layout === undefined) throw new Error(`${source.path} is not delimited text`);
  const width = source.header.length;
  const headerLine = source.headerRowNumber;
  const tuning = { ...DEFAULT_TUNING, batchRows: batchRowsFor(width, DEFAULT_TUNING.batchRows) };
  const watched: ReadWatch = {
    ...watch,
    fellBack: (fallback) => {
      source.noteEncodingFallback?.(fallback);
      watch.fellBack?.(fallback);
    },
  };
  return readTextRecords<SourceRow>(
    layout,
    (fields, line, quoting) => (line <= headerLine ? undefined : shapeTextRow(line, fields, width, quoting)),
    tuning,
    range,
    watched,
  );
}

const SCAN_BYTES = 64 * 1024;
const LINE_FEED = 0x0a;

/** The byte offset `line` starts at: from the nearest indexed line before it, counting line feeds. */
export async function lineStartOffset(path: string, offsets: LineOffsets, line: number, watch?: ReadWatch): Promise<number> {
  const from = offsets.startBefore(line);
  let toSkip = line - from.line;
  if (toSkip === 0) return from.offset;
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new SourceReadError(unreadable(path, error), { cause: error });
  }
  try {
    const buffer = Buffer.allocUnsafe(SCAN_BYTES);
    let position = from.offset;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, SCAN_BYTES, position);
      if (bytesRead === 0) throw new Error(`${path} ends before line ${line}`);
      const bytes = buffer.subarray(0, bytesRead);
      watch?.bytes?.(bytes, position);
      for (let i = bytes.indexOf(LINE_FEED); i !== -1; i = bytes.indexOf(LINE_FEED, i + 1)) {
        if (--toSkip === 0) return position + i + 1;
      }
      position += bytesRead;
    }
  } catch (error) {
    throw new SourceReadError(unreadable(path, error), { cause: error });
  } finally {
    await file.close();
  }
}

/**
 * The rows of a checked text file from the record that starts on `line` on (`line` must be a
 * row's number: a record starts there). `size` is the file's size when it was indexed; the
 * caller makes sure it has not changed. The whole file was decoded when it was indexed, so the
 * text from `line` on reads as it did then: as Windows-1252 after a fallback (the layout says
 * so by now), else as UTF-8 throughout.
 */
export async function* rowsFromLine(
  source: TextSource,
  offsets: LineOffsets,
  line: number,
  size: number,
  watch?: ReadWatch,
): AsyncGenerator<SourceRow[]> {
  const start = await lineStartOffset(source.path, offsets, line, watch);
  const range: TextRange = start === 0 ? { start, end: size, firstLine: 1 } : { start, end: size, firstLine: line, before: 'utf-8' };
  yield* textRows(source, range, watch);
}
