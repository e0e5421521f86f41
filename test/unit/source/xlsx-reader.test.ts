import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TUNING } from '../../../app/source/read-tuning.ts';
import type { SourceFile } from '../../../app/source/types.ts';
import { cellsByRow, openError, openOrFail, readBatches, readRows, scratchDir, storedZip, type Scratch } from './helpers.ts';

const day = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

let scratch: Scratch;
let leadsPath: string;

/** A workbook as Excel users make them: typed cells, formulas with cached results, several sheets. */
async function writeLeadsWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const leads = workbook.addWorksheet('Leads');
  leads.addRow(['Name', 'Move-in', 'Rent', 'Pets', 'Double rent', 'Status', 'Day after', 'Big rent', 'Lookup', 'Site', ' ', 'Label']);
  leads.addRow([
    'Zoë',
    day(2024, 3, 5),
    1250.5,
    true,
    { formula: 'C2*2', result: 2501 },
    { richText: [{ text: 'Act' }, { font: { bold: true }, text: 'ive' }] },
    { formula: 'B2+1', result: day(2024, 3, 6) },
    { formula: 'C2>1000', result: true },
    { formula: 'VLOOKUP(A2,X:Y,2,0)', result: { error: '#N/A' } },
    { text: 'our site', hyperlink: 'https://example.com' },
    'no header',
    { formula: 'A2&" in São Paulo"', result: 'Zoë in São Paulo' },
  ]);
  leads.getCell('B2').numFmt = 'yyyy-mm-dd';
  leads.getCell('G2').numFmt = 'dd/mm/yyyy';
  // Row 3 left blank on purpose; row 4 has an error cell and a whitespace cell.
  leads.getRow(4).values = ['José', day(2023, 12, 31), 0, false, { formula: 'C4*2', result: 0 }, '  ', '', '', { error: '#REF!' }];
  leads.getCell('B4').numFmt = 'm/d/yyyy';
  leads.getCell('A5').value = 'Merged';
  leads.mergeCells('A5:C5');
  leads.getCell('D5').value = false;
  leads.getCell('A6').value = 'Wide';
  leads.getCell('N6').value = 'past the header';
  workbook.addWorksheet('Second').addRows([
    ['Email', 'Phone'],
    ['a@x.com', 5551234],
  ]);
  workbook.addWorksheet('Blank');
  await workbook.xlsx.writeFile(path);
}

beforeAll(async () => {
  scratch = await scratchDir();
  leadsPath = `${scratch.dir}/leads.xlsx`;
  await writeLeadsWorkbook(leadsPath);
});
afterAll(() => scratch.remove());

describe('first sheet', () => {
  let file: SourceFile;
  beforeAll(async () => {
    file = await openOrFail(leadsPath);
  });

  it('opens the first sheet, listing every sheet', () => {
    expect(file.format).toBe('xlsx');
    expect(file.sheet).toBe('Leads');
    expect(file.sheets).toEqual(['Leads', 'Second', 'Blank']);
    expect(file.headerRowNumber).toBe(1);
    expect(file.header).toEqual([
      'Name',
      'Move-in',
      'Rent',
      'Pets',
      'Double rent',
      'Status',
      'Day after',
      'Big rent',
      'Lookup',
      'Site',
      'Column K',
      'Label',
    ]);
    expect(file.encoding).toBeUndefined();
  });

  it('reads typed cells: dates at UTC midnight, numbers, booleans, cached formula results, rich text, links, errors', async () => {
    const [row] = await readRows(file);
    expect(row.rowNumber).toBe(2);
    expect(row.problem).toBeUndefined();
    expect(row.cells).toEqual([
      'Zoë',
      day(2024, 3, 5),
      1250.5,
      true,
      2501,
      'Active',
      day(2024, 3, 6), // a date formula stays a date
      true, // a boolean formula stays a boolean
      '#N/A', // a formula's error result as its text
      'our site',
      'no header',
      'Zoë in São Paulo',
    ]);
  });

  it('numbers rows by sheet row, skipping the blank row, keeping whitespace cells and error cells', async () => {
    const rows = await readRows(file);
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 4, 5, 6]);
    expect(rows[1].cells).toEqual(['José', day(2023, 12, 31), 0, false, 0, '  ', '', '', '#REF!', '', '', '']);
  });

  it('gives a merged range its value in the top-left cell only', async () => {
    const rows = await readRows(file);
    expect(rows[2].cells.slice(0, 4)).toEqual(['Merged', '', '', false]);
  });

  it('reports a value past the last header column', async () => {
    const rows = await readRows(file);
    expect(rows[3].rowNumber).toBe(6);
    expect(rows[3].problem?.kind).toBe('cell_count');
    expect(rows[3].problem?.message).toContain('column N');
    expect(rows[3].cells).toHaveLength(12);
    expect(rows[3].rawCells?.[13]).toBe('past the header');
  });

  it('yields the same rows when read twice', async () => {
    expect(await readRows(file)).toEqual(await readRows(file));
  });
});

