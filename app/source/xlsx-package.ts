// A workbook's parts found as OOXML says: the package's relationships (_rels/.rels) name the
// workbook part, the workbook's relationships name its sheets, shared strings and styles,
// wherever and under whatever names they sit. exceljs looks for them under their usual names
// (xl/workbook.xml, xl/worksheets/sheetN.xml…): `canonicalNames` says which real part is which.
// Read from the zip directory's offsets (zip-parts.ts) before the workbook is streamed.
import { posix } from 'node:path';
import type { ZipDirectory, ZipEntry } from './zip-directory.ts';
import { partText, wholePartText } from './zip-parts.ts';

export interface WorkbookPackage {
  /** Real part name → the name exceljs reads it under, for the workbook and the parts it relates to. */
  readonly canonicalNames: ReadonlyMap<string, string>;
  /** Each sheet's real part, by relationship id (as workbook.xml's <sheet r:id> names it). */
  readonly sheetParts: ReadonlyMap<string, string>;
}

const RELATIONSHIP = /<(?:[\w.-]+:)?Relationship\b([^>]*)>/g;
const SHEET = /<(?:[\w.-]+:)?sheet\b([^>]*)>/g;
const USUAL_WORKBOOK = 'xl/workbook.xml';
const WORKSHEET_NAME = /^xl\/worksheets\/sheet\d+\.xml$/;
/** Numbers for sheets whose parts have other names: past any sheetN.xml a writer uses. */
const RENAMED_SHEETS_FROM = 1_000_000;

/**
 * The package's parts through its relationships, or undefined when the workbook part is not in
 * the zip (none where _rels/.rels points, no _rels/.rels and no xl/workbook.xml): the usual names
 * are then all there is to go by.
 */
export async function readPackage(path: string, directory: ZipDirectory): Promise<WorkbookPackage | undefined> {
  const byName = new Map(directory.entries.map((e) => [e.name, e]));
  const rootRels = byName.get('_rels/.rels');
  const office =
    rootRels === undefined
      ? undefined
      : relationships(await wholePartText(path, rootRels), '').find((r) => r.type.endsWith('/officeDocument'));
  // Without the package's relationships (some generators leave them out), the usual name.
  const workbook = office?.target ?? USUAL_WORKBOOK;
  // A binary workbook (.xlsb: workbook.bin) is no SpreadsheetML: left to the usual names, it is named for what it is.
  if (!byName.has(workbook) || !isXmlPart(workbook)) return undefined;
  const folder = posix.dirname(workbook) === '.' ? '' : posix.dirname(workbook);
  const workbookRelsName = posix.join(folder, '_rels', `${posix.basename(workbook)}.rels`);
  const workbookRels = byName.get(workbookRelsName);
  const canonicalNames = new Map<string, string>([[workbook, 'xl/workbook.xml']]);
  const sheetParts = new Map<string, string>();
  if (workbookRels === undefined) return { canonicalNames, sheetParts };
  canonicalNames.set(workbookRelsName, 'xl/_rels/workbook.xml.rels');
  let renamed = RENAMED_SHEETS_FROM;
  for (const rel of relationships(await wholePartText(path, workbookRels), folder)) {
    if (!byName.has(rel.target) || !isXmlPart(rel.target)) continue;
    const kind = rel.type.slice(rel.type.lastIndexOf('/') + 1);
    if (kind === 'worksheet' || kind === 'chartsheet' || kind === 'dialogsheet') {
      sheetParts.set(rel.id, rel.target);
      if (kind !== 'worksheet') continue;
      const usual = `xl/${rel.target.slice(rel.target.indexOf('worksheets/'))}`;
      canonicalNames.set(
        rel.target,
        rel.target.includes('worksheets/') && WORKSHEET_NAME.test(usual) ? usual : `xl/worksheets/sheet${renamed++}.xml`,
      );
    } else if (kind === 'sharedStrings') {
      canonicalNames.set(rel.target, 'xl/sharedStrings.xml');
    } else if (kind === 'styles') {
      canonicalNames.set(rel.target, 'xl/styles.xml');
    }
  }
  return { canonicalNames, sheetParts };
}

