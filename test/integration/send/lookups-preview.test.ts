// `lead-import send` of a file that names leads by the PMS's id ("Guest Card ID") and lead
// sources by name, against the practice simulator: the check against Propexo runs before any
// write (lookups.json, each resolution journaled), only matched rows are sent with ids in place
// of names, unmatched rows end not_found / ambiguous at stage `match`; the preview reads each
// lead first, a row already up to date is not sent (`unchanged`), a sent row's before-values
// are journaled just before its `sent` entry.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { main } from '../../../app/cli/main.ts';
import type { CliIo } from '../../../app/cli/io.ts';
import { defaultOptions } from '../../../app/simulator/options.ts';
import { SeedWorld } from '../../../app/simulator/seed-data.ts';
import { RUNS_DIR } from '../../../app/run/run-store.ts';
import { LOOKUP_CACHE_FILE } from '../../../app/lookup/lookup-cache.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-import-send-lookups-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const world = new SeedWorld({ data: defaultOptions.data, integrationId: defaultOptions.integrationId, vendor: defaultOptions.vendor });
const leads = Array.from({ length: world.leadCount }, (_, i) => world.seededLead(i)).filter(
  (lead) => lead.integration_id === defaultOptions.integrationId,
);
const countOf = new Map<string, number>();
for (const lead of leads) countOf.set(String(lead.x_id), (countOf.get(String(lead.x_id)) ?? 0) + 1);
const unique = leads.filter(
  (lead) =>
    countOf.get(String(lead.x_id)) === 1 &&
    lead.property_id !== world.properties[0].id &&
    typeof lead.first_name === 'string' &&
    lead.first_name !== '',
);
const shared = leads.find((lead) => (countOf.get(String(lead.x_id)) ?? 0) > 1);

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir };
  const code = await main(argv, io, {
    connection: {
      simulator: { latencyMs: 0, latencySpikes: { rate: 0, ms: 0 }, rateLimit: 10_000, successRate: 1, partialRate: 0 },
      rate: 10_000,
    },
  });
  return { code, stdout, stderr };
}

const csvRows = (text: string): string[][] => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;

interface Line {
  readonly t: string;
  readonly row?: number;
  readonly [key: string]: unknown;
}

