// The public corpus (test/fixtures/public/; MANIFEST.json gives each file's repository, path,
// commit, licence and what it exercises): files from a CSV parser suite, two spreadsheet
// libraries' test workbooks, a data-validation library's test tables and a CRM's sample import file, each read as its origin says it
// reads, through `openSource` and through `lead-import validate --json`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedRow } from '../../../app/lead/decoded-row.ts';
import { parseMappingFile, type MappingFile } from '../../../app/mapping/mapping-file.ts';
import { openSource } from '../../../app/source/open-source.ts';
import type { Cell, FileError, SourceFile, SourceOptions, SourceRow } from '../../../app/source/types.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { decodeAll, drainRows, readReport, scratchDir, type Scratch } from './support.ts';
import { errorMessage, validateJson } from './validate-json.ts';

const ROOT = fileURLToPath(new URL('../../fixtures/public/', import.meta.url));

/** Input files named by the suites below (collected as they are declared, so any filter still sees all). */
const asserted = new Set<string>();
function fixture(name: string): string {
  asserted.add(name);
  return `${ROOT}${name}`;
}

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir('lead-importer-public-corpus-');
});
afterAll(() => scratch.remove());

async function opened(path: string, options: SourceOptions = {}): Promise<SourceFile> {
  const result = await openSource(path, options);
  if (E.isLeft(result)) throw new Error(`expected ${path} to open: ${result.left.message}`);
  return result.right;
}

async function refused(path: string, options: SourceOptions = {}): Promise<FileError> {
  const result = await openSource(path, options);
  if (E.isRight(result)) throw new Error(`expected ${path} to be refused; it opened as ${result.right.format}`);
  return result.left;
}

/** A date cell as the day it shows. */
const day = (cell: Cell | undefined): string | undefined => (cell instanceof Date ? cell.toISOString().slice(0, 10) : undefined);

const REPLACEMENT = '\uFFFD';
const replacements = (text: string): number => text.split(REPLACEMENT).length - 1;
const allText = (source: SourceFile, rows: readonly SourceRow[]): string =>
  [...source.header, ...rows.flatMap((row) => row.cells.map((cell) => (typeof cell === 'string' ? cell : '')))].join('\n');

/** A suite's expected rows: a list, or (location_coordinates.json) the one row itself. */
const SuiteRow = t.record(t.string, t.string);
const SuiteRowsCodec = t.union([t.array(SuiteRow), SuiteRow]);
/** Where the suite's JSON disagrees with its own CSV: location_coordinates.csv says 2095257564. */
const SUITE_ERRATA: Record<string, Record<string, string>> = { location_coordinates: { 'Contact Phone Number': '2095257564' } };

describe('csv-spectrum (max-mapper/csv-spectrum, BSD-2-Clause): a CSV parser test suite', () => {
  const names = [
    'comma_in_quotes',
    'empty',
    'empty_crlf',
    'escaped_quotes',
    'json',
    'location_coordinates',
    'newlines',
    'newlines_crlf',
    'quotes_and_newlines',
    'simple',
    'simple_crlf',
    'utf8',
  ];
  const cases = names.map((name) => ({
    name,
    csv: fixture(`csv-spectrum/csvs/${name}.csv`),
    json: `${ROOT}csv-spectrum/json/${name}.json`,
  }));

  it.each(cases)('$name: every row and cell as the suite expects, no U+FFFD the file does not hold', async ({ name, csv, json }) => {
    const source = await opened(csv);
    const rows = await drainRows(source);
    const decoded = SuiteRowsCodec.decode(JSON.parse(await readFile(json, 'utf8')));
    if (E.isLeft(decoded)) throw new Error(`${json} is not a row or a list of rows`);
    const expected = (Array.isArray(decoded.right) ? decoded.right : [decoded.right]).map((row) => ({ ...row, ...SUITE_ERRATA[name] }));
    expect(source.encoding).toBe('utf-8');
    expect(source.headerRowNumber).toBe(1);
    // Every line break is read as "\n", inside cells too (app/source/line-breaks.ts): the suite's "\r\n" in a cell is "\n" here.
    const asRead = expected.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v.replace(/\r\n?/g, '\n')])));
    expect(rows.map((row) => Object.fromEntries(source.header.map((name, i) => [name, row.cells[i]])))).toEqual(asRead);
    expect(rows.every((row) => row.problem === undefined)).toBe(true);
    // location_coordinates.csv holds the bytes of U+FFFD itself: those, and no more.
    const bytes = await readFile(csv);
    expect(replacements(allText(source, rows))).toBe(replacements(bytes.toString('utf8')));
  });

  it('keeps the real line numbers after a cell over several lines', async () => {
    expect((await drainRows(await opened(`${ROOT}csv-spectrum/csvs/newlines_crlf.csv`))).map((r) => r.rowNumber)).toEqual([2, 3, 5]);
    expect((await drainRows(await opened(`${ROOT}csv-spectrum/csvs/quotes_and_newlines.csv`))).map((r) => r.rowNumber)).toEqual([2, 5]);
  });

  it.each(cases)('$name: validate exits 2 naming the file and its columns, since no column is a lead id', async ({ csv }) => {
    const message = errorMessage(await validateJson(csv));
    expect(message).toContain(csv);
    expect(message).toContain('no column provides the lead id');
  });
});

