// Review pages of rows the check did not keep are read again from near their rows, through the
// line offsets the check noted (app/source/record-offsets.ts). Whatever the file holds (quoted
// multi-line cells, CRLF and LF, a byte-order mark, a file that turns out to be Windows-1252 past
// its first 64 KB) and whatever was fixed, a page is what a full read of the file gives: here,
// the same page of the same file checked with every row's cells kept in memory.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createImports } from '../../../app/desktop/imports.ts';
import type { ReviewFilter } from '../../../app/shared/views.ts';
import type { ReadWatch } from '../../../app/source/csv-records.ts';
import { tempDir } from './desktop-harness.ts';

type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252-late';

interface Cell {
  readonly value: string;
  readonly quoted: boolean;
}

const HEADER = 'Lead ID,First Name,Notes,Status';
const STATUSES = ['ACTIVE', 'Actve', '', 'ACTIVE'];
const TEXT_UNITS = ['a', 'Z', '0', ' ', 'é', 'ñ', ',', '"', '\n', '\r\n', '-'];

const cellArb: fc.Arbitrary<Cell> = fc
  .tuple(fc.string({ unit: fc.constantFrom(...TEXT_UNITS), maxLength: 10 }), fc.boolean())
  .map(([value, quote]) => ({ value, quoted: quote || /[",\r\n]/.test(value) }));

interface RecordSpec {
  readonly lead: number;
  readonly name: Cell;
  readonly notes: Cell;
  readonly status: string;
  readonly end: '\n' | '\r\n';
  readonly blankBefore: boolean;
}

interface FileSpec {
  readonly encoding: Encoding;
  readonly records: readonly RecordSpec[];
}

const recordArb: fc.Arbitrary<RecordSpec> = fc.record({
  lead: fc.integer({ min: 1, max: 40 }),
  name: cellArb,
  notes: cellArb,
  status: fc.constantFrom(...STATUSES),
  end: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
  blankBefore: fc.boolean(),
});

const fileArb: fc.Arbitrary<FileSpec> = fc.record({
  encoding: fc.constantFrom<Encoding>('utf-8', 'utf-8-bom', 'windows-1252-late'),
  records: fc.array(recordArb, { minLength: 30, maxLength: 400 }),
});

const render = (cell: Cell): string => (cell.quoted ? `"${cell.value.replaceAll('"', '""')}"` : cell.value);

/** The file's bytes; a late Windows-1252 file has 70 KB of ASCII rows first, so the guess from its sample is UTF-8. */
function fileBytes(file: FileSpec): Buffer {
  let text = `${HEADER}\n`;
  if (file.encoding === 'windows-1252-late') {
    for (let i = 0; i < 700; i++) text += `pad-${i},Padding,${'x'.repeat(80)},ACTIVE\n`;
  }
  for (const r of file.records) {
    text += `${r.blankBefore ? r.end : ''}lead-${r.lead},${render(r.name)},${render(r.notes)},${r.status}${r.end}`;
  }
  if (file.encoding === 'windows-1252-late') return iconv.encode(text, 'windows-1252');
  return Buffer.from(file.encoding === 'utf-8-bom' ? `\uFEFF${text}` : text, 'utf8');
}

async function checked(path: string, memoryRows: number, readWatch?: ReadWatch) {
  const imports = createImports({ now: () => 0, emit: () => undefined, memoryRows, ...(readWatch ? { readWatch } : {}) });
  const { importId } = await imports.open({ path, options: {} });
  const counts = await imports.validate({ importId });
  return { imports, importId, counts };
}

describe('review pages read from near their rows', () => {
  it('give what a full read gives, at random offsets, through every filter, after fixes', async () => {
    const dir = await tempDir('pages');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fileArb,
        fc.array(
          fc.tuple(
            fc.constantFrom<ReviewFilter>('all', 'all', 'errors', 'warnings', 'duplicates'),
            fc.nat(),
            fc.integer({ min: 1, max: 60 }),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(1, 3), fc.constantFrom('Fixed', 'Actve', 'ACTIVE', 'two\nlines')), { maxLength: 3 }),
        async (file, pages, fixes) => {
          const path = join(dir, `file-${n++}.csv`);
          await writeFile(path, fileBytes(file));
          const kept = await checked(path, 1_000_000);
          const seeking = await checked(path, 5);
          expect(seeking.counts).toEqual(kept.counts);
          const comparePages = async () => {
            for (const [filter, at, limit] of pages) {
              const total = (await kept.imports.rows({ importId: kept.importId, filter, offset: 0, limit: 0 })).total;
              const offset = total === 0 ? 0 : at % total;
              const expected = await kept.imports.rows({ importId: kept.importId, filter, offset, limit });
              expect(await seeking.imports.rows({ importId: seeking.importId, filter, offset, limit })).toEqual(expected);
            }
          };
          await comparePages();
          const all = await kept.imports.rows({ importId: kept.importId, filter: 'all', offset: 0, limit: 1_000_000 });
          for (const [at, columnIndex, value] of fixes) {
            const rowNumber = all.rows[at % all.rows.length].rowNumber;
            const expected = await kept.imports.editCell({ importId: kept.importId, rowNumber, columnIndex, value });
            expect(await seeking.imports.editCell({ importId: seeking.importId, rowNumber, columnIndex, value })).toEqual(expected);
          }
          await comparePages();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a page near the end of a big file reads a few kilobytes, not the file', async () => {
    const dir = await tempDir('pages');
    const path = join(dir, 'big.csv');
    const rows = 20_000;
    const lines = [
      HEADER,
      ...Array.from({ length: rows }, (_, i) => `lead-${i},"Name ${i}","a note,\nover two lines",${i % 97 === 0 ? 'Actve' : 'ACTIVE'}`),
    ];
    const text = `${lines.join('\n')}\n`;
    await writeFile(path, text);
    let bytesRead = 0;
    const { imports, importId } = await checked(path, 5, { bytes: (bytes) => (bytesRead += bytes.length) });
    const page = await imports.rows({ importId, filter: 'all', offset: rows - 60, limit: 50 });
    // Each record spans two lines: row k starts on line 2k (the header is line 1).
    expect(page.rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 50 }, (_, k) => 2 * (rows - 60 + k + 1)));
    expect(page.rows[0].cells).toEqual([`lead-${rows - 60}`, `Name ${rows - 60}`, 'a note,\nover two lines', 'ACTIVE']);
    // The line offsets give a start at most 128 lines before the page; then the page and its
    // read-ahead, which the end of the file cuts short. A read from the top would be the whole file.
    expect(bytesRead).toBeGreaterThan(0);
    expect(bytesRead).toBeLessThan(Buffer.byteLength(text) / 20);
  });
});
