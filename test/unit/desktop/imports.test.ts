// Open → map → review, through the service's handlers, on small files written per test.
import { readFile, writeFile, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../../app/validate/validate-file.ts';
import { bridgeError, makeService, MIXED, readCsv, tempDir, writeCsv } from './desktop-harness.ts';

describe('import:open', () => {
  it('maps the columns and shows up to five distinct non-blank samples of each', async () => {
    const dir = await tempDir();
    const lines = [
      'Lead ID,First Name,Status,Internal Code',
      ...Array.from({ length: 12 }, (_, i) => `lead-${i + 1},Name${i % 7},${i % 2 ? 'ACTIVE' : ''},`),
    ];
    const path = await writeCsv(dir, 'leads.csv', lines);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview).toMatchObject({
      path,
      fileName: 'leads.csv',
      format: 'csv',
      encoding: 'utf-8',
      delimiter: ',',
      sheet: null,
      sheets: [],
      hasLeadId: true,
      mappingProblems: [],
    });
    expect(overview.importId).toMatch(/^imp-/);
    expect(overview.columns.map((c) => [c.column, c.field, c.method])).toEqual([
      ['Lead ID', 'lead_id', 'normalized'],
      ['First Name', 'first_name', 'normalized'],
      ['Status', 'status', 'normalized'],
      ['Internal Code', null, 'unmapped'],
    ]);
    expect(overview.columns[0].samples).toEqual(['lead-1', 'lead-2', 'lead-3', 'lead-4', 'lead-5']);
    expect(overview.columns[1].samples).toEqual(['Name0', 'Name1', 'Name2', 'Name3', 'Name4']);
    // Blank cells are skipped, repeats shown once.
    expect(overview.columns[2].samples).toEqual(['ACTIVE']);
    expect(overview.columns[3].samples).toEqual([]);
  });

  it('finds the header below a title block, offers the first rows to choose another, and opens again with the one chosen', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'guest-cards.csv', [
      'Guest Card Report',
      'Property: Sunset Apartments',
      '',
      'Lead ID,First Name,Status',
      'lead-1,Avery,ACTIVE',
      'lead-2,Blake,COLD',
    ]);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview.headerRow).toBe(4);
    expect(overview.headerCandidates).toEqual([
      { rowNumber: 1, cells: ['Guest Card Report'], isHeader: false },
      { rowNumber: 2, cells: ['Property: Sunset Apartments'], isHeader: false },
      { rowNumber: 4, cells: ['Lead ID', 'First Name', 'Status'], isHeader: true },
      { rowNumber: 5, cells: ['lead-1', 'Avery', 'ACTIVE'], isHeader: false },
      { rowNumber: 6, cells: ['lead-2', 'Blake', 'COLD'], isHeader: false },
    ]);
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 2, valid: 2 });
    const page = await h['import:rows']({ importId: overview.importId, filter: 'all', offset: 0, limit: 10 });
    expect(page.rows.map((r) => r.rowNumber)).toEqual([5, 6]);
    // The person picks row 5: it is the header from then on, and the check keeps it.
    const chosen = await h['import:open']({ path, options: { headerRow: 5 } });
    expect(chosen.headerRow).toBe(5);
    expect(chosen.columns.map((c) => c.column)).toEqual(['lead-1', 'Avery', 'ACTIVE']);
    expect(chosen.headerCandidates.find((c) => c.isHeader)?.rowNumber).toBe(5);
    // A saved mapping keeps the header row; loaded onto the file opened another way, it says so.
    const saved = join(dir, 'guest-cards.json');
    await h['import:saveMapping']({ importId: overview.importId, path: saved });
    expect(JSON.parse(await readFile(saved, 'utf8')).headerRow).toBe(4);
    const loaded = await h['import:loadMapping']({ importId: chosen.importId, path: saved });
    expect(loaded.mappingProblems[0]).toContain(
      'its header is on row 4, and this file was opened with the header on row 5: choose row 4 as the header first',
    );
  });

  it('opens a file whose header repeats a name the automatic mapping would use, leaving those columns for the person', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'hubspot.csv', ['Lead ID,Email,Company Name,Email', 'lead-1,not an e-mail,Co,b@example.com']);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview.columns.map((c) => c.field)).toEqual(['lead_id', null, null, null]);
    expect(overview.mappingProblems).toEqual([
      expect.stringContaining('column B ("Email") and column D ("Email") have the same name and would both fill email_1'),
    ]);
    // Mapping the second one by its position works, and the check reads it from that column
    // (the first holds no e-mail address: read from there, the row would be invalid).
    const mapped = await h['import:setMapping']({ importId: overview.importId, columns: [{ index: 3, field: 'email_1', options: {} }] });
    expect(mapped.columns.map((c) => c.field)).toEqual(['lead_id', null, null, 'email_1']);
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 1, valid: 1 });
    // Mapped the other way, the problem is shown on the column mapped (B), not on its namesake.
    await h['import:setMapping']({
      importId: overview.importId,
      columns: [
        { index: 3, field: null, options: {} },
        { index: 1, field: 'email_1', options: {} },
      ],
    });
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 1, invalid: 1 });
    const page = await h['import:rows']({ importId: overview.importId, filter: 'all', offset: 0, limit: 10 });
    expect(page.rows[0].issues.map((i) => [i.column, i.columnIndex])).toEqual([['Email', 1]]);
  });

  it('opens a file without a lead id column, so the person can map one', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'no-id.csv', ['Identifier,Status', 'abc,ACTIVE']);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview.hasLeadId).toBe(false);
    const refused = await bridgeError(() => h['import:validate']({ importId: overview.importId }));
    expect(refused.message).toBe('Map a column of no-id.csv to lead_id first: without the lead id no row can be matched to a lead.');
    const mapped = await h['import:setMapping']({ importId: overview.importId, columns: [{ index: 0, field: 'lead_id', options: {} }] });
    expect(mapped.hasLeadId).toBe(true);
    expect(mapped.columns[0]).toMatchObject({ field: 'lead_id', method: 'manual' });
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 1, valid: 1 });
  });

  it('honours the chosen delimiter, and refuses a file it cannot read with a message naming it', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'semi.csv', ['Lead ID;Status', 'lead-1;ACTIVE']);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: { delimiter: ';' } });
    expect(overview.delimiter).toBe(';');
    expect(overview.columns.map((c) => c.field)).toEqual(['lead_id', 'status']);
    const empty = await writeCsv(dir, 'empty.csv', ['']);
    const refused = await bridgeError(() => h['import:open']({ path: empty, options: {} }));
    expect(refused.code).toBe('failed');
    expect(refused.message).toContain('empty.csv');
  });
});

