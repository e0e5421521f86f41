// Random CSV-like files and what a correct reader must make of them, worked out independently
// of the reader: the generator builds each record from its cells, so it knows where every
// record starts; the line it starts on is counted over the rendered text by a plain counter
// (CRLF, LF and a lone CR each end one line); the expected cells follow the documented rules
// (app/source/README.md: line breaks inside cells read as \n, blank rows skipped, rows fitted
// to the header with a cell_count problem when their width differs).
import fc from 'fast-check';
import iconv from 'iconv-lite';
import type { SourceOptions } from '../../../app/source/types.ts';
import { expectedHeaderIndex } from './header-model.ts';

export type LineEnd = '\n' | '\r\n' | '\r';
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export const DELIMITERS = [',', ';', '\t', '|'] as const;

export interface CsvCell {
  /** The cell's text as a person typed it. */
  readonly value: string;
  /** Written between quotes (with quotes doubled). Required when the text holds a quote, the delimiter or a line break. */
  readonly quoted: boolean;
}

export interface CsvRecord {
  readonly cells: readonly CsvCell[];
  /** How the record's line ends; '' only for the last record of a file without a final line break. */
  readonly end: LineEnd | '';
}

export interface CsvDoc {
  readonly delimiter: string;
  readonly encoding: TextEncoding;
  readonly records: readonly CsvRecord[];
}

// ---------------------------------------------------------------- rendering

const renderCell = (cell: CsvCell): string => (cell.quoted ? `"${cell.value.replaceAll('"', '""')}"` : cell.value);
const renderRecord = (record: CsvRecord, delimiter: string): string => record.cells.map(renderCell).join(delimiter) + record.end;

export interface RenderedCsv {
  readonly text: string;
  readonly bytes: Buffer;
  /** The 1-based line each record starts on. */
  readonly startLines: readonly number[];
  /** Lines in the text (a final line break ends the last line rather than starting an empty one). */
  readonly lineCount: number;
}

/** Counts line ends in `text` from `from` to `to`: CRLF, LF and a lone CR each end one line. */
export function countLineEnds(text: string, from = 0, to = text.length): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '\n') count++;
    else if (c === '\r') {
      count++;
      if (text[i + 1] === '\n' && i + 1 < to) i++;
    }
  }
  return count;
}