describe("exceljs's test workbooks (exceljs/exceljs, MIT)", () => {
  const workbook1904 = fixture('exceljs/1904.xlsx');
  it('1904.xlsx: a date1904="1" serial 0 reads as 1904-01-01, on the header row found below the blank rows', async () => {
    const source = await opened(workbook1904);
    expect(source.headerRowNumber).toBe(4);
    expect(source.header).toEqual(['Column A', '1904-01-01']);
    expect(await drainRows(source)).toEqual([]);
  });

  const chartSheet = fixture('exceljs/chart-sheet.xlsx');
  it('chart-sheet.xlsx: passes over the chart sheet in front, says so, and refuses it by name', async () => {
    const source = await opened(chartSheet);
    expect(source.sheet).toBe('Sheet1');
    expect(source.sheetsPassedOver).toEqual([{ name: 'Chart1', why: 'chart' }]);
    expect(source.header).toEqual(['Month', 'Bears', 'Dolphins', 'Whales']);
    const rows = await drainRows(source);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual({ rowNumber: 2, cells: ['Jan', 8, 150, 80] });
    const chart = await refused(chartSheet, { sheet: 'Chart1' });
    expect(chart.code).toBe('not_a_table');
    expect(chart.message).toContain('"Chart1" is a chart');
    const validated = await validateJson(chartSheet);
    expect(errorMessage(validated)).toContain('in sheet "Sheet1"');
  });

  const dateIssue = fixture('exceljs/dateIssue.xlsx');
  it('dateIssue.xlsx: a LibreOffice date cell reads as the day it shows', async () => {
    const rows = await drainRows(await opened(dateIssue));
    expect(rows.map((r) => day(r.cells[0]))).toEqual(['2020-11-20']);
  });

  const hidden = [fixture('exceljs/hidden-test-google-sheets.xlsx'), fixture('exceljs/hidden-test-libre-calc.xlsx')];
  it.each(hidden)('%s: Google Sheets and LibreOffice workbooks read alike, hidden rows included', async (path) => {
    const source = await opened(path);
    expect(source.header).toEqual(['BEGIN', 'HIDDEN', 'VISIBLE']);
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([
      ['HIDDEN', '', ''],
      ['VISIBLE', '', ''],
    ]);
  });

  const escaped = fixture('exceljs/shared_string_with_escape.xlsx');
  it('shared_string_with_escape.xlsx: "_x005F_x000D_" is the literal text "_x000D_"', async () => {
    expect((await opened(escaped)).header).toEqual(['_x000D_']);
  });

  const inlineNumbers = fixture('exceljs/test-issue-1575.xlsx');
  it('test-issue-1575.xlsx: inline strings that look like numbers stay the text they are', async () => {
    expect((await drainRows(await opened(inlineNumbers))).map((r) => r.cells)).toEqual([
      ['1.0', '2.0', '3.0'],
      ['4.0', '5.0', '6.0'],
    ]);
  });

  const refusals: [string, string, string][] = [
    [fixture('exceljs/invalid-xml.xlsx'), 'not_a_table', 'could not be read as an Excel workbook: the file looks damaged'],
    [fixture('exceljs/missing-bits.xlsx'), 'not_a_table', 'is a zip archive but not an Excel workbook (.xlsx)'],
    [fixture('exceljs/test-issue-771.xlsx'), 'empty', 'is empty: no sheet has a header row or data ("Sheet1")'],
  ];
  it.each(refusals)('%s: refused with a file error naming the file (exit 2)', async (path, code, words) => {
    const error = await refused(path);
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    const message = errorMessage(await validateJson(path));
    expect(message).toContain(path);
    expect(message).toContain(words);
  });

  const dateLike = fixture('exceljs/test-issue-991.csv');
  it('test-issue-991.csv: date-like text is read as text', async () => {
    const source = await opened(dateLike);
    expect(source.header).toEqual(['2019-11-04']);
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([
      ['11-04-2019'],
      ['2019-11-04T10:17:55'],
      ['00210PRG1'],
      ['1234-5thisisnotadate'],
    ]);
  });
});

