// The corpus of real-world-shaped files (test/fixtures/corpus/, made by make-corpus.ts; README
// there lists them), each with its expected outcome asserted through `lead-import validate
// --json` and, where the values matter, through the decoded payloads. The big files (a 10 MB
// cell, 10,000 columns) are generated here into a temp folder instead of being committed.
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/Either';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedRow } from '../../../app/lead/decoded-row.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { SEMICOLON_LINES, UNICODE_TEXT_LINES, WINDOWS_1252_LINES } from '../../fixtures/corpus/make-corpus.ts';
import { runCli, spawnCli } from '../../integration/cli/cli-harness.ts';
import { decodeAll, readReport, scratchDir, withinTime, type Scratch } from './support.ts';
import { validateJson } from './validate-json.ts';

const corpus = (name: string): string => fileURLToPath(new URL(`../../fixtures/corpus/${name}`, import.meta.url));

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir('lead-importer-corpus-');
});
afterAll(() => scratch.remove());

/** The decoded rows of a file, by row number. */
async function decodedByRow(path: string, sheet?: string): Promise<Map<number, DecodedRow>> {
  const prepared = await prepareImport({ path, source: sheet === undefined ? {} : { sheet } });
  if (E.isLeft(prepared)) throw new Error(prepared.left.message);
  const { decoded } = await decodeAll(prepared.right);
  return new Map(decoded.map((d) => [d.rowNumber, d]));
}

/** The report's rows as objects by column name. */
async function reportRows(path: string): Promise<Record<string, string>[]> {
  const [header, ...rows] = await readReport(path);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

describe("Excel's Windows-1252 CSV", () => {
  const file = corpus('excel-windows-1252.csv');

  it('is detected as Windows-1252 and read with é, ë, ç, ñ, ã and € intact; one row invalid (exit 1)', async () => {
    const errors = scratch.path('errors.csv');
    const { code, summary } = await validateJson(file, '--errors', errors);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ rows: 4, valid: 3, invalid: 1, skipped: 0, unmappedColumns: [] });
    expect(summary.mapping).toEqual({
      'Lead ID': 'lead_id',
      'First Name': 'first_name',
      'Last Name': 'last_name',
      City: 'city',
      Status: 'status',
      'Max Rent': 'desired_max_rent_in_cents',
      Notes: 'notes',
    });
    expect((await runCli(['validate', file])).stdout).toContain('windows-1252, comma-separated');

    const rows = await decodedByRow(file);
    expect(rows.get(2)?.payload).toMatchObject({
      first_name: 'Zoë',
      last_name: 'Brontë',
      city: 'Besançon',
      notes: 'Prefers the façade side',
      desired_max_rent_in_cents: 125050,
    });
    expect(rows.get(3)?.payload).toMatchObject({
      first_name: 'José',
      last_name: 'Muñoz',
      city: 'Málaga',
      notes: 'Budget up to €1.000',
      desired_max_rent_in_cents: 90000,
    });
    expect(rows.get(5)?.payload).toMatchObject({ first_name: 'Ñandú', last_name: 'Peña', city: 'São Paulo', status: 'WAITLISTED' });

    const [bad] = await reportRows(errors);
    expect(bad).toMatchObject({
      import_row: '4',
      'First Name': 'Renée',
      'Last Name': 'Noël',
      City: 'Zürich',
      Notes: 'Said "maybe", call back',
    });
    expect(bad.import_errors).toContain("Status: 'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED");
    expect(bad.import_errors).toContain("Max Rent: 'abc' is not an amount");
  });
});

