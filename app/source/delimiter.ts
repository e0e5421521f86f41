import Papa from 'papaparse';
import { findHeaderRow, type RowShape } from './header-row.ts';
import { isBlankRow } from './row-shape.ts';

export const SUPPORTED_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

export function isSupportedDelimiter(value: unknown): value is string {
  return typeof value === 'string' && SUPPORTED_DELIMITERS.includes(value);
}

/** How a delimiter is named in messages (a tab is invisible). */
export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

const SAMPLE_RECORDS = 200;

/** A non-blank record of the sample with the file line it starts on. */
export interface SampleRecord extends RowShape {
  readonly cells: readonly string[];
  readonly line: number;
}

/** How the sample reads: its delimiter and the line its header starts on (1 when unsure). */
export interface TextLayoutGuess {
  readonly delimiter: string;
  readonly headerLine: number;
  /** The sample's first non-blank records read with that delimiter (for a header picker). */
  readonly records: readonly SampleRecord[];
}

export interface LayoutChoice {
  /** A tab for .tsv files: it wins ties. */
  readonly preferred?: string;
  /** Given by the user: only the header is looked for. */
  readonly delimiter?: string;
  /** Given by the user: the header is on this line, and the delimiter is taken from there on. */
  readonly headerLine?: number;
}

interface Candidate {
  readonly delimiter: string;
  readonly records: readonly SampleRecord[];
  /** Index in `records` of the header found, or undefined. */
  readonly header: number | undefined;
}

/**
 * The delimiter and header line of a text whose line breaks are already `\n`.
 *
 * The header is the first row that looks like one (header-row.ts): report exports put a title
 * block above it. Each delimiter splits the sample with the real parser (so quoted commas and
 * line breaks count for nothing) and finds its own header. A delimiter whose header is the
 * first non-blank record beats one that had to pass over lines, and the lines above a header
 * never vote: a title "Sunset Apartments, Denver, CO" in a semicolon file is not a comma header
 * (it is followed by narrower lines), and a long multi-line note full of semicolons after a
 * comma header does not make a semicolon file. Among the rest, the winner is the one whose most
 * common field count (> 1), from its header on, is shared by the most records: this is what
 * makes `Name;Rent\nBob;1250,50` a semicolon file although it contains a comma. Ties go to more
 * columns, then to `preferred`, then to the order , ; tab |. When no delimiter finds a header,
 * the first non-blank record is the header and only delimiters splitting it count (if any does);
 * no candidate giving more than one column (a one-column file) yields `preferred` or a comma.
 * `complete` says whether `text` is the whole file: if not, its last, possibly cut, line is ignored.
 */
export function detectTextLayout(text: string, complete: boolean, choice: LayoutChoice = {}): TextLayoutGuess {
  const lastBreak = text.lastIndexOf('\n');
  const body = complete || lastBreak === -1 ? text : text.slice(0, lastBreak);
  const { from, firstLine } = choice.headerLine === undefined ? { from: 0, firstLine: 1 } : fromLine(body, choice.headerLine);
  const searched = from === 0 ? body : body.slice(from);
  const order =
    choice.delimiter !== undefined
      ? [choice.delimiter]
      : choice.preferred !== undefined && SUPPORTED_DELIMITERS.includes(choice.preferred)
        ? [choice.preferred, ...SUPPORTED_DELIMITERS.filter((d) => d !== choice.preferred)]
        : SUPPORTED_DELIMITERS;
  const candidates = order.map((delimiter): Candidate => {
    const records = sampleRecords(searched, delimiter, firstLine, complete);
    // A chosen header line is the header, whatever it looks like.
    return { delimiter, records, header: choice.headerLine !== undefined ? (records.length > 0 ? 0 : undefined) : findHeaderRow(records) };
  });
  const atTop = candidates.filter((c) => c.header === 0 && c.records[0].cells.length >= 2);
  const below = candidates.filter((c) => c.header !== undefined && c.header > 0);
  const pool = atTop.length > 0 ? atTop : below.length > 0 ? below : firstRecordSplitters(candidates);
  const best = mostConsistent(pool) ?? candidates[0];
  const header = best.header ?? 0;
  // The rows above a chosen header line are shown too: a person may want to choose again.
  const records = from === 0 ? best.records : sampleRecords(body, best.delimiter, 1, complete);
  return { delimiter: best.delimiter, headerLine: best.records[header]?.line ?? firstLine, records };
}

/** The delimiter alone (see detectTextLayout). */
export function detectDelimiter(text: string, complete: boolean, preferred?: string): string {
  return detectTextLayout(text, complete, { preferred }).delimiter;
}

/** Where `line` starts in `text` (past its end: the end). */
function fromLine(text: string, line: number): { from: number; firstLine: number } {
  let from = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', from);
    if (next === -1) return { from: text.length, firstLine: n };
    from = next + 1;
  }
  return { from, firstLine: line };
}

/** No header anywhere: the first non-blank record is it, and delimiters that split it are preferred. */
function firstRecordSplitters(candidates: readonly Candidate[]): Candidate[] {
  const headed = candidates.map((c) => ({ ...c, header: c.records.length > 0 ? 0 : undefined }));
  const splitting = headed.filter((c) => c.records.length > 0 && c.records[0].cells.length >= 2);
  return splitting.length > 0 ? splitting : headed;
}

/** The candidate whose modal field count (> 1), from its header on, the most records share. */
function mostConsistent(pool: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  let bestMatching = 0;
  let bestWidth = 1;
  for (const candidate of pool) {
    const { matching, width } = consistency(candidate.records.slice(candidate.header ?? 0));
    if (width < 2) continue;
    if (matching > bestMatching || (matching === bestMatching && width > bestWidth)) {
      best = candidate;
      bestMatching = matching;
      bestWidth = width;
    }
  }
  return best;
}

/**
 * The sample's non-blank records split on `delimiter`, with the line each starts on (`firstLine`
 * for the first). The last record of an incomplete sample that ends inside quotes is `cut`.
 */
function sampleRecords(text: string, delimiter: string, firstLine: number, complete: boolean): SampleRecord[] {
  const parsed = Papa.parse<string[]>(text, { delimiter, newline: '\n', quoteChar: '"', preview: SAMPLE_RECORDS });
  const lastIndex = parsed.data.length - 1;
  const cutAt = !complete && parsed.errors.some((e) => e.code === 'MissingQuotes' && e.row === lastIndex) ? lastIndex : -1;
  const records: SampleRecord[] = [];
  let line = firstLine;
  parsed.data.forEach((cells, i) => {
    const start = line;
    line += 1;
    for (const cell of cells) {
      for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) line++;
    }
    if (!isBlankRow(cells)) records.push(i === cutAt ? { cells, line: start, cut: true } : { cells, line: start });
  });
  return records;
}

/** The most common field count among the records and how many records have it. */
function consistency(records: readonly SampleRecord[]): { matching: number; width: number } {
  const countsByWidth = new Map<number, number>();
  for (const record of records) {
    countsByWidth.set(record.cells.length, (countsByWidth.get(record.cells.length) ?? 0) + 1);
  }
  let matching = 0;
  let width = 1;
  for (const [w, count] of countsByWidth) {
    if (w < 2) continue;
    if (count > matching || (count === matching && w > width)) {
      matching = count;
      width = w;
    }
  }
  return { matching, width };
}
