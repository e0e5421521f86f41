// `lead-import validate FILE --env practice`: the check against the practice simulator over
// 127.0.0.1, reading only. Rows name leads by the PMS's id ("Guest Card ID") and lead sources by
// name; the not-found and ambiguous rows land in the error report at stage `match`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { main } from '../../../app/cli/main.ts';
import type { CliIo } from '../../../app/cli/io.ts';
import { defaultOptions } from '../../../app/simulator/options.ts';
import { SeedWorld } from '../../../app/simulator/seed-data.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-import-validate-online-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The practice environment's world (the same seed the CLI's simulator draws from).
const world = new SeedWorld({ data: defaultOptions.data, integrationId: defaultOptions.integrationId, vendor: defaultOptions.vendor });
const leads = Array.from({ length: world.leadCount }, (_, i) => world.seededLead(i)).filter(
  (lead) => lead.integration_id === defaultOptions.integrationId,
);
const countOf = new Map<string, number>();
for (const lead of leads) countOf.set(String(lead.x_id), (countOf.get(String(lead.x_id)) ?? 0) + 1);
const unique = leads.filter((lead) => countOf.get(String(lead.x_id)) === 1 && lead.property_id !== world.properties[0].id);
const shared = leads.find((lead) => (countOf.get(String(lead.x_id)) ?? 0) > 1);

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env: {}, cwd: dir };
  // Test-sized timing: no network latency spikes, and a budget the test does not wait for.
  const code = await main(argv, io, {
    connection: { simulator: { latencyMs: 0, latencySpikes: { rate: 0, ms: 0 }, rateLimit: 10_000 }, rate: 10_000 },
  });
  return { code, stdout, stderr };
}