describe('workbooks', () => {
  it('opens the first worksheet with data and says which sheet it read', async () => {
    const dir = await tempDir();
    const path = join(dir, 'empty-first.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    workbook.addWorksheet('Leads').addRows([
      ['Lead ID', 'Status'],
      ['lead-1', 'ACTIVE'],
    ]);
    await workbook.xlsx.writeFile(path);
    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview).toMatchObject({ sheet: 'Leads', sheets: ['Sheet1', 'Leads'] });
    expect(overview.notices).toEqual([expect.stringContaining('read sheet "Leads", the first with data: "Sheet1" before it is empty')]);
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 1, valid: 1, notices: overview.notices });
  });

  it('opens the chosen sheet, shows typed cells as text, and reviews them as the reader typed them', async () => {
    const dir = await tempDir();
    const path = join(dir, 'leads.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['nothing here']);
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Lead ID', 'Move-in Date', 'Beds', 'Has Cats']);
    sheet.addRow(['lead-1', new Date(Date.UTC(2026, 0, 2)), 3, true]);
    sheet.addRow(['lead-2', 'soon', 2.5, false]);
    sheet.getCell('B2').numFmt = 'yyyy-mm-dd';
    await workbook.xlsx.writeFile(path);

    const { h } = await makeService({ reviewMemoryRows: 1 });
    const overview = await h['import:open']({ path, options: { sheet: 'Leads' } });
    expect(overview).toMatchObject({ format: 'xlsx', sheet: 'Leads', sheets: ['Notes', 'Leads'], encoding: null, delimiter: null });
    // For the sheet picker: each sheet's rows (exceljs writes each sheet's <dimension>).
    expect(overview.sheetRowCounts).toEqual([1, 3]);
    expect(overview.columns.map((c) => c.samples)).toEqual([
      ['lead-1', 'lead-2'],
      ['2026-01-02', 'soon'],
      ['3', '2.5'],
      ['TRUE', 'FALSE'],
    ]);
    expect(await h['import:validate']({ importId: overview.importId })).toMatchObject({ rows: 2, valid: 1, invalid: 1 });
    const page = await h['import:rows']({ importId: overview.importId, filter: 'all', offset: 0, limit: 10 });
    expect(page.rows.map((r) => [r.status, r.cells])).toEqual([
      ['valid', ['lead-1', '2026-01-02', '3', 'TRUE']],
      ['invalid', ['lead-2', 'soon', '2.5', 'FALSE']],
    ]);
  });
});

