// Corrections made to a workbook's XML text before exceljs parses it, where exceljs would read
// a cell as something other than what the cell shows (exceljs 4.4.0; see xlsx-workbook.ts for
// the faults corrected elsewhere):
// - Inline strings (<is>) and formula string results (t="str") are XML-decoded twice ("&amp;amp;"
//   becomes "&" where the cell says "&amp;"); CDATA text is dropped; a phonetic guide (<rPh>)
//   replaces the text; rich inline runs keep only the last run; indentation after </t> is kept.
// - ISO date cells (t="d", written by openpyxl and SheetJS) go through parseFloat: 2025.
// - date1904="true" (LibreOffice; a valid xsd:boolean) is not honoured, only "1".
// Cells exceljs would misread are handed to it as error cells (t="e", whose text it takes as the
// XML parser gives it) carrying a private-use marker; `cellFromSheet` (xlsx-cell.ts) turns them
// back into text or a date. An error cell's text never starts with a private-use character.

import { columnIndexOf, columnLetter } from './header.ts';

/** Starts the text of a cell rewritten to carry text exactly. */
export const CARRIED_TEXT = '\uE000t';
/** Starts the text of a cell rewritten to carry an ISO date (t="d"). */
export const CARRIED_DATE = '\uE000d';

/** A cell whose type exceljs misreads: its attributes before and after `t`, its type and content. */
const MISREAD_CELL = /<c(\s[^>]*?)\bt\s*=\s*(["'])(inlineStr|str|d)\2([^>]*?)(?<!\/)>([\s\S]*?)<\/c>/g;
const MISREAD_TYPE = /\bt\s*=\s*["'](?:inlineStr|str|d)["']/;

/** Rewrites the cells of complete `<c>` elements in `xml` that exceljs would misread. */
export function correctedCells(xml: string): string {
  if (!MISREAD_TYPE.test(xml)) return xml;
  return xml.replace(MISREAD_CELL, (whole: string, before: string, _quote: string, type: string, after: string, content: string) => {
    let carried: string | undefined;
    if (type === 'inlineStr') carried = CARRIED_TEXT + inlineText(content);
    else {
      const value = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/.exec(content);
      if (value !== null) carried = (type === 'd' ? CARRIED_DATE : CARRIED_TEXT) + withoutCdata(value[1]);
    }
    return carried === undefined ? whole : `<c${before}t="e"${after}><v>${carried}</v></c>`;
  });
}

/** The text of an inline string's content, still XML-escaped: every <t> outside phonetic guides, in order. */
function inlineText(content: string): string {
  let text = '';
  const withoutGuides = content.replace(PHONETIC, '');
  for (const match of withoutGuides.matchAll(TEXT_ELEMENT)) text += withoutCdata(match[1] ?? '');
  return text;
}

const PHONETIC = /<rPh(?:\s[^>]*)?\/>|<rPh(?:\s[^>]*)?>[\s\S]*?<\/rPh>|<phoneticPr(?:\s[^>]*)?\/>/g;
const TEXT_ELEMENT = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t(?:\s[^>]*)?\/>/g;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/g;

/** CDATA sections as escaped text (exceljs reads only text events). */
function withoutCdata(xml: string): string {
  if (xml.indexOf('<![CDATA[') === -1) return xml;
  return xml.replace(CDATA, (_whole, text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * Shared strings XML (complete <si> elements) as exceljs reads it right: without phonetic
 * guides, CDATA as text, and without the indentation after a closing tag (exceljs appends it to
 * the string). Whitespace right after an opening tag is text (`<t xml:space="preserve"> </t>`).
 */
export function correctedSharedStrings(xml: string): string {
  return withoutCdata(xml.replace(PHONETIC, '')).replace(/(<\/[\w:]+>)\s+(?=<)/g, '$1');
}

/** workbook.xml (whole) with bare element names and date1904="true" spelt "1", the one spelling exceljs honours. */
export function correctedWorkbook(xml: string): string {
  return new BarePrefixes().apply(xml).replace(/(<(?:[\w]+:)?workbookPr\b[^>]*?\bdate1904\s*=\s*)(["'])true\2/, '$1$21$2');
}

const MAIN_NAMESPACES = ['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main'];
const RELATIONSHIP_NAMESPACES = [
  'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  'http://purl.oclc.org/ooxml/officeDocument/relationships',
];

/**
 * A part's XML with SpreadsheetML's elements named without a prefix (`<x:row>` as `<row>`) and
 * the relationship attribute as `r:id`: exceljs knows them by those names only, while any prefix
 * is valid XML (some generators write `x:`). Fed a part's text in order, piece by piece; the
 * prefixes are those declared in the first piece that holds the root element, on the root or on
 * any element after it (a writer may declare the relationship prefix on each <sheet>, as in
 * calamine's nonstandard-xml-ns-prefix.xlsx). workbook.xml comes whole, so all of its count.
 */
export class BarePrefixes {
  private decided = false;
  private element: RegExp | undefined;
  private relationship: RegExp | undefined;

  apply(xml: string): string {
    if (!this.decided) this.decide(xml);
    let out = xml;
    if (this.element !== undefined) out = out.replace(this.element, '<$1');
    if (this.relationship !== undefined) out = out.replace(this.relationship, '$1r:id=');
    return out;
  }

  private decide(xml: string): void {
    const body = xml.replace(/<\?[^>]*\?>/g, '');
    const root = /<[A-Za-z_][^>]*>/.exec(body);
    if (root === null) return; // the root element has not come yet
    this.decided = true;
    const declared = body.slice(root.index);
    const main = declaredPrefixes(declared, MAIN_NAMESPACES);
    if (main.length > 0) this.element = new RegExp(`<(/?)(?:${main.map(escapeRegExp).join('|')}):`, 'g');
    const relationships = declaredPrefixes(declared, RELATIONSHIP_NAMESPACES).filter((prefix) => prefix !== 'r');
    if (relationships.length > 0) this.relationship = new RegExp(`(\\s)(?:${relationships.map(escapeRegExp).join('|')}):id\\s*=`, 'g');
  }
}

/** Every prefix `xml` binds to one of `namespaces`, once each. */
function declaredPrefixes(xml: string, namespaces: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const match of xml.matchAll(/xmlns:([\w.-]+)\s*=\s*(["'])(.*?)\2/g)) {
    if (namespaces.includes(match[3])) prefixes.add(match[1]);
  }
  return [...prefixes];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** A <row> or <c> start tag (bare names: BarePrefixes comes first), with its attributes. */
const ROW_OR_CELL = /<(row|c)(?=[\s>/])([^>]*)>/g;
const R_ATTRIBUTE = /\sr\s*=\s*["']([^"']*)["']/;

/**
 * Sheet XML with every <row> and <c> given its `r` address. OOXML lets a writer leave them out
 * (a row follows the one before, a cell the cell before; calamine's minimal_package.xlsx does),
 * exceljs cannot place a cell without one. Fed the part's text in order, piece by piece, with no
 * tag cut; decided by the first cell: a sheet whose cells carry addresses is passed through.
 */
export class CellAddresses {
  private mode: 'undecided' | 'present' | 'missing' = 'undecided';
  private row = 0;
  /** The 1-based column of the last cell in the row. */
  private column = 0;

  apply(xml: string): string {
    if (this.mode === 'present') return xml;
    return xml.replace(ROW_OR_CELL, (tag: string, name: string, attributes: string) => {
      const r = R_ATTRIBUTE.exec(attributes);
      if (name === 'row') {
        this.row = r === null ? this.row + 1 : Number(r[1]) || this.row + 1;
        this.column = 0;
        return r === null ? `<row r="${this.row}"${attributes}>` : tag;
      }
      if (this.mode === 'undecided') this.mode = r === null ? 'missing' : 'present';
      if (r !== null) {
        const letters = /^\$?([A-Za-z]{1,3})/.exec(r[1]);
        const index = letters === null ? undefined : columnIndexOf(letters[1]);
        this.column = index === undefined ? this.column + 1 : index + 1;
        return tag;
      }
      this.column += 1;
      return `<c r="${columnLetter(this.column - 1)}${this.row}"${attributes}>`;
    });
  }
}
