// Property tests over random CSV-like text: quotes, the four delimiters, CR/LF/CRLF, BOMs and
// encodings, accented letters, blank and ragged rows. The reader and the whole validation must
// never crash or hang; every row a reader yields starts on the line the generator put it on;
// every row ends valid, invalid or skipped; every issue names a row of the file and, for a cell,
// a column of the header.
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../../app/source/open-source.ts';
import { DEFAULT_TUNING, type ReadTuning } from '../../../app/source/read-tuning.ts';
import type { SourceFile, SourceOptions, SourceRow } from '../../../app/source/types.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
import type { SegmentOutcome } from '../../../app/validate/segments.ts';
import {
  DELIMITERS,
  csvDocArb,
  detectedEncodingName,
  exactOptions,
  expectedCsv,
  hostileTextArb,
  renderCsv,
  type CsvDoc,
  type ExpectedCsv,
} from './csv-model.ts';
import {
  CASE_LIMIT_MS,
  decodeAll,
  drainRows,
  expectFileLevelError,
  expectSummaryConsistent,
  expectWellFormedRows,
  readReport,
  repeatsAName,
  runs,
  scratchDir,
  seedOption,
  timeFor,
  withinTime,
  type Scratch,
} from './support.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const MODEL_RUNS = runs(150);
const VALIDATE_RUNS = runs(100);
const DETECT_RUNS = runs(100);
const LONG_DETECT_RUNS = runs(30);
/** Each run starts a worker thread: a few suffice by default. */
const HOSTILE_SEGMENT_RUNS = runs(6);
const HOSTILE_RUNS = runs(200);

/** Tiny reads put chunk boundaries inside characters, CRLFs and quoted cells; tiny batches split rows. */
const TINY: ReadTuning = { chunkBytes: 7, batchRows: 2, maxPendingChars: DEFAULT_TUNING.maxPendingChars };

/** The reader's rows in the shape of the model's. */
const asExpected = (row: SourceRow) => ({
  rowNumber: row.rowNumber,
  cells: row.cells,
  ...(row.problem === undefined ? {} : { rawCells: row.rawCells, problem: row.problem.kind }),
});

function expectMatchesModel(source: SourceFile, rows: readonly SourceRow[], expected: Extract<ExpectedCsv, { kind: 'file' }>): void {
  expect(source.header).toEqual(expected.header);
  expect(source.headerRowNumber).toBe(expected.headerRowNumber);
  expect(rows.map(asExpected)).toEqual(expected.rows);
}

async function readAs(
  path: string,
  options: SourceOptions,
  tuning: ReadTuning,
): Promise<E.Either<string, { source: SourceFile; rows: SourceRow[] }>> {
  const opened = await openSource(path, options, tuning);
  if (E.isLeft(opened)) return E.left(opened.left.code);
  return E.right({ source: opened.right, rows: await drainRows(opened.right) });
}

/**
 * Windows-1252 text whose first bytes past ASCII also spell a UTF-8 character ("Ø" and a
 * no-break space are D8 A0, which is U+0620 in UTF-8): the first character past ASCII decides
 * (app/source/encoding.ts), so the file reads as UTF-8 until a byte that is not, and is then
 * refused as mixing two encodings, naming the line and --encoding (what issue #11 allows).
 */
function startsLikeUtf8(bytes: Uint8Array): boolean {
  const first = bytes.findIndex((b) => b > 0x7f);
  if (first < 0) return false;
  for (let length = 2; length <= 4; length++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(first, first + length));
      return true;
    } catch {
      // not a whole character of this length
    }
  }
  return false;
}

const hasLeadId = (expected: ExpectedCsv): boolean => expected.kind === 'file' && expected.header.includes('Lead ID');