describe('choosing a sheet', () => {
  it('opens a sheet by name', async () => {
    const file = await openOrFail(leadsPath, { sheet: 'Second' });
    expect(file.sheet).toBe('Second');
    expect(file.header).toEqual(['Email', 'Phone']);
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['a@x.com', 5551234]]]);
  });

  it('forgives case and surrounding spaces in the sheet name', async () => {
    expect((await openOrFail(leadsPath, { sheet: ' second ' })).sheet).toBe('Second');
  });

  it('reports a missing sheet, listing the sheets there are', async () => {
    const error = await openError(leadsPath, { sheet: 'Prospects' });
    expect(error.code).toBe('sheet_not_found');
    expect(error.message).toContain(leadsPath);
    expect(error.message).toContain('"Prospects"');
    expect(error.message).toContain('"Leads", "Second", "Blank"');
  });

  it('reports an empty sheet', async () => {
    const error = await openError(leadsPath, { sheet: 'Blank' });
    expect(error.code).toBe('empty');
    expect(error.message).toContain('"Blank"');
  });

  it('skips a hidden first sheet by default', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Lookups', { state: 'hidden' }).addRow(['Code']);
    workbook.addWorksheet('Leads').addRows([[], ['Name'], ['Bob']]);
    const path = `${scratch.dir}/hidden-first.xlsx`;
    await workbook.xlsx.writeFile(path);
    const file = await openOrFail(path);
    expect(file.sheet).toBe('Leads');
    expect(file.sheets).toEqual(['Lookups', 'Leads']);
    expect(file.headerRowNumber).toBe(2);
    expect(cellsByRow(await readRows(file))).toEqual([[3, ['Bob']]]);
  });
});

describe('header rules', () => {
  it('keeps column names that repeat: only a mapping that uses one refuses them', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('S').addRows([
      ['Email', 'Name', 'email'],
      ['a', 'b', 'c'],
    ]);
    const path = `${scratch.dir}/dup.xlsx`;
    await workbook.xlsx.writeFile(path);
    const file = await openOrFail(path);
    expect(file.header).toEqual(['Email', 'Name', 'email']);
    expect((await readRows(file))[0].cells).toEqual(['a', 'b', 'c']);
  });

  it('finds the header below a report title block, and takes the row given instead', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Guest Cards');
    sheet.getCell('A1').value = 'Guest Card Report';
    sheet.getCell('A2').value = 'Property: Sunset Apartments';
    sheet.getCell('A3').value = 'Date Range:';
    sheet.getCell('B3').value = new Date(Date.UTC(2025, 10, 1));
    sheet.getRow(5).values = ['Lead ID', 'First Name', 'E-mail Address', 'Status', 'Max Rent'];
    sheet.getRow(6).values = ['ld_1', 'Avery', 'avery@example.com', 'ACTIVE', 1850];
    sheet.getRow(7).values = ['ld_2', 'Blake', 'blake@example.com', 'COLD', 1600];
    const path = `${scratch.dir}/guest-cards.xlsx`;
    await workbook.xlsx.writeFile(path);
    const file = await openOrFail(path);
    expect(file.headerRowNumber).toBe(5);
    expect(file.header).toEqual(['Lead ID', 'First Name', 'E-mail Address', 'Status', 'Max Rent']);
    expect((await readRows(file)).map((row) => row.rowNumber)).toEqual([6, 7]);
    expect(file.headerCandidates.map((c) => [c.rowNumber, c.isHeader])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [5, true],
      [6, false],
      [7, false],
    ]);
    const given = await openOrFail(path, { headerRow: 6 });
    expect(given.header).toEqual(['ld_1', 'Avery', 'avery@example.com', 'ACTIVE', '1850']);
    expect((await readRows(given)).map((row) => row.rowNumber)).toEqual([7]);
    const blank = await openError(path, { headerRow: 4 });
    expect(blank.code).toBe('no_header');
    expect(blank.message).toContain('row 4 of sheet "Guest Cards"');
  });
});

describe('dates', () => {
  it('reads date serials in the 1904 date system', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.properties.date1904 = true;
    const sheet = workbook.addWorksheet('S');
    sheet.addRows([['Move-in'], [43894]]); // 2024-03-05 counted from 1904-01-01
    sheet.getCell('A2').numFmt = 'yyyy-mm-dd';
    const path = `${scratch.dir}/1904.xlsx`;
    await workbook.xlsx.writeFile(path);
    expect((await readRows(await openOrFail(path)))[0].cells).toEqual([day(2024, 3, 5)]);
  });

  it('keeps the calendar day of a date-time cell', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('S');
    sheet.addRows([['When'], [new Date(Date.UTC(2024, 6, 1, 23, 30))]]);
    sheet.getCell('A2').numFmt = 'yyyy-mm-dd hh:mm';
    const path = `${scratch.dir}/datetime.xlsx`;
    await workbook.xlsx.writeFile(path);
    expect((await readRows(await openOrFail(path)))[0].cells).toEqual([day(2024, 7, 1)]);
  });
});