describe('lead-import validate --env practice', () => {
  it('matches rows by Guest Card ID and lead sources by name, and reports the rest at stage match', async () => {
    expect(shared).toBeDefined();
    const csv = [
      'Guest Card ID,Lead Source,Status',
      `${String(unique[0].x_id)},apartments.com,ACTIVE`,
      ` ${String(unique[1].x_id)} ,Website,COLD`,
      'GC-NOT-THERE,Website,ACTIVE',
      `${String(shared?.x_id)},Website,ACTIVE`,
      `${String(unique[2].x_id)},Zilow,ACTIVE`,
      // Invalid (its status): never sent, so never looked up.
      `${String(unique[3].x_id)},Website,Actve`,
    ].join('\n');
    await writeFile(join(dir, 'leads.csv'), `${csv}\n`);
    // The scope and the lead source's names from the mapping file ("Lead Source" alone would be the free-text lead_source).
    const mapping = {
      version: 1,
      integration: defaultOptions.integrationId,
      columns: {
        'Guest Card ID': { field: 'lead_id', match: 'x_id' },
        'Lead Source': { field: 'lead_source_id' },
        Status: { field: 'status' },
      },
    };
    await writeFile(join(dir, 'mapping.json'), JSON.stringify(mapping));
    const errors = join(dir, 'errors.csv');
    const result = await run(['validate', 'leads.csv', '--env', 'practice', '--mapping', 'mapping.json', '--json', '--errors', errors]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout.trim());
    expect(summary).toMatchObject({
      valid: 5,
      invalid: 1,
      environment: 'practice',
      matchedBy: 'x_id',
      matched: 2,
      notFound: 2,
      ambiguous: 1,
    });
    expect(summary.strategy).toMatch(/^asking per row \(5 keys\): 6 requests with the size probe/);
    // The probe, 5 per-row lookups, and the integration's lead sources once (narrowed to each lead's property).
    expect(summary.requests.lookup).toBe(7);

    const report = Papa.parse<string[]>((await readFile(errors, 'utf8')).replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const at = (name: string): number => report[0].indexOf(name);
    expect(['Guest Card ID', 'Lead Source', 'Status', 'import_row', 'import_stage', 'import_errors'].every((name) => at(name) >= 0)).toBe(
      true,
    );
    const byRow = new Map(
      report.slice(1).map((r) => [r[at('import_row')], [r[at('import_row')], r[at('import_stage')], r[at('import_errors')]]]),
    );
    // Each message names the file, the row, the column and the value looked for.
    expect(byRow.get('4')?.slice(1, 3)).toEqual([
      'match',
      'leads.csv, row 4, column "Guest Card ID": no lead with x_id "GC-NOT-THERE" in the scope',
    ]);
    expect(byRow.get('5')?.[1]).toBe('match');
    expect(byRow.get('5')?.[2]).toMatch(
      new RegExp(`^leads\\.csv, row 5, column "Guest Card ID": \\d leads have x_id "${String(shared?.x_id)}": ${String(shared?.id)} \\(`),
    );
    expect(byRow.get('6')?.[2]).toMatch(
      /^leads\.csv, row 6, column "Lead Source": lead_source_id: no "Zilow"; did you mean "Zillow" \(ls_\d+_001\)\?$/,
    );
    expect(byRow.get('7')?.[1]).toBe('validation');
    expect([...byRow.keys()].sort()).toEqual(['4', '5', '6', '7']);
  });

  it('prints the counts and the strategy, and refuses a lookup without a scope', async () => {
    const csv = `Guest Card ID,Status\n${String(unique[0].x_id)},ACTIVE\n`;
    await writeFile(join(dir, 'one.csv'), csv);
    const human = await run(['validate', 'one.csv', '--env', 'practice', '--integration', defaultOptions.integrationId]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Checked against Propexo (practice), leads by x_id: 1 matched, 0 not found, 0 ambiguous');
    expect(human.stdout).toMatch(
      /Lookups: asking per row \(1 key\): 2 requests with the size probe, no waiting at [\d,]+ requests an? (second|minute); listing the scope would cost \d+; 2 requests made/,
    );
    const noScope = await run(['validate', 'one.csv', '--env', 'practice', '--json']);
    expect(noScope.code).toBe(2);
    expect(noScope.stdout + noScope.stderr).toContain(
      'Checking against Propexo needs a scope: the rows name their leads by x_id. Give --integration ID',
    );
  });

  it('--changes writes one line per field that changes: import_row, lead_id, field, current, new', async () => {
    const [a, b] = unique.filter(
      (lead) =>
        typeof lead.first_name === 'string' && lead.first_name !== '' && typeof lead.last_name === 'string' && lead.last_name !== '',
    );
    const csv = [
      'Guest Card ID,First Name,Last Name',
      `${String(a.x_id)},Zed,${String(a.last_name)}`,
      `${String(b.x_id)},${String(b.first_name)},${String(b.last_name)}`,
      'GC-NOT-THERE,Ann,Lee',
    ].join('\n');
    await writeFile(join(dir, 'changes.csv'), `${csv}\n`);
    const mapping = {
      version: 1,
      integration: defaultOptions.integrationId,
      columns: {
        'Guest Card ID': { field: 'lead_id', match: 'x_id' },
        'First Name': { field: 'first_name' },
        'Last Name': { field: 'last_name' },
      },
    };
    await writeFile(join(dir, 'changes-mapping.json'), JSON.stringify(mapping));
    const out = join(dir, 'changes-out.csv');
    const result = await run([
      'validate',
      'changes.csv',
      '--env',
      'practice',
      '--mapping',
      'changes-mapping.json',
      '--changes',
      out,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout.trim());
    expect(summary).toMatchObject({ matched: 2, notFound: 1, changes: { leads: 1, fields: 1, unchangedRows: 1, rowsToSend: 1 } });
    // The per-row lookups answered with the whole leads: their current values cost no GET.
    expect(summary.requests.read).toBe(0);
    const lines = Papa.parse<string[]>((await readFile(out, 'utf8')).replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(lines).toEqual([
      ['import_row', 'lead_id', 'field', 'current', 'new'],
      ['2', a.id, 'first_name', String(a.first_name), 'Zed'],
    ]);
    const refused = await run(['validate', 'changes.csv', '--changes', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--changes reads the leads');
  });
});
