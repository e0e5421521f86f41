// The read client against the practice simulator over 127.0.0.1: every list endpoint decodes,
// paging and filters reach the server as the document spells them, bad arguments never leave,
// failures are classified as the writes' are, and reads report their rate headers.
import { afterEach, describe, expect, it } from 'vitest';
import { createPropexoTransport, type ResponseRateInfo } from '../../../app/propexo/client.ts';
import { listEndpointNames } from '../../../app/propexo/read-codecs.ts';
import { createPropexoReadClient, readClientOver } from '../../../app/propexo/reads.ts';
import { defaultOptions, type SimulatorOptions } from '../../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';

const token = 'pxo_test_R3ad5_abcdefghijklmnop';
let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({ rateLimit: 100_000, token, data: { ...defaultOptions.data, leads: 520 }, ...options });
  return sim;
}

describe('Propexo read client against the simulator', () => {
  it('reads a page of every list endpoint into its item codec', async () => {
    const s = await start();
    const client = createPropexoReadClient({ baseUrl: s.url, token });
    for (const endpoint of listEndpointNames) {
      const page = await client.listPage(endpoint, {}, 0, 250);
      if (!page.ok) throw new Error(`${endpoint}: ${page.error.message}`);
      expect(page.value.results.length, endpoint).toBeGreaterThan(0);
      expect(
        page.value.results.every((item) => typeof item.id === 'string'),
        endpoint,
      ).toBe(true);
      expect(page.value.meta.total, endpoint).toBeGreaterThanOrEqual(page.value.results.length);
    }
  });

  it('pages through a scope with offset and limit until hasMore is false, and filters as the document names them', async () => {
    const s = await start();
    const client = createPropexoReadClient({ baseUrl: s.url, token });
    const seen: string[] = [];
    for (let offset = 0; ; offset += 250) {
      const page = await client.listPage('leads', { integration_id: defaultOptions.integrationId }, offset, 250);
      if (!page.ok) throw new Error(page.error.message);
      seen.push(...page.value.results.map((lead) => lead.id));
      if (!page.value.meta.hasMore) break;
    }
    const expected = Array.from({ length: s.world.leadCount }, (_, i) => s.world.seededLead(i)).filter(
      (l) => l.integration_id === defaultOptions.integrationId,
    );
    expect(seen.sort()).toEqual(expected.map((l) => String(l.id)).sort());
    expect(s.record.map((r) => r.search)[0]).toBe(`?integration_id=${defaultOptions.integrationId}&offset=0&limit=250`);

    const target = s.world.seededLead(17);
    const byXId = await client.listPage('leads', { x_id: String(target.x_id) }, 0, 1, { orderBy: 'created_at:asc' });
    expect(byXId.ok && byXId.value.results[0]).toMatchObject({ x_id: target.x_id });
    const unit = await client.listPage('units', { property_id: String(s.world.properties[1].id), unit_number: '101' }, 0, 10);
    expect(unit.ok && unit.value.results.map((u) => [u.number, u.property_id])).toEqual([['101', s.world.properties[1].id]]);
  });

  it('gets a lead’s current values, seeded or written', async () => {
    const s = await start({ jobPendingMs: 0, successRate: 1 });
    const client = createPropexoReadClient({ baseUrl: s.url, token });
    const id = s.world.leadIdAt(2);
    const before = await client.getLead(id);
    expect(before).toMatchObject({ ok: true, status: 200, value: { id, x_id: s.world.seededLead(2).x_id } });
    s.changeLead(id, { first_name: 'Grace' });
    const after = await client.getLead(id);
    expect(after.ok && after.value.first_name).toBe('Grace');
  });

  it('refuses a page over 250, a negative offset and a filter the endpoint does not have, before sending anything', async () => {
    const s = await start();
    const client = createPropexoReadClient({ baseUrl: s.url, token });
    const big = await client.listPage('leads', {}, 0, 251);
    const negative = await client.listPage('leads', {}, -1, 10);
    const unknown = await client.listPage('lead-sources', { name: 'Zillow' }, 0, 10);
    const emptyId = await client.getLead(' ');
    const phone = await client.listPage('leads', { phone_1: '(555) 234-5678' }, 0, 1);
    for (const result of [big, negative, unknown, emptyId, phone])
      expect(result).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'invalid_argument' } });
    expect(!big.ok && big.error.message).toBe('The page size must be 1–250 (got 251)');
    expect(!unknown.ok && unknown.error.message).toMatch(/has no filter 'name'/);
    expect(!phone.ok && phone.error.message).toMatch(/phone_1 filter '\(555\) 234-5678' does not have the form/);
    expect(s.record).toHaveLength(0);
  });

  it('classifies failures as the writes do: 404 rejected, 400 with issues, 5xx retryable, 401 auth, 429 throttled', async () => {
    // A 400 the client cannot foresee: a unit number without its property (the document says so in prose).
    const s = await start({ rateLimit: 6, slowdownMs: 0, missingLeadIds: ['gone-1'] });
    const client = createPropexoReadClient({ baseUrl: s.url, token });
    expect(await client.getLead('gone-1')).toMatchObject({ ok: false, error: { kind: 'rejected', status: 404 } });
    expect(await client.listPage('units', { unit_number: '204' }, 0, 10)).toMatchObject({
      ok: false,
      error: { kind: 'rejected', status: 400, issues: [expect.objectContaining({ path: ['unit_number'] })] },
    });
    s.configure({ readServerErrorRate: 1, serverErrorStatuses: [502] });
    expect(await client.listPage('units', {}, 0, 10)).toMatchObject({
      ok: false,
      error: { kind: 'retryable', status: 502, outcomeUnknown: false },
    });
    s.configure({ readServerErrorRate: 0 });
    const wrongKey = createPropexoReadClient({ baseUrl: s.url, token: 'not-the-key' });
    expect(await wrongKey.listPage('properties', {}, 0, 10)).toMatchObject({ ok: false, error: { kind: 'auth', status: 401 } });
    await client.listPage('properties', {}, 0, 10);
    await client.listPage('properties', {}, 0, 10);
    await client.listPage('properties', {}, 0, 10);
    expect(await client.listPage('properties', {}, 0, 10)).toMatchObject({ ok: false, error: { kind: 'throttled', status: 429 } });
  });

  it('reports every read’s rate headers through the transport it shares with the writes', async () => {
    const s = await start({ rateLimit: 50 });
    const seen: ResponseRateInfo[] = [];
    const transport = createPropexoTransport({ baseUrl: s.url, token, onResponse: (info) => seen.push(info) });
    const client = readClientOver(transport);
    await client.listPage('employees', {}, 0, 5);
    await client.getLead(s.world.leadIdAt(0));
    expect(seen.map((r) => [r.status, r.limit, r.remaining])).toEqual([
      [200, 50, 49],
      [200, 50, 48],
    ]);
  });
});