describe('UTF-16 LE with a BOM, tab-separated (Excel\'s "Unicode Text")', () => {
  const file = corpus('excel-unicode-text.txt');

  it('is read as UTF-16 with tabs, whatever its .txt name; a two-line cell keeps the next row on line 4', async () => {
    const errors = scratch.path('errors.csv');
    const { code, summary } = await validateJson(file, '--errors', errors);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ rows: 3, valid: 2, invalid: 1 });
    expect((await runCli(['validate', file])).stdout).toContain('utf-16le, tab-separated');

    const rows = await decodedByRow(file);
    expect([...rows.keys()]).toEqual([2, 4, 5]);
    expect(rows.get(2)?.payload).toMatchObject({
      first_name: 'Zoë',
      last_name: 'Łukasz',
      notes: 'Two\nlines',
      target_move_in_date: '2026-03-07',
    });
    expect(rows.get(4)?.payload).toMatchObject({
      first_name: '李',
      last_name: '王',
      notes: 'Prefers the 東 side 😀',
      target_move_in_date: '2026-04-01',
    });

    const [bad] = await reportRows(errors);
    expect(bad).toMatchObject({ import_row: '5', 'First Name': 'Anaïs', 'Last Name': "O'Brien" });
    expect(bad.import_errors).toContain("E-mail Address: 'not-an-email' is not an e-mail address");
    expect(bad.import_errors).toContain("Move-in Date: '2026-02-30' is not a real date");
  });
});

describe('semicolon CSV with decimal commas', () => {
  const file = corpus('semicolon-decimal-comma.csv');

  it('splits on semicolons although cells hold commas, reads "1.250,50" as $1,250.50, and names the column of a stray semicolon', async () => {
    const { code, summary } = await validateJson(file);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ rows: 4, valid: 3, invalid: 1 });
    const rows = await decodedByRow(file);
    expect(rows.get(2)?.payload).toMatchObject({ desired_max_rent_in_cents: 125050, desired_num_bedrooms: 2, notes: 'Wohnung, 3. OG' });
    expect(rows.get(3)?.payload).toMatchObject({ desired_max_rent_in_cents: 95000, status: 'COLD' });
    expect(rows.get(4)?.payload).toMatchObject({ desired_max_rent_in_cents: 210000, notes: 'Zitat "ja"' });
    // "Größe; egal": a semicolon in an unquoted note pushes a value past the last column.
    expect(rows.get(5)?.status).toBe('invalid');
    expect(rows.get(5)?.errors[0].message).toBe('has 6 cells; the header has 5 (there is a value in column F, past the last column)');
  });
});

describe('a file with a 10 MB cell', () => {
  it('reports that row as too long, with the lines it spans, and reads the rows after it (exit 1, no hang)', async () => {
    // A note of 10 MB over 10,240 lines, commas and semicolons inside, quoted as Excel would.
    const line = 'Lorem ipsum, dolor; sit amet. Zoë '.repeat(30);
    const cell = Array.from({ length: Math.ceil((10 * 1024 * 1024) / line.length) }, () => line).join('\r\n');
    const breaks = cell.split('\r\n').length - 1;
    const path = await scratch.write(
      'ten-mb-cell.csv',
      `Lead ID,Status,Notes\r\nld_1,ACTIVE,short\r\nld_2,ACTIVE,"${cell}"\r\nld_3,COLD,after\r\nld_4,Actve,x\r\n`,
    );
    const errors = scratch.path('errors.csv');
    const { code, summary } = await validateJson(path, '--errors', errors);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ rows: 4, valid: 2, invalid: 2 });
    const report = await reportRows(errors);
    expect(report.map((r) => r.import_row)).toEqual(['3', String(4 + breaks + 1)]);
    expect(report[0].import_errors).toContain(`is too long to read: more than 4,194,304 characters over lines 3–${3 + breaks}`);
    expect(report[0].import_errors).toContain('column C');
    expect(report[0]['Lead ID']).toBe('ld_2');
    expect(report[1]).toMatchObject({ 'Lead ID': 'ld_4', Status: 'Actve' });
  });

  it('keeps memory bounded: a 40 MB cell is read by a CLI whose heap is limited to 32 MB', async () => {
    // Holding the cell (40 MB as text) would not fit: the reader keeps at most its limit.
    const cell = 'Lorem ipsum, dolor; sit amet. '.repeat(Math.ceil((40 * 1024 * 1024) / 30));
    const path = await scratch.write(
      'forty-mb-cell.csv',
      `Lead ID,Status,Notes\r\nld_1,ACTIVE,short\r\nld_2,ACTIVE,"${cell}"\r\nld_3,COLD,after\r\n`,
    );
    const result = await withinTime('validate', 60_000, () =>
      spawnCli(['validate', path, '--json'], { env: { PATH: process.env.PATH, NODE_OPTIONS: '--max-old-space-size=32' } }),
    );
    expect(result.stderr).not.toMatch(/out of memory/i);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 3, valid: 2, invalid: 1 });
  }, 90_000);
});

