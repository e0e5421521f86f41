// Names to ids against the simulator's seeded lists over 127.0.0.1: case and spacing ignored,
// ids kept, not found with suggestions, ambiguous naming both, each list read once per scope.
import { afterEach, describe, expect, it } from 'vitest';
import { createReferenceLists } from '../../../app/lookup/reference-lists.ts';
import { nameKey, resolveReference } from '../../../app/lookup/reference-resolver.ts';
import { integrationId, startLookupWorld, type LookupWorld } from './lookup-harness.ts';

let world: LookupWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('resolveReference', () => {
  it('resolves names in the property ignoring case and spacing, keeps ids, and reads each list once', async () => {
    world = await startLookupWorld();
    const [first, second] = world.sim.world.properties;
    const scope = { integrationId, propertyId: String(second.id) };
    const lists = createReferenceLists(world.reader);
    const source = await resolveReference(lists, 'lead_source_id', '  apartments.COM ', scope);
    const expected = world.sim.world.leadSources.find((s) => s.property_id === second.id && s.name === 'Apartments.com');
    expect(source).toEqual({ outcome: 'resolved', value: '  apartments.COM ', id: expected?.id, by: 'name' });
    const plan = world.sim.world.floorPlans.find((p) => p.property_id === second.id && p.name === '2BR Deluxe');
    for (const name of ['2br  deluxe', 'The 2BR Deluxe', 'b2']) {
      expect(await resolveReference(lists, 'floor_plan_id', name, scope), name).toMatchObject({ outcome: 'resolved', id: plan?.id });
    }
    const unit = world.sim.world.units.find((u) => u.property_id === second.id && u.number === '204');
    expect(await resolveReference(lists, 'unit_id', '204', scope)).toMatchObject({ outcome: 'resolved', id: unit?.id, by: 'name' });
    expect(await resolveReference(lists, 'unit_id', String(unit?.id), scope)).toMatchObject({
      outcome: 'resolved',
      id: unit?.id,
      by: 'id',
    });
    const agent = world.sim.world.employees.find((e) => e.property_id === second.id && e.name === 'Priya Nair');
    expect(await resolveReference(lists, 'employee_id', 'PRIYA.NAIR@example.com', scope)).toMatchObject({
      outcome: 'resolved',
      id: agent?.id,
    });
    const reads = world.reader.requests();
    await resolveReference(lists, 'lead_source_id', 'Zillow', scope);
    await resolveReference(lists, 'unit_id', '101', scope);
    expect(world.reader.requests()).toBe(reads);
    // Another property is another scope: another read, and its own ids.
    const other = await resolveReference(lists, 'lead_source_id', 'Apartments.com', { integrationId, propertyId: String(first.id) });
    expect(other.outcome === 'resolved' && other.id).not.toBe(expected?.id);
    expect(world.reader.requests()).toBe(reads + 1);
  });

  it('says not found with suggestions by similarity, and ambiguous naming every candidate', async () => {
    world = await startLookupWorld();
    const first = world.sim.world.properties[0];
    const scope = { integrationId, propertyId: String(first.id) };
    const lists = createReferenceLists(world.reader);
    const typo = await resolveReference(lists, 'lead_source_id', 'Craigslsit', scope);
    expect(typo.outcome).toBe('not_found');
    expect(typo.outcome === 'not_found' && typo.suggestions.map((s) => s.label)).toEqual(['Craigslist']);
    const nothing = await resolveReference(lists, 'lead_relationship_id', 'Landlord', scope);
    expect(nothing).toEqual({ outcome: 'not_found', value: 'Landlord', suggestions: [] });
    // The first property has "Zillow" and "zillow ", and two Jane Does.
    const zillow = await resolveReference(lists, 'lead_source_id', 'ZILLOW', scope);
    expect(zillow.outcome === 'ambiguous' && zillow.candidates.map((c) => c.label)).toEqual(['Zillow', 'zillow ']);
    const jane = await resolveReference(lists, 'employee_id', 'jane doe', scope);
    expect(jane.outcome === 'ambiguous' && jane.candidates.length).toBe(2);
    expect(await resolveReference(lists, 'employee_id', 'jane.doe2@example.com', scope)).toMatchObject({ outcome: 'resolved' });
  });

  it('without a property, a unit number every property has is ambiguous, naming the properties', async () => {
    world = await startLookupWorld();
    const lists = createReferenceLists(world.reader);
    const unit = await resolveReference(lists, 'unit_id', '101', { integrationId });
    expect(unit.outcome).toBe('ambiguous');
    expect(unit.outcome === 'ambiguous' && new Set(unit.candidates.map((c) => c.propertyId)).size).toBe(2);
  });

  it('compares names without case or runs of spaces', () => {
    expect(nameKey('  2BR \t Deluxe ')).toBe('2br deluxe');
  });
});
