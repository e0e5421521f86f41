// Property tests over random Excel workbooks: every cell type exceljs writes, merged ranges,
// formulas with and without cached results, the header below blank rows, hidden sheets before
// the data. Rows come out numbered as in the sheet with the cells the model expects, and a full
// validation ends every row valid, invalid or skipped. Damaged workbooks (cut short, bytes
// overwritten, garbage inserted) end as a file-level error or as rows: never a crash, never a hang.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../../app/source/open-source.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
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
import { zipOf } from '../../fixtures/corpus/make-corpus.ts';
import { spawnCli } from '../../integration/cli/cli-harness.ts';
import { expectedBook, sheetOption, writeBook, xbookArb, type XBook, type XRow } from './xlsx-model.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const BOOK_RUNS = runs(40);
const DAMAGE_RUNS = runs(80);

describe('random workbooks', () => {
  it(
    'read with sheet row numbers and the cells the model expects; validate ends every row in one outcome',
    async () => {
      await fc.assert(
        fc.asyncProperty(xbookArb, fc.boolean(), async (book, loose) => {
          const path = scratch.path('book.xlsx');
          await (await writeBook(book)).xlsx.writeFile(path);
          const sheet = sheetOption(book, loose);
          const expected = expectedBook(book);
          const opened = await withinTime('open', CASE_LIMIT_MS, () => openSource(path, { sheet }));
          if (expected.kind === 'file_error') {
            if (E.isRight(opened)) throw new Error(`expected ${expected.code}, the sheet opened`);
            expect(opened.left.code).toBe(expected.code);
            return;
          }
          if (E.isLeft(opened)) throw new Error(`expected the sheet to open: ${opened.left.message}`);
          const source = opened.right;
          expect(source.sheet).toBe(book.sheet);
          expect(source.sheets).toEqual([...book.before.map((s) => s.name), book.sheet]);
          expect(source.header).toEqual(expected.header);
          expect(source.headerRowNumber).toBe(expected.headerRowNumber);
          const rows = await withinTime('rows', CASE_LIMIT_MS, () => drainRows(source));
          expectWellFormedRows(source, rows);
          expect(
            rows.map((r) => ({
              rowNumber: r.rowNumber,
              cells: r.cells,
              ...(r.problem === undefined ? {} : { rawCells: r.rawCells, problem: r.problem.kind }),
            })),
          ).toEqual(expected.rows);

          const errorsPath = scratch.path('errors.csv');
          const validated = await withinTime('validate', CASE_LIMIT_MS, () =>
            validateFile({ path, source: { sheet }, errorsPath, keepProblems: Number.POSITIVE_INFINITY }),
          );
          // A name the header repeats may be one the automatic mapping would use: then it refuses.
          if (E.isLeft(validated) && validated.left.code === 'duplicate_header') {
            expect(repeatsAName(expected.header)).toBe(true);
            return;
          }
          if (!expected.header.includes('Lead ID')) {
            expect(E.isLeft(validated) && validated.left.code).toBe('no_lead_id');
            return;
          }
          if (E.isLeft(validated)) throw new Error(validated.left.message);
          expectSummaryConsistent(validated.right, expected.header, new Set(expected.rows.map((r) => r.rowNumber)));
          const prepared = await prepareImport({ path, source: { sheet } });
          if (E.isLeft(prepared)) throw new Error(prepared.left.message);
          const { decoded } = await decodeAll(prepared.right);
          const report = await readReport(errorsPath);
          const importRow = report[0].indexOf('import_row');
          expect(report.slice(1).map((r) => Number(r[importRow]))).toEqual(
            decoded.filter((d) => d.status !== 'valid').map((d) => d.rowNumber),
          );
        }),
        { numRuns: BOOK_RUNS, ...seedOption() },
      );
    },
    timeFor(BOOK_RUNS, 1500),
  );
});

type Damage =
  | { kind: 'cut'; at: number }
  | { kind: 'overwrite'; at: readonly number[]; byte: number }
  | { kind: 'insert'; at: number; garbage: Uint8Array }
  | { kind: 'zero'; at: number; length: number };

/** A place in the file, as a fraction of its length (fc.double would crowd near 0: most doubles are tiny). */
const place = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  place.map((at) => ({ kind: 'cut' as const, at })),
  fc.record({
    kind: fc.constant('overwrite' as const),
    at: fc.array(place, { minLength: 1, maxLength: 6 }),
    byte: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: place, garbage: fc.uint8Array({ minLength: 1, maxLength: 300 }) }),
  fc.record({ kind: fc.constant('zero' as const), at: place, length: fc.integer({ min: 1, max: 2000 }) }),
);

