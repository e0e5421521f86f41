// Matching rows to leads against the simulator over 127.0.0.1: one, none, several; both
// strategies agree; keys compared as people write them; pages of 250 end where they should; a
// scope that changes while it is listed never yields a wrong match.
import { afterEach, describe, expect, it } from 'vitest';
import { matchLeads, type LeadMatch } from '../../../app/lookup/lead-matcher.ts';
import type { LookupReader } from '../../../app/lookup/lookup-reader.ts';
import type { Item } from '../../../app/simulator/seed-data.ts';
import { integrationId, rate, startLookupWorld, type LookupWorld } from './lookup-harness.ts';

let world: LookupWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const str = (value: unknown): string => String(value);

/** Leads of the scope sharing `field`'s value with another, and leads whose value is theirs alone. */
function groupsBy(leads: readonly Item[], keyOf: (lead: Item) => string | null): { unique: Item[]; shared: Item[][] } {
  const groups = new Map<string, Item[]>();
  for (const lead of leads) {
    const key = keyOf(lead);
    if (key === null) continue;
    groups.set(key, [...(groups.get(key) ?? []), lead]);
  }
  return {
    unique: [...groups.values()].filter((g) => g.length === 1).map((g) => g[0]),
    shared: [...groups.values()].filter((g) => g.length > 1),
  };
}

