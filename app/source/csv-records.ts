import { open } from 'node:fs/promises';
import Papa from 'papaparse';
import { decodeFile, NotUtf8Error, notUtf8Problem, type BytesWatch } from './encoding.ts';
import { fileError, SourceReadError, unreadable } from './file-errors.ts';
import { countLineBreaks, LineBreakNormalizer, lineBreaksInFields } from './line-breaks.ts';
import type { ReadTuning } from './read-tuning.ts';
import { columnLetter } from './header.ts';
import { RecordSkipper } from './record-skipper.ts';
import { isBlankRow } from './row-shape.ts';
import type { EncodingFallback, RowProblem, TextLayout, TextRange } from './types.ts';

export interface ReadWatch {
  /** A quote was never closed (it ran to the end of the text, or past the length limit). */
  unclosedQuote?(): void;
  /** Text past ASCII was read as UTF-8. */
  readUtf8?(): void;
  /** The text read is Windows-1252, not the UTF-8 guessed, from this line on. */
  fellBack?(fallback: EncodingFallback): void;
  /** The file's bytes as read, before decoding (the check indexes line offsets from them, and a run hashes them). */
  bytes?: BytesWatch;
}

/**
 * Receives each non-blank record with the file line it starts on and, when its quotes are
 * broken, the problem; returns what to emit, or undefined to leave the record out.
 */
export type RecordVisitor<T> = (fields: string[], line: number, quoting: RowProblem | undefined) => T | undefined;

/**
 * Text from `next` in pieces of at most `room()` lines (at least one): where a piece is cut does
 * not matter to the parser, which takes text cut anywhere; a piece ends after a line break.
 */
export function linesAtMost(next: () => Promise<string | undefined>, room: () => number): () => Promise<string | undefined> {
  let rest = '';
  return async () => {
    if (rest === '') {
      const text = await next();
      if (text === undefined) return undefined;
      rest = text;
    }
    const lines = Math.max(1, room());
    let cut = rest.length;
    // Text no longer than `lines` characters cannot hold more line breaks: no need to look.
    if (rest.length > lines) {
      let at = -1;
      for (let n = 0; n < lines; n++) {
        at = rest.indexOf('\n', at + 1);
        if (at === -1) break;
      }
      if (at !== -1) cut = at + 1;
    }
    const piece = rest.slice(0, cut);
    rest = rest.slice(cut);
    return piece;
  };
}

/** What papaparse's core parser returns (its typings say `any`). */
interface ParsedText {
  readonly data: string[][];
  readonly errors: readonly Papa.ParseError[];
  readonly meta: { readonly cursor: number };
}

/**
 * Streams a delimited text file through papaparse's core parser, in array mode, one decoded
 * chunk at a time, and hands each non-blank record to `visit`; yields what it returns in
 * batches. Pull-based on purpose: nothing is read ahead of the consumer (papaparse's own
 * Node-stream reader puts the stream in flowing mode and queues every chunk while the
 * consumer is busy, which would hold the file in memory while rows are being sent).
 *
 * Line numbers count every physical line: papaparse splits at `\n` (so LF and CRLF lines mix
 * freely; a CR left at the end of a record's last cell is dropped, papaparse itself skips it
 * after a closing quote; files with lone-CR line ends are normalised to `\n` first), keeps empty
 * lines as records (we skip blank ones after counting), and a record spans one line plus the
 * line breaks inside its quoted cells. Comparing a chunk's line breaks with its record count
 * tells how many of those there are, so records are only searched until all are found: a chunk
 * without multi-line cells (the usual case) costs no per-cell work.
 */