describe('workbook numbers', () => {
  it('are shown as Excel shows them (15 significant digits), as the messages and reports quote them', async () => {
    const dir = await tempDir();
    const path = join(dir, 'noise.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Leads');
    sheet.addRow(['Lead ID', 'Max Rent']);
    sheet.addRow(['lead-1', 0.1 + 0.2]);
    sheet.addRow(['lead-2', 1375.0000000000002]);
    await workbook.xlsx.writeFile(path);

    const { h } = await makeService();
    const overview = await h['import:open']({ path, options: {} });
    expect(overview.columns[1].samples).toEqual(['0.3', '1375']);
    await h['import:validate']({ importId: overview.importId });
    const page = await h['import:rows']({ importId: overview.importId, filter: 'all', offset: 0, limit: 10 });
    expect(page.rows.map((r) => r.cells[1])).toEqual(['0.3', '1375']);
  });
});

describe('import:setMapping', () => {
  it('refuses an unknown field (with a suggestion), a field used twice, and a column that does not exist', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });

    const unknown = await bridgeError(() =>
      h['import:setMapping']({ importId, columns: [{ index: 1, field: 'frist_name', options: {} }] }),
    );
    expect(unknown.code).toBe('bad_argument');
    expect(unknown.message).toBe('Column "First Name": "frist_name" is not a Propexo lead field; did you mean first_name?');

    const twice = await bridgeError(() => h['import:setMapping']({ importId, columns: [{ index: 1, field: 'status', options: {} }] }));
    expect(twice.message).toBe('status is mapped to both "First Name" and "Status": a field can come from one column only. Choose one.');

    const unsupported = await bridgeError(() =>
      h['import:setMapping']({ importId, columns: [{ index: 1, field: 'events', options: {} }] }),
    );
    expect(unsupported.message).toBe('Column "First Name": events cannot be filled from a spreadsheet column.');

    const missing = await bridgeError(() => h['import:setMapping']({ importId, columns: [{ index: 9, field: null, options: {} }] }));
    expect(missing.message).toBe('leads.csv has 5 columns: there is no column 10.');

    // Nothing of the refused changes stuck.
    const { columns } = await h['import:setMapping']({ importId, columns: [] });
    expect(columns.map((c) => c.field)).toEqual(['lead_id', 'first_name', 'status', 'desired_num_bedrooms', 'desired_max_rent_in_cents']);
  });

  it('swaps fields between columns in one change, keeps options that fit and notes those that do not', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', ['Lead ID,Max Rent (cents),Internal Code', 'lead-1,150000,x']);
    const { h } = await makeService();
    const { importId, columns } = await h['import:open']({ path, options: {} });
    expect(columns[1]).toMatchObject({ field: 'desired_max_rent_in_cents', options: { money: 'cents' } });
    const changed = await h['import:setMapping']({
      importId,
      columns: [
        { index: 1, field: null, options: {} },
        { index: 2, field: 'desired_max_rent_in_cents', options: { money: 'dollars', dateOrder: 'DMY' } },
      ],
    });
    expect(changed.columns[1]).toMatchObject({ field: null, method: 'unmapped' });
    expect(changed.columns[2]).toMatchObject({ field: 'desired_max_rent_in_cents', method: 'manual', options: { money: 'dollars' } });
    expect(changed.mappingProblems).toEqual([
      'column "Internal Code": dateOrder applies only to date fields, and desired_max_rent_in_cents is a money field: ignored',
    ]);
    const unmapId = await h['import:setMapping']({ importId, columns: [{ index: 0, field: null, options: {} }] });
    expect(unmapId.hasLeadId).toBe(false);
  });

  it('makes an earlier check stale: rows are refused until the file is checked again', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    await h['import:setMapping']({ importId, columns: [{ index: 2, field: null, options: {} }] });
    const stale = await bridgeError(() => h['import:rows']({ importId, filter: 'all', offset: 0, limit: 10 }));
    expect(stale.message).toBe('Check leads.csv with its current mapping before you review its rows.');
    // Without the status column, row 3's bad status no longer matters.
    expect(await h['import:validate']({ importId })).toMatchObject({ invalid: 2, valid: 3 });
  });
});