export function encodeText(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\uFEFF${text}`, 'utf8');
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    case 'windows-1252':
      return iconv.encode(text, 'windows-1252');
  }
}

export function renderCsv(doc: CsvDoc): RenderedCsv {
  let text = '';
  const offsets: number[] = [];
  for (const record of doc.records) {
    offsets.push(text.length);
    text += renderRecord(record, doc.delimiter);
  }
  const startLines: number[] = [];
  let line = 1;
  let counted = 0;
  for (const offset of offsets) {
    line += countLineEnds(text, counted, offset);
    counted = offset;
    startLines.push(line);
  }
  const ends = countLineEnds(text);
  const endsWithBreak = text.endsWith('\n') || text.endsWith('\r');
  return { text, bytes: encodeText(text, doc.encoding), startLines, lineCount: ends + (endsWithBreak || text === '' ? 0 : 1) };
}

/** The options that pin down what the generator chose (a BOM announces the encoding itself). */
export function exactOptions(doc: CsvDoc): SourceOptions {
  return doc.encoding === 'windows-1252' ? { delimiter: doc.delimiter, encoding: 'windows-1252' } : { delimiter: doc.delimiter };
}

export function detectedEncodingName(doc: CsvDoc): string {
  return doc.encoding === 'utf-8-bom' ? 'utf-8' : doc.encoding;
}

// ---------------------------------------------------------------- the expected outcome

export interface ExpectedRow {
  readonly rowNumber: number;
  readonly cells: readonly string[];
  /** The row as it was when it had to be padded or cut. */
  readonly rawCells?: readonly string[];
  readonly problem?: 'cell_count';
}

export type ExpectedCsv =
  | { readonly kind: 'file_error'; readonly code: 'empty' }
  | { readonly kind: 'file'; readonly header: readonly string[]; readonly headerRowNumber: number; readonly rows: readonly ExpectedRow[] };

/** A line break inside a quoted cell reads as \n whatever the file's line ends. */
const cellAsRead = (cell: CsvCell): string => cell.value.replace(/\r\n?/g, '\n');
const isBlank = (text: string): boolean => text.trim() === '';

function letter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

export function expectedCsv(doc: CsvDoc, rendered: RenderedCsv): ExpectedCsv {
  const records = doc.records.map((record, i) => ({ cells: record.cells.map(cellAsRead), line: rendered.startLines[i] }));
  const filled = records.filter((record) => !record.cells.every(isBlank));
  const headerAt = expectedHeaderIndex(filled.map((record) => record.cells));
  const headerRecord = filled[headerAt];
  const data = filled.slice(headerAt + 1);
  if (headerRecord === undefined) return { kind: 'file_error', code: 'empty' };
  // Repeated names are read as they are: only a mapping that uses one refuses them.
  const header = headerRecord.cells.map((cell, i) => (cell.trim() === '' ? `Column ${letter(i)}` : cell.trim()));
  const width = header.length;
  const rows = data.map((record): ExpectedRow => {
    const cells = record.cells;
    if (cells.length === width) return { rowNumber: record.line, cells };
    if (cells.length > width && cells.slice(width).every(isBlank)) return { rowNumber: record.line, cells: cells.slice(0, width) };
    const fitted = cells.length > width ? cells.slice(0, width) : [...cells, ...Array<string>(width - cells.length).fill('')];
    return { rowNumber: record.line, cells: fitted, rawCells: cells, problem: 'cell_count' };
  });
  return { kind: 'file', header, headerRowNumber: headerRecord.line, rows };
}

// ---------------------------------------------------------------- generators

/** Characters every encoding here can write, Windows-1252 included. */
const WESTERN = [
  'a',
  'b',
  'Z',
  '0',
  '1',
  '9',
  ' ',
  'é',
  'ë',
  'ñ',
  '€',
  'ü',
  'Ø',
  'ß',
  '\u00a0',
  '.',
  ',',
  ';',
  '|',
  '\t',
  '-',
  '=',
  '+',
  '@',
  '$',
  "'",
  '_',
  '(',
  ')',
];
/** And more that only Unicode encodings can (a surrogate pair among them, split across chunks by small reads). */
const UNICODE_ONLY = ['ł', '中', '😀', 'Ω', '\u2028'];
const LINE_BREAKS = ['\n', '\r\n', '\r'];

/** Cell texts a lead file really holds, good and bad, formula-like ones included. */
export const REALISTIC_CELLS = [
  'ld_1',
  'ld_2',
  'LD-3',
  'ACTIVE',
  'cold',
  'Actve',
  'co-applicant',
  'WAITLISTED',
  '$1,250.50',
  '1.250,50',
  '1250,5',
  '2',
  '2.5',
  '-1',
  '3/7/2026',
  '2026-02-30',
  'Mar 7, 2025',
  'yes',
  'maybe',
  'zoe@example.com',
  'x@',
  '=SUM(A1:A2)',
  '+15551234567',
  '@cmd',
  '-5',
  'J.',
  'JR',
  'Zoë',
  'José',
  'São Paulo',
  '',
  ' ',
  '  \t ',
  'ld_1 ',
];

/** Header names: known fields, unknown columns, blanks, names that clash once trimmed and lower-cased. */
export const HEADER_NAMES = [
  'Lead ID',
  'Status',
  'Max Rent',
  'E-mail Address',
  'Move-in Date',
  'Beds',
  'Notes',
  'Prénom',
  'Ville',
  'Has Cats',
  'Middle Initial',
  'Cell Phone',
  'Zoë "quoted"',
  'Commentaire, libre',
  'Line\nbreak',
  '',
  ' Status ',
  'status',
  '€ Budget',
  'Taille; cm',
  'Pipe|name',
];

const textFrom = (units: readonly string[], maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...units), maxLength });

/** Does the text have to be quoted with this delimiter? */
export const mustQuote = (value: string, delimiter: string): boolean => /["\r\n]/.test(value) || value.includes(delimiter);

function cellArb(delimiter: string, unicode: boolean, fromValues: readonly string[] = REALISTIC_CELLS): fc.Arbitrary<CsvCell> {
  const plain = [...WESTERN, ...(unicode ? UNICODE_ONLY : [])].filter((c) => c !== delimiter);
  const anything = [...WESTERN, ...(unicode ? UNICODE_ONLY : []), '"', '""', ...LINE_BREAKS];
  const value = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...fromValues) },
    { weight: 2, arbitrary: textFrom(plain, 12) },
    { weight: 2, arbitrary: textFrom(anything, 12) },
  );
  return fc.tuple(value, fc.boolean()).map(([text, quote]) => ({ value: text, quoted: quote || mustQuote(text, delimiter) }));
}

const blankCellArb = (delimiter: string): fc.Arbitrary<CsvCell> =>
  fc
    .constantFrom('', ' ', '\t', '\u00a0', '\n', '\r\n', ' \r ')
    .chain((value) =>
      mustQuote(value, delimiter) ? fc.constant({ value, quoted: true }) : fc.boolean().map((quoted) => ({ value, quoted })),
    );

type LineEndStyle = 'lf' | 'crlf' | 'cr' | 'mixed';
const lineEndArb = (style: LineEndStyle): fc.Arbitrary<LineEnd> =>
  style === 'lf'
    ? fc.constant('\n')
    : style === 'crlf'
      ? fc.constant('\r\n')
      : style === 'cr'
        ? fc.constant('\r')
        : fc.constantFrom<LineEnd>('\n', '\r\n', '\r');

/**
 * A whole file: 0–2 blank records, a header of 1–6 names, 0–12 data records (mostly as wide as the
 * header, some shorter or wider, some blank), line ends of one style or mixed, and an encoding.
 */
export function csvDocArb(options: { encodings?: readonly TextEncoding[]; maxRows?: number } = {}): fc.Arbitrary<CsvDoc> {
  const encodings = options.encodings ?? ['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252'];
  return fc
    .record({
      delimiter: fc.constantFrom(...DELIMITERS),
      encoding: fc.constantFrom(...encodings),
      style: fc.constantFrom<LineEndStyle>('lf', 'crlf', 'cr', 'mixed'),
      width: fc.integer({ min: 1, max: 6 }),
      finalBreak: fc.boolean(),
    })
    .chain(({ delimiter, encoding, style, width, finalBreak }) => {
      const unicode = encoding !== 'windows-1252';
      const cell = cellArb(delimiter, unicode);
      const blankRecord = fc.record({
        cells: fc.array(blankCellArb(delimiter), { minLength: 1, maxLength: width + 1 }),
        end: lineEndArb(style),
      });
      const headerNames = fc.array(fc.constantFrom(...HEADER_NAMES), { minLength: width, maxLength: width });
      const headerRecord = fc.record({
        cells: fc.tuple(headerNames, fc.integer({ min: 0, max: width - 1 }), fc.boolean()).map(([names, at, withLeadId]) => {
          const withId = withLeadId ? names.map((n, i) => (i === at ? 'Lead ID' : n)) : names;
          return withId.map((value) => ({ value, quoted: mustQuote(value, delimiter) }));
        }),
        end: lineEndArb(style),
      });
      const dataWidth = fc.oneof(
        { weight: 7, arbitrary: fc.constant(width) },
        { weight: 1, arbitrary: fc.constant(width + 1) },
        { weight: 2, arbitrary: fc.integer({ min: 1, max: width + 2 }) },
      );
      const dataRecord = fc.oneof(
        {
          weight: 8,
          arbitrary: dataWidth.chain((w) => fc.record({ cells: fc.array(cell, { minLength: w, maxLength: w }), end: lineEndArb(style) })),
        },
        { weight: 1, arbitrary: blankRecord },
        // Extra blank cells after the last column, as Excel writes after a deleted column.
        {
          weight: 1,
          arbitrary: fc.record({
            cells: fc
              .tuple(
                fc.array(cell, { minLength: width, maxLength: width }),
                fc.array(blankCellArb(delimiter), { minLength: 1, maxLength: 2 }),
              )
              .map(([a, b]) => [...a, ...b]),
            end: lineEndArb(style),
          }),
        },
      );
      return fc
        .tuple(fc.array(blankRecord, { maxLength: 2 }), headerRecord, fc.array(dataRecord, { maxLength: options.maxRows ?? 12 }))
        .map(([before, header, data]) => ({
          delimiter,
          encoding,
          records: finishRecords([...before, header, ...data], finalBreak, delimiter),
        }));
    });
}

/**
 * Without a final line break the last record ends with ''. A record ending in a lone CR followed
 * by one starting with LF would make one CRLF line end of the two: the first then ends in CRLF.
 */
function finishRecords(records: CsvRecord[], finalBreak: boolean, delimiter: string): CsvRecord[] {
  const out = records.map((r, i) => (i === records.length - 1 && !finalBreak ? { ...r, end: '' as const } : r));
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i].end === '\r' && renderRecord(out[i + 1], delimiter).startsWith('\n')) out[i] = { ...out[i], end: '\r\n' };
  }
  return out;
}

/**
 * Text that only looks like CSV: quotes anywhere (unbalanced, unescaped, never closed), every
 * delimiter, LF and CRLF line ends, BOM-like and accented characters, with or without a
 * plausible header first. Line ends are LF or CRLF only, so lines are easy to count here.
 */
export const hostileTextArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', 'Lead ID,Status,Notes\r\n', 'Lead ID;Status;Max Rent\n', 'Lead ID\tStatus\tNotes\n', '"Lead ID","Status"\n'),
    fc.array(
      fc.constantFrom(
        '"',
        '""',
        '"""',
        ',',
        ';',
        '\t',
        '|',
        '\n',
        '\r\n',
        'a',
        'é',
        ' ',
        '\uFEFF',
        'ld_1',
        'ACTIVE',
        '=1+2',
        '"ld_2"',
        '\n\n',
        'x"y',
      ),
      { maxLength: 60 },
    ),
  )
  .map(([header, tokens]) => header + tokens.join(''));
