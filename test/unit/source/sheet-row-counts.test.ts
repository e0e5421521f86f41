// Each sheet's row count, for the sheet picker of the Map screen: taken from the sheet's
// <dimension ref> when it has one, else its <row> elements counted; never by reading the sheets
// through exceljs.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetRowCount } from '../../../app/source/xlsx-package.ts';
import { readZipDirectory } from '../../../app/source/zip-directory.ts';
import * as E from 'fp-ts/Either';
import { openOrFail, scratchDir, storedZip, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const rowsXml = (count: number, prefix = ''): string => {
  let xml = '';
  for (let r = 1; r <= count; r++)
    xml += `<${prefix}row r="${r}"><${prefix}c r="A${r}" t="inlineStr"><${prefix}is><${prefix}t>value ${r}</${prefix}t></${prefix}is></${prefix}c></${prefix}row>`;
  return xml;
};

/** One sheet per entry: its XML body (inside <worksheet>), plus a chart sheet first. */
function workbookOf(sheets: readonly { name: string; body: string }[]): Buffer {
  return storedZip(
    [
      { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
      {
        name: '_rels/.rels',
        content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
      },
      {
        name: 'xl/workbook.xml',
        content: `<workbook ${NS}><sheets><sheet name="Chart" sheetId="9" r:id="rIdChart"/>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        content:
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rIdChart" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/>` +
          sheets.map((_s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
          '</Relationships>',
      },
      { name: 'xl/chartsheets/sheet1.xml', content: `<chartsheet ${NS}><drawing r:id="rId1"/></chartsheet>` },
      ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, content: `<worksheet ${NS}>${s.body}</worksheet>` })),
    ],
    true,
  );
}

describe('sheetRowCounts', () => {
  it('gives each sheet its row count: the <dimension> when there is one, else its rows counted; a chart none', async () => {
    const path = await scratch.file(
      'counts.xlsx',
      workbookOf([
        // The dimension is believed: counting would say 3.
        { name: 'Dimensioned', body: `<dimension ref="A1:C250"/><sheetData>${rowsXml(3)}</sheetData>` },
        { name: 'Counted', body: `<sheetData>${rowsXml(1200)}</sheetData>` },
        // A lone cell is what an empty sheet's dimension says: its rows are counted.
        { name: 'Empty', body: '<dimension ref="A1"/><sheetData/>' },
      ]),
    );
    const file = await openOrFail(path);
    expect(file.sheets).toEqual(['Chart', 'Dimensioned', 'Counted', 'Empty']);
    expect(file.sheetRowCounts).toEqual([null, 250, 1200, 0]);
  });

  it('counts <row> elements under any prefix, a tag cut between inflated pieces counted once', async () => {
    const body = `<x:sheetData>${rowsXml(5000, 'x:')}</x:sheetData>`;
    const path = await scratch.file('prefixed.xlsx', workbookOf([{ name: 'Leads', body }]));
    const directory = await readZipDirectory(path);
    if (E.isLeft(directory)) throw new Error(directory.left);
    const entry = directory.right.entries.find((e) => e.name === 'xl/worksheets/sheet1.xml');
    if (entry === undefined) throw new Error('no sheet part');
    expect(await sheetRowCount(path, entry)).toBe(5000);
  });

  it('reads the dimension exceljs writes', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['a note']);
    const leads = workbook.addWorksheet('Leads');
    leads.addRow(['Lead ID', 'Status']);
    for (let i = 0; i < 40; i++) leads.addRow([`lead-${i}`, 'ACTIVE']);
    const path = `${scratch.dir}/exceljs.xlsx`;
    await workbook.xlsx.writeFile(path);
    expect((await openOrFail(path, { sheet: 'Leads' })).sheetRowCounts).toEqual([1, 41]);
  });
});
