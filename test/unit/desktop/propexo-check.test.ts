// "Check against Propexo" and "Changes" through the service's handlers, against the practice
// simulator's seeded world: rows named by the PMS's id (x_id) matched, not found or ambiguous,
// lead-source names resolved to ids, a Propexo id typed into an ambiguous row, the current
// values read only when asked (priced first), and a mapping change dropping what was found.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulator, practicePreset, type Simulator } from '../../../app/simulator/index.ts';
import type { Item } from '../../../app/simulator/seed-data.ts';
import type { ProductionConfirmation } from '../../../app/shared/views.ts';
import {
  bridgeError,
  FAST_PRACTICE,
  finished,
  makeService,
  readCsv,
  sandboxSimulator,
  tempDir,
  writeCsv,
  type TestService,
} from './desktop-harness.ts';

const PRODUCTION_KEY = 'prd_live_0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** The world the service's practice simulator serves (the same seed and sizes). */
async function practiceWorld(): Promise<Simulator> {
  return startSimulator({ ...practicePreset, ...FAST_PRACTICE.simulator });
}

interface Fixture {
  readonly integrationId: string;
  readonly lines: string[];
  readonly unique: Item[];
  readonly shared: Item[];
}

/**
 * Rows 2–4 leads with an x_id of their own (row 2 sends the first name the lead already has,
 * rows 3–4 a new one, with their lead source by name); row 5 an x_id two leads share; row 6 an
 * x_id no lead has.
 */
function fixture(sim: Simulator): Fixture {
  const integrationId = sim.world.integrations[0]?.id as string;
  const leads = Array.from({ length: 400 }, (_, i) => sim.world.seededLead(i)).filter((lead) => lead.integration_id === integrationId);
  const count = new Map<string, number>();
  for (const lead of sim.world.integrations.length > 0
    ? Array.from({ length: sim.world.leadCount }, (_, i) => sim.world.seededLead(i))
    : []) {
    if (lead.integration_id === integrationId) count.set(lead.x_id as string, (count.get(lead.x_id as string) ?? 0) + 1);
  }
  const sourceName = (lead: Item): string => (sim.world.reference(lead.lead_source_id as string)?.name as string).trim();
  // Names two sources of one property share ("Zillow", "zillow ") are ambiguous by design: not these rows.
  const uniqueName = (lead: Item): boolean =>
    sim.world.leadSources.filter(
      (s) => s.property_id === lead.property_id && String(s.name).trim().toLowerCase() === sourceName(lead).toLowerCase(),
    ).length === 1;
  const unique = leads.filter((lead) => count.get(lead.x_id as string) === 1 && uniqueName(lead)).slice(0, 3);
  const sharedKey = leads.find((lead) => (count.get(lead.x_id as string) ?? 0) === 2)?.x_id as string;
  const shared = leads.filter((lead) => lead.x_id === sharedKey);
  expect(unique).toHaveLength(3);
  expect(shared).toHaveLength(2);
  const [a, b, c] = unique;
  const lines = [
    'Guest Card ID,First Name,Source',
    `${String(a.x_id)},${String(a.first_name)},${sourceName(a)}`,
    `${String(b.x_id)},Renamed,${sourceName(b)}`,
    `${String(c.x_id)},Renamed,${sourceName(c)}`,
    `${sharedKey},Twin,`,
    'GC999999,Nobody,',
  ];
  return { integrationId, lines, unique, shared };
}

async function checkedImport(t: TestService, lines: readonly string[]): Promise<string> {
  const path = await writeCsv(await tempDir(), 'guest-cards.csv', lines);
  const { importId } = await t.h['import:open']({ path, options: {} });
  await t.h['import:setMapping']({
    importId,
    columns: [
      { index: 0, field: 'lead_id', options: { match: 'x_id' } },
      { index: 1, field: 'first_name', options: {} },
      { index: 2, field: 'lead_source_id', options: {} },
    ],
  });
  await t.h['import:validate']({ importId });
  return importId;
}