export async function* readTextRecords<T>(
  layout: TextLayout,
  visit: RecordVisitor<T>,
  tuning: ReadTuning,
  range?: TextRange,
  watch?: ReadWatch,
): AsyncGenerator<T[]> {
  const parser = new Papa.Parser({ delimiter: layout.delimiter, newline: '\n', quoteChar: '"' });
  // Normalising costs a copy of every chunk: only files with lone CRs pay it (see TextLayout).
  const lineBreaks = layout.loneCarriageReturns ? new LineBreakNormalizer() : undefined;
  let nextLine = range?.firstLine ?? 1;
  let batch: T[] = [];

  /** Parses `text`, visits its complete records, returns the unfinished tail. */
  const parseText = (text: string, final: boolean): string => {
    const parsed: ParsedText = parser.parse(text, 0, !final);
    const records = parsed.data;
    const errors = parsed.errors;
    const consumed = final ? text.length : parsed.meta.cursor;
    const crlf = lineBreaks === undefined && text.indexOf('\r') !== -1;
    // Line breaks inside quoted cells in this text: until all are found, records are scanned for them.
    let breaksInCells = countLineBreaks(text, consumed) + (final && records.length > 0 ? 1 : 0) - records.length;
    let e = 0;
    for (let i = 0; i < records.length; i++) {
      const fields = records[i];
      if (crlf) dropTrailingCarriageReturn(fields);
      const line = nextLine;
      let span = 1;
      if (breaksInCells > 0) {
        const inside = lineBreaksInFields(fields, crlf);
        span += inside;
        breaksInCells -= inside;
      }
      nextLine += span;
      let quoting: RowProblem | undefined;
      if (e < errors.length) {
        let neverClosed = false;
        let found = false;
        while (e < errors.length && (errors[e].row ?? -1) <= i) {
          if (errors[e].row === i) {
            found = true;
            if (errors[e].code === 'MissingQuotes') {
              neverClosed = true;
              watch?.unclosedQuote?.();
            }
          }
          e++;
        }
        if (found) quoting = quotingProblem(neverClosed, line, span);
      }
      if (quoting === undefined && isBlankRow(fields)) continue;
      const item = visit(fields, line, quoting);
      if (item !== undefined) batch.push(item);
    }
    return final ? '' : text.slice(consumed);
  };

  let fallbackAt: { offset: number; byte: number; otherCodePage: boolean } | undefined;
  const utf8 = {
    reading: layout.utf8Guessed === true ? ('guess' as const) : ('strict' as const),
    ...(range?.before !== undefined ? { before: range.before } : {}),
    watch: {
      leftAscii: (as: 'utf-8' | 'windows-1252', offset: number, byte: number, otherCodePage = false) => {
        if (as === 'utf-8') watch?.readUtf8?.();
        else fallbackAt = { offset, byte, otherCodePage };
      },
    },
  };
  try {
    const chunks = decodeFile(layout.path, layout.encoding, tuning.chunkBytes, range, utf8, watch?.bytes);
    let ended = false;
    /** The next decoded chunk with its line breaks normalised, or undefined at the end of the file. */
    const nextChunk = async (): Promise<string | undefined> => {
      if (ended) return undefined;
      const step = await chunks.next();
      if (fallbackAt !== undefined) {
        // Rare (once per file at most): the line is counted on the bytes, not kept while reading.
        const { offset, byte, otherCodePage } = fallbackAt;
        fallbackAt = undefined;
        watch?.fellBack?.({ line: await lineAtOffset(layout, range, offset), byte, ...(otherCodePage ? { otherCodePage } : {}) });
      }
      if (step.done !== true) return lineBreaks === undefined ? step.value : lineBreaks.push(step.value);
      ended = true;
      const rest = lineBreaks === undefined ? '' : lineBreaks.end();
      return rest === '' ? undefined : rest;
    };
    // Every row is held at the header's width: a chunk of many short lines under a wide header
    // is handed out a few lines at a time, no more than the batch has room for.
    const nextText = linesAtMost(nextChunk, () => tuning.batchRows - batch.length);
    let pending = '';
    for (let chunk = await nextText(); chunk !== undefined; chunk = await nextText()) {
      pending = parseText(pending + chunk, false);
      if (pending.length > tuning.maxPendingChars) {
        // A record too long to hold: report it with what its first line holds, then find where
        // it ends without keeping it, and go on with the rows after it. If a quote is still open
        // at the end of the file, the rest of the file cannot be split into rows.
        const line = nextLine;
        const firstBreak = pending.indexOf('\n');
        const firstLine = pending.slice(0, firstBreak === -1 || firstBreak > CUT_CELLS_AT ? CUT_CELLS_AT : firstBreak);
        const fields: string[] =
          Papa.parse<string[]>(firstLine, { delimiter: layout.delimiter, newline: '\n', quoteChar: '"' }).data[0] ?? [];
        if (lineBreaks === undefined) dropTrailingCarriageReturn(fields);
        const skipper = new RecordSkipper(layout.delimiter);
        let end = skipper.scan(pending);
        let text = pending;
        pending = '';
        while (end === -1) {
          const more = await nextText();
          if (more === undefined) break;
          text = more;
          end = skipper.scan(text);
        }
        const span = 1 + skipper.breaksInside;
        watch?.unclosedQuote?.();
        if (end === -1 && skipper.endsInsideQuotes()) {
          const item = visit(fields, line, runawayQuote(line));
          if (item !== undefined) batch.push(item);
          if (batch.length > 0) yield batch;
          return;
        }
        nextLine = line + span;
        const item = visit(fields, line, tooLong(tuning.maxPendingChars, line, span, Math.max(0, fields.length - 1)));
        if (item !== undefined) batch.push(item);
        if (end !== -1) pending = text.slice(end);
      }
      if (batch.length >= tuning.batchRows) {
        yield batch;
        batch = [];
      }
    }
    // A CR ending the file ends its last line; read without normalising, papaparse (which splits
    // at LF) would take it for text, and after a closing quote for a broken quote.
    parseText(lineBreaks === undefined && pending.endsWith('\r') ? `${pending.slice(0, -1)}\n` : pending, true);
    if (batch.length > 0) yield batch;
  } catch (error) {
    if (error instanceof SourceReadError) throw error;
    if (error instanceof NotUtf8Error) {
      const line = await lineAtOffset(layout, range, error.offset);
      throw new SourceReadError(fileError('encoding', layout.path, notUtf8Problem(line, error)), { cause: error });
    }
    throw new SourceReadError(unreadable(layout.path, error), { cause: error });
  }
}