describe("calamine's test workbooks (tafia/calamine, MIT)", () => {
  const date1900 = fixture('calamine/date.xlsx');
  const date1904 = fixture('calamine/date_1904.xlsx');
  it('date.xlsx and date_1904.xlsx (date1904="true") read the same days', async () => {
    for (const path of [date1900, date1904]) {
      const source = await opened(path);
      expect(source.header).toEqual(['2021-01-01', '15']);
      const rows = await drainRows(source);
      expect(day(rows[0].cells[0])).toBe('2021-01-02');
      expect(rows.map((r) => r.cells[1])).toEqual([16, 17]);
    }
  });

  const iso = fixture('calamine/date_iso.xlsx');
  it('date_iso.xlsx: openpyxl\'s ISO date cells (t="d") read as their days, a time alone as its text', async () => {
    const source = await opened(iso);
    expect(source.header).toEqual(['2021-01-01']);
    const rows = await drainRows(source);
    expect(day(rows[0].cells[0])).toBe('2021-01-01');
    expect(rows[1].cells).toEqual(['10:10:10']);
    expect(rows[4].cells[0]).toMatch(/^Created with openpyxl/);
  });

  const phonetic = fixture('calamine/rph.xlsx');
  it('rph.xlsx: the text without its phonetic guide', async () => {
    expect((await opened(phonetic)).header).toEqual(['課きく　毛こ']);
  });

  const cdata = fixture('calamine/inlineStr_cdata.xlsx');
  it('inlineStr_cdata.xlsx: CDATA inline strings are read, not blank', async () => {
    const source = await opened(cdata);
    expect(source.header).toEqual(['Hello CDATA', 'World']);
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([['12345', 'NormalText']]);
  });

  const carriageReturns = [fixture('calamine/has_x000D_.xlsx'), fixture('calamine/has_x000D_inline.xlsx')];
  it.each(carriageReturns)('%s: "_x000D_" before a line break is one line break, not text', async (path) => {
    expect((await opened(path)).header).toEqual(['ABC\nDEF']);
  });

  const prefixed = fixture('calamine/nonstandard-xml-ns-prefix.xlsx');
  it('nonstandard-xml-ns-prefix.xlsx: a relationship prefix declared on the <sheet> element is understood', async () => {
    const source = await opened(prefixed);
    expect(source.header).toEqual(['a', 'b']);
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  const ampersand = fixture('calamine/encoded_entities.xlsx');
  it('encoded_entities.xlsx: "&amp;" is "&" (decoded once)', async () => {
    expect((await opened(ampersand)).header).toEqual(['&']);
  });

  const minimal = fixture('calamine/minimal_package.xlsx');
  it('minimal_package.xlsx: parts at the root under their own names are found through the relationships, cells without addresses placed in order', async () => {
    const source = await opened(minimal);
    expect(source.sheet).toBe('Sheet1');
    // calamine reads BKG_NUM in A3: the header is found there, below two title rows.
    expect(source.headerRowNumber).toBe(3);
    expect(source.header.slice(0, 3)).toEqual(['BKG_NUM', 'BKG_DT', 'BKG_TM']);
    expect(source.sheetRowCounts).toEqual([196]);
    const rows = await drainRows(source);
    expect(rows).toHaveLength(193);
    expect(rows[0]).toMatchObject({ rowNumber: 4, cells: expect.arrayContaining(['4894831', '01/30/17', 'CAMPOS', 'CARLOS']) });
    expect(rows[0].cells.slice(0, 3)).toEqual(['4894831', '01/30/17', '00:05']);
    // Through the CLI it is read too: refused only because no column is a lead id (an arrest log).
    const message = errorMessage(await validateJson(minimal));
    expect(message).toContain('no column provides the lead id');
    expect(message).toContain('"BKG_NUM", "BKG_DT"');
  });

  const noteAbove = fixture('calamine/header-row.xlsx');
  it('header-row.xlsx: the table below a lone note is found by itself (the note is not the header), and read whole when its row is given', async () => {
    const chosen = await opened(noteAbove, { headerRow: 9 });
    expect(chosen.header).toEqual(['Columns', 'Column A', 'Column B', 'Column C']);
    expect(await drainRows(chosen)).toEqual([{ rowNumber: 10, cells: ['put data here', 1, 2, 3] }]);
    // Left to itself, the reader passes over the note in C3: row 9 starts a run of rows of its width.
    const detected = await opened(noteAbove);
    expect(detected.headerRowNumber).toBe(9);
    expect(detected.header).toEqual(['Columns', 'Column A', 'Column B', 'Column C']);
    expect(await drainRows(detected)).toEqual([{ rowNumber: 10, cells: ['put data here', 1, 2, 3] }]);
    expect(detected.headerCandidates.map((c) => [c.rowNumber, c.isHeader])).toEqual([
      [3, false],
      [9, true],
      [10, false],
    ]);
  });

  const middle = fixture('calamine/temperature-in-middle.xlsx');
  it('temperature-in-middle.xlsx: a table starting in B4 keeps its columns and row numbers', async () => {
    const source = await opened(middle);
    expect(source.headerRowNumber).toBe(4);
    expect(source.header).toEqual(['Column A', 'label', 'value']);
    expect(await drainRows(source)).toEqual([
      { rowNumber: 5, cells: ['', 'celsius', 22.2222] },
      { rowNumber: 6, cells: ['', 'fahrenheit', 72] },
    ]);
  });

  const sheets = fixture('calamine/any_sheets.xlsx');
  it('any_sheets.xlsx: the visible sheet by default, a hidden one when asked (empty), the chart sheet refused', async () => {
    const source = await opened(sheets);
    expect(source.sheet).toBe('Visible');
    expect(source.sheets).toEqual(['Visible', 'Hidden', 'VeryHidden', 'Chart']);
    // The hidden sheet is chosen by name (case forgiven); it holds nothing, and says so.
    expect((await refused(sheets, { sheet: 'hidden' })).message).toContain('is empty: sheet "Hidden" has no header row and no data');
    expect((await refused(sheets, { sheet: 'Chart' })).message).toContain('"Chart" is a chart');
  });

  const spaces = fixture('calamine/whitespace_trim.xlsx');
  it('whitespace_trim.xlsx: line breaks inside a cell and a space between character references are kept', async () => {
    for (const sheet of ['inlineStr', 'SharedStrings']) {
      const source = await opened(spaces, { sheet });
      const rows = await drainRows(source);
      expect(String(rows[0].cells[0]).trim()).toBe('line1\nline2');
      expect(rows[1].cells[0]).toBe('日期 时间');
    }
  });

  const namespaced = fixture('calamine/richtext-namespaced.xlsx');
  it('richtext-namespaced.xlsx: x:-prefixed parts read, rich text whole', async () => {
    const { header } = await opened(namespaced);
    expect(header[0]).toBe('inline string\nLine 2\nLine 3');
    expect(header[7]).toBe('shared string\nLine 2\nLine 3');
  });

  const strict = fixture('calamine/strict_iso_paths.xlsx');
  it('strict_iso_paths.xlsx: a Strict Open XML workbook with absolute part paths', async () => {
    const source = await opened(strict);
    expect(source.sheet).toBe('ml_out');
    expect(source.header).toHaveLength(18);
    const rows = await drainRows(source);
    expect(rows).toHaveLength(75);
    expect(rows[0].cells[0]).toBe('150-031260-001_B');
  });

  const refusals: [string, string, string][] = [
    [fixture('calamine/empty_sheet.xlsx'), 'empty', 'is empty: no sheet has a header row or data'],
    [fixture('calamine/pass_protected.xlsx'), 'not_a_table', 'or a password-protected one, which cannot be read'],
    [
      fixture('calamine/any_sheets.xlsb'),
      'not_a_table',
      'is a binary Excel workbook (.xlsb), which cannot be read: open it in Excel and save it as .xlsx or CSV',
    ],
    [fixture('calamine/date.xls'), 'not_a_table', 'is an old-style Excel (.xls) workbook'],
    [fixture('calamine/date.ods'), 'not_a_table', 'is a zip archive but not an Excel workbook (.xlsx)'],
  ];
  it.each(refusals)('%s: refused with a file error naming the file (exit 2)', async (path, code, words) => {
    const error = await refused(path);
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
    expect(errorMessage(await validateJson(path))).toContain(path);
  });
});

describe("frictionless-py's test data (frictionlessdata/frictionless-py, MIT)", () => {
  const latin1 = fixture('frictionless/latin1.csv');
  it('latin1.csv: a Latin-1 byte is read as Windows-1252 ("©"), and the file validates (exit 0)', async () => {
    const source = await opened(latin1);
    expect(source.encoding).toBe('windows-1252');
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([
      ['1', 'english'],
      ['2', '©'],
    ]);
    const { code, summary } = await validateJson(latin1);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ encoding: 'windows-1252', rows: 2, invalid: 0, mapping: { id: 'lead_id' } });
  });

  const unicode = [fixture('frictionless/bom.csv'), fixture('frictionless/table-unicode-headers.csv')];
  it.each(unicode)('%s: UTF-8 (with or without a BOM) read whole, in the header too', async (path) => {
    const source = await opened(path);
    expect(source.encoding).toBe('utf-8');
    expect(source.header[0]).toBe('id');
    expect(source.header[1]).toMatch(/^(name|国人)$/);
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([
      ['1', 'english'],
      ['2', '中国人'],
    ]);
  });

  const duplicates = fixture('frictionless/duplicate-headers.csv');
  it('duplicate-headers.csv: read with every column; refused only because the repeated name would fill the lead id (exit 2)', async () => {
    const source = await opened(duplicates);
    expect(source.header).toEqual(['id', 'name', 'id', 'age', 'id']);
    expect((await drainRows(source))[0].cells).toEqual(['1101', 'John', '0', '30', '001101']);
    const message = errorMessage(await validateJson(duplicates));
    expect(message).toContain('column A ("id"), column C ("id") and column E ("id") have the same name and would both fill lead_id');
    expect(message).toContain('"column": "A"');
  });

  const comment = fixture('frictionless/skip-rows-before-headers.csv');
  it('skip-rows-before-headers.csv: the header is found below a comment line, rows keep their line numbers', async () => {
    const source = await opened(comment);
    expect(source.headerRowNumber).toBe(2);
    expect(source.header).toEqual(['id', 'name']);
    expect((await drainRows(source)).map((r) => [r.rowNumber, ...r.cells])).toEqual([
      [3, '1', 'english'],
      [4, '2', '中国人'],
    ]);
  });

  const blankName = fixture('frictionless/blank-headers.csv');
  it('blank-headers.csv: a blank header name is named by its column letter', async () => {
    const source = await opened(blankName);
    expect(source.header).toEqual(['id', 'Column B', 'age']);
    expect((await drainRows(source)).map((r) => r.cells)).toEqual([
      ['1101', 'John', '30'],
      ['1102', 'Julie', '26'],
    ]);
  });

  const noHeader = fixture('frictionless/without-headers-extra.csv');
  it('without-headers-extra.csv: a row with an extra cell keeps it and says where', async () => {
    const rows = await drainRows(await opened(noHeader));
    expect(rows[1]).toMatchObject({ rowNumber: 3, rawCells: ['3', 'german', 'extra'], problem: { kind: 'cell_count' } });
    expect(rows[1].problem?.message).toContain('column C');
  });

  const greek = fixture('frictionless/table-infer-iso-8859-7.csv');
  it('table-infer-iso-8859-7.csv: read as Windows-1252 with a notice that it looks like another code page (naming the file and --encoding); with --encoding iso-8859-7 the Greek names read as written', async () => {
    const source = await opened(greek);
    expect(source.encoding).toBe('windows-1252');
    const rows = await drainRows(source);
    expect(rows).toHaveLength(4);
    expect(replacements(allText(source, rows))).toBe(0);
    const summary = (await validateJson(greek)).summary;
    expect(summary).toMatchObject({ encoding: 'windows-1252' });
    expect(summary.notices).toEqual([expect.stringContaining('"table-infer-iso-8859-7.csv" was read as Windows-1252, but line 2')]);
    expect(summary.notices).toEqual([expect.stringContaining('--encoding iso-8859-7 (Greek)')]);
    const given = await opened(greek, { encoding: 'iso-8859-7' });
    expect((await drainRows(given)).map((r) => r.cells[2])).toEqual(['Λεωνιδας', 'Αλεξανδρος', 'Μυρων', 'Ευστοργιος']);
    expect(await validateJson(greek, '--encoding', 'iso-8859-7')).toMatchObject({ summary: { encoding: 'iso-8859-7', notices: [] } });
  });

  const page = fixture('frictionless/table1.html');
  it('table1.html: a web page is named as one (exit 2)', async () => {
    const message = errorMessage(await validateJson(page));
    expect(message).toContain(page);
    expect(message).toContain(
      'is a web page (HTML), not a spreadsheet, whatever its name says: open it in Excel and save it as .xlsx or .csv',
    );
  });

  const titled = fixture('frictionless/skip-rows.xlsx');
  it('skip-rows.xlsx: the header is found below the title, the TOTAL row read as a row', async () => {
    const source = await opened(titled);
    expect(source.headerRowNumber).toBe(2);
    expect(source.header).toEqual(['A', 'B']);
    expect(await drainRows(source)).toEqual([
      { rowNumber: 3, cells: [8, 9] },
      { rowNumber: 4, cells: ['', 'TOTAL'] },
    ]);
  });

  const multiline = fixture('frictionless/multiline-headers.xlsx');
  it('multiline-headers.xlsx: a header over several rows is read from its first row; wider rows below are flagged, not cut', async () => {
    const source = await opened(multiline);
    expect(source.headerRowNumber).toBe(1);
    expect(source.header).toEqual(['Region', 'Caloric contribution', 'Cumulative impact of changes on cost of food basket']);
    const rows = await drainRows(source);
    expect(rows.filter((r) => r.problem !== undefined).map((r) => [r.rowNumber, r.rawCells?.length])).toEqual([
      [4, 4],
      [6, 4],
    ]);
  });
});