describe('lead-import send with lookups and preview', () => {
  it('matches before writing, sends only matched rows with ids for names and only the fields that change, ends the rest at stage match', async () => {
    expect(shared).toBeDefined();
    const csv = [
      'Guest Card ID,Lead Source,First Name',
      `${String(unique[0].x_id)},apartments.com,Zed-${String(unique[0].first_name)}`,
      ` ${String(unique[1].x_id)} ,,${String(unique[1].first_name)}`,
      'GC-NOT-THERE,Website,Ann',
      `${String(shared?.x_id)},Website,Bob`,
      `${String(unique[2].x_id)},Zilow,Cy`,
    ].join('\n');
    await writeFile(join(dir, 'leads.csv'), `${csv}\n`);
    const mapping = {
      version: 1,
      integration: defaultOptions.integrationId,
      columns: {
        'Guest Card ID': { field: 'lead_id', match: 'x_id' },
        'Lead Source': { field: 'lead_source_id' },
        'First Name': { field: 'first_name' },
      },
    };
    await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
    const data = join(dir, 'data');
    const results = join(dir, 'results.csv');
    const errors = join(dir, 'errors.csv');
    const sent = await run([
      'send',
      'leads.csv',
      '--env',
      'practice',
      '--mapping',
      'mapping.json',
      '--data-dir',
      data,
      '--results',
      results,
      '--errors',
      errors,
      '--json',
    ]);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(1);
    const summary = JSON.parse(sent.stdout.trim().split('\n').pop() ?? '');
    expect(summary).toMatchObject({ valid: 5, succeeded: 1, unchanged: 1, notFound: 2, ambiguous: 1, sent: 1 });
    expect(summary.requests.lookup).toBeGreaterThanOrEqual(6);
    expect(summary.requests.update).toBe(1);

    const resultRows = csvRows(await readFile(results, 'utf8'));
    const byRow = new Map(resultRows.slice(1).map((r) => [r[0], r]));
    // Each looked-up row names the key it was matched by (or looked for in vain).
    const [by, key] = ['matched_by', 'match_key'].map((name) => resultRows[0].indexOf(name));
    expect([2, 3, 4, 5].map((row) => [byRow.get(String(row))?.[by], byRow.get(String(row))?.[key]])).toEqual([
      ['x_id', String(unique[0].x_id)],
      ['x_id', String(unique[1].x_id)],
      ['x_id', 'GC-NOT-THERE'],
      ['x_id', String(shared?.x_id)],
    ]);
    expect(byRow.get('2')?.slice(1, 3)).toEqual([unique[0].id, 'succeeded']);
    expect(byRow.get('3')?.slice(1, 3)).toEqual([unique[1].id, 'unchanged']);
    expect(byRow.get('4')?.[2]).toBe('not_found');
    expect(byRow.get('4')?.[5]).toBe('leads.csv, row 4, column "Guest Card ID": no lead with x_id "GC-NOT-THERE" in the scope');
    expect(byRow.get('5')?.[2]).toBe('ambiguous');
    expect(byRow.get('6')?.[2]).toBe('not_found');
    const report = csvRows(await readFile(errors, 'utf8'));
    const stage = report[0].indexOf('import_stage');
    const rowAt = report[0].indexOf('import_row');
    expect(report.slice(1).map((r) => [r[rowAt], r[stage]])).toEqual([
      ['4', 'match'],
      ['5', 'match'],
      ['6', 'match'],
    ]);
    // Each match row names the file, the row, the column holding the key (or the name) and the value.
    const why = report[0].indexOf('import_errors');
    expect(report[1][why]).toBe('leads.csv, row 4, column "Guest Card ID": no lead with x_id "GC-NOT-THERE" in the scope');
    expect(report[2][why]).toMatch(
      new RegExp(`^leads\\.csv, row 5, column "Guest Card ID": \\d leads have x_id "${String(shared?.x_id)}"`),
    );
    expect(report[3][why]).toMatch(/^leads\.csv, row 6, column "Lead Source": lead_source_id: no "Zilow"; did you mean "Zillow"/);

    const [runId] = await readdir(join(data, RUNS_DIR));
    const runDir = join(data, RUNS_DIR, runId);
    expect((await stat(join(runDir, LOOKUP_CACHE_FILE))).size).toBeGreaterThan(0);
    const header = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
    expect(header).toMatchObject({ lookup: { integrationId: defaultOptions.integrationId }, preview: true });
    const journal = (await readFile(join(runDir, 'journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    const tags = journal.map((entry) => `${entry.t}${entry.row === undefined ? '' : `:${entry.row}`}`);
    // Every resolution is journaled before the first write; the before-values right before the `sent` entry.
    expect(journal.filter((e) => e.t === 'matched').map((e) => [e.row, e.kind, e.key, e.leadId])).toEqual([
      [2, 'x_id', String(unique[0].x_id), unique[0].id],
      [3, 'x_id', String(unique[1].x_id), unique[1].id],
    ]);
    expect(tags.indexOf('matched:3')).toBeLessThan(tags.indexOf('sent:2'));
    expect(tags.indexOf('before:2')).toBe(tags.indexOf('sent:2') - 1);
    const before = journal.find((e) => e.t === 'before');
    expect(before).toMatchObject({ row: 2, leadId: unique[0].id, values: { first_name: unique[0].first_name } });
    expect(Object.keys((before?.values ?? {}) as object).sort()).toEqual(['first_name', 'lead_source_id']);
    expect(journal.filter((e) => e.t === 'unmatched').map((e) => [e.row, e.outcome, e.columns])).toEqual([
      [4, 'not_found', ['Guest Card ID']],
      [5, 'ambiguous', ['Guest Card ID']],
      [6, 'not_found', ['Lead Source']],
    ]);
    expect(tags).toContain('unchanged:3');
    expect(tags).not.toContain('sent:3');
    expect(journal.find((e) => e.t === 'finished')).toMatchObject({ summary: { succeeded: 1, unchanged: 1, not_found: 2, ambiguous: 1 } });

    // `status RUN` re-reads the file: its results still name the lead each row was matched to, not its key.
    const again = join(dir, 'results-again.csv');
    const status = await run(['status', runId, '--data-dir', data, '--results', again, '--json']);
    expect(status.stderr).toBe('');
    const rereadRows = csvRows(await readFile(again, 'utf8'));
    const reread = new Map(rereadRows.slice(1).map((r) => [r[0], r]));
    expect(reread.get('2')?.[rereadRows[0].indexOf('match_key')]).toBe(String(unique[0].x_id));
    expect([2, 3, 4].map((row) => reread.get(String(row))?.slice(1, 3))).toEqual([
      [unique[0].id, 'succeeded'],
      [unique[1].id, 'unchanged'],
      ['GC-NOT-THERE', 'not_found'],
    ]);

    // A workbook error report, written from the journal, marks the cell each match problem is about.
    const workbook = join(dir, 'errors-again.xlsx');
    const statusErrors = await run(['status', runId, '--data-dir', data, '--errors', workbook, '--json']);
    expect(statusErrors.stderr).toBe('');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    const sheet = book.worksheets[0];
    const marked = [2, 3, 4].map((r) =>
      [1, 2, 3].flatMap((c) => (sheet.getRow(r).getCell(c).fill === undefined ? [] : [String(sheet.getRow(1).getCell(c).value)])),
    );
    expect(marked).toEqual([['Guest Card ID'], ['Guest Card ID'], ['Lead Source']]);
  });

  it('refuses a run that must look rows up without a scope, before anything is created; prints counts and cost before sending', async () => {
    await writeFile(join(dir, 'one.csv'), `Guest Card ID,First Name\n${String(unique[3].x_id)},${String(unique[3].first_name)}\n`);
    await writeFile(
      join(dir, 'noscope.json'),
      JSON.stringify({
        version: 1,
        columns: { 'Guest Card ID': { field: 'lead_id', match: 'x_id' }, 'First Name': { field: 'first_name' } },
      }),
    );
    const data = join(dir, 'data-2');
    const refused = await run(['send', 'one.csv', '--env', 'practice', '--mapping', 'noscope.json', '--data-dir', data]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--integration ID/);
    await expect(readdir(join(data, RUNS_DIR))).rejects.toThrow();

    const human = await run([
      'send',
      'one.csv',
      '--env',
      'practice',
      '--mapping',
      'noscope.json',
      '--data-dir',
      data,
      '--integration',
      defaultOptions.integrationId,
    ]);
    expect(human.code).toBe(0);
    expect(human.stderr).toMatch(/Checked against Propexo: 1 matched, 0 not found, 0 ambiguous/);
    expect(human.stderr).toMatch(
      /Reading current values of 1 leads: 0 requests \(1 from the listed scope at no cost\)|Reading current values of 1 leads: 1 requests/,
    );
    expect(human.stderr).toMatch(
      /1 lead, 0 fields will change; 1 row is already up to date|0 leads, 0 fields will change; 1 row is already up to date/,
    );
    expect(human.stdout).toMatch(/1 already up to date/);

    const noPreview = await run([
      'send',
      'one.csv',
      '--env',
      'practice',
      '--mapping',
      'noscope.json',
      '--data-dir',
      data,
      '--integration',
      defaultOptions.integrationId,
      '--no-preview',
    ]);
    expect(noPreview.stdout).toContain(
      'Preview skipped (--no-preview): nothing was dropped as unchanged, and undo is not available for this run.',
    );
    const skipped = await run([
      'send',
      'one.csv',
      '--env',
      'practice',
      '--mapping',
      'noscope.json',
      '--data-dir',
      data,
      '--integration',
      defaultOptions.integrationId,
      '--no-preview',
      '--json',
    ]);
    const summary = JSON.parse(skipped.stdout.trim());
    expect(summary).toMatchObject({ sent: 1, unchanged: 0 });
    expect(summary.requests.read).toBe(0);
  });
});
