// Which sheet of a workbook is read when none is asked for: the first worksheet with data. A chart
// sheet or an empty sheet in front is passed over, and the source says which sheet was read.
// And files that are not what their name says get a message naming what they are.
import ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceNotices } from '../../../app/source/notices.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
import { cellsByRow, openError, openOrFail, readRows, scratchDir, storedZip, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook whose first tab is a chart sheet (as Excel writes one: chartsheets/sheet1.xml), then the leads. */
function chartFirstWorkbook(): Buffer {
  return storedZip(
    [
      { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
      {
        name: 'xl/workbook.xml',
        content: `<workbook ${NS}><sheets><sheet name="Chart1" sheetId="2" r:id="rId1"/><sheet name="Leads" sheetId="1" r:id="rId2"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        content:
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      },
      { name: 'xl/chartsheets/sheet1.xml', content: `<chartsheet ${NS}><drawing r:id="rId1"/></chartsheet>` },
      {
        name: 'xl/worksheets/sheet1.xml',
        content: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Lead ID</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>ld_1</t></is></c></row></sheetData></worksheet>`,
      },
    ],
    true,
  );
}

describe('the sheet read by default', () => {
  it('passes over a chart sheet in front and says which sheet was read', async () => {
    const path = await scratch.file('chart-first.xlsx', chartFirstWorkbook());
    const file = await openOrFail(path);
    expect(file.sheet).toBe('Leads');
    expect(file.sheets).toEqual(['Chart1', 'Leads']);
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['ld_1']]]);
    expect(sourceNotices(file)).toEqual([
      'read sheet "Leads", the first with data: "Chart1" before it is a chart. Choose another sheet with --sheet (or on the Map screen).',
    ]);
    const summary = await validateFile({ path });
    expect(E.isRight(summary) && summary.right.notices).toEqual(sourceNotices(file));
  });

  it('passes over empty worksheets in front', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    workbook.addWorksheet('Notes').addRow([]);
    workbook.addWorksheet('Leads').addRows([
      ['Lead ID', 'Status'],
      ['ld_1', 'ACTIVE'],
    ]);
    const path = `${scratch.dir}/empty-first.xlsx`;
    await workbook.xlsx.writeFile(path);
    const file = await openOrFail(path);
    expect(file.sheet).toBe('Leads');
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['ld_1', 'ACTIVE']]]);
    expect(sourceNotices(file)).toEqual([
      'read sheet "Leads", the first with data: "Sheet1" and "Notes" before it are empty. Choose another sheet with --sheet (or on the Map screen).',
    ]);
  });

  it('a sheet asked for by name is read even when empty (an error saying so), and a chart sheet asked for is refused by name', async () => {
    const path = await scratch.file('chart-asked.xlsx', chartFirstWorkbook());
    const chart = await openError(path, { sheet: 'Chart1' });
    expect(chart.code).toBe('not_a_table');
    expect(chart.message).toContain('"Chart1" is a chart');
    expect(chart.message).toContain('"Leads"');
  });

  it('a workbook with no data on any sheet is empty, naming its sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    workbook.addWorksheet('Sheet2');
    const path = `${scratch.dir}/all-empty.xlsx`;
    await workbook.xlsx.writeFile(path);
    const error = await openError(path);
    expect(error.code).toBe('empty');
    expect(error.message).toContain('"Sheet1", "Sheet2"');
  });
});

describe('files that are not what their name says', () => {
  it("names Excel's lock file", async () => {
    // What Excel writes while Leads.xlsx is open: the user's name, padded.
    const path = await scratch.file('~$Leads.xlsx', Buffer.concat([Buffer.from([5]), Buffer.from('Alice'), Buffer.alloc(160, 0x20)]));
    const error = await openError(path);
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('lock file');
    expect(error.message).toContain('"Leads.xlsx"');
  });

  it('names an HTML page saved as .xls', async () => {
    const path = await scratch.file(
      'export.xls',
      '<html xmlns:x="urn:schemas-microsoft-com:office:excel">\n<head><meta charset="utf-8"></head><body><table><tr><td>Lead ID</td></tr><tr><td>ld_1</td></tr></table></body></html>\n',
    );
    const error = await openError(path);
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('web page');
    expect(error.message).toContain('.xlsx or .csv');
  });

  it('names a binary workbook (.xlsb)', async () => {
    const path = await scratch.file(
      'leads.xlsb',
      storedZip([
        { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
        { name: 'xl/workbook.bin', content: '\u0083\u0001\u0000' },
      ]),
    );
    const error = await openError(path);
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('binary Excel workbook (.xlsb)');
    expect(error.message).toContain('save it as .xlsx');
  });
});

describe('workbooks written with namespace prefixes', () => {
  it('reads a workbook whose every part names its elements with a prefix (x:row, x:c…)', async () => {
    const X =
      'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const path = await scratch.file(
      'prefixed.xlsx',
      storedZip(
        [
          { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
          {
            name: 'xl/workbook.xml',
            content: `<x:workbook ${X}><x:workbookPr date1904="false"/><x:sheets><x:sheet name="Leads" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>`,
          },
          {
            name: 'xl/_rels/workbook.xml.rels',
            content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
          },
          {
            name: 'xl/styles.xml',
            content: `<x:styleSheet ${X}><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="14" applyNumberFormat="1"/></x:cellXfs></x:styleSheet>`,
          },
          {
            name: 'xl/sharedStrings.xml',
            content: `<x:sst ${X}><x:si><x:t>Lead ID</x:t></x:si><x:si><x:t>Move-in</x:t></x:si><x:si><x:t>Zoë &amp; co</x:t></x:si></x:sst>`,
          },
          {
            name: 'xl/worksheets/sheet1.xml',
            content:
              `<x:worksheet ${X}><x:sheetData>` +
              '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c></x:row>' +
              '<x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c><x:c r="B2" s="1"><x:v>45723</x:v></x:c><x:c r="C2" t="str"><x:f>A2</x:f><x:v>Zoë</x:v></x:c></x:row>' +
              '</x:sheetData></x:worksheet>',
          },
        ],
        true,
      ),
    );
    const file = await openOrFail(path);
    expect(file.sheets).toEqual(['Leads']);
    expect(file.header).toEqual(['Lead ID', 'Move-in', 'Name']);
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['Zoë & co', new Date(Date.UTC(2025, 2, 7)), 'Zoë']]]);
  });
});

describe('workbooks that keep their parts outside xl/', () => {
  it('reads them, whatever folder holds them', async () => {
    const path = await scratch.file(
      'parts-elsewhere.xlsx',
      storedZip(
        [
          { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
          {
            name: '_rels/.rels',
            content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="book/workbook.xml"/></Relationships>`,
          },
          {
            name: 'book/workbook.xml',
            content: `<workbook ${NS}><sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>`,
          },
          {
            name: 'book/_rels/workbook.xml.rels',
            content:
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
              `<Relationship Id="rId1" Type="${REL}/worksheet" Target="/book/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
          },
          { name: 'book/sharedStrings.xml', content: `<sst ${NS}><si><t>Lead ID</t></si><si><t>ld_1</t></si></sst>` },
          {
            name: 'book/worksheets/sheet1.xml',
            content: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`,
          },
        ],
        true,
      ),
    );
    const file = await openOrFail(path);
    expect(file.sheets).toEqual(['Leads']);
    expect(file.header).toEqual(['Lead ID']);
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['ld_1']]]);
  });
});