describe("Krayin CRM's sample lead import file (krayin/laravel-crm, MIT)", () => {
  const leads = fixture('krayin/leads.csv');
  const mappingPath = `${ROOT}krayin/leads.mapping.json`;
  const mappingFile = async (): Promise<MappingFile> => {
    const parsed = parseMappingFile(await readFile(mappingPath, 'utf8'), mappingPath);
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('\n'));
    return parsed.right;
  };
  const decodedByRow = async (path: string): Promise<Map<number, DecodedRow>> => {
    const prepared = await prepareImport({ path, mappingFile: await mappingFile() });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    const { decoded } = await decodeAll(prepared.right);
    return new Map(decoded.map((d) => [d.rowNumber, d]));
  };

  it("maps id and status by itself, and refuses the CRM's numeric status (exit 1)", async () => {
    const { code, summary } = await validateJson(leads);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ encoding: 'utf-8', headerRow: 1, rows: 2, valid: 0, invalid: 2 });
    expect(summary.mapping).toMatchObject({ id: 'lead_id', status: 'status' });
  });

  it('with a value table for its status: one valid lead, its text intact; the lead without an id stays invalid through its report', async () => {
    const errors = scratch.path('krayin-errors.csv');
    const first = await validateJson(leads, '--mapping', mappingPath, '--errors', errors);
    expect(first.code).toBe(1);
    expect(first.summary).toMatchObject({ rows: 2, valid: 1, invalid: 1 });

    const rows = await decodedByRow(leads);
    expect(rows.get(2)?.status).toBe('valid');
    expect(rows.get(2)?.payload).toMatchObject({ status: 'ACTIVE', target_move_in_date: '2024-09-02' });
    expect(rows.get(2)?.payload.notes).toMatch(
      /^Urgent Requirement: TaskMaster Pro – an advanced project management tool designed to enhance team collaboration, streamline/,
    );
    expect(rows.get(3)?.errors.map((e) => e.message)).toEqual(['lead id is missing']);

    const [header, ...reported] = await readReport(errors);
    expect(reported).toHaveLength(1);
    const row = Object.fromEntries(header.map((name, i) => [name, reported[0][i]]));
    expect(row).toMatchObject({ import_row: '3', id: '', title: 'Need more information About Product -> CyberGuard Pro' });
    // The report imported again, unchanged: the row is still invalid for the same reason.
    const again = await validateJson(errors, '--mapping', mappingPath);
    expect(again.code).toBe(1);
    expect(again.summary).toMatchObject({ rows: 1, valid: 0, invalid: 1 });
    expect([...(await decodedByRow(errors)).values()].map((d) => d.errors.map((e) => e.message))).toEqual([['lead id is missing']]);
  });
});