/** The file line the byte at `offset` is on, counted from the start of `range` (lone CRs count where the layout says so). */
async function lineAtOffset(layout: TextLayout, range: TextRange | undefined, offset: number): Promise<number> {
  const file = await open(layout.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    let line = range?.firstLine ?? 1;
    let position = range?.start ?? 0;
    let previous = -1;
    while (position < offset) {
      const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, offset - position), position);
      if (bytesRead === 0) break;
      for (let i = 0; i < bytesRead; i++) {
        const byte = buffer[i];
        if (byte === LF) line++;
        else if (previous === CR && layout.loneCarriageReturns) line++;
        previous = byte;
      }
      position += bytesRead;
    }
    // The byte at `offset` is not a line feed: a CR right before it ends a line.
    if (layout.loneCarriageReturns && previous === CR) line++;
    return line;
  } finally {
    await file.close();
  }
}

const LF = 0x0a;
const CR = 0x0d;

/** The CR of a CRLF line end stays on the last cell when papaparse splits at LF. */
function dropTrailingCarriageReturn(fields: string[]): void {
  const last = fields.length - 1;
  if (last < 0) return;
  const cell = fields[last];
  if (cell.charCodeAt(cell.length - 1) === 13) fields[last] = cell.slice(0, -1);
}

function lineRange(first: number, span: number): string {
  return `lines ${first}–${first + span - 1}`;
}

function quotingProblem(neverClosed: boolean, line: number, span: number): RowProblem {
  if (neverClosed) {
    return {
      kind: 'quoting',
      message:
        'has an opening quote (") that is never closed' +
        (span > 1 ? `, so the rest of the file (${lineRange(line, span)}) was read as part of this row` : ''),
    };
  }
  return {
    kind: 'quoting',
    message:
      'has a quote (") in the wrong place: a quoted value must end with a quote right before the delimiter or the end of the line' +
      (span > 1 ? `; ${lineRange(line, span)} were read as this one row` : ''),
  };
}

/** How much of a too-long record's first line is kept as its cells (for the report). */
const CUT_CELLS_AT = 64 * 1024;

/** `cutColumn`: the 0-based column where the kept cells stop (the long cell, or one past it). */
function tooLong(maxChars: number, line: number, span: number, cutColumn: number): RowProblem {
  return {
    kind: 'too_long',
    message:
      `is too long to read: more than ${maxChars.toLocaleString('en-US')} characters` +
      (span > 1 ? ` over ${lineRange(line, span)}` : ' on one line') +
      `, far more than a spreadsheet cell can hold (Excel stops at 32,767); the cells are shown cut short at column ${columnLetter(cutColumn)}`,
  };
}

function runawayQuote(line: number): RowProblem {
  return {
    kind: 'quoting',
    message: `has an opening quote (") that is never closed, so the rest of the file, from line ${line} on, could not be read as rows`,
  };
}
