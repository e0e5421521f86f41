// The changes file: one formula-safe line per field a run will write.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { CHANGES_COLUMNS, openChangesFile } from '../../../app/report/changes-file.ts';
import { compareRow } from '../../../app/preview/changes.ts';
import type { LeadUpdate } from '../../../app/lead/lead-update.ts';
import { blankLead } from '../preview/practice.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changes-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('changes file', () => {
  it('writes import_row, lead_id, field, current, new for each field that changes, formula-safe', async () => {
    const lead = { ...blankLead(), id: 'lead_7', city: 'Denver', notes: '=HYPERLINK("http://evil")', unit_id_preferred: ['u1'] };
    const payload = {
      city: 'Denver',
      notes: 'called back',
      desired_unit_ids: ['u1', 'u2'],
      credit_score: '=1+1',
      desired_min_rent_in_cents: -0,
    } as unknown as LeadUpdate;
    const path = join(dir, 'changes.csv');
    const writer = await openChangesFile(path);
    await writer.add(compareRow(12, lead.id, payload, lead));
    await writer.add(compareRow(13, lead.id, { city: 'Denver' } as LeadUpdate, lead));
    await writer.commit();
    const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
    const rows = Papa.parse<string[]>(text.trim()).data;
    expect(rows[0]).toEqual([...CHANGES_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      ['12', 'lead_7', 'notes', '\'=HYPERLINK("http://evil")', 'called back'],
      ['12', 'lead_7', 'desired_unit_ids', 'u1', 'u1; u2'],
      ['12', 'lead_7', 'credit_score', '(not readable: the lead (GET /v1/leads/{id}) does not show a credit score)', "'=1+1"],
      ['12', 'lead_7', 'desired_min_rent_in_cents', '', '0'],
    ]);
  });
});
