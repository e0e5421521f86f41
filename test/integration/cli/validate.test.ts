import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, writeFile, readdir, chmod, copyFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { fixture, runCli, spawnCli } from './cli-harness.ts';
import { runCliProcess, unprivilegedCli } from '../../reliability/send/cli-process.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-import-validate-'));
});

const parseCsv = (text: string): string[][] =>
  Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { header: false, skipEmptyLines: true }).data;

describe('lead-import validate', () => {
  it('counts rows and exits 1 when some rows are invalid, with the documented JSON', async () => {
    const errors = join(dir, 'errors.csv');
    const result = await runCli(['validate', fixture('leads/mixed.csv'), '--json', '--errors', errors]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]);
    expect(Object.keys(summary).sort()).toEqual(
      [
        'duplicates',
        'encoding',
        'errorsFile',
        'file',
        'headerRow',
        'invalid',
        'mapping',
        'notices',
        'rows',
        'skipped',
        'unmappedColumns',
        'valid',
        'warnings',
      ].sort(),
    );
    expect(summary).toMatchObject({ encoding: 'utf-8', notices: [] });
    expect(summary).toMatchObject({
      rows: 8,
      valid: 4,
      invalid: 3,
      skipped: 1,
      duplicates: 1,
      unmappedColumns: ['Internal Notes'],
      errorsFile: errors,
    });
    expect(summary.mapping).toMatchObject({
      'Lead ID': 'lead_id',
      'E-mail Address': 'email_1',
      'Cell Phone': 'phone_1',
      'Move-in Date': 'target_move_in_date',
      Beds: 'desired_num_bedrooms',
      'Max Rent': 'desired_max_rent_in_cents',
      Status: 'status',
    });
    expect(summary.warnings).toBeGreaterThanOrEqual(2);
  });

  it('writes an error report with original columns, row numbers from the file and messages', async () => {
    const errors = join(dir, 'report.csv');
    await runCli(['validate', fixture('leads/mixed.csv'), '--errors', errors]);
    const raw = await readFile(errors, 'utf8');
    expect(raw.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(raw);
    const header = rows[0];
    expect(header.slice(-3)).toEqual(['import_row', 'import_stage', 'import_errors']);
    expect(header[0]).toBe('Lead ID');
    const byRow = new Map(rows.slice(1).map((r) => [r[header.indexOf('import_row')], r]));
    expect([...byRow.keys()].sort()).toEqual(['11', '3', '4', '6']);
    const ld002 = byRow.get('3');
    expect(ld002?.[header.indexOf('Status')]).toBe('Actve');
    const messages = ld002?.[header.indexOf('import_errors')] ?? '';
    expect(messages).toContain('did you mean ACTIVE');
    expect(messages).toContain('2026-02-30');
    // The formula is neutralized in the report.
    expect(ld002?.[header.indexOf('Notes')]).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(byRow.get('11')?.[header.indexOf('import_stage')]).toBe('validation');
    expect(byRow.get('6')?.[header.indexOf('import_errors')]).toMatch(/lead id/i);
  });

  it('re-imports its own error report as is: same rows, same cells, same problems', async () => {
    const first = join(dir, 'first.csv');
    const second = join(dir, 'second.csv');
    await runCli(['validate', fixture('leads/mixed.csv'), '--errors', first]);
    const again = await runCli(['validate', first, '--errors', second, '--json']);
    const summary = JSON.parse(again.stdout);
    expect(summary.unmappedColumns).toEqual(['Internal Notes']);
    expect(summary.invalid).toBe(3);
    expect(summary.skipped).toBe(1);
    const a = parseCsv(await readFile(first, 'utf8'));
    const b = parseCsv(await readFile(second, 'utf8'));
    const rowIndex = a[0].indexOf('import_row');
    // Same data cells and problems; only import_row changes (rows of the report itself).
    const withoutRow = (rows: string[][]) => rows.map((r) => r.filter((_, i) => i !== rowIndex));
    expect(withoutRow(b)).toEqual(withoutRow(a));
  });

  it('prints a readable summary naming row, column and value', async () => {
    const result = await runCli(['validate', fixture('leads/mixed.csv')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('8 rows');
    expect(result.stdout).toMatch(/row 3, column "Status" \(status\): 'Actve' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED/);
    expect(result.stdout).toContain('"Internal Notes"');
    expect(result.stdout).toContain('--errors');
  });

  it('exits 0 when every row is valid', async () => {
    const file = join(dir, 'good.csv');
    await writeFile(file, 'Lead ID,Status,Max Rent\nld_1,active,"$1,000"\nld_2,cold,900\n');
    const result = await runCli(['validate', file, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rows: 2, valid: 2, invalid: 0, errorsFile: null });
  });

  it('says so when a file guessed to be UTF-8 is Windows-1252 past the first 64 KB, and reads it so', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => `ld_${i},active,900`);
    const file = join(dir, 'late-1252.csv');
    await writeFile(file, Buffer.from(`Lead ID,Status,Max Rent,Name\n${rows.join(',x\n')},x\nld_x,active,900,José Muñoz\n`, 'latin1'));
    const json = await runCli(['validate', file, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      rows: 5_001,
      valid: 5_001,
      encoding: 'windows-1252',
      notices: [expect.stringContaining('line 5,002 holds the byte 0xE9')],
    });
    const text = await runCli(['validate', file]);
    expect(text.stdout).toContain('(CSV, windows-1252, comma-separated)');
    expect(text.stdout).toMatch(/Note: read as Windows-1252, not UTF-8: line 5,002/);
  });

  describe('file-level errors exit 2 and write nothing', () => {
    it.each([
      ['a missing file', 'does-not-exist.csv', /does-not-exist\.csv/],
      ['an empty file', 'empty.csv', /empty/i],
      ['duplicate headers', 'dup.csv', /Status/],
      ['no lead id column', 'noid.csv', /lead id/i],
      ['UTF-8 and Windows-1252 mixed', 'mixed-encodings.csv', /line 6,003 holds the byte 0xE9.*--encoding/],
    ])('%s', async (_label, name, message) => {
      const plain = Array.from({ length: 6_000 }, (_, i) => `ld_${i},active`).join('\n');
      await writeFile(
        join(dir, 'mixed-encodings.csv'),
        Buffer.concat([Buffer.from(`Lead ID,Name\nld_z,Zoë\n${plain}\n`), Buffer.from('ld_x,José\n', 'latin1')]),
      );
      await writeFile(join(dir, 'empty.csv'), '');
      await writeFile(join(dir, 'dup.csv'), 'Lead ID,Status,status\nld_1,ACTIVE,COLD\n');
      await writeFile(join(dir, 'noid.csv'), 'Name,Status\nBob,ACTIVE\n');
      const outDir = await mkdtemp(join(tmpdir(), 'lead-import-out-'));
      const result = await runCli(['validate', name, '--errors', join(outDir, 'errors.csv'), '--json'], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(JSON.parse(result.stdout).error.message).toMatch(message);
      expect(await readdir(outDir)).toEqual([]);
    });

    it('an unwritable report path is a clear error, not a crash', { timeout: 60_000 }, async (context) => {
      // Root ignores folder permissions, so as root the CLI runs as an unprivileged user (a
      // bundle of it, which that user can read wherever the checkout is); the lead file goes
      // where that user can read it too.
      const cli = await unprivilegedCli();
      if ('skipped' in cli) return context.skip(cli.skipped);
      const work = await mkdtemp(join(tmpdir(), 'lead-import-locked-'));
      try {
        await chmod(work, 0o755);
        const input = join(work, 'mixed.csv');
        await copyFile(fixture('leads/mixed.csv'), input);
        await chmod(input, 0o644);
        const locked = join(work, 'locked');
        await mkdir(locked, { mode: 0o555 });
        const result = await runCliProcess(['validate', input, '--errors', join(locked, 'errors.csv')], cli.spawn);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('errors.csv');
        expect(result.stderr).toMatch(/^lead-import: /m);
        expect(await readdir(locked)).toEqual([]);
      } finally {
        await cli.cleanUp();
        await rm(work, { recursive: true, force: true });
      }
    });

    it('a bad --encoding or --delimiter is refused with the accepted values', async () => {
      const bad = await runCli(['validate', fixture('leads/mixed.csv'), '--encoding', 'ebcdic']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('windows-1252');
      const delim = await runCli(['validate', fixture('leads/mixed.csv'), '--delimiter', ':']);
      expect(delim.code).toBe(2);
      expect(delim.stderr).toContain('tab');
    });
  });

  it('uses a mapping file, and map --out writes one that validate accepts', async () => {
    const mappingPath = join(dir, 'mapping.json');
    const mapped = await runCli(['map', fixture('leads/mixed.csv'), '--out', mappingPath]);
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toContain('E-mail Address');
    const written = JSON.parse(await readFile(mappingPath, 'utf8'));
    expect(written.version).toBe(1);
    expect(written.columns['E-mail Address'].field).toBe('email_1');
    // Turn Max Rent into cents and drop the Status column.
    written.columns['Max Rent'] = { field: 'desired_max_rent_in_cents', money: 'cents' };
    written.columns.Status = { field: null };
    await writeFile(mappingPath, JSON.stringify(written));
    const result = await runCli(['validate', fixture('leads/mixed.csv'), '--mapping', mappingPath, '--json']);
    const summary = JSON.parse(result.stdout);
    expect(summary.mapping.Status).toBeUndefined();
    expect(summary.unmappedColumns).toContain('Status');
  });

  it('a broken mapping file exits 2 naming the file and the problem', async () => {
    const mappingPath = join(dir, 'broken.json');
    await writeFile(mappingPath, '{"version": 1, "columns": {"Status": {"field": "stauts"}}}');
    const result = await runCli(['validate', fixture('leads/mixed.csv'), '--mapping', mappingPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.json');
    expect(result.stderr).toContain('stauts');
  });

  it('runs from a checkout through the bin entry (npx lead-import)', async () => {
    const result = await spawnCli(['validate', fixture('leads/mixed.csv'), '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).rows).toBe(8);
  });
});

describe('lead-import map and validate on a CRM export', () => {
  let crmDir: string;
  beforeAll(async () => {
    crmDir = await mkdtemp(join(tmpdir(), 'lead-import-crm-'));
  });
  afterAll(async () => {
    await rm(crmDir, { recursive: true, force: true });
  });

  it('maps its columns, lists the status words it does not read with suggestions, and writes them to fill in', async () => {
    const mappingPath = join(crmDir, 'crm.json');
    const mapped = await runCli(['map', fixture('leads/crm-export.csv'), '--out', mappingPath]);
    expect(mapped.code).toBe(0);
    expect(mapped.stdout).toContain('Name → first_name (synonym; split "last, first" into first_name and last_name)');
    expect(mapped.stdout).toContain('Mobile Phone Number → phone_1 (synonym)');
    expect(mapped.stdout).toContain('Primary Address City → city (synonym)');
    expect(mapped.stdout).toContain('Date Needed → target_move_in_date (synonym)');
    expect(mapped.stdout).toContain('Department: not mapped, never sent');
    expect(mapped.stdout).toContain('Pets: not mapped, never sent');
    expect(mapped.stdout).toContain('"Contacted" (1 row): suggested "ACTIVE"');
    expect(mapped.stdout).toContain('"Lost Lead" (1 row): suggested "INACTIVE"');
    expect(mapped.stdout).not.toContain('"Cell"');
    const written = JSON.parse(await readFile(mappingPath, 'utf8'));
    expect(written.columns.Name).toEqual({ field: 'first_name', split: 'last, first' });
    expect(written.columns['Lead Status']).toEqual({
      field: 'status',
      values: { Contacted: null, 'Lost Lead': null, 'Open Deal': null, Working: null },
    });
  });

  it('refuses the file until the words are filled in, then reads every row', async () => {
    const mappingPath = join(crmDir, 'crm.json');
    await runCli(['map', fixture('leads/crm-export.csv'), '--out', mappingPath]);
    const before = JSON.parse((await runCli(['validate', fixture('leads/crm-export.csv'), '--mapping', mappingPath, '--json'])).stdout);
    expect(before.invalid).toBe(4);

    const written = JSON.parse(await readFile(mappingPath, 'utf8'));
    written.columns['Lead Status'].values = { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE', 'Open Deal': 'ACTIVE', Working: 'ACTIVE' };
    written.columns['Lead Status'].rawTo = 'status_raw';
    written.columns['Date Needed'].twoDigitYears = '2000s';
    written.columns['Mobile Phone Number'].secondPhoneTo = 'phone_2';
    await writeFile(mappingPath, JSON.stringify(written));
    const result = await runCli(['validate', fixture('leads/crm-export.csv'), '--mapping', mappingPath, '--json']);
    const summary = JSON.parse(result.stdout);
    expect(summary.warnings).toBe(0);
    expect(summary.valid).toBe(4);
    expect(result.code).toBe(0);
  });

  it('says which mapping-file value is wrong', async () => {
    const mappingPath = join(crmDir, 'bad-values.json');
    await writeFile(
      mappingPath,
      JSON.stringify({
        version: 1,
        columns: { 'Lead ID': { field: 'lead_id' }, 'Lead Status': { field: 'status', values: { Contacted: 'ACTIV' } } },
      }),
    );
    const result = await runCli(['validate', fixture('leads/crm-export.csv'), '--mapping', mappingPath]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `bad-values.json: columns."Lead Status".values."Contacted": 'ACTIV' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED; did you mean ACTIVE?`,
    );
  });
});