describe('matchLeads', () => {
  it('finds one lead, none, or several by x_id, and both strategies say the same', async () => {
    world = await startLookupWorld();
    const { unique, shared } = groupsBy(world.scopeLeads, (lead) => str(lead.x_id));
    expect(shared.length).toBeGreaterThan(0);
    const cells = [str(unique[3].x_id), `  ${str(unique[7].x_id)} `, 'GC-NOT-THERE', str(shared[0][0].x_id), null];
    const results: (readonly (LeadMatch | null)[])[] = [];
    for (const force of ['per_row', 'list'] as const) {
      const result = await matchLeads(world.reader, { kind: 'x_id', scope: { integrationId }, cells, rate, force });
      results.push(result.rows);
    }
    const [perRow, listed] = results;
    expect(perRow).toEqual(listed);
    expect(perRow[0]).toMatchObject({ outcome: 'matched', leadId: unique[3].id, propertyId: unique[3].property_id });
    expect(perRow[1]).toMatchObject({ outcome: 'matched', leadId: unique[7].id, key: unique[7].x_id });
    expect(perRow[2]).toEqual({ outcome: 'not_found', kind: 'x_id', key: 'GC-NOT-THERE' });
    expect(perRow[3]).toMatchObject({ outcome: 'ambiguous', key: shared[0][0].x_id });
    const candidates = perRow[3]?.outcome === 'ambiguous' ? perRow[3].candidates : [];
    expect(candidates.map((c) => c.id).sort()).toEqual(shared[0].map((lead) => str(lead.id)).sort());
    expect(candidates[0]).toEqual({
      id: expect.any(String),
      name: expect.stringMatching(/\S+ \S+/),
      email: expect.anything() as unknown,
      propertyId: expect.stringMatching(/^prop_/),
    });
    expect(perRow[4]).toBeNull();
  });

  it('matches e-mails ignoring case and phones by their digits, whatever their format', async () => {
    world = await startLookupWorld({ emailFilterIgnoresCase: true });
    const emails = groupsBy(world.scopeLeads, (lead) => (typeof lead.email_1 === 'string' ? lead.email_1.toLowerCase() : null)).unique;
    const capitalised = emails.find((lead) => /[A-Z]/.test(str(lead.email_1)));
    expect(capitalised).toBeDefined();
    const phones = groupsBy(world.scopeLeads, (lead) =>
      typeof lead.phone_1 === 'string' ? lead.phone_1.replace(/\D/g, '').slice(-10) : null,
    ).unique;
    const formatted = phones.find((lead) => str(lead.phone_1).startsWith('('));
    const plain = phones.find((lead) => /^\d{10}$/.test(str(lead.phone_1)));
    expect(formatted && plain).toBeTruthy();
    const digitsOf = (lead: Item | undefined): string => str(lead?.phone_1).replace(/\D/g, '').slice(-10);
    const phoneCells = [
      `+1 ${digitsOf(formatted).slice(0, 3)}.${digitsOf(formatted).slice(3, 6)}.${digitsOf(formatted).slice(6)}`,
      `(${digitsOf(plain).slice(0, 3)}) ${digitsOf(plain).slice(3, 6)}-${digitsOf(plain).slice(6)}`,
    ];
    for (const force of ['per_row', 'list'] as const) {
      const byEmail = await matchLeads(world.reader, {
        kind: 'email_1',
        scope: { integrationId },
        cells: [` ${str(capitalised?.email_1).toLowerCase()} `, str(capitalised?.email_1).toUpperCase()],
        rate,
        force,
      });
      expect(
        byEmail.rows.map((row) => row?.outcome === 'matched' && row.leadId),
        force,
      ).toEqual([capitalised?.id, capitalised?.id]);
      const byPhone = await matchLeads(world.reader, { kind: 'phone_1', scope: { integrationId }, cells: phoneCells, rate, force });
      expect(
        byPhone.rows.map((row) => row?.outcome === 'matched' && row.leadId),
        force,
      ).toEqual([formatted?.id, plain?.id]);
    }
  });

  it('lists a scope across the page boundaries at 250 (leads 250 and 251 of the scope, and the last)', async () => {
    world = await startLookupWorld({ integrations: 1, propertiesPerIntegration: 1, leads: 501, duplicateRate: 0 });
    const leads = world.scopeLeads;
    expect(leads).toHaveLength(501);
    const picks = [leads[0], leads[249], leads[250], leads[499], leads[500]];
    const result = await matchLeads(world.reader, {
      kind: 'x_id',
      scope: { integrationId },
      cells: picks.map((lead) => str(lead.x_id)),
      rate,
      force: 'list',
    });
    expect(result.rows.map((row) => row?.outcome === 'matched' && row.leadId)).toEqual(picks.map((lead) => lead.id));
    // The probe, three pages (250 + 250 + 1), one page of leads changed meanwhile.
    expect(result.requests).toBe(5);
    expect(
      world.sim.record.filter((r) => r.search?.includes('created_at%3Aasc')).map((r) => new URLSearchParams(r.search).get('offset')),
    ).toEqual(['0', '250', '500']);
  });

  it('chooses listing for many keys in a small scope and asking per row for a few keys in a large one', async () => {
    world = await startLookupWorld({ integrations: 1, propertiesPerIntegration: 1, leads: 1_000, duplicateRate: 0 });
    const cells = world.scopeLeads.slice(0, 30).map((lead) => str(lead.x_id));
    const many = await matchLeads(world.reader, { kind: 'x_id', scope: { integrationId }, cells, rate });
    expect(many.strategy?.chosen).toMatchObject({ kind: 'list', requests: 5 });
    expect(many.requests).toBe(6);
    const few = await matchLeads(world.reader, { kind: 'x_id', scope: { integrationId }, cells: cells.slice(0, 3), rate });
    expect(few.strategy?.chosen).toMatchObject({ kind: 'per_row', requests: 3 });
    expect(few.requests).toBe(4);
    expect(few.rows.every((row) => row?.outcome === 'matched')).toBe(true);
  });

  it('never matches a row by a key its lead lost while the scope was being listed', async () => {
    world = await startLookupWorld({ integrations: 1, propertiesPerIntegration: 1, leads: 600, duplicateRate: 0 });
    const { sim } = world;
    const moved = world.scopeLeads[5];
    const oldKey = str(moved.x_id);
    const inner = world.reader;
    // The lead's x_id changes in the PMS as soon as the first page (which holds it) has been read.
    let changed = false;
    const reader: LookupReader = {
      requests: () => inner.requests(),
      async page(endpoint, filters, offset, limit, orderBy) {
        const page = await inner.page(endpoint, filters, offset, limit, orderBy);
        if (!changed && orderBy === 'created_at:asc' && offset === 0) {
          changed = true;
          sim.changeLead(str(moved.id), { x_id: 'GC-RENAMED' });
        }
        return page;
      },
    };
    const result = await matchLeads(reader, { kind: 'x_id', scope: { integrationId }, cells: [oldKey, 'GC-RENAMED'], rate, force: 'list' });
    expect(changed).toBe(true);
    expect(result.rows[0]).toEqual({ outcome: 'not_found', kind: 'x_id', key: oldKey });
    expect(result.rows[1]).toMatchObject({ outcome: 'matched', leadId: moved.id });
  });

  it('keeps a lead listed twice (a lead added at the front shifts a page) once, by id', async () => {
    world = await startLookupWorld({ integrations: 1, propertiesPerIntegration: 1, leads: 300, duplicateRate: 0 });
    const inner = world.reader;
    const target = world.scopeLeads[260];
    // Pages answered as if a lead had been added before them: the second page repeats the first's last lead.
    const reader: LookupReader = {
      requests: () => inner.requests(),
      async page(endpoint, filters, offset, limit, orderBy) {
        if (orderBy === 'created_at:asc' && offset === 250) {
          const page = await inner.page(endpoint, filters, offset - 1, limit, orderBy);
          return page;
        }
        return inner.page(endpoint, filters, offset, limit, orderBy);
      },
    };
    const result = await matchLeads(reader, {
      kind: 'x_id',
      scope: { integrationId },
      cells: [str(world.scopeLeads[249].x_id), str(target.x_id)],
      rate,
      force: 'list',
    });
    expect(result.rows.map((row) => row?.outcome)).toEqual(['matched', 'matched']);
  });

  it('reads nothing again for keys the cache already decided', async () => {
    world = await startLookupWorld();
    const cells = world.scopeLeads.slice(0, 3).map((lead) => str(lead.x_id));
    const first = await matchLeads(world.reader, { kind: 'x_id', scope: { integrationId }, cells, rate });
    const again = await matchLeads(world.reader, { kind: 'x_id', scope: { integrationId }, cells, rate, known: first.byKey });
    expect(again.requests).toBe(0);
    expect(again.rows).toEqual(first.rows);
  });
});