describe('mapping files', () => {
  it('saves the mapping as an editable file and loads it into another import of the same columns', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const first = await h['import:open']({ path, options: {} });
    await h['import:setMapping']({ importId: first.importId, columns: [{ index: 1, field: null, options: {} }] });
    const mappingPath = join(dir, 'mapping.json');
    await h['import:saveMapping']({ importId: first.importId, path: mappingPath });
    const saved = JSON.parse(await readFile(mappingPath, 'utf8')) as { version: number; columns: Record<string, unknown> };
    expect(saved).toEqual({
      version: 1,
      columns: {
        'Lead ID': { field: 'lead_id' },
        'First Name': { field: null },
        Status: { field: 'status' },
        Beds: { field: 'desired_num_bedrooms' },
        'Max Rent': { field: 'desired_max_rent_in_cents', money: 'dollars' },
      },
    });

    const second = await h['import:open']({ path, options: {} });
    expect(second.importId).not.toBe(first.importId);
    const loaded = await h['import:loadMapping']({ importId: second.importId, path: mappingPath });
    expect(loaded.columns.map((c) => [c.field, c.method])).toEqual([
      ['lead_id', 'mapping_file'],
      [null, 'unmapped'],
      ['status', 'mapping_file'],
      ['desired_num_bedrooms', 'mapping_file'],
      ['desired_max_rent_in_cents', 'mapping_file'],
    ]);
  });

  it('refuses a broken mapping file with the file, the JSON path and a suggestion; notes columns the file lacks', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ version: 1, columns: { Status: { field: 'stauts' } } }));
    const refused = await bridgeError(() => h['import:loadMapping']({ importId, path: broken }));
    expect(refused.message).toBe(`broken.json: columns."Status".field: 'stauts' is not a lead field; did you mean status?`);

    const partial = join(dir, 'partial.json');
    await writeFile(partial, JSON.stringify({ version: 1, columns: { 'Lead ID': { field: 'lead_id' }, Phone: { field: 'phone_1' } } }));
    const loaded = await h['import:loadMapping']({ importId, path: partial });
    expect(loaded.mappingProblems).toEqual(['partial.json: column "Phone" (phone_1) is not in the header']);

    const absent = await bridgeError(() => h['import:loadMapping']({ importId, path: join(dir, 'nope.json') }));
    expect(absent.message).toMatch(/^Cannot read the mapping file .*nope\.json/);
  });
});

