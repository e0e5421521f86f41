// Zip bombs and oversized workbooks (issue #14, "Spreadsheet bombs"): each is refused with a
// message naming the file, the limit and how a genuine giant can still be read, and the process
// that refused it reads the next workbook as usual. The bombs are generated (a few hundred KB).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceReadError } from '../../../app/source/file-errors.ts';
import { openSource } from '../../../app/source/open-source.ts';
import { DEFAULT_TUNING, type ReadTuning } from '../../../app/source/read-tuning.ts';
import { DEFAULT_WORKBOOK_LIMITS, type WorkbookLimits } from '../../../app/source/workbook-limits.ts';
import { lyingBomb, manyStringsBomb, sharedStringsBomb, sheetBomb } from '../../fixtures/workbook-bombs.ts';
import { openError, openOrFail, readRows, scratchDir, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

function withLimits(limits: Partial<WorkbookLimits>): ReadTuning {
  return { ...DEFAULT_TUNING, workbookLimits: { ...DEFAULT_WORKBOOK_LIMITS, ...limits } };
}

/** A genuine little workbook: header and three leads. */
async function leadsWorkbook(name: string): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Leads');
  sheet.addRows([
    ['Lead ID', 'Status'],
    ['ld_1', 'ACTIVE'],
    ['ld_2', 'COLD'],
    ['ld_3', 'ACTIVE'],
  ]);
  const path = join(scratch.dir, name);
  await book.xlsx.writeFile(path);
  return path;
}

async function expectStillReads(): Promise<void> {
  const file = await openOrFail(await leadsWorkbook('after.xlsx'));
  expect((await readRows(file)).map((r) => r.cells)).toEqual([
    ['ld_1', 'ACTIVE'],
    ['ld_2', 'COLD'],
    ['ld_3', 'ACTIVE'],
  ]);
}

describe('the zip directory is checked before anything is inflated', () => {
  it("refuses shared strings that expand to 400 MB (the issue's bomb, from a file under 500 KB)", async () => {
    const bomb = sharedStringsBomb(400);
    expect(bomb.length).toBeLessThan(500 * 1024);
    const path = await scratch.file('shared-strings-bomb.xlsx', bomb);
    const error = await openError(path);
    expect(error.code).toBe('too_large');
    expect(error.message).toBe(
      `"${path}" is too large to open safely: its shared strings (xl/sharedStrings.xml) expand to 400 MB, more than the 256 MB allowed. ` +
        'If the workbook is genuine, open it in Excel and save the sheet as CSV (CSV files are read without this limit), ' +
        'or on the command line raise the limit with --max-workbook-mb 1761.',
    );
    await expectStillReads();
  });

  it('refuses a part that expands hundreds of times, whatever its size', async () => {
    const path = await scratch.file('sheet-bomb.xlsx', sheetBomb(40));
    const error = await openError(path);
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(
      new RegExp(
        `^"${path}" is refused: its part xl/worksheets/sheet1\\.xml expands [\\d,]+ times \\(\\d+ KB to 40 MB\\), more than the 100 times`,
      ),
    );
    expect(error.message).toContain('save the sheet as CSV');
  });

  it('refuses a workbook whose parts together pass --max-workbook-mb, and reads it with a higher limit', async () => {
    const path = await leadsWorkbook('leads.xlsx');
    const error = await openError(path, { maxWorkbookMb: 0.005 });
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(
      new RegExp(
        `^"${path}" is too large to open safely: its parts expand to \\d+ KB, more than the 5 KB allowed for a workbook\\. .* --max-workbook-mb 1\\.$`,
      ),
    );
    const file = await openOrFail(path, { maxWorkbookMb: 1 });
    expect(await readRows(file)).toHaveLength(3);
  });

  it('takes only a positive number of megabytes as the limit', async () => {
    const path = await leadsWorkbook('leads-option.xlsx');
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect((await openError(path, { maxWorkbookMb: bad })).code).toBe('bad_option');
    }
  });

  it('refuses a zip whose directory is missing, as damaged', async () => {
    const whole = sharedStringsBomb(2);
    const path = await scratch.file('cut.xlsx', whole.subarray(0, whole.length - 30));
    expect(await openError(path)).toEqual({
      code: 'not_a_table',
      message: `"${path}" could not be read as an Excel workbook: the file looks damaged (its zip directory is missing: the file is cut short or is no zip).`,
    });
  });
});