describe('random CSV-like files with known record starts', () => {
  it(
    'read exactly as the model says: header, row numbers from an independent line count, cells, ragged rows',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvDocArb(), fc.boolean(), async (doc, tiny) => {
          const rendered = renderCsv(doc);
          const expected = expectedCsv(doc, rendered);
          const path = await scratch.write('model.csv', rendered.bytes);
          const read = await withinTime('read', CASE_LIMIT_MS, () => readAs(path, exactOptions(doc), tiny ? TINY : DEFAULT_TUNING));
          if (expected.kind === 'file_error') {
            expect(read).toEqual(E.left(expected.code));
            return;
          }
          if (E.isLeft(read)) throw new Error(`expected the file to open, got ${read.left}`);
          expect(read.right.source.encoding).toBe(detectedEncodingName(doc));
          expectWellFormedRows(read.right.source, read.right.rows);
          expectMatchesModel(read.right.source, read.right.rows, expected);
          // Every row number is the start of a record the generator wrote, on a line of the file.
          const starts = new Set(renderCsv(doc).startLines);
          for (const row of read.right.rows) {
            expect(starts.has(row.rowNumber)).toBe(true);
            expect(row.rowNumber).toBeLessThanOrEqual(rendered.lineCount);
          }
        }),
        { numRuns: MODEL_RUNS, ...seedOption() },
      );
    },
    timeFor(MODEL_RUNS, 300),
  );

  it(
    'validate never crashes: every row ends valid, invalid or skipped, issues name its row and a header column, the report holds the rest',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvDocArb(), async (doc) => {
          const rendered = renderCsv(doc);
          const expected = expectedCsv(doc, rendered);
          const path = await scratch.write('validate.csv', rendered.bytes);
          const errorsPath = scratch.path('errors.csv');
          const options = { path, source: exactOptions(doc), errorsPath, keepProblems: Number.POSITIVE_INFINITY };
          const result = await withinTime('validate', CASE_LIMIT_MS, () => validateFile(options));
          // A name the header repeats may be one the automatic mapping would use: then it refuses.
          if (expected.kind === 'file' && E.isLeft(result) && result.left.code === 'duplicate_header') {
            expect(repeatsAName(expected.header)).toBe(true);
            expectFileLevelError(result.left, path);
            expect(result.left.message).toMatch(/column [A-Z]+ \(".*"\) and column [A-Z]+ \(".*"\)/);
            return;
          }
          if (expected.kind === 'file_error' || !hasLeadId(expected)) {
            if (E.isRight(result)) throw new Error('expected a file-level error');
            expect(result.left.code).toBe(expected.kind === 'file_error' ? expected.code : 'no_lead_id');
            expectFileLevelError(result.left, path);
            await expect(readReport(errorsPath)).rejects.toThrow(/ENOENT/);
            return;
          }
          if (E.isLeft(result)) throw new Error(`expected a summary, got ${result.left.message}`);
          const summary = result.right;
          const expectedNumbers = new Set(expected.rows.map((r) => r.rowNumber));
          expectSummaryConsistent(summary, expected.header, expectedNumbers);

          // Row by row: the same rows through the decoder, each with its outcome checked.
          const prepared = await prepareImport({ path, source: exactOptions(doc) });
          if (E.isLeft(prepared)) throw new Error(prepared.left.message);
          const { rows, decoded } = await withinTime('decode', CASE_LIMIT_MS, () => decodeAll(prepared.right));
          expect(rows.map((r) => r.rowNumber)).toEqual(expected.rows.map((r) => r.rowNumber));
          expect(summary.valid).toBe(decoded.filter((d) => d.status === 'valid').length);
          expect(summary.invalid).toBe(decoded.filter((d) => d.status === 'invalid').length);
          // Every error of every invalid row is listed, with its row.
          const errorCount = decoded.reduce((n, d) => n + d.errors.length, 0);
          expect(summary.firstProblems.filter((p) => p.severity === 'error')).toHaveLength(errorCount);

          // The report: exactly the rows that will not be sent, by their row numbers, in file order.
          const report = await readReport(errorsPath);
          const importRow = report[0].indexOf('import_row');
          expect(importRow).toBeGreaterThanOrEqual(0);
          expect(report.slice(1).map((r) => Number(r[importRow]))).toEqual(
            decoded.filter((d) => d.status !== 'valid').map((d) => d.rowNumber),
          );
        }),
        { numRuns: VALIDATE_RUNS, ...seedOption() },
      );
    },
    timeFor(VALIDATE_RUNS, 500),
  );

  it(
    'detect their own encoding and delimiter, or at worst read other rows, never crashing',
    async () => {
      await fc.assert(
        fc.asyncProperty(csvDocArb(), async (doc) => {
          const rendered = renderCsv(doc);
          const expected = expectedCsv(doc, rendered);
          const path = await scratch.write('detect.csv', rendered.bytes);
          const read = await withinTime('read', CASE_LIMIT_MS, () => readAs(path, {}, DEFAULT_TUNING));
          if (E.isLeft(read)) {
            const ambiguous = doc.encoding === 'windows-1252' && startsLikeUtf8(rendered.bytes);
            expect(ambiguous ? ['empty', 'no_header', 'encoding'] : ['empty', 'no_header']).toContain(read.left);
            return;
          }
          const { source, rows } = read.right;
          expectWellFormedRows(source, rows);
          for (const row of rows) expect(row.rowNumber).toBeLessThanOrEqual(rendered.lineCount);
          // A BOM decides the encoding; text without one is valid UTF-8 or read as Windows-1252.
          if (doc.encoding !== 'windows-1252') expect(source.encoding).toBe(detectedEncodingName(doc));
          if (expected.kind === 'file' && source.delimiter === doc.delimiter && source.encoding === detectedEncodingName(doc)) {
            expectMatchesModel(source, rows, expected);
          }
        }),
        { numRuns: DETECT_RUNS, ...seedOption() },
      );
    },
    timeFor(DETECT_RUNS, 300),
  );

  it(
    'detect the delimiter that splits their header, even past a multi-line cell longer than the sample, full of other delimiters',
    async () => {
      const otherDelimiters = (doc: CsvDoc): string[] => DELIMITERS.filter((d) => d !== doc.delimiter);
      // A header of two or more names that only the file's own delimiter splits, first in the file.
      const docs = csvDocArb()
        .map((doc) => ({ doc, headerAt: doc.records.findIndex((r) => !r.cells.every((c) => c.value.trim() === '')) }))
        .filter(({ doc, headerAt }) => {
          const upToHeader = doc.records.slice(0, headerAt + 1);
          const text = upToHeader.flatMap((r) => r.cells.map((c) => c.value)).join('');
          return headerAt >= 0 && doc.records[headerAt].cells.length >= 2 && !otherDelimiters(doc).some((d) => text.includes(d));
        });
      await fc.assert(
        fc.asyncProperty(docs, fc.integer({ min: 70, max: 120 }), async ({ doc, headerAt }, kilobytes) => {
          // Then a lead whose note (its last cell, as notes usually are) runs over thousands of
          // lines that split evenly on every other delimiter.
          const line = otherDelimiters(doc)
            .map((d) => `note${d} more`)
            .join(' ');
          const note = Array.from({ length: Math.ceil((kilobytes * 1024) / line.length) }, () => line).join('\r\n');
          const width = doc.records[headerAt].cells.length;
          const lead = {
            cells: [
              ...Array.from({ length: width - 1 }, (_, i) => ({ value: i === 0 ? 'ld_2' : 'ACTIVE', quoted: false })),
              { value: note, quoted: true },
            ],
            end: '\r\n' as const,
          };
          const header = doc.records[headerAt];
          const records = [
            ...doc.records.slice(0, headerAt),
            { ...header, end: header.end === '' ? ('\n' as const) : header.end },
            lead,
            ...doc.records.slice(headerAt + 1),
          ];
          const path = await scratch.write('detect-long.csv', renderCsv({ ...doc, records }).bytes);
          const opened = await withinTime('open', CASE_LIMIT_MS, () => openSource(path));
          if (E.isLeft(opened)) throw new Error(`expected the file to open: ${opened.left.message}`);
          expect(opened.right.delimiter).toBe(doc.delimiter);
        }),
        { numRuns: LONG_DETECT_RUNS, ...seedOption() },
      );
    },
    timeFor(LONG_DETECT_RUNS, 500),
  );
});

