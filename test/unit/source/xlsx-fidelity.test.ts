// Workbooks as other programs write them (openpyxl, SheetJS, LibreOffice, hand-written XML):
// every cell must read as the value the cell shows. The workbooks are written here, part by
// part, so each case is exactly the XML those programs produce.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellsByRow, openOrFail, readRows, scratchDir, storedZip, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const WORKSHEET = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
const day = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

interface BookParts {
  /** Cells of row 1 (the header) and row 2, as <c> elements. */
  readonly header: string;
  readonly row: string;
  readonly workbookPr?: string;
  readonly sharedStrings?: readonly string[];
}

/** A minimal workbook: one sheet, a style 1 with Excel's built-in date format 14. */
async function workbook(name: string, parts: BookParts): Promise<string> {
  const entries = [
    { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    {
      name: 'xl/workbook.xml',
      content: `<workbook ${NS}>${parts.workbookPr ?? ''}<sheets><sheet name="Leads" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${WORKSHEET}" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    {
      name: 'xl/styles.xml',
      content:
        `<styleSheet ${NS}><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>` +
        '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>',
    },
    ...(parts.sharedStrings ? [{ name: 'xl/sharedStrings.xml', content: `<sst ${NS}>${parts.sharedStrings.join('')}</sst>` }] : []),
    {
      name: 'xl/worksheets/sheet1.xml',
      content: `<worksheet ${NS}><sheetData><row r="1">${parts.header}</row><row r="2">${parts.row}</row></sheetData></worksheet>`,
    },
  ];
  return scratch.file(name, storedZip(entries, true));
}

const inline = (ref: string, text: string): string => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

async function secondRow(name: string, parts: BookParts): Promise<readonly unknown[]> {
  const rows = await readRows(await openOrFail(await workbook(name, parts)));
  expect(rows).toHaveLength(1);
  return rows[0].cells;
}

describe('dates', () => {
  it('reads ISO date cells (t="d", openpyxl and SheetJS) as the date they hold, styled as a date or not', async () => {
    const cells = await secondRow('iso-dates.xlsx', {
      header: inline('A1', 'Styled') + inline('B1', 'Plain') + inline('C1', 'With time'),
      row: '<c r="A2" t="d" s="1"><v>2025-03-07</v></c><c r="B2" t="d"><v>2025-03-07</v></c><c r="C2" t="d" s="1"><v>2025-03-07T18:30:00</v></c>',
    });
    expect(cells).toEqual([day(2025, 3, 7), day(2025, 3, 7), day(2025, 3, 7)]);
  });

  it.each(['true', '1'])('honours date1904="%s" (LibreOffice writes "true")', async (value) => {
    // 2025-03-07 is day 45,723 counted from 1900 and day 44,261 counted from 1904.
    const cells = await secondRow(`date1904-${value}.xlsx`, {
      workbookPr: `<workbookPr date1904="${value}"/>`,
      header: inline('A1', 'Move-in'),
      row: '<c r="A2" s="1"><v>44261</v></c>',
    });
    expect(cells).toEqual([day(2025, 3, 7)]);
  });

  it('counts from 1900 when date1904 is "false" or absent', async () => {
    for (const workbookPr of ['<workbookPr date1904="false"/>', '<workbookPr/>', '']) {
      const cells = await secondRow('date1900.xlsx', {
        workbookPr,
        header: inline('A1', 'Move-in'),
        row: '<c r="A2" s="1"><v>45723</v></c>',
      });
      expect(cells).toEqual([day(2025, 3, 7)]);
    }
  });
});

describe('text', () => {
  it('decodes XML entities once in inline strings and formula results (a cell holding the text "&amp;" keeps it)', async () => {
    const cells = await secondRow('entities.xlsx', {
      header: inline('A1', 'Company') + inline('B1', 'Formula') + inline('C1', 'Less'),
      row:
        inline('A2', 'AT&amp;amp;T &amp; Co') +
        '<c r="B2" t="str"><f>A2&amp;"x"</f><v>R&amp;amp;D &lt;b&gt;</v></c>' +
        inline('C2', 'a &amp;lt; b'),
    });
    expect(cells).toEqual(['AT&amp;T & Co', 'R&amp;D <b>', 'a &lt; b']);
  });

  it('reads CDATA inline strings, rich inline strings, and drops the XML indentation around them', async () => {
    const cells = await secondRow('inline-forms.xlsx', {
      header: inline('A1', 'CDATA') + inline('B1', 'Rich') + inline('C1', 'Indented'),
      row:
        '<c r="A2" t="inlineStr"><is><t><![CDATA[Tom & Jerry <3]]></t></is></c>' +
        '<c r="B2" t="inlineStr"><is><r><t>Ri</t></r><r><rPr><b/></rPr><t xml:space="preserve">ch </t></r><r><t>text</t></r></is></c>' +
        '<c r="C2" t="inlineStr">\n        <is>\n          <t>Zoë</t>\n        </is>\n      </c>',
    });
    expect(cells).toEqual(['Tom & Jerry <3', 'Rich text', 'Zoë']);
  });

  it('reads the text, not its phonetic guide (<rPh>), in inline and shared strings', async () => {
    const cells = await secondRow('phonetic.xlsx', {
      header: inline('A1', 'Inline') + '<c r="B1" t="s"><v>0</v></c>',
      sharedStrings: ['<si><t>Shared</t></si>', '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>'],
      row: '<c r="A2" t="inlineStr"><is><t>大阪</t><rPh sb="0" eb="2"><t>オオサカ</t></rPh><phoneticPr fontId="1"/></is></c><c r="B2" t="s"><v>1</v></c>',
    });
    expect(cells).toEqual(['大阪', '東京']);
  });

  it('reads indented and CDATA shared strings as their text, spaces inside the text kept', async () => {
    const cells = await secondRow('shared-forms.xlsx', {
      header: '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>',
      sharedStrings: [
        '<si>\n    <t>Indented</t>\n  </si>',
        '<si><t><![CDATA[Tom & Jerry]]></t></si>',
        '<si><t xml:space="preserve"> padded </t></si>',
        '<si>\n  <t>Zoë</t>\n</si>',
        '<si><t>AT&amp;amp;T</t></si>',
        '<si><t xml:space="preserve"> </t></si>',
      ],
      row: '<c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c>',
    });
    expect(cells).toEqual(['Zoë', 'AT&amp;T', ' ']);
  });

  it('decodes _xHHHH_ as Excel does: _x000D_ is a CR, _x005F_ an underscore that keeps the next escape literal', async () => {
    const cells = await secondRow('escapes.xlsx', {
      header: inline('A1', 'Inline') + '<c r="B1" t="s"><v>0</v></c>' + inline('C1', 'Literal'),
      sharedStrings: ['<si><t>Shared</t></si>', '<si><t>one_x000D_\ntwo_x0009_three</t></si>'],
      row: inline('A2', 'a_x000D_b') + '<c r="B2" t="s"><v>1</v></c>' + inline('C2', 'keep _x005F_x000D_ as typed'),
    });
    expect(cells).toEqual(['a\rb', 'one\r\ntwo\tthree', 'keep _x000D_ as typed']);
  });
});

describe('headers with line breaks', () => {
  it('name the column with plain line feeds, as a CSV report of the sheet reads back', async () => {
    const file = await openOrFail(
      await workbook('header-breaks.xlsx', {
        header: inline('A1', 'Lead ID') + inline('B1', 'Move-in_x000D_\nDate') + inline('C1', 'Old\rMac'),
        row: inline('A2', 'ld_1') + inline('B2', '2025-03-07') + inline('C2', 'x'),
      }),
    );
    expect(file.header).toEqual(['Lead ID', 'Move-in\nDate', 'Old\nMac']);
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['ld_1', '2025-03-07', 'x']]]);
  });
});
