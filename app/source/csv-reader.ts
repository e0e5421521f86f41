import { extname } from 'node:path';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import { readTextRecords } from './csv-records.ts';
import { detectTextLayout, type SampleRecord } from './delimiter.ts';
import { codePageDoubt, decodeSample, detectEncoding, encodingFromBom } from './encoding.ts';
import { fileError } from './file-errors.ts';
import { buildHeader } from './header.ts';
import { LineBreakNormalizer } from './line-breaks.ts';
import { batchRowsFor, type ReadTuning } from './read-tuning.ts';
import { shapeTextRow } from './row-shape.ts';
import { isWholeFile, looksBinary, type FileSample } from './sniff.ts';
import { clipCell, HEADER_SEARCH_ROWS } from './header-row.ts';
import type {
  EncodingDoubt,
  EncodingFallback,
  FileError,
  HeaderCandidate,
  RowProblem,
  SourceFile,
  SourceOptions,
  SourceRow,
  TextLayout,
} from './types.ts';

interface HeaderRecord {
  readonly fields: string[];
  readonly line: number;
  readonly quoting: RowProblem | undefined;
}

/**
 * Opens a delimited text file (CSV, TSV, semicolon or pipe separated): detects its encoding and
 * delimiter from `sample` unless `options` give them (already validated), reads the header
 * (`options.headerRow`, else the first row that looks like one: header-row.ts) and returns a SourceFile whose `rows()` streams the data rows.
 */
export async function openDelimitedText(
  path: string,
  sample: FileSample,
  options: SourceOptions,
  tuning: ReadTuning,
): Promise<E.Either<FileError, SourceFile>> {
  const whole = isWholeFile(sample);
  const encoding = options.encoding ?? detectEncoding(sample.bytes, whole);
  const sampleText = decodeSample(sample.bytes, encoding);
  if (looksBinary(sampleText)) {
    return E.left(fileError('not_a_table', path, 'is not a table: it holds binary data, not text. Choose a CSV or an Excel (.xlsx) file.'));
  }
  const normalizer = new LineBreakNormalizer();
  const normalizedSample = normalizer.push(sampleText) + (whole ? normalizer.end() : '');
  const preferred = extname(path).toLowerCase() === '.tsv' ? '\t' : undefined;
  const guess = detectTextLayout(normalizedSample, whole, { preferred, delimiter: options.delimiter, headerLine: options.headerRow });
  const delimiter = guess.delimiter;
  // A CR followed by anything but LF: this file ends lines with lone CRs somewhere.
  const loneCarriageReturns = /\r[^\n]/.test(sampleText);
  const utf8Guessed = options.encoding === undefined && encoding === 'utf-8' && encodingFromBom(sample.bytes) === undefined;
  const guessed: TextLayout = { path, encoding, delimiter, loneCarriageReturns, ...(utf8Guessed ? { utf8Guessed } : {}) };
  const found = new EncodingFound(guessed);
  const encodingDoubt = options.encoding === undefined && encoding === 'windows-1252' ? doubtInSample(sample.bytes) : undefined;

  const header = await recordAt(guessed, guess.headerLine, tuning);
  if (header === undefined && options.headerRow !== undefined) {
    return E.left(
      fileError(
        'no_header',
        path,
        `has no line ${options.headerRow}: it ends before it (or only blank lines follow), so it cannot be the header row.`,
      ),
    );
  }
  if (header === undefined) {
    return E.left(fileError('empty', path, 'is empty: it has no header row and no data (every line is blank).'));
  }
  if (options.headerRow !== undefined && header.line !== options.headerRow) {
    return E.left(
      fileError(
        'no_header',
        path,
        `cannot take line ${options.headerRow} as its header row: it is blank or inside a quoted cell; the next row starts on line ${header.line}.`,
      ),
    );
  }
  if (header.quoting !== undefined) {
    return E.left(fileError('no_header', path, `has no usable header row: line ${header.line} ${header.quoting.message}.`));
  }
  const headerLine = header.line;
  return pipe(
    buildHeader(path, header.fields, `line ${headerLine}`),
    E.map((names): SourceFile => ({
      path,
      format: 'csv',
      get encoding() {
        return found.layout.encoding;
      },
      get encodingFallback() {
        return found.fallback;
      },
      ...(encodingDoubt !== undefined ? { encodingDoubt } : {}),
      noteEncodingFallback: (fallback) => found.fellBack(fallback),
      delimiter,
      header: names,
      headerRowNumber: headerLine,
      headerCandidates: headerCandidates(guess.records, headerLine),
      get textLayout() {
        return found.layout;
      },
      // Each call reads the file afresh, passing over the header and the lines before it.
      rows: (watch) =>
        readTextRecords<SourceRow>(
          found.layout,
          (fields, line, quoting) => (line <= headerLine ? undefined : shapeTextRow(line, fields, names.length, quoting)),
          { ...tuning, batchRows: batchRowsFor(names.length, tuning.batchRows) },
          undefined,
          watch?.bytes === undefined ? found : { fellBack: (fallback) => found.fellBack(fallback), bytes: watch.bytes },
        ),
    })),
  );
}

/**
 * What reading has found out about the encoding a sample guessed: a file guessed to be UTF-8
 * turns out to be Windows-1252 past the sample. Later reads take it as Windows-1252 from the
 * start, which reads the same (only ASCII came before).
 */
class EncodingFound {
  layout: TextLayout;
  fallback: EncodingFallback | undefined;

  constructor(guessed: TextLayout) {
    this.layout = guessed;
  }

  fellBack(fallback: EncodingFallback): void {
    if (this.fallback !== undefined) return;
    this.fallback = fallback;
    this.layout = {
      path: this.layout.path,
      encoding: 'windows-1252',
      delimiter: this.layout.delimiter,
      loneCarriageReturns: this.layout.loneCarriageReturns,
    };
  }
}

/** Whether the sample, detected as Windows-1252, looks like another code page, and on which line. */
function doubtInSample(bytes: Uint8Array): EncodingDoubt | undefined {
  const doubt = codePageDoubt(bytes);
  if (doubt === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < doubt.offset; i++) {
    // CRLF counts once (at its LF); a lone CR ends a line too.
    if (bytes[i] === LF || (bytes[i] === CR && bytes[i + 1] !== LF)) line++;
  }
  return { line, why: doubt.why };
}

const LF = 0x0a;
const CR = 0x0d;

/** The first non-blank record starting on `line` or after it. */
async function recordAt(layout: TextLayout, atLine: number, tuning: ReadTuning): Promise<HeaderRecord | undefined> {
  let found = false;
  const visit = (fields: string[], line: number, quoting: RowProblem | undefined): HeaderRecord | undefined => {
    if (found || line < atLine) return undefined;
    found = true;
    return { fields, line, quoting };
  };
  for await (const batch of readTextRecords(layout, visit, { ...tuning, batchRows: 1 })) {
    if (batch.length > 0) return batch[0];
  }
  return undefined;
}

/** The sample's first rows, for a person choosing another header row; the header among them. */
function headerCandidates(records: readonly SampleRecord[], headerLine: number): HeaderCandidate[] {
  return records
    .slice(0, HEADER_SEARCH_ROWS)
    .map((record) => ({ rowNumber: record.line, cells: record.cells.map(clipCell), isHeader: record.line === headerLine }));
}