const isXmlPart = (name: string): boolean => name.toLowerCase().endsWith('.xml');

interface Relationship {
  readonly id: string;
  readonly type: string;
  /** The part's name in the zip: relative targets resolved against `folder`, absolute ones taken from the root. */
  readonly target: string;
}

function relationships(xml: string, folder: string): Relationship[] {
  const found: Relationship[] = [];
  for (const match of xml.matchAll(RELATIONSHIP)) {
    const attributes = match[1];
    const id = attribute(attributes, 'Id');
    const target = attribute(attributes, 'Target');
    if (id === undefined || target === undefined || attribute(attributes, 'TargetMode') === 'External') continue;
    const resolved = target.startsWith('/') ? posix.normalize(target.slice(1)) : posix.normalize(posix.join(folder, target));
    found.push({ id, type: attribute(attributes, 'Type') ?? '', target: decodeURI(resolved) });
  }
  return found;
}

/** The sheets workbook.xml lists, in tab order: name and relationship id (under whatever prefix). */
export function workbookSheets(xml: string): { name: string; rId: string }[] {
  const sheets: { name: string; rId: string }[] = [];
  for (const match of xml.matchAll(SHEET)) {
    const name = attribute(match[1], 'name');
    const rId = /\s[\w.-]+:id\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(match[1]);
    if (name !== undefined && rId !== null) sheets.push({ name, rId: xmlText(rId[1] ?? rId[2]) });
  }
  return sheets;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
  return match === null ? undefined : xmlText(match[1] ?? match[2]);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlText(text: string): string {
  return text.indexOf('&') === -1
    ? text
    : text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) =>
        ref.startsWith('#x')
          ? String.fromCodePoint(parseInt(ref.slice(2), 16))
          : ref.startsWith('#')
            ? String.fromCodePoint(Number(ref.slice(1)))
            : (ENTITIES[ref] ?? whole),
      );
}

/** How far into a sheet part its <dimension> may be looked for (it comes before <sheetData>). */
const DIMENSION_SEARCH_CHARS = 64 * 1024;
const DIMENSION = /<(?:[\w.-]+:)?dimension\b[^>]*\sref\s*=\s*["']\$?[A-Z]{1,3}\$?(\d+)(?::\$?[A-Z]{1,3}\$?(\d+))?["']/;
const ROW_START = /<(?:[\w.-]+:)?row[\s>/]/g;

/**
 * A sheet's row count, cheaply: the rows its <dimension ref="A1:H250"> spans, which Excel,
 * LibreOffice, openpyxl and exceljs write near the top; without one (or with a lone cell, which
 * is what an empty sheet says), its <row> elements counted by inflating the part alone (no XML
 * parse). Undefined when the part cannot be read.
 */
export async function sheetRowCount(path: string, entry: ZipEntry): Promise<number | undefined> {
  let head = '';
  let rows = 0;
  let carry = '';
  let counting = false;
  try {
    for await (const piece of partText(path, entry)) {
      if (!counting) {
        head += piece;
        const dimension = DIMENSION.exec(head);
        if (dimension !== null && dimension[2] !== undefined) return Number(dimension[2]) - Number(dimension[1]) + 1;
        if (head.length < DIMENSION_SEARCH_CHARS && head.indexOf('<sheetData') === -1 && !/<\w+:sheetData/.test(head)) continue;
        counting = true;
        carry = head;
      } else {
        carry += piece;
      }
      rows += (carry.match(ROW_START) ?? []).length;
      // A tag cut by the end of the piece is counted with the next one.
      const cut = carry.lastIndexOf('<');
      carry = cut === -1 || carry.indexOf('>', cut) !== -1 ? '' : carry.slice(cut);
      if (carry !== '') rows -= (carry.match(ROW_START) ?? []).length;
    }
    if (!counting) rows += (head.match(ROW_START) ?? []).length;
    return rows;
  } catch {
    return undefined;
  }
}