describe('large workbooks', () => {
  it('keeps accented text intact across the zip chunks of shared strings and sheets, in batches', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Name', 'City', 'N']);
    const count = 4000;
    for (let i = 0; i < count; i++) sheet.addRow([`Zoë José ${i} 😀`, `São Paulo € ${i}`, i]);
    const path = `${scratch.dir}/large.xlsx`;
    await workbook.xlsx.writeFile(path);
    const file = await openOrFail(path, {}, { ...DEFAULT_TUNING, batchRows: 1000 });
    const batches = await readBatches(file);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 1000, 1000]);
    batches.flat().forEach((row, i) => {
      expect(row.rowNumber).toBe(i + 2);
      expect(row.cells).toEqual([`Zoë José ${i} 😀`, `São Paulo € ${i}`, i]);
    });
  });

  it('leaves no temporary files behind, even when reading stops early', async () => {
    const mine = async (): Promise<string[]> => (await readdir(tmpdir())).filter((name) => name.startsWith(`tmp-${process.pid}-`));
    const before = await mine();
    const file = await openOrFail(leadsPath);
    await readRows(file);
    for await (const batch of file.rows()) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(await mine()).toEqual(before);
  });
});

describe('not workbooks', () => {
  it('reads a workbook renamed to .csv as a workbook', async () => {
    const path = `${scratch.dir}/renamed.csv`;
    await writeLeadsWorkbook(path);
    const file = await openOrFail(path);
    expect(file.format).toBe('xlsx');
    expect(file.sheet).toBe('Leads');
  });

  it('reports a zip that is not a workbook as not a table, even named .csv', async () => {
    const path = await scratch.file('archive.csv', storedZip([{ name: 'notes.txt', content: 'Name,Email\nBob,b@x.com\n' }]));
    const error = await openError(path);
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('archive.csv');
  });

  it('reports a damaged zip as not a table', async () => {
    const zip = storedZip([{ name: 'xl/workbook.xml', content: '<workbook>' }]);
    const path = await scratch.file('damaged.xlsx', zip.subarray(0, 40));
    const error = await openError(path);
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('damaged.xlsx');
  });

  it('reports an old .xls (OLE) file as not a table, saying what to do', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const error = await openError(await scratch.file('old.xls', ole));
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('.xls');
  });
});

describe('workbooks written by other tools', () => {
  const NS =
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const WORKSHEET = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
  const parts = (absoluteTargets: boolean): Record<string, string> => {
    const target = (n: number): string => (absoluteTargets ? `/xl/worksheets/sheet${n}.xml` : `worksheets/sheet${n}.xml`);
    return {
      'xl/_rels/workbook.xml.rels':
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${WORKSHEET}" Target="${target(1)}"/><Relationship Id="rId2" Type="${WORKSHEET}" Target="${target(2)}"/></Relationships>`,
      // The first tab ("Data") is the second sheet file.
      'xl/workbook.xml': `<workbook ${NS}><sheets><sheet name="Data" sheetId="1" r:id="rId2"/><sheet name="Other" sheetId="2" r:id="rId1"/></sheets></workbook>`,
      'xl/sharedStrings.xml': `<sst ${NS}><si><t>Name</t></si><si><t>Zoë</t></si><si><r><t>Ri</t></r><r><rPr><b/></rPr><t>ch</t></r></si></sst>`,
      'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Other</t></is></c></row></sheetData></worksheet>`,
      'xl/worksheets/sheet2.xml':
        `<worksheet ${NS}><sheetData>` +
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>City</t></is></c></row>' +
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="inlineStr"><is><t>São Paulo</t></is></c></row>' +
        '<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4"><f>1+1</f><v>2</v></c></row>' +
        '</sheetData></worksheet>',
    };
  };
  const orders: [string, boolean, string[]][] = [
    [
      'relationships and shared strings first, workbook.xml last',
      false,
      ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/workbook.xml'],
    ],
    [
      "absolute sheet targets, in Excel's order",
      true,
      ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml', 'xl/sharedStrings.xml'],
    ],
    [
      'absolute sheet targets, sheets after the shared strings',
      true,
      ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml'],
    ],
  ];
  // Stored (uncompressed) entries let the unzipper run ahead of the reader, which used to lose
  // every entry after a parked sheet: these cases failed every time before that was fixed.
  const cases = orders.flatMap(([label, absolute, order]) => [
    [`${label}, deflated`, absolute, order, true] as const,
    [`${label}, stored`, absolute, order, false] as const,
  ]);

  it.each(cases)('reads a zip with %s', async (label, absoluteTargets, order, deflate) => {
    const all = parts(absoluteTargets);
    const zip = storedZip(
      order.map((name) => ({ name, content: all[name] })),
      deflate,
    );
    const path = await scratch.file(`other-${label.replace(/\W+/g, '-')}.xlsx`, zip);
    const file = await openOrFail(path);
    expect(file.sheets).toEqual(['Data', 'Other']);
    expect(file.sheet).toBe('Data');
    expect(file.header).toEqual(['Name', 'City']);
    expect(cellsByRow(await readRows(file))).toEqual([
      [3, ['Zoë', 'São Paulo']],
      [4, ['Rich', 2]],
    ]);
    const other = await openOrFail(path, { sheet: 'Other' });
    expect(other.header).toEqual(['Other']);
  });
});
