// The whole check against the simulator over 127.0.0.1: a row's references are looked for in its
// lead's property when the file names none; one outcome per row; the cache makes a re-check free.
import { afterEach, describe, expect, it } from 'vitest';
import { checkRows } from '../../../app/lookup/check-rows.ts';
import { emptyLookupCache } from '../../../app/lookup/lookup-cache.ts';
import { integrationId, rate, startLookupWorld, type LookupWorld } from './lookup-harness.ts';

let world: LookupWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('checkRows', () => {
  it('matches leads, resolves names in each lead’s own property, and says what is missing or ambiguous', async () => {
    world = await startLookupWorld({ duplicateRate: 0 });
    const [first, second] = world.sim.world.properties;
    const inFirst = world.scopeLeads.find((lead) => lead.property_id === first.id);
    const inSecond = world.scopeLeads.find((lead) => lead.property_id === second.id);
    const rows = [
      { rowNumber: 2, key: String(inSecond?.x_id), references: { lead_source_id: 'zillow', desired_unit_ids: ['101', ' 204 '] } },
      { rowNumber: 3, key: String(inFirst?.x_id), references: { lead_source_id: 'Zillow' } },
      { rowNumber: 4, key: String(inSecond?.x_id), references: { floor_plan_id: 'Penthouse' } },
      { rowNumber: 5, key: 'GC-NOPE', references: {} },
    ];
    const result = await checkRows(world.reader, { kind: 'x_id', scope: { integrationId }, rows, rate, cache: emptyLookupCache() });
    const [two, three, four, five] = result.rows;
    const zillow = world.sim.world.leadSources.find((s) => s.property_id === second.id && s.name === 'Zillow');
    const units = ['101', '204'].map((n) => world?.sim.world.units.find((u) => u.property_id === second.id && u.number === n)?.id);
    expect(two).toMatchObject({ outcome: 'matched', message: '', resolved: { lead_source_id: zillow?.id, desired_unit_ids: units } });
    expect(two.lead).toMatchObject({ leadId: inSecond?.id });
    // The first property has "Zillow" and "zillow ".
    expect(three.outcome).toBe('ambiguous');
    expect(three.message).toMatch(
      /^lead_source_id: 2 items are named "Zillow": ls_001_001 \(Zillow, prop_01_001\); ls_001_009 \(zillow , prop_01_001\)$/,
    );
    expect(four).toMatchObject({ outcome: 'not_found', message: 'floor_plan_id: no "Penthouse"' });
    expect(five).toMatchObject({ outcome: 'not_found', message: 'no lead with x_id "GC-NOPE" in the scope' });
    expect([result.matched, result.notFound, result.ambiguous]).toEqual([1, 2, 1]);
    expect(result.strategyText).toMatch(/^asking per row \(3 keys\): 4 requests with the size probe/);

    const again = await checkRows(world.reader, { kind: 'x_id', scope: { integrationId }, rows, rate, cache: result.cache });
    expect(again.requests).toBe(0);
    expect(again.rows).toEqual(result.rows);
  });
});

describe('checkRows reference lists', () => {
  it('reads each list once for the integration when the file names no property, and keeps each lead’s property as its names’ scope', async () => {
    world = await startLookupWorld({ duplicateRate: 0 });
    const [first, second] = world.sim.world.properties;
    const inFirst = world.scopeLeads.filter((lead) => lead.property_id === first.id).slice(0, 2);
    const inSecond = world.scopeLeads.filter((lead) => lead.property_id === second.id).slice(0, 2);
    const rows = [...inFirst, ...inSecond].map((lead, i) => ({
      rowNumber: i + 2,
      key: String(lead.x_id),
      references: { lead_source_id: 'Website', unit_id: '204' },
    }));
    const result = await checkRows(world.reader, { kind: 'x_id', scope: { integrationId }, rows, rate, cache: emptyLookupCache() });
    // The probe, one lookup per key, then lead sources and units once each (both properties' items fit one page).
    expect(result.requests).toBe(1 + rows.length + 2);
    const { leadSources, units } = world.sim.world;
    for (const [i, lead] of [...inFirst, ...inSecond].entries()) {
      const source = leadSources.find((s) => s.property_id === lead.property_id && s.name === 'Website');
      const unit = units.find((u) => u.property_id === lead.property_id && u.number === '204');
      expect(result.rows[i]).toMatchObject({ outcome: 'matched', resolved: { lead_source_id: source?.id, unit_id: unit?.id } });
    }
    expect(result.cache.lists.map((list) => `${list.endpoint} ${list.scope}`).sort()).toEqual([
      `lead-sources ${integrationId}/*`,
      `units ${integrationId}/*`,
    ]);
  });
});