describe('import:validate and import:rows', () => {
  it('counts what the command line counts, and reports progress from 0 to every row', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const t = await makeService();
    const { importId } = await t.h['import:open']({ path, options: {} });
    const counts = await t.h['import:validate']({ importId });
    expect(counts).toEqual({ rows: 6, valid: 2, invalid: 3, skipped: 1, warnings: 2, duplicates: 1, edits: 0, notices: [] });
    const cli = await validateFile({ path });
    if (E.isLeft(cli)) throw new Error(cli.left.message);
    expect(counts).toMatchObject({
      rows: cli.right.rows,
      valid: cli.right.valid,
      invalid: cli.right.invalid,
      skipped: cli.right.skipped,
      warnings: cli.right.warnings,
      duplicates: cli.right.duplicates,
    });
    const progress = t.events.filter((e) => e.event === 'import:progress').map((e) => e.payload);
    expect(progress[0]).toEqual({ importId, rowsRead: 0 });
    expect(progress.at(-1)).toEqual({ importId, rowsRead: 6 });
  });

  it('reads a file that is Windows-1252 past the first 64 KB as such and says so, as the command line does', async () => {
    const dir = await tempDir();
    const lines = [
      'Lead ID,First Name,Status',
      ...Array.from({ length: 4_000 }, (_, i) => `lead-${i},Name${i},ACTIVE`),
      'lead-x,José Muñoz,ACTIVE',
    ];
    const path = join(dir, 'late-1252.csv');
    await writeFile(path, Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
    const { h } = await makeService();
    const opened = await h['import:open']({ path, options: {} });
    expect(opened.encoding).toBe('utf-8'); // the guess from the first 64 KB
    const counts = await h['import:validate']({ importId: opened.importId });
    const cli = await validateFile({ path });
    if (E.isLeft(cli)) throw new Error(cli.left.message);
    expect(counts).toMatchObject({ rows: 4_001, valid: 4_001, notices: cli.right.notices });
    expect(counts.notices).toEqual([expect.stringContaining('line 4,002 holds the byte 0xE9')]);
    const last = await h['import:rows']({ importId: opened.importId, filter: 'all', offset: 4_000, limit: 1 });
    expect(last.rows[0].cells).toEqual(['lead-x', 'José Muñoz', 'ACTIVE']);
    const overview = await h['import:setMapping']({ importId: opened.importId, columns: [] });
    expect(overview.encoding).toBe('windows-1252');
  });

  it('opens a file that mixes encodings as Windows-1252, saying why, so the person can look and choose', async () => {
    const dir = await tempDir();
    const path = join(dir, 'mixed-encodings.csv');
    await writeFile(path, Buffer.concat([Buffer.from('Lead ID,First Name\nlead-1,Zoë\n', 'utf8'), Buffer.from('lead-2,José\n', 'latin1')]));
    const { h } = await makeService();
    const opened = await h['import:open']({ path, options: {} });
    expect(opened.encoding).toBe('windows-1252');
    expect(opened.notices).toEqual([expect.stringMatching(/cannot be read as UTF-8: line 3 holds the byte 0xE9.*shown as Windows-1252/)]);
    // Chosen explicitly, UTF-8 is refused with the reason.
    const refused = await bridgeError(() => h['import:open']({ path, options: { encoding: 'utf-8' } }));
    expect(refused.message).toContain('line 3 holds the byte 0xE9');
  });

  it('agrees with the command line on the shared mixed fixture, row by row', async () => {
    const path = join(import.meta.dirname, '../../fixtures/leads/mixed.csv');
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    const counts = await h['import:validate']({ importId });
    const cli = await validateFile({ path, keepProblems: 1_000 });
    if (E.isLeft(cli)) throw new Error(cli.left.message);
    expect(counts).toMatchObject({
      rows: cli.right.rows,
      valid: cli.right.valid,
      invalid: cli.right.invalid,
      skipped: cli.right.skipped,
      warnings: cli.right.warnings,
      duplicates: cli.right.duplicates,
    });
    const page = await h['import:rows']({ importId, filter: 'all', offset: 0, limit: 100 });
    const shown = page.rows.flatMap((r) => r.issues.map((i) => `${r.rowNumber} ${i.severity} ${i.column ?? '-'}: ${i.message}`));
    const listed = cli.right.firstProblems.map((p) => `${p.rowNumber} ${p.severity} ${p.column ?? '-'}: ${p.message}`);
    expect(shown).toEqual(listed);
  });

  it('sends progress at most about ten times a second on a big file', async () => {
    const dir = await tempDir();
    const lines = [
      'Lead ID,First Name,Status',
      ...Array.from({ length: 60_000 }, (_, i) => `lead-${i},N${i},${i % 10 === 0 ? 'Nope' : 'ACTIVE'}`),
    ];
    const path = await writeCsv(dir, 'big.csv', lines);
    const t = await makeService();
    const { importId } = await t.h['import:open']({ path, options: {} });
    const started = performance.now();
    const counts = await t.h['import:validate']({ importId });
    const elapsed = performance.now() - started;
    expect(counts).toMatchObject({ rows: 60_000, invalid: 6_000 });
    const progress = t.events.filter((e) => e.event === 'import:progress');
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    const reads = progress.map((e) => (e.payload as { rowsRead: number }).rowsRead);
    expect(reads).toEqual([...reads].sort((a, b) => a - b));
  });

  it('pages rows by filter, each with its cells, lead and issues pointing at their columns', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    const numbers = async (filter: 'all' | 'errors' | 'warnings' | 'duplicates', offset = 0, limit = 100) => {
      const page = await h['import:rows']({ importId, filter, offset, limit });
      return { total: page.total, rows: page.rows.map((r) => r.rowNumber) };
    };
    expect(await numbers('all')).toEqual({ total: 6, rows: [2, 3, 4, 5, 6, 7] });
    expect(await numbers('all', 2, 3)).toEqual({ total: 6, rows: [4, 5, 6] });
    expect(await numbers('all', 10, 3)).toEqual({ total: 6, rows: [] });
    expect(await numbers('errors')).toEqual({ total: 3, rows: [3, 6, 7] });
    expect(await numbers('errors', 1, 1)).toEqual({ total: 3, rows: [6] });
    expect(await numbers('warnings')).toEqual({ total: 2, rows: [4, 5] });
    expect(await numbers('duplicates')).toEqual({ total: 1, rows: [5] });

    const page = await h['import:rows']({ importId, filter: 'all', offset: 0, limit: 6 });
    expect(page.rows[1]).toEqual({
      rowNumber: 3,
      status: 'invalid',
      leadId: 'lead-2',
      cells: ['lead-2', 'Bob', 'Actve', '3', ''],
      edited: [],
      duplicate: false,
      issues: [
        {
          columnIndex: 2,
          column: 'Status',
          field: 'status',
          severity: 'error',
          message: "'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED — did you mean ACTIVE?",
        },
      ],
    });
    expect(page.rows[3]).toMatchObject({
      rowNumber: 5,
      status: 'valid',
      duplicate: true,
      issues: [
        {
          columnIndex: null,
          severity: 'warning',
          message: 'lead lead-1 is also updated by row 2; rows for one lead are sent in file order',
        },
      ],
    });
    expect(page.rows[4]).toMatchObject({
      rowNumber: 6,
      leadId: null,
      issues: [{ columnIndex: 0, column: 'Lead ID', message: 'lead id is missing' }],
    });
  });

  it('refuses rows before the file is checked, and an unknown import', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    expect((await bridgeError(() => h['import:rows']({ importId, filter: 'all', offset: 0, limit: 10 }))).message).toBe(
      'Check leads.csv with its current mapping before you review its rows.',
    );
    h['import:close']({ importId });
    expect((await bridgeError(() => h['import:validate']({ importId }))).message).toBe(
      `This file is no longer open (import ${importId}); open it again.`,
    );
  });
});