/**
 * Validates `path` in one thread and cut in two at `share` of its size: the summaries and the
 * error reports must be the same, whatever the quotes did to the cut.
 */
async function expectSameInTwoParts(path: string, source: SourceOptions, share: number): Promise<SegmentOutcome | undefined> {
  const oneReport = scratch.path('one.csv');
  const twoReport = scratch.path('two.csv');
  let outcome: SegmentOutcome | undefined;
  const one = await withinTime('validate', CASE_LIMIT_MS, () =>
    validateFile({ path, source, errorsPath: oneReport, keepProblems: Number.POSITIVE_INFINITY }),
  );
  const two = await withinTime('validate in two parts', CASE_LIMIT_MS, () =>
    validateFile({
      path,
      source,
      errorsPath: twoReport,
      keepProblems: Number.POSITIVE_INFINITY,
      segments: { minBytes: 0, share },
      onSegments: (how) => (outcome = how),
    }),
  );
  if (E.isLeft(one)) {
    expect(two).toEqual(one);
    return outcome;
  }
  if (E.isLeft(two)) throw new Error(two.left.message);
  expect({ ...two.right, errorsFile: null }).toEqual({ ...one.right, errorsFile: null });
  expect(await readReport(twoReport)).toEqual(await readReport(oneReport));
  return outcome;
}