describe('10,000 columns', () => {
  it('reads the header, maps the four known columns wherever they are, and reports the rest as unmapped', async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `Custom ${String(i).padStart(5, '0')}`);
    const known: Record<number, string> = { 0: 'Lead ID', 2500: 'Status', 5000: 'E-mail Address', 9999: 'Max Rent' };
    for (const [at, name] of Object.entries(known)) names[Number(at)] = name;
    const row = (id: string, status: string): string =>
      names
        .map((_, i) => (i === 0 ? id : i === 2500 ? status : i === 5000 ? `${id}@example.com` : i === 9999 ? '"$1,000"' : `v${i}`))
        .join(',');
    const path = await scratch.write(
      'wide.csv',
      [names.join(','), row('ld_1', 'ACTIVE'), row('ld_2', 'COLD'), row('ld_3', 'Actve')].join('\r\n'),
    );
    const errors = scratch.path('errors.csv');
    const { code, summary } = await validateJson(path, '--errors', errors);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ rows: 3, valid: 2, invalid: 1 });
    expect(summary.mapping).toEqual({
      'Lead ID': 'lead_id',
      Status: 'status',
      'E-mail Address': 'email_1',
      'Max Rent': 'desired_max_rent_in_cents',
    });
    expect(summary.unmappedColumns).toHaveLength(9996);
    const [bad] = await reportRows(errors);
    expect(bad).toMatchObject({ 'Lead ID': 'ld_3', Status: 'Actve', 'Custom 07777': 'v7777', 'Max Rent': '$1,000', import_row: '4' });
  });
});

describe('a header-only file', () => {
  it('has 0 rows and exits 0', async () => {
    const { code, summary } = await validateJson(corpus('header-only.csv'));
    expect(code).toBe(0);
    expect(summary).toMatchObject({
      rows: 0,
      valid: 0,
      invalid: 0,
      skipped: 0,
      mapping: { 'Lead ID': 'lead_id', Status: 'status', 'Max Rent': 'desired_max_rent_in_cents' },
    });
  });
});

describe('a zip renamed .csv', () => {
  it('is refused as a zip that is no workbook (exit 2), nothing written', async () => {
    const out = await scratchDir('lead-importer-corpus-out-');
    const result = await runCli(['validate', corpus('zip-renamed.csv'), '--json', '--errors', out.path('errors.csv')]);
    expect(result.code).toBe(2);
    const message = (JSON.parse(result.stdout) as { error: { message: string } }).error.message;
    expect(message).toContain('zip-renamed.csv');
    expect(message).toContain('is a zip archive but not an Excel workbook (.xlsx)');
    expect(await readdir(out.dir)).toEqual([]);
    await out.remove();
  });
});

