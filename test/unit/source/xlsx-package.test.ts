// A workbook's parts are found as OOXML says: through the package's relationships (_rels/.rels →
// the workbook → its sheets, shared strings and styles), wherever they sit and whatever they are
// called; and cells without an address (optional in OOXML) are placed one after the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellAddresses } from '../../../app/source/xlsx-xml.ts';
import { cellsByRow, openOrFail, readRows, scratchDir, storedZip, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const NS =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"';

describe('parts found through the relationships', () => {
  it('reads a workbook whose parts have names of their own, in folders of their own', async () => {
    const path = await scratch.file(
      'own-names.xlsx',
      storedZip(
        [
          { name: '[Content_Types].xml', content: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
          {
            name: '_rels/.rels',
            content: `<Relationships ${RELS_NS}><Relationship Id="rId1" Type="${REL}/officeDocument" Target="book/main.xml"/></Relationships>`,
          },
          {
            name: 'book/main.xml',
            content: `<workbook ${NS}><sheets><sheet name="Notes" sheetId="1" r:id="rA"/><sheet name="Leads" sheetId="2" r:id="rB"/></sheets></workbook>`,
          },
          {
            name: 'book/_rels/main.xml.rels',
            content:
              `<Relationships ${RELS_NS}>` +
              `<Relationship Id="rA" Type="${REL}/worksheet" Target="notes.xml"/>` +
              // An absolute target, from the package's root.
              `<Relationship Id="rB" Type="${REL}/worksheet" Target="/data/lead%20list.xml"/>` +
              `<Relationship Id="rS" Type="${REL}/sharedStrings" Target="../text/strings.xml"/></Relationships>`,
          },
          { name: 'text/strings.xml', content: `<sst ${NS} count="2" uniqueCount="2"><si><t>Lead ID</t></si><si><t>lead-1</t></si></sst>` },
          {
            name: 'book/notes.xml',
            content: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a note</t></is></c></row></sheetData></worksheet>`,
          },
          {
            name: 'data/lead list.xml',
            content: `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`,
          },
        ],
        true,
      ),
    );
    const notes = await openOrFail(path);
    expect(notes.sheets).toEqual(['Notes', 'Leads']);
    expect(notes.header).toEqual(['a note']);
    const leads = await openOrFail(path, { sheet: 'Leads' });
    expect(leads.header).toEqual(['Lead ID']);
    expect(cellsByRow(await readRows(leads))).toEqual([[2, ['lead-1']]]);
    expect(leads.sheetRowCounts).toEqual([1, 2]);
  });
});

describe('CellAddresses', () => {
  it('gives rows and cells without an address the next one, after cells that have one too', () => {
    const addresses = new CellAddresses();
    const xml =
      '<sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c/></row><row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c></row></sheetData>';
    expect(addresses.apply(xml)).toBe(
      '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1"/></row><row r="5"><c r="C5"><v>1</v></c><c r="D5"><v>2</v></c></row></sheetData>',
    );
  });

  it('follows the sheet across pieces, and leaves a sheet whose cells have addresses alone', () => {
    const addresses = new CellAddresses();
    expect(addresses.apply('<row r="2"><c><v>1</v></c>') + addresses.apply('<c><v>2</v></c></row><row><c><v>3</v></c></row>')).toBe(
      '<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>',
    );
    const present = new CellAddresses();
    const xml = '<row r="1"><c r="B1"><v>1</v></c></row><row><c><v>2</v></c></row>';
    expect(present.apply(xml)).toBe('<row r="1"><c r="B1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>');
    expect(present.apply('<row><c><v>9</v></c></row>')).toBe('<row><c><v>9</v></c></row>');
  });
});