describe('hostile CSV-like text (broken, unbalanced and stray quotes)', () => {
  it(
    'opens or is refused as a file, never throws or hangs; rows start on non-blank lines of the file, in order',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          hostileTextArb,
          fc.constantFrom<SourceOptions>({}, { delimiter: ',' }, { delimiter: ';' }),
          fc.boolean(),
          async (text, options, tiny) => {
            const path = await scratch.write('hostile.csv', text);
            const lines = text.split(/\r?\n/);
            const read = await withinTime('read', CASE_LIMIT_MS, async () => {
              const opened = await openSource(path, options, tiny ? TINY : DEFAULT_TUNING);
              return E.isLeft(opened) ? opened : E.right({ source: opened.right, rows: await drainRows(opened.right) });
            });
            if (E.isLeft(read)) {
              expectFileLevelError(read.left, path);
              expect(['empty', 'no_header']).toContain(read.left.code);
              return;
            }
            const { source, rows } = read.right;
            expect(lines[source.headerRowNumber - 1].trim()).not.toBe('');
            expectWellFormedRows(source, rows);
            for (const row of rows) {
              expect(row.rowNumber).toBeLessThanOrEqual(lines.length);
              // A row starts where something is written: blank lines are never rows.
              expect(lines[row.rowNumber - 1].replace(/^\uFEFF/, '').trim()).not.toBe('');
            }

            const errorsPath = scratch.path('hostile-errors.csv');
            const result = await withinTime('validate', CASE_LIMIT_MS, () =>
              validateFile({ path, source: options, errorsPath, keepProblems: Number.POSITIVE_INFINITY }),
            );
            if (E.isLeft(result)) {
              expect(result.left.code).toBe('no_lead_id');
              return;
            }
            expectSummaryConsistent(result.right, source.header, new Set(rows.map((r) => r.rowNumber)));
            const prepared = await prepareImport({ path, source: options });
            if (E.isLeft(prepared)) throw new Error(prepared.left.message);
            await decodeAll(prepared.right);
          },
        ),
        { numRuns: HOSTILE_RUNS, ...seedOption() },
      );
    },
    timeFor(HOSTILE_RUNS, 300),
  );
});

describe('hostile CSV-like text validated in two parts', () => {
  it(
    'gives what one thread gives: stray and unbalanced quotes cannot move rows across the cut',
    async () => {
      const outcomes: string[] = [];
      await fc.assert(
        fc.asyncProperty(
          hostileTextArb.filter((text) => text.startsWith('Lead ID') && text.split('\n').length > 3),
          fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          async (text, share) => {
            const path = await scratch.write('hostile-segments.csv', text);
            outcomes.push((await expectSameInTwoParts(path, {}, share)) ?? 'not cut');
          },
        ),
        { numRuns: HOSTILE_SEGMENT_RUNS, ...seedOption() },
      );
      // Most of these files are cut (a file without a line break past the middle is not).
      expect(outcomes.filter((o) => o !== 'not cut').length).toBeGreaterThan(0);
    },
    timeFor(HOSTILE_SEGMENT_RUNS, 3000),
  );
});