function damage(bytes: Buffer, how: Damage): Buffer {
  const place = (at: number): number => Math.min(bytes.length - 1, Math.floor(at * bytes.length));
  switch (how.kind) {
    case 'cut':
      return bytes.subarray(0, place(how.at));
    case 'overwrite': {
      const copy = Buffer.from(bytes);
      for (const at of how.at) copy[place(at)] = copy[place(at)] === how.byte ? how.byte ^ 0xff : how.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([bytes.subarray(0, place(how.at)), how.garbage, bytes.subarray(place(how.at))]);
    case 'zero': {
      const copy = Buffer.from(bytes);
      copy.fill(0, place(how.at), Math.min(copy.length, place(how.at) + how.length));
      return copy;
    }
  }
}

/** Thousands of rows: the sheet and the shared strings span several reads of the zip. */
const manyRows: XRow[] = Array.from({ length: 3000 }, (_, i) => ({
  gap: 0,
  cells: [
    { kind: 'text', value: `ld_${i}` },
    { kind: 'text', value: i % 7 === 0 ? 'Actve' : 'ACTIVE' },
    { kind: 'text', value: `note ${i} é` },
  ],
}));

/** Workbooks to damage: the sheet read first, or after other sheets (some hidden) that exceljs parks in temp files. */
const BASES: readonly XBook[] = [
  { before: [], sheet: 'Leads', headerRow: 1, header: ['Lead ID', 'Status', 'Notes'], rows: manyRows, merge: null },
  {
    before: [
      { name: 'Notes', hidden: false },
      { name: 'Archive 2024', hidden: true },
    ],
    sheet: 'Leads',
    headerRow: 2,
    header: ['Lead ID', 'Status', 'Notes'],
    rows: manyRows,
    merge: { row: 1, column: 1, rows: 3, columns: 1 },
  },
];

describe('damaged workbooks', () => {
  let bases: Buffer[] = [];
  const systemTemp = process.env.TMPDIR;
  beforeAll(async () => {
    bases = await Promise.all(BASES.map(async (book) => Buffer.from(await (await writeBook(book)).xlsx.writeBuffer())));
    // exceljs parks a sheet read before the shared strings in a temp file; when the zip breaks
    // under it, that file stays until the process exits (tmp's cleanup, which test workers
    // skip). Keep them in the scratch folder, removed with it.
    const tempDir = join(scratch.dir, 'exceljs-temp');
    await mkdir(tempDir);
    process.env.TMPDIR = tempDir;
  });
  afterAll(() => {
    if (systemTemp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = systemTemp;
  });

  it(
    'end as a file-level error naming the file, or as rows; a validation writes no report when it fails',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat(BASES.length - 1), damageArb, async (base, how) => {
          const path = await scratch.write('damaged.xlsx', damage(bases[base], how));
          const errorsPath = scratch.path('errors.csv');
          const result = await withinTime('validate', CASE_LIMIT_MS, () =>
            validateFile({ path, source: { sheet: BASES[base].sheet }, errorsPath }),
          );
          if (E.isLeft(result)) {
            expectFileLevelError(result.left, path);
            await expect(readReport(errorsPath)).rejects.toThrow(/ENOENT/);
            return;
          }
          expect(result.right.valid + result.right.invalid + result.right.skipped).toBe(result.right.rows);
        }),
        // A hang costs a whole time limit per case: report the first one as it is, without shrinking.
        { numRuns: DAMAGE_RUNS, endOnFailure: true, ...seedOption() },
      );
    },
    timeFor(DAMAGE_RUNS, 1000),
  );
});

/** A workbook whose sheet is well formed for 1,999 rows, then broken: it fails after its header was read. */
function brokenAfterHeader(): Buffer {
  const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const relations = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const cell = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const rows = [`<row r="1">${cell('A1', 'Lead ID')}${cell('B1', 'Status')}</row>`];
  for (let r = 2; r < 2000; r++) rows.push(`<row r="${r}">${cell(`A${r}`, `ld_${r}`)}${cell(`B${r}`, 'ACTIVE')}</row>`);
  rows.push(`<row r="2000">${cell('A2000', 'ld_x')}</rw></row>`);
  return zipOf([
    {
      name: '[Content_Types].xml',
      content: `${xml}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      content: `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      content: `${xml}<workbook xmlns="${main}" xmlns:r="${relations}"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content: `${xml}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', content: `${xml}<worksheet xmlns="${main}"><sheetData>${rows.join('')}</sheetData></worksheet>` },
  ]);
}

describe('a workbook that breaks after its header', () => {
  it('is a file-level error in the real CLI: exit 2, the message naming the file, no stack trace, no report', async () => {
    const path = await scratch.write('broken-after-header.xlsx', brokenAfterHeader());
    const errorsPath = scratch.path('errors.csv');
    const result = await withinTime('lead-import validate', 60_000, () => spawnCli(['validate', path, '--json', '--errors', errorsPath]));
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { message: expect.stringContaining(`"${path}" could not be read as an Excel workbook: the file looks damaged`) },
    });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await expect(readReport(errorsPath)).rejects.toThrow(/ENOENT/);
  });
});
