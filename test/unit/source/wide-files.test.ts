// Wide files: every row is held at the header's width, so the width is capped (Excel's 16,384
// columns) and a batch holds at most MAX_BATCH_CELLS cells. Without both, a 100 KB CSV whose
// header is a line of commas made each short row 100,000 cells: 3,000 rows took 2.8 GB.
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_COLUMNS } from '../../../app/source/header.ts';
import { batchRowsFor, MAX_BATCH_CELLS } from '../../../app/source/read-tuning.ts';
import { openError, openOrFail, readBatches, scratchDir, storedZip, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook of one sheet "Leads" with the given sheetData XML. */
function workbookOf(sheetData: string): Buffer {
  return storedZip(
    [
      {
        name: '[Content_Types].xml',
        content: `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
      },
      {
        name: '_rels/.rels',
        content: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      },
      {
        name: 'xl/workbook.xml',
        content: `${XML}<workbook xmlns="${MAIN}" xmlns:r="${RELATIONS}"><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        content: `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      },
      { name: 'xl/worksheets/sheet1.xml', content: `${XML}<worksheet xmlns="${MAIN}"><sheetData>${sheetData}</sheetData></worksheet>` },
    ],
    true,
  );
}

const inline = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

describe('a header wider than a spreadsheet can be', () => {
  it('is refused in a CSV (a line of commas), naming the file, the line and the count', async () => {
    const path = await scratch.file('commas.csv', `Lead ID${','.repeat(100_000)}\n${'ld_1\n'.repeat(100)}`);
    expect(await openError(path)).toEqual({
      code: 'too_large',
      message:
        `"${path}" has 100,001 columns in its header (line 1), more than the 16,384 a spreadsheet can hold. ` +
        'Delete the empty columns at the end of the header row, or check that the file is a table of leads.',
    });
  });

  it('is refused in a workbook with a cell past column XFD (exceljs stops there)', async () => {
    const path = await scratch.file(
      'far.xlsx',
      workbookOf(`<row r="1">${inline('A1', 'Lead ID')}${inline('ZZZ1', 'Far')}</row><row r="2">${inline('A2', 'ld_1')}</row>`),
    );
    expect(await openError(path)).toEqual({
      code: 'not_a_table',
      message: `"${path}" could not be read as an Excel workbook: the file looks damaged (Out of bounds. Invalid column letter: ZZZ).`,
    });
  });
});

describe('rows of a wide file', () => {
  it('come in batches of at most MAX_BATCH_CELLS cells, all of them, in a CSV', async () => {
    const names = Array.from({ length: MAX_COLUMNS - 1 }, (_, i) => `c${i}`);
    const path = await scratch.file('wide.csv', `Lead ID,${names.join(',')}\n${'ld_1\n'.repeat(300)}`);
    const file = await openOrFail(path);
    expect(file.header).toHaveLength(MAX_COLUMNS);
    const batches = await readBatches(file);
    expect(batches.flat()).toHaveLength(300);
    for (const batch of batches) expect(batch.length * MAX_COLUMNS).toBeLessThanOrEqual(MAX_BATCH_CELLS);
  });

  it('come in batches of at most MAX_BATCH_CELLS cells, all of them, in a workbook', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Leads');
    sheet.getRow(1).getCell(1).value = 'Lead ID';
    sheet.getRow(1).getCell(MAX_COLUMNS).value = 'Last';
    for (let r = 2; r <= 301; r++) sheet.getRow(r).getCell(1).value = `ld_${r}`;
    const path = join(scratch.dir, 'wide.xlsx');
    await book.xlsx.writeFile(path);
    const file = await openOrFail(path);
    expect(file.header).toHaveLength(MAX_COLUMNS);
    const batches = await readBatches(file);
    expect(batches.flat()).toHaveLength(300);
    for (const batch of batches) expect(batch.length * MAX_COLUMNS).toBeLessThanOrEqual(MAX_BATCH_CELLS);
  });

  it('batchRowsFor keeps the usual batch for usual widths, and at least one row', () => {
    expect(batchRowsFor(40, 1000)).toBe(1000);
    expect(batchRowsFor(MAX_COLUMNS, 1000)).toBe(64);
    expect(batchRowsFor(10 * MAX_BATCH_CELLS, 1000)).toBe(1);
  });
});