const ManifestCodec = t.type({
  sources: t.record(t.string, t.type({ repository: t.string, commit: t.string, licence: t.string, licenceWhere: t.string })),
  files: t.array(t.type({ file: t.string, source: t.string, role: t.keyof({ input: null, expected: null, mapping: null }) })),
});

describe('the manifest', () => {
  it('lists every file of the corpus, each with its origin and licence, every input asserted above; the corpus stays small', async () => {
    const decoded = ManifestCodec.decode(JSON.parse(await readFile(`${ROOT}MANIFEST.json`, 'utf8')));
    if (E.isLeft(decoded)) throw new Error('MANIFEST.json does not have the expected shape');
    const manifest = decoded.right;
    const onDisk = (await readdir(ROOT, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => `${entry.parentPath}/${entry.name}`.slice(ROOT.length).replace(/^\//, ''))
      .filter((name) => !['MANIFEST.json', 'README.md', '.gitattributes'].includes(name));
    expect(manifest.files.map((f) => f.file).sort()).toEqual(onDisk.sort());
    for (const file of manifest.files) {
      if (file.role === 'mapping') expect(file.source).toBe('ours');
      else expect(manifest.sources[file.source]?.licence).toMatch(/^(MIT|BSD-2-Clause)$/);
    }
    expect(
      manifest.files
        .filter((f) => f.role === 'input')
        .map((f) => f.file)
        .sort(),
    ).toEqual([...asserted].sort());
    const sizes = await Promise.all(onDisk.map(async (name) => (await stat(`${ROOT}${name}`)).size));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(2 * 1024 * 1024);
  });
});