describe('while the zip streams', () => {
  it('stops a part at the first byte past what its zip directory declares (a lying directory)', async () => {
    const path = await scratch.file('lying-bomb.xlsx', lyingBomb(400));
    expect(await openError(path)).toEqual({
      code: 'not_a_table',
      message:
        `"${path}" could not be read as an Excel workbook: the file looks damaged ` +
        '(its part xl/sharedStrings.xml inflates to more than the 4,096 bytes its zip directory declares).',
    });
    await expectStillReads();
  });

  it('counts the shared strings and stops past the most allowed', async () => {
    const path = await scratch.file('many-strings.xlsx', manyStringsBomb(1));
    const error = await openError(path, {}, withLimits({ maxSharedStrings: 1000 }));
    expect(error.code).toBe('too_large');
    expect(error.message).toBe(
      `"${path}" is too large to open safely: it has more than 1,000 shared strings (distinct texts). ` +
        'If the workbook is genuine, open it in Excel and save the sheet as CSV (CSV files are read without this limit), ' +
        'or on the command line raise the limit with --max-workbook-mb 2048.',
    );
  });

  it('counts the characters of the shared strings and stops past the most allowed', async () => {
    const path = await scratch.file('long-strings.xlsx', sharedStringsBomb(3));
    const error = await openError(path, {}, withLimits({ maxSharedStringsChars: 2_000_000 }));
    expect(error.code).toBe('too_large');
    expect(error.message).toContain(`"${path}" is too large to open safely: its shared strings hold more than 2,000,000 characters.`);
  });

  it('checks again when rows() reads: a file swapped for a bomb after it was opened is refused', async () => {
    const path = await leadsWorkbook('swapped.xlsx');
    const file = await openOrFail(path);
    await writeFile(path, sharedStringsBomb(400));
    const error = await readRows(file).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SourceReadError);
    expect(error instanceof SourceReadError && error.fileError.code).toBe('too_large');
    expect(error instanceof SourceReadError && error.fileError.message).toContain(
      `"${path}" is too large to open safely: its shared strings`,
    );
  });
});

describe('the parse runs in a thread with a heap limit', () => {
  it('ends only that thread when the workbook needs more memory, with a message naming the file', async () => {
    const path = await scratch.file('one-long-string.xlsx', sharedStringsBomb(40));
    const unlimited = { maxRatio: Number.POSITIVE_INFINITY, maxSharedStringsChars: Number.POSITIVE_INFINITY, heapMb: 24 };
    const error = await openError(path, {}, withLimits(unlimited));
    expect(error.code).toBe('too_large');
    expect(error.message).toBe(
      `"${path}" is too large to read in memory: reading it needed more than the 24 MB allowed. ` +
        'If the workbook is genuine, open it in Excel and save the sheet as CSV (CSV files are read without this limit), ' +
        'or on the command line raise the limit with --max-workbook-mb 2048.',
    );
    // The same limits read a genuine workbook: only the bomb's thread ended.
    const file = await openOrFail(await leadsWorkbook('small.xlsx'), {}, withLimits(unlimited));
    expect(await readRows(file)).toHaveLength(3);
  }, 60_000);

  it('reads rows afresh on each call and frees the thread of a reading stopped early', async () => {
    const path = await leadsWorkbook('twice.xlsx');
    const file = await openOrFail(path, {}, { ...DEFAULT_TUNING, batchRows: 1 });
    for await (const batch of file.rows()) {
      expect(batch).toHaveLength(1);
      break;
    }
    expect((await readRows(file)).map((r) => r.rowNumber)).toEqual([2, 3, 4]);
    expect((await readRows(file)).map((r) => r.rowNumber)).toEqual([2, 3, 4]);
  });

  it('passes Date cells across threads as dates', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Leads').addRows([
      ['Lead ID', 'Move in'],
      ['ld_1', new Date(Date.UTC(2026, 2, 7))],
    ]);
    const path = join(scratch.dir, 'dates.xlsx');
    await book.xlsx.writeFile(path);
    const rows = await readRows(await openOrFail(path));
    expect(rows[0].cells[1]).toBeInstanceOf(Date);
    expect(rows[0].cells[1]).toEqual(new Date(Date.UTC(2026, 2, 7)));
  });
});

describe('a CSV is not a workbook', () => {
  it('is read without the workbook limits', async () => {
    const path = await scratch.file('leads.csv', 'Lead ID,Status\nld_1,ACTIVE\n');
    const file = await openSource(path, { maxWorkbookMb: 0.001 });
    expect(E.isRight(file)).toBe(true);
  });
});