describe('an XLSX with several sheets', () => {
  const file = corpus('several-sheets.xlsx');

  it('reads the sheet chosen by name (case and spaces forgiven), with sheet row numbers', async () => {
    const leads = await validateJson(file, '--sheet', 'Leads');
    expect(leads.code).toBe(1);
    expect(leads.summary).toMatchObject({ rows: 3, valid: 2, invalid: 1 });
    const rows = await decodedByRow(file, 'Leads');
    expect(rows.get(2)?.payload).toMatchObject({ status: 'ACTIVE', desired_max_rent_in_cents: 125050, target_move_in_date: '2026-03-07' });
    expect(rows.get(4)?.errors.map((e) => e.column)).toEqual(['Status', 'Max Rent']);
    const archive = await validateJson(file, '--sheet', ' archive ');
    expect(archive.code).toBe(0);
    expect(archive.summary).toMatchObject({ rows: 1, valid: 1 });
  });

  it('by default reads the first visible sheet and says which sheet it read when it has no lead id (exit 2)', async () => {
    const { code, summary } = await validateJson(file);
    expect(code).toBe(2);
    const message = (summary as { error: { message: string } }).error.message;
    expect(message).toContain('no column provides the lead id');
    expect(message).toContain('sheet "Read me"');
    expect(message).toContain('"Leads"');
  });

  it('refuses a sheet it does not have, listing the sheets (exit 2)', async () => {
    const { code, summary } = await validateJson(file, '--sheet', 'Nope');
    expect(code).toBe(2);
    expect((summary as { error: { message: string } }).error.message).toContain(
      'has no sheet named "Nope". Its sheets are: "Read me", "Leads", "Archive", "Lookups".',
    );
  });
});

describe('an XLSX with merged cells and formulas', () => {
  const file = corpus('merged-formulas.xlsx');

  it('gives a merged range its value in its first cell only, formulas their cached results, and reports an error result (exit 1)', async () => {
    const { code, summary } = await validateJson(file);
    expect(code).toBe(1);
    expect(summary).toMatchObject({ rows: 4, valid: 2, invalid: 1, skipped: 1 });
    const rows = await decodedByRow(file);
    expect(rows.get(2)).toMatchObject({
      status: 'valid',
      payload: {
        status: 'ACTIVE',
        desired_max_rent_in_cents: 125050,
        target_move_in_date: '2026-03-07',
        desired_num_bedrooms: 2,
        notes: 'Call after 5pm',
      },
    });
    // B3 is part of the merged status: blank, so the status is left unchanged; C3 was never calculated.
    expect(rows.get(3)?.status).toBe('valid');
    expect(rows.get(3)?.payload).toEqual({ target_move_in_date: '2026-04-01', desired_num_bedrooms: 3 });
    expect(rows.get(4)?.errors).toEqual([
      { column: 'Max Rent', field: 'desired_max_rent_in_cents', value: '#DIV/0!', message: "'#DIV/0!' is not an amount" },
    ]);
    // The merged "Totals" banner reads as a row with nothing to change.
    expect(rows.get(5)?.status).toBe('skipped');
  });
});

it('every committed corpus file has an expected outcome above', async () => {
  const files = (await readdir(fileURLToPath(new URL('../../fixtures/corpus/', import.meta.url)))).filter((f) => !/\.(ts|md)$/.test(f));
  expect(files.sort()).toEqual(
    [
      'excel-unicode-text.txt',
      'excel-windows-1252.csv',
      'header-only.csv',
      'merged-formulas.xlsx',
      'semicolon-decimal-comma.csv',
      'several-sheets.xlsx',
      'zip-renamed.csv',
    ].sort(),
  );
});

// Keeps the generator honest: the committed CSV-like files are what make-corpus.ts writes.
it('the committed text files are what make-corpus.ts writes', async () => {
  expect(iconv.decode(await readFile(corpus('excel-windows-1252.csv')), 'windows-1252')).toBe(`${WINDOWS_1252_LINES.join('\r\n')}\r\n`);
  expect(await readFile(corpus('excel-unicode-text.txt'), 'utf16le')).toBe(`\uFEFF${UNICODE_TEXT_LINES.join('\r\n')}\r\n`);
  expect(await readFile(corpus('semicolon-decimal-comma.csv'), 'utf8')).toBe(`\uFEFF${SEMICOLON_LINES.join('\r\n')}\r\n`);
});
