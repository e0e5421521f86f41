// What every reader yields, whatever the file format.
import type { SupportedEncoding } from '../shared/encodings.ts';

/** Defined with its codec in app/shared (the bridge and run.json decode it); every reader takes it. */
export type { SupportedEncoding };

/**
 * One cell as the file holds it. CSV cells are always strings; XLSX cells keep their type:
 * numbers as typed, booleans, dates from date-formatted cells (a UTC midnight `Date` for the
 * calendar day shown), formulas by their cached value. An empty cell is `''`.
 */
export type Cell = string | number | boolean | Date;

/** `unfixed`: a row of our error report refused for its shape when first read, unchanged since. */
export type RowProblemKind = 'cell_count' | 'quoting' | 'too_long' | 'unfixed';

/** A row-level problem found while reading: the row is invalid, the run goes on. */
export interface RowProblem {
  readonly kind: RowProblemKind;
  /** A sentence a spreadsheet user understands, e.g. "has 7 cells, the header has 9". */
  readonly message: string;
}

export interface SourceRow {
  /** The row number a person sees: the 1-based line where the row starts (CSV), or the sheet row (XLSX). */
  readonly rowNumber: number;
  /** One entry per header column (padded with '' or truncated when the row's width differs; see `problem`). */
  readonly cells: readonly Cell[];
  /** The cells exactly as they were in the file when `cells` had to be padded/truncated. */
  readonly rawCells?: readonly Cell[];
  readonly problem?: RowProblem;
}

export type SourceFormat = 'csv' | 'xlsx';

export interface PassedOverSheet {
  readonly name: string;
  readonly why: 'chart' | 'not_a_worksheet' | 'empty';
}

export interface SourceOptions {
  /** Overrides detection. */
  readonly encoding?: SupportedEncoding;
  /** Overrides detection: one of `,` `;` `\t` `|`. */
  readonly delimiter?: string;
  /** XLSX: the sheet to read; the first one by default. */
  readonly sheet?: string;
  /** XLSX: the most a workbook may hold uncompressed, in MB (workbook-limits.ts; other limits scale with it). */
  readonly maxWorkbookMb?: number;
  /**
   * The header's row number as the file shows it (CSV: the line; XLSX: the sheet row). By
   * default the first row that looks like a header (header-row.ts): title lines above are passed over.
   */
  readonly headerRow?: number;
}

/** One of a file's first rows, offered to a person who wants another header row. */
export interface HeaderCandidate {
  readonly rowNumber: number;
  /** The row's cells as text (long ones cut short). */
  readonly cells: readonly string[];
  /** The row being used as the header. */
  readonly isHeader: boolean;
}

export type FileErrorCode =
  | 'unreadable'
  | 'empty'
  | 'no_header'
  | 'duplicate_header' // now from the mapping (prepare-import.ts): a repeated header name it would use
  | 'not_a_table'
  | 'sheet_not_found'
  | 'bad_option'
  /** Bigger than we read safely (a workbook's limits, workbook-limits.ts). */
  | 'too_large'
  | 'encoding';

/** A problem with the whole file: nothing is written, the CLI exits 2. */
export interface FileError {
  readonly code: FileErrorCode;
  /** Names the file (and the column/sheet/option where that applies). */
  readonly message: string;
}

/** An opened file: its header is known, its rows are read on demand, in order, once. */
export interface SourceFile {
  readonly path: string;
  readonly format: SourceFormat;
  /**
   * CSV: what was detected or given. A UTF-8 guess becomes 'windows-1252' once reading finds
   * that the file is (`encodingFallback` then says where).
   */
  readonly encoding?: SupportedEncoding;
  /** CSV guessed to be UTF-8 that reading found to be Windows-1252: the first line that is not UTF-8. */
  readonly encodingFallback?: EncodingFallback;
  /** CSV detected as Windows-1252 from its first 64 KB, whose text there looks like another code page. */
  readonly encodingDoubt?: EncodingDoubt;
  /** Records what a read of a part of the file found (app/validate/segments.ts). */
  noteEncodingFallback?(fallback: EncodingFallback): void;
  readonly delimiter?: string;
  /** XLSX: the sheet being read, and every sheet's name. */
  readonly sheet?: string;
  readonly sheets?: readonly string[];
  /** XLSX: each sheet's row count, in the order of `sheets` (null: a chart, or not found), for a sheet picker. */
  readonly sheetRowCounts?: readonly (number | null)[];
  /** XLSX read from its default sheet: the visible sheets in front of it that hold no data. */
  readonly sheetsPassedOver?: readonly PassedOverSheet[];
  /** Header cells as text, trimmed, in file order. */
  readonly header: readonly string[];
  /** The header's row number (a line or sheet row); rows above it are not data. */
  readonly headerRowNumber: number;
  /** The first non-blank rows of the file (about 20), for choosing another header row. */
  readonly headerCandidates: readonly HeaderCandidate[];
  /** Delimited text only: how it is read, so a part of it can be read alone (app/validate/segments.ts). */
  readonly textLayout?: TextLayout;
  /**
   * The data rows in batches (a few hundred to a few thousand), so the hot path pays one
   * await per batch, not per row. Blank rows are left out; a file read a second time
   * yields the same rows.
   */
  rows(watch?: RowsWatch): AsyncIterable<readonly SourceRow[]>;
}

/** What a reading of the rows may tell besides them. */
export interface RowsWatch {
  /**
   * Delimited text: every byte of the file as read, in order from its start (`at`: the file
   * offset of `bytes`). Other formats read parts of the file, in no such order: never told.
   */
  readonly bytes?: (bytes: Uint8Array, at: number) => void;
}

/** How to read a delimited text file, once detected. */
export interface TextLayout {
  readonly path: string;
  readonly encoding: SupportedEncoding;
  readonly delimiter: string;
  /**
   * The file ends lines with a lone CR somewhere (old Mac exports), so every CR must be read as
   * a line break. Otherwise lines end with LF or CRLF, and a CR before an LF is simply dropped.
   */
  readonly loneCarriageReturns: boolean;
  /**
   * UTF-8 was guessed from the sample (no byte-order mark, not given): if the first bytes past
   * ASCII are not UTF-8, the file is read as Windows-1252 (see Utf8Reading in encoding.ts).
   */
  readonly utf8Guessed?: boolean;
}

/** A part of the file that starts and ends at record boundaries (see app/validate/segments.ts). */
export interface TextRange {
  /** Byte offset of the first record; `end` is one past the last byte read. */
  readonly start: number;
  readonly end: number;
  /** The file line `start` is on. */
  readonly firstLine: number;
  /** A UTF-8 guess: whether the text before `start` held UTF-8 characters (then the part is strict UTF-8). */
  readonly before?: 'ascii' | 'utf-8';
}

/** A file guessed to be UTF-8 that is Windows-1252: where the first byte that is not UTF-8 is. */
export interface EncodingFallback {
  readonly line: number;
  readonly byte: number;
  /** The text from that byte on looks like another code page (`codePageDoubt` in encoding.ts). */
  readonly otherCodePage?: boolean;
}

/** Why text read as Windows-1252 looks like another code page (`codePageDoubt` in encoding.ts). */
export type CodePageDoubtReason = 'unassigned_byte' | 'letter_run';

/** Text detected as Windows-1252 that looks like another code page: where, and why. */
export interface EncodingDoubt {
  readonly line: number;
  readonly why: CodePageDoubtReason;
}