describe('import:editCell', () => {
  it('fixes an invalid row: the row is decoded again and the counts follow', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    const fixed = await h['import:editCell']({ importId, rowNumber: 3, columnIndex: 2, value: 'ACTIVE' });
    expect(fixed.row).toEqual({
      rowNumber: 3,
      status: 'valid',
      leadId: 'lead-2',
      cells: ['lead-2', 'Bob', 'ACTIVE', '3', ''],
      edited: [2],
      duplicate: false,
      issues: [],
    });
    expect(fixed.counts).toEqual({ rows: 6, valid: 3, invalid: 2, skipped: 1, warnings: 2, duplicates: 1, edits: 1, notices: [] });
    // The page shows the fix; the errors filter no longer lists the row.
    expect((await h['import:rows']({ importId, filter: 'errors', offset: 0, limit: 10 })).rows.map((r) => r.rowNumber)).toEqual([6, 7]);

    // Typing the original text back removes the fix.
    const reverted = await h['import:editCell']({ importId, rowNumber: 3, columnIndex: 2, value: 'Actve' });
    expect(reverted.row).toMatchObject({ status: 'invalid', edited: [] });
    expect(reverted.counts).toMatchObject({ valid: 2, invalid: 3, edits: 0 });
  });

  it('moves duplicate flags with the lead: an edited lead id joins or leaves a lead', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    const dupes = async () =>
      (await h['import:rows']({ importId, filter: 'duplicates', offset: 0, limit: 10 })).rows.map((r) => r.rowNumber);

    // Row 2 (the first lead-1) becomes lead-9: row 5 is now the first of lead-1.
    const moved = await h['import:editCell']({ importId, rowNumber: 2, columnIndex: 0, value: 'lead-9' });
    expect(moved.counts).toMatchObject({ duplicates: 0, warnings: 1 });
    expect(await dupes()).toEqual([]);
    // Row 4 (lead-3, skipped) gets a first name and becomes lead-1 too: after row 5? No, before it.
    await h['import:editCell']({ importId, rowNumber: 4, columnIndex: 1, value: 'Eve' });
    const joined = await h['import:editCell']({ importId, rowNumber: 4, columnIndex: 0, value: 'lead-1' });
    expect(joined.row).toMatchObject({ status: 'valid', duplicate: false });
    expect(joined.counts).toMatchObject({ valid: 3, skipped: 0, duplicates: 1, edits: 3 });
    expect(await dupes()).toEqual([5]);
    const row5 = (await h['import:rows']({ importId, filter: 'duplicates', offset: 0, limit: 1 })).rows[0];
    expect(row5.issues.map((i) => i.message)).toEqual(['lead lead-1 is also updated by row 4; rows for one lead are sent in file order']);
  });

  it('refuses a row or a column the file does not have', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    expect((await bridgeError(() => h['import:editCell']({ importId, rowNumber: 1, columnIndex: 0, value: 'x' }))).message).toBe(
      'leads.csv has no data row 1.',
    );
    expect((await bridgeError(() => h['import:editCell']({ importId, rowNumber: 2, columnIndex: 5, value: 'x' }))).message).toBe(
      'leads.csv has 5 columns: there is no column 6.',
    );
  });
});