describe('checking an import against Propexo', () => {
  it('finds matched, not found and ambiguous rows, resolves names to ids, and takes a typed Propexo id as a fix, reading only what is new', async () => {
    const sim = await practiceWorld();
    try {
      const f = fixture(sim);
      const t = await makeService();
      const importId = await checkedImport(t, f.lines);

      const integrations = await t.h['import:integrations']({ environment: 'practice' });
      expect(integrations.map((i) => i.id)).toContain(f.integrationId);
      const properties = await t.h['import:properties']({ environment: 'practice', integrationId: f.integrationId });
      expect(properties.map((p) => p.id)).toContain(f.unique[0].property_id);

      const noScope = await bridgeError(() =>
        t.h['import:checkOnline']({ importId, environment: 'practice', integrationId: null, propertyId: null }),
      );
      expect(noScope.message).toMatch(/needs a scope: the rows name their leads by x_id\. Choose the integration/);

      const first = await t.h['import:checkOnline']({
        importId,
        environment: 'practice',
        integrationId: f.integrationId,
        propertyId: null,
      });
      expect({ matched: first.matched, notFound: first.notFound, ambiguous: first.ambiguous, matchedBy: first.matchedBy }).toEqual({
        matched: 3,
        notFound: 1,
        ambiguous: 1,
        matchedBy: 'x_id',
      });
      expect(first.strategy).toMatch(/request/);
      expect(first.requests).toBeGreaterThan(0);
      const [twin, nobody] = first.unmatched;
      expect(twin).toMatchObject({ rowNumber: 5, outcome: 'ambiguous', key: f.shared[0].x_id, leadColumnIndex: 0 });
      expect(twin.candidates.map((c) => c.id).sort()).toEqual(f.shared.map((lead) => lead.id).sort());
      const candidate = f.shared.find((lead) => lead.id === twin.candidates[0].id) as Item;
      expect(twin.candidates[0]).toEqual({
        id: candidate.id,
        name: `${String(candidate.first_name)} ${String(candidate.last_name)}`,
        email: candidate.email_1,
        propertyId: candidate.property_id,
      });
      expect(nobody).toMatchObject({
        rowNumber: 6,
        outcome: 'not_found',
        key: 'GC999999',
        message: 'no lead with x_id "GC999999" in the scope',
      });
      // "Zillow → ls_123": each row's lead source name, resolved to that lead's source.
      const resolvedIds: string[] = first.resolved.filter((r) => r.field === 'lead_source_id' && r.value !== r.id).map((r) => r.id);
      expect(resolvedIds).toEqual(expect.arrayContaining(f.unique.map((lead) => String(lead.lead_source_id))));

      // The fix the message asks for: the Propexo id of the right lead, typed into the row.
      await t.h['import:editCell']({ importId, rowNumber: 5, columnIndex: 0, value: f.shared[1].id as string });
      const again = await t.h['import:checkOnline']({
        importId,
        environment: 'practice',
        integrationId: f.integrationId,
        propertyId: null,
      });
      expect({ matched: again.matched, notFound: again.notFound, ambiguous: again.ambiguous }).toEqual({
        matched: 4,
        notFound: 1,
        ambiguous: 0,
      });
      expect(again.unmatched.map((row) => row.rowNumber)).toEqual([6]);
      // The cache answers every key seen before: only the typed one is asked (probe + filter).
      expect(again.requests).toBeLessThanOrEqual(2);
      expect(again.requests).toBeLessThan(first.requests);
    } finally {
      await sim.close();
    }
  });

  it('prices the current values before reading them, then shows what will change and what is already up to date', async () => {
    const sim = await practiceWorld();
    try {
      const f = fixture(sim);
      const t = await makeService();
      const importId = await checkedImport(t, f.lines);
      const notYet = await bridgeError(() => t.h['import:changesCost']({ importId, environment: 'practice' }));
      expect(notYet.message).toMatch(/Check guest-cards\.csv against Propexo \(Practice\) first/);
      await t.h['import:checkOnline']({ importId, environment: 'practice', integrationId: f.integrationId, propertyId: null });

      const cost = await t.h['import:changesCost']({ importId, environment: 'practice' });
      expect(cost).toMatchObject({ leads: 3, requests: 3, read: false });
      expect(cost.text).toMatch(/^Reading current values of 3 leads: 3 requests/);

      const changed = await t.h['import:changes']({ importId, environment: 'practice', filter: 'will_change', offset: 0, limit: 50 });
      expect(changed.counts).toEqual({ rowsToSend: 2, leads: 2, fields: 2, unknownFields: 0, unchangedRows: 1 });
      expect(changed.rows.map((r) => r.rowNumber)).toEqual([3, 4]);
      const renamed = changed.rows[0].fields.find((field) => field.field === 'first_name');
      expect(renamed).toEqual({
        field: 'first_name',
        current: f.unique[1].first_name,
        unknownReason: null,
        next: 'Renamed',
        verdict: 'changes',
      });
      // The lead source the name resolved to is the lead's own: already so.
      expect(changed.rows[0].fields.find((field) => field.field === 'lead_source_id')?.verdict).toBe('same');

      const upToDate = await t.h['import:changes']({ importId, environment: 'practice', filter: 'up_to_date', offset: 0, limit: 50 });
      expect(upToDate.rows.map((r) => [r.rowNumber, r.leadId, r.unchanged])).toEqual([[2, f.unique[0].id, true]]);
      expect((await t.h['import:changesCost']({ importId, environment: 'practice' })).read).toBe(true);
      const all = await t.h['import:changes']({ importId, environment: 'practice', filter: 'all', offset: 1, limit: 1 });
      expect({ total: all.total, rows: all.rows.map((r) => r.rowNumber) }).toEqual({ total: 3, rows: [3] });

      // A mapping change: what was found belonged to the old mapping.
      await t.h['import:setMapping']({ importId, columns: [{ index: 1, field: 'last_name', options: {} }] });
      await t.h['import:validate']({ importId });
      const stale = await bridgeError(() =>
        t.h['import:changes']({ importId, environment: 'practice', filter: 'all', offset: 0, limit: 10 }),
      );
      expect(stale.message).toMatch(/against Propexo \(Practice\) first/);
      // A fix after the check: check again first.
      await t.h['import:checkOnline']({ importId, environment: 'practice', integrationId: f.integrationId, propertyId: null });
      await t.h['import:editCell']({ importId, rowNumber: 3, columnIndex: 1, value: 'Other' });
      expect((await bridgeError(() => t.h['import:changesCost']({ importId, environment: 'practice' }))).message).toMatch(
        /fixed since its check/,
      );
    } finally {
      await sim.close();
    }
  });

  it('compares the leasing agent and the floor plan through the lists the check read (the lead shows the PMS ids)', async () => {
    const sim = await practiceWorld();
    try {
      const { integrationId, unique } = fixture(sim);
      const [moved, kept] = unique;
      // The lead shows the PMS's id of its agent and plan (EMP3, FP2): the same in every property.
      const ownOf = (items: readonly Item[], lead: Item, xId: unknown): Item =>
        items.find((item) => item.property_id === lead.property_id && item.x_id === xId) as Item;
      const otherOf = (items: readonly Item[], lead: Item, xId: unknown): Item =>
        items.find((item) => item.property_id === lead.property_id && item.x_id !== xId) as Item;
      const agentWas = ownOf(sim.world.employees, moved, moved.x_leasing_agent_id);
      const agentNow = otherOf(sim.world.employees, moved, moved.x_leasing_agent_id);
      const planWas = ownOf(sim.world.floorPlans, moved, moved.desired_floor_plan_id);
      const planNow = otherOf(sim.world.floorPlans, moved, moved.desired_floor_plan_id);
      const keptAgent = ownOf(sim.world.employees, kept, kept.x_leasing_agent_id);
      const keptPlan = ownOf(sim.world.floorPlans, kept, kept.desired_floor_plan_id);
      const path = await writeCsv(await tempDir(), 'agents.csv', [
        'Guest Card ID,Agent,Floor Plan',
        `${String(moved.x_id)},${String(agentNow.id)},${String(planNow.id)}`,
        `${String(kept.x_id)},${String(keptAgent.id)},${String(keptPlan.id)}`,
      ]);
      const t = await makeService();
      const { importId } = await t.h['import:open']({ path, options: {} });
      await t.h['import:setMapping']({
        importId,
        columns: [
          { index: 0, field: 'lead_id', options: { match: 'x_id' } },
          { index: 1, field: 'employee_id', options: {} },
          { index: 2, field: 'floor_plan_id', options: {} },
        ],
      });
      await t.h['import:validate']({ importId });
      const check = await t.h['import:checkOnline']({ importId, environment: 'practice', integrationId, propertyId: null });
      expect(check.matched).toBe(2);

      const all = await t.h['import:changes']({ importId, environment: 'practice', filter: 'all', offset: 0, limit: 10 });
      expect(all.counts).toEqual({ rowsToSend: 1, leads: 1, fields: 2, unknownFields: 0, unchangedRows: 1 });
      const [movedRow, keptRow] = all.rows;
      expect(movedRow).toMatchObject({ rowNumber: 2, leadId: moved.id, unchanged: false });
      expect(movedRow.fields).toEqual([
        { field: 'employee_id', current: agentWas.id, unknownReason: null, next: agentNow.id, verdict: 'changes' },
        { field: 'floor_plan_id', current: planWas.id, unknownReason: null, next: planNow.id, verdict: 'changes' },
      ]);
      // Already that agent and that plan: up to date, nothing to send.
      expect(keptRow).toMatchObject({ rowNumber: 3, leadId: kept.id, unchanged: true });
      expect(keptRow.fields.map((field) => [field.field, field.verdict])).toEqual([
        ['employee_id', 'same'],
        ['floor_plan_id', 'same'],
      ]);

      // A fix, then a re-check: the lists come from its cache, not read again, and still compare.
      const keptAgentNow = otherOf(sim.world.employees, kept, kept.x_leasing_agent_id);
      await t.h['import:editCell']({ importId, rowNumber: 3, columnIndex: 1, value: String(keptAgentNow.id) });
      const recheck = await t.h['import:checkOnline']({ importId, environment: 'practice', integrationId, propertyId: null });
      expect(recheck.requests).toBe(0);
      const fixed = await t.h['import:changes']({ importId, environment: 'practice', filter: 'will_change', offset: 0, limit: 10 });
      expect(fixed.rows.find((row) => row.rowNumber === 3)?.fields[0]).toEqual({
        field: 'employee_id',
        current: keptAgent.id,
        unknownReason: null,
        next: keptAgentNow.id,
        verdict: 'changes',
      });
    } finally {
      await sim.close();
    }
  });

  it('takes the scope from a mapping file, and saves the scope chosen in the check with the mapping', async () => {
    const sim = await practiceWorld();
    try {
      const f = fixture(sim);
      const t = await makeService();
      const dir = await tempDir();
      const path = await writeCsv(dir, 'guest-cards.csv', f.lines);
      const { importId } = await t.h['import:open']({ path, options: {} });
      const mappingPath = join(dir, 'scoped.json');
      await writeFile(
        mappingPath,
        JSON.stringify({
          version: 1,
          integration: f.integrationId,
          columns: {
            'Guest Card ID': { field: 'lead_id', match: 'x_id' },
            'First Name': { field: 'first_name' },
            Source: { field: 'lead_source_id' },
          },
        }),
      );
      const loaded = await t.h['import:loadMapping']({ importId, path: mappingPath });
      expect(loaded.scope).toEqual({ integrationId: f.integrationId, propertyId: null });
      expect(loaded.columns[0].options).toEqual({ match: 'x_id' });
      await t.h['import:validate']({ importId });
      const property = String(f.unique[0].property_id);
      await t.h['import:checkOnline']({ importId, environment: 'practice', integrationId: f.integrationId, propertyId: property });
      const savedPath = join(dir, 'saved.json');
      await t.h['import:saveMapping']({ importId, path: savedPath });
      expect(JSON.parse(await readFile(savedPath, 'utf8'))).toMatchObject({ integration: f.integrationId, property });
    } finally {
      await sim.close();
    }
  });

  it('the Production confirmation counts the unmatched rows and the changes found', async () => {
    const production = await sandboxSimulator(PRODUCTION_KEY);
    const f = fixture(production);
    const asked: ProductionConfirmation[] = [];
    const t = await makeService(
      {
        servers: { production: production.url },
        confirmProduction: async (request) => {
          asked.push(request);
          return false;
        },
      },
      { production: PRODUCTION_KEY },
    );
    const importId = await checkedImport(t, f.lines);
    await t.h['import:checkOnline']({ importId, environment: 'production', integrationId: f.integrationId, propertyId: null });
    await t.h['import:changes']({ importId, environment: 'production', filter: 'all', offset: 0, limit: 10 });
    const refused = await bridgeError(() => t.h['run:start']({ importId, environment: 'production', concurrency: 2, rate: 100 }));
    expect(refused.code).toBe('cancelled');
    expect(asked).toEqual([
      expect.objectContaining({
        action: 'start',
        rows: 5,
        unmatched: 2,
        changes: { rowsToSend: 2, leads: 2, fields: 2, unknownFields: 0, unchangedRows: 1 },
      }),
    ]);
    // Nothing was written: the simulator saw reads only.
    expect(production.leads.size).toBe(0);
  });
});

describe('the results of a run that looked its leads up', () => {
  it('exported from the Runs screen, name the key each row was matched by', async () => {
    const sim = await practiceWorld();
    try {
      const f = fixture(sim);
      const t = await makeService();
      const importId = await checkedImport(t, f.lines);
      await t.h['import:checkOnline']({ importId, environment: 'practice', integrationId: f.integrationId, propertyId: null });
      const { runId } = await t.h['run:start']({ importId, environment: 'practice', concurrency: 2, rate: 1000 });
      await finished(t, runId, 30_000);
      const resultsPath = join(await tempDir(), 'results.csv');
      await t.h['run:exportResults']({ runId, path: resultsPath });
      const results = await readCsv(resultsPath);
      expect(results.map((r) => [r.import_row, r.matched_by, r.match_key])).toEqual([
        ['2', 'x_id', String(f.unique[0].x_id)],
        ['3', 'x_id', String(f.unique[1].x_id)],
        ['4', 'x_id', String(f.unique[2].x_id)],
        ['5', 'x_id', String(f.shared[0].x_id)],
        ['6', 'x_id', 'GC999999'],
      ]);
    } finally {
      await sim.close();
    }
  });
});
