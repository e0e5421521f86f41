// A sparse index of where lines start in a delimited text file, built from the bytes a pass over
// the file reads anyway (the check), so that a later read can start near any row instead of at
// the top of the file (review pages, and later a run's row pages).
//
// Why lines, not records: the bytes are seen before they are parsed, so which line breaks end a
// record is not known yet where the bytes are counted; but every row's number IS the line its
// record starts on (app/source/README.md), and the callers keep those numbers (the review table
// keeps every row's; a run's rows carry theirs). A read that starts at a row's line therefore
// starts at a record boundary, outside quotes, with nothing of papaparse's state to restore: its
// state between records is empty. `rows-from.ts` finds the exact line from the nearest entry
// here (a few hundred lines at most) and reads on from it.
//
// Counting line feeds on bytes is sound where a line feed byte is one only as a line feed:
// UTF-8 and Windows-1252 (never inside another character). Files with lone-CR line ends (lines
// not counted by line feeds) and UTF-16 files are not indexed: `canIndex` says so, and their
// readers read from the top as before.
import type { TextLayout } from './types.ts';

/** Lines between entries: a seek reads at most this many lines before its own (~20 KB of a typical lead file). */
export const LINES_PER_ENTRY = 128;

const LINE_FEED = 0x0a;

/** Whether line offsets can be counted on this layout's bytes (see the module comment). */
export function canIndex(layout: TextLayout | undefined): layout is TextLayout {
  return layout !== undefined && !layout.loneCarriageReturns && (layout.encoding === 'utf-8' || layout.encoding === 'windows-1252');
}

/** An indexed line: `line` starts at byte `offset`. */
export interface LineStart {
  readonly line: number;
  readonly offset: number;
}

/** The entries of a part of the file, as they cross a thread boundary (typed arrays transfer). */
export interface LineOffsetsPart {
  readonly lines: Int32Array<ArrayBuffer>;
  readonly offsets: Float64Array<ArrayBuffer>;
}

/**
 * Line starts every `every` lines, fed the file's bytes in order from (`firstLine`, `start`)
 * (a whole file from line 1 at byte 0, or a part of it). Offsets are file offsets (a byte-order
 * mark counts), so they are what a reader's range takes.
 */
export class LineOffsets {
  private lines = new Int32Array(256);
  private offsets = new Float64Array(256);
  private length = 0;
  /** The line the next byte fed is on. */
  private line: number;
  private next: number;

  constructor(
    private readonly every: number = LINES_PER_ENTRY,
    firstLine = 1,
    start = 0,
  ) {
    this.line = firstLine;
    this.next = start;
    this.push(firstLine, start);
  }

  /** The next bytes of the file, read at file offset `at` (must follow the last ones). */
  readonly feed = (bytes: Uint8Array, at: number): void => {
    if (at !== this.next) throw new Error(`LineOffsets: bytes at ${at}, expected ${this.next}`);
    this.next = at + bytes.length;
    const { every } = this;
    const firstEntry = this.lines[0];
    for (let i = bytes.indexOf(LINE_FEED); i !== -1; i = bytes.indexOf(LINE_FEED, i + 1)) {
      this.line++;
      if ((this.line - firstEntry) % every === 0) this.push(this.line, at + i + 1);
    }
  };

  /** The indexed line nearest before `line` (or at it). */
  startBefore(line: number): LineStart {
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lines[mid] <= line) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.lines[lo], offset: this.offsets[lo] };
  }

  /** The entries, for another thread or for `append`. */
  part(): LineOffsetsPart {
    return { lines: this.lines.slice(0, this.length), offsets: this.offsets.slice(0, this.length) };
  }

  /** Adds the entries of the part of the file that follows the bytes fed here (a second thread's). */
  append(part: LineOffsetsPart): void {
    for (let i = 0; i < part.lines.length; i++) {
      if (this.length === 0 || part.lines[i] > this.lines[this.length - 1]) this.push(part.lines[i], part.offsets[i]);
    }
  }

  /** Entries kept (for tests and figures). */
  get size(): number {
    return this.length;
  }

  private push(line: number, offset: number): void {
    if (this.length === this.lines.length) {
      const lines = new Int32Array(this.length * 2);
      lines.set(this.lines);
      this.lines = lines;
      const offsets = new Float64Array(this.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.lines[this.length] = line;
    this.offsets[this.length] = offset;
    this.length++;
  }
}