describe('import:exportErrors', () => {
  it('writes every row that will not be sent, with the fixes made in the app applied', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'leads.csv', [...MIXED]);
    const { h } = await makeService();
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    await h['import:editCell']({ importId, rowNumber: 3, columnIndex: 2, value: 'ACTIVE' });
    await h['import:editCell']({ importId, rowNumber: 7, columnIndex: 1, value: 'Dora' });
    const out = join(dir, 'errors.csv');
    expect(await h['import:exportErrors']({ importId, path: out })).toEqual({ path: out, rows: 3 });
    const rows = await readCsv(out);
    expect(rows.map((r) => [r.import_row, r.import_stage, r['First Name'], r.import_errors])).toEqual([
      ['4', 'validation', '', 'nothing to change: no cell besides the lead id has a value to send'],
      ['6', 'validation', 'Carl', 'Lead ID: lead id is missing'],
      ['7', 'validation', 'Dora', "Beds: 'x' is not a number"],
    ]);
    expect(Object.keys(rows[0])).toEqual([
      'Lead ID',
      'First Name',
      'Status',
      'Beds',
      'Max Rent',
      'import_row',
      'import_stage',
      'import_errors',
    ]);
  });
});

describe('big files (rows past the memory limit are read again from the file)', () => {
  const lines = [
    'Lead ID,First Name,Status',
    ...Array.from({ length: 250 }, (_, i) => `lead-${i + 1},Name${i + 2},${i % 50 === 7 ? 'Bad' : 'ACTIVE'}`),
  ];

  it('shows every page with the cells of the file, and fixes rows it does not keep', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'big.csv', lines);
    const { h } = await makeService({ reviewMemoryRows: 20 });
    const { importId } = await h['import:open']({ path, options: {} });
    expect(await h['import:validate']({ importId })).toMatchObject({ rows: 250, invalid: 5 });
    for (const offset of [0, 100, 230]) {
      const page = await h['import:rows']({ importId, filter: 'all', offset, limit: 20 });
      expect(page.rows.map((r) => r.cells.join(','))).toEqual(lines.slice(offset + 1, offset + 21));
    }
    const errors = await h['import:rows']({ importId, filter: 'errors', offset: 0, limit: 10 });
    expect(errors.rows.map((r) => r.rowNumber)).toEqual([9, 59, 109, 159, 209]);
    // A row never kept (valid, row 150) is read again, edited, and stays edited.
    const edited = await h['import:editCell']({ importId, rowNumber: 150, columnIndex: 2, value: 'Wrong' });
    expect(edited.row).toMatchObject({ status: 'invalid', cells: ['lead-149', 'Name150', 'Wrong'] });
    expect(edited.counts).toMatchObject({ invalid: 6, edits: 1 });
    expect((await h['import:rows']({ importId, filter: 'errors', offset: 0, limit: 10 })).rows.map((r) => r.rowNumber)).toEqual([
      9,
      59,
      109,
      149 + 1,
      159,
      209,
    ]);
  });

  it('refuses to show rows from a file that changed since it was checked', async () => {
    const dir = await tempDir();
    const path = await writeCsv(dir, 'big.csv', lines);
    const { h } = await makeService({ reviewMemoryRows: 20 });
    const { importId } = await h['import:open']({ path, options: {} });
    await h['import:validate']({ importId });
    await writeFile(path, `${lines.join('\n')}\nlead-x,Late,ACTIVE\n`);
    await utimes(path, new Date(), new Date(Date.now() + 5_000));
    const refused = await bridgeError(() => h['import:rows']({ importId, filter: 'all', offset: 100, limit: 10 }));
    expect(refused.message).toBe('big.csv changed on disk since it was checked: check it again to see its rows.');
  });
});
