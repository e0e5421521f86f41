// Report exports as property-management systems and CRMs write them: a title block above the
// header (issue 11, item 5) and header names that repeat (item 6).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-harness.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-import-exports-'));
});

const parseCsv = (text: string): string[][] =>
  Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: true }).data;

describe('a guest-card report with a title block', () => {
  const report = fixture('exports/guest-card-report.csv');

  it("validates the rows below the header, with the file's line numbers, and says which row is the header", async () => {
    const result = await runCli(['validate', report]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(': 3 rows');
    expect(result.stdout).toContain('Header: line 5;');
    expect(result.stdout).toContain('--header-row');
    expect(result.stdout).toContain('row 7, column "Status" (status)');
    const json = JSON.parse((await runCli(['validate', report, '--json'])).stdout);
    expect(json).toMatchObject({ headerRow: 5, rows: 3, valid: 2, invalid: 1 });
  });

  it('writes an error report that starts at the header and re-imports as is', async () => {
    const errors = join(dir, 'guest-card-errors.csv');
    await runCli(['validate', report, '--errors', errors]);
    const rows = parseCsv(await readFile(errors, 'utf8'));
    expect(rows[0][0]).toBe('Lead ID');
    expect(rows.slice(1).map((r) => r[rows[0].indexOf('import_row')])).toEqual(['7']);
    const again = JSON.parse((await runCli(['validate', errors, '--json'])).stdout);
    expect(again).toMatchObject({ headerRow: 1, rows: 1, invalid: 1 });
  });

  it('takes another header row with --header-row, or from the mapping file', async () => {
    // Line 6 is the first data row: as a header it maps nothing to lead_id.
    const chosen = await runCli(['validate', report, '--header-row', '6', '--json']);
    expect(chosen.code).toBe(2);
    expect(JSON.stringify(JSON.parse(chosen.stdout))).toMatch(/lead id/i);
    expect((await runCli(['validate', report, '--header-row', 'six'])).stderr).toContain("--header-row 'six' is not a row number");
    expect((await runCli(['validate', report, '--header-row', '4'])).stderr).toContain('cannot take line 4 as its header row');

    const mapping = join(dir, 'guest-card-mapping.json');
    const mapped = await runCli(['map', report, '--out', mapping]);
    expect(mapped.stdout).toContain('Header: line 5');
    const file = JSON.parse(await readFile(mapping, 'utf8'));
    expect(file.headerRow).toBe(5);
    expect(JSON.parse((await runCli(['validate', report, '--mapping', mapping, '--json'])).stdout)).toMatchObject({
      headerRow: 5,
      rows: 3,
    });
    // A file whose title block grew by a line: the mapping file's header row is taken as it
    // says (here a blank line, refused), and --header-row wins over it.
    const longer = join(dir, 'longer-title.csv');
    await writeFile(
      longer,
      `Guest Card Report\nPrinted by: leasing office\n${(await readFile(report, 'utf8')).split('\r\n').slice(1).join('\r\n')}`,
    );
    const fromFile = await runCli(['validate', longer, '--mapping', mapping]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain('cannot take line 5 as its header row');
    const flagWins = JSON.parse((await runCli(['validate', longer, '--mapping', mapping, '--header-row', '6', '--json'])).stdout);
    expect(flagWins).toMatchObject({ headerRow: 6, rows: 3 });
  });

  it('reads a comma title over a semicolon table with the semicolon', async () => {
    const json = JSON.parse((await runCli(['validate', fixture('exports/prospect-report-semicolon.csv'), '--json'])).stdout);
    expect(json).toMatchObject({ headerRow: 3, rows: 3, valid: 3 });
    expect(json.mapping).toMatchObject({ 'Lead ID': 'lead_id', 'Max Rent': 'desired_max_rent_in_cents' });
  });
});

describe('a HubSpot export whose header repeats names', () => {
  const hubspot = fixture('exports/hubspot-contacts-with-company.csv');
  const mappingFile = async (name: string, columns: Record<string, unknown>): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify({ version: 1, columns }));
    return path;
  };

  it('is read when the mapping does not use a repeated name', async () => {
    const mapping = await mappingFile('hubspot.json', {
      'Record ID': { field: 'lead_id' },
      'Lead Status': { field: 'status' },
      'Company Name': { field: 'notes' },
    });
    const result = await runCli(['validate', hubspot, '--mapping', mapping, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 2, valid: 2 });
  });

  it('is refused when the mapping uses a repeated name, naming both columns by letter; a letter settles it', async () => {
    const byName = await mappingFile('hubspot-by-name.json', {
      'Record ID': { field: 'lead_id' },
      'Create Date': { field: 'target_move_in_date' },
    });
    const refused = await runCli(['validate', hubspot, '--mapping', byName]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('column F ("Create Date") and column I ("Create Date")');
    expect(refused.stderr).toContain('"column": "F"');
    const byLetter = await mappingFile('hubspot-by-letter.json', {
      'Record ID': { field: 'lead_id' },
      'Contact created': { column: 'I', field: 'target_move_in_date' },
    });
    const result = await runCli(['validate', hubspot, '--mapping', byLetter, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).mapping).toMatchObject({ 'Create Date': 'target_move_in_date' });
  });

  it('is refused by the automatic mapping only for a repeated name it would use', async () => {
    const twice = join(dir, 'email-twice.csv');
    await writeFile(twice, 'Lead ID,Email,Company Name,Company name,Email\nld_1,a@example.com,Co,Co,b@example.com\n');
    const result = await runCli(['validate', twice]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('column B ("Email") and column E ("Email") have the same name and would both fill email_1');
    const map = await runCli(['map', twice]);
    expect(map.code).toBe(0);
    expect(map.stdout).toContain('Email (B): not mapped');
    expect(map.stdout).toContain('Email (E): not mapped');
    expect(map.stderr).toContain('column B ("Email") and column E ("Email")');
  });
});
