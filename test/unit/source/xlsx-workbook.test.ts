import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { cachedValuesOnly, chooseSheet, withoutFormulas } from '../../../app/source/xlsx-workbook.ts';
import { CARRIED_TEXT, correctedCells, correctedWorkbook } from '../../../app/source/xlsx-xml.ts';

const SHEET_XML =
  '<sheetData><row r="2"><c r="A2" t="s"><v>0</v></c>' +
  '<c r="B2" s="1"><f>B1+1</f><v>45357</v></c>' +
  '<c r="C2" t="b"><f t="shared" ref="C2:C3" si="0">A2&gt;5</f><v>1</v></c>' +
  '<c r="D2" t="e"><f>NA()</f><v>#N/A</v></c>' +
  '<c r="E2" t="str"><f>"Zoë"&amp;"€"</f><v>Zoë€</v></c></row>' +
  '<row r="3"><c r="C3" t="b"><f t="shared" si="0"/><v>0</v></c>' +
  '<c r="F3" t="inlineStr"><is><t>São Paulo</t></is></c></row></sheetData>' +
  '<conditionalFormatting sqref="A1"><cfRule type="expression"><formula>A1&gt;0</formula></cfRule></conditionalFormatting>';

const EXPECTED =
  '<sheetData><row r="2"><c r="A2" t="s"><v>0</v></c>' +
  '<c r="B2" s="1"><v>45357</v></c>' +
  '<c r="C2" t="b"><v>1</v></c>' +
  '<c r="D2" t="e"><v>#N/A</v></c>' +
  '<c r="E2" t="str"><v>Zoë€</v></c></row>' +
  '<row r="3"><c r="C3" t="b"><v>0</v></c>' +
  '<c r="F3" t="inlineStr"><is><t>São Paulo</t></is></c></row></sheetData>' +
  '<conditionalFormatting sqref="A1"><cfRule type="expression"><formula>A1&gt;0</formula></cfRule></conditionalFormatting>';

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('cached values only', () => {
  it('drops formula elements and keeps everything else, including <formula> of conditional formats', () => {
    expect(withoutFormulas(SHEET_XML)).toBe(EXPECTED);
  });

  it('does so across any chunking, keeping split multi-byte characters whole and handing over the cells exceljs misreads whole', async () => {
    const bytes = Buffer.from(SHEET_XML, 'utf8');
    // The string cells go to exceljs as carried text (xlsx-xml.ts).
    const corrected = correctedCells(EXPECTED);
    expect(corrected).toContain(`<c r="E2" t="e"><v>${CARRIED_TEXT}Zoë€</v></c>`);
    expect(corrected).toContain(`<c r="F3" t="e"><v>${CARRIED_TEXT}São Paulo</v></c>`);
    for (let size = 1; size <= 40; size++) {
      let out = '';
      for await (const text of cachedValuesOnly(chunksOf(bytes, size))) out += text;
      expect(out).toBe(corrected);
    }
  });
});

describe('prefixed element names', () => {
  it('are made bare across any chunking, with the cells still corrected whole', async () => {
    const prefixed =
      '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="2">' +
      '<x:c r="A2" t="str"><x:f>"a"&amp;"b"</x:f><x:v>a&amp;amp;b</x:v></x:c><x:c r="B2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>';
    const expected =
      '<?xml version="1.0"?><worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2">' +
      `<c r="A2" t="e"><v>${CARRIED_TEXT}a&amp;amp;b</v></c><c r="B2"><v>1</v></c></row></sheetData></worksheet>`;
    const bytes = Buffer.from(prefixed, 'utf8');
    for (let size = 1; size <= 40; size++) {
      let out = '';
      for await (const text of cachedValuesOnly(chunksOf(bytes, size))) out += text;
      expect(out).toBe(expected);
    }
  });
});

describe('relationship prefixes in workbook.xml', () => {
  it('are made r: wherever the prefix is declared, on the root or on the <sheet> itself', () => {
    // As written by the Rust xlsx writer in calamine's nonstandard-xml-ns-prefix.xlsx (public corpus).
    const rels = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const local =
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>' +
      `<sheet name="Sheet1" sheetId="1" xmlns:ns="${rels}" ns:id="rId3"/></sheets></workbook>`;
    expect(correctedWorkbook(local)).toContain(' r:id="rId3"');
    const onRoot = `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="${rels}"><x:sheets><x:sheet name="A" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>`;
    expect(correctedWorkbook(onRoot)).toContain('<sheet name="A" sheetId="1" r:id="rId1"/>');
  });
});

describe('chooseSheet', () => {
  const sheets = [
    { name: 'Lookups', hidden: true, kind: 'worksheet' as const },
    { name: 'Leads', hidden: false, kind: 'worksheet' as const },
    { name: 'Archive', hidden: false, kind: 'worksheet' as const },
  ];

  it('takes the first visible sheet by default', () => {
    expect(chooseSheet('b.xlsx', sheets, undefined)).toEqual(E.right('Leads'));
  });

  it('takes a sheet by exact name, then ignoring case and spaces, hidden ones included', () => {
    expect(chooseSheet('b.xlsx', sheets, 'Archive')).toEqual(E.right('Archive'));
    expect(chooseSheet('b.xlsx', sheets, ' lookups ')).toEqual(E.right('Lookups'));
  });

  it('passes over chart sheets and the sheets found empty', () => {
    const withChart = [{ name: 'Chart1', hidden: false, kind: 'chart' as const }, ...sheets];
    expect(chooseSheet('b.xlsx', withChart, undefined)).toEqual(E.right('Leads'));
    expect(chooseSheet('b.xlsx', withChart, undefined, new Set(['Leads']))).toEqual(E.right('Archive'));
    // A hidden sheet (a lookup table, an old copy) is never read in place of an empty visible one.
    expect(chooseSheet('b.xlsx', withChart, undefined, new Set(['Leads', 'Archive']))).toEqual(
      E.left({
        code: 'empty',
        message:
          '"b.xlsx" is empty: no visible sheet has a header row or data ("Leads", "Archive"). Hidden sheets ("Lookups") are read only when asked for: --sheet NAME, or the sheet picker of the Map screen.',
      }),
    );
    // With no visible worksheet at all, the hidden ones are read as before.
    const allHidden = sheets.map((s) => ({ ...s, hidden: true }));
    expect(chooseSheet('b.xlsx', allHidden, undefined)).toEqual(E.right('Lookups'));
    expect(chooseSheet('b.xlsx', allHidden, undefined, new Set(['Lookups']))).toEqual(E.right('Leads'));
  });

  it('names the file and lists the sheets when the sheet does not exist', () => {
    const result = chooseSheet('b.xlsx', sheets, 'Prospects');
    expect(result).toEqual(
      E.left({
        code: 'sheet_not_found',
        message: '"b.xlsx" has no sheet named "Prospects". Its sheets are: "Lookups", "Leads", "Archive".',
      }),
    );
  });
});
