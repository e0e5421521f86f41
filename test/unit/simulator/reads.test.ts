import { afterEach, describe, expect, it } from 'vitest';
import { listEndpointNames, listEndpoints, type ListEndpoint } from '../../../app/propexo/read-codecs.ts';
import { defaultOptions, type SimulatorOptions } from '../../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { phoneDigits } from '../../../app/simulator/seed-data.ts';
import { contract, issuesOf, putLead, type Answer } from './helpers.ts';
import { leadProblems, listProblems } from './read-contract.ts';

let sims: Simulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

async function start(data: Partial<SimulatorOptions['data']> = {}, options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  const sim = await startSimulator({ rateLimit: 100_000, ...options, data: { ...defaultOptions.data, leads: 600, ...data } });
  sims.push(sim);
  return sim;
}

async function get(sim: Simulator, path: string, query: Record<string, string> = {}): Promise<Answer> {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${sim.url}${path}${search ? `?${search}` : ''}`);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as unknown, text };
}

interface Page {
  readonly meta: {
    readonly offset: number;
    readonly limit: number;
    readonly hasMore: boolean;
    readonly total: number;
    readonly orderBy: unknown[];
  };
  readonly results: Record<string, unknown>[];
}
const pageOf = (answer: Answer): Page => {
  expect(answer.status, answer.text.slice(0, 300)).toBe(200);
  return answer.body as Page;
};
const list = async (sim: Simulator, endpoint: ListEndpoint, query: Record<string, string> = {}): Promise<Page> =>
  pageOf(await get(sim, listEndpoints[endpoint].path, query));
const ids = (page: Page): unknown[] => page.results.map((r) => r.id);

/** Every seeded lead, built one by one (what the filters must find, computed without them). */
const allLeads = (sim: Simulator): Record<string, unknown>[] =>
  Array.from({ length: sim.world.leadCount }, (_, i) => sim.world.seededLead(i));

describe('simulator read endpoints', () => {
  it('answers every list endpoint with a page that is valid against openapi-reads.json and names no other key', async () => {
    const sim = await start();
    for (const endpoint of listEndpointNames) {
      const answer = await get(sim, listEndpoints[endpoint].path, { limit: '250' });
      const page = pageOf(answer);
      expect(listProblems(endpoint, answer.body), endpoint).toEqual([]);
      expect(page.results.length, endpoint).toBeGreaterThan(0);
      expect(answer.headers.get('x-ratelimit-limit')).toBe('100000');
    }
    const lead = await get(sim, `/v1/leads/${sim.world.leadIdAt(0)}`);
    expect(lead.status).toBe(200);
    expect(leadProblems(lead.body)).toEqual([]);
    expect(sim.counts()['list-leads']).toEqual({ '200': 1 });
    expect(sim.counts()['get-lead']).toEqual({ '200': 1 });
  });

  it('pages by offset and limit up to 250, with total and hasMore, newest first by default', async () => {
    const sim = await start({ leads: 600 });
    const first = await list(sim, 'leads', { limit: '250' });
    const second = await list(sim, 'leads', { limit: '250', offset: '250' });
    const last = await list(sim, 'leads', { limit: '250', offset: '500' });
    expect([first.meta, second.meta, last.meta].map((m) => [m.offset, m.limit, m.total, m.hasMore])).toEqual([
      [0, 250, 600, true],
      [250, 250, 600, true],
      [500, 250, 600, false],
    ]);
    expect([first.results.length, second.results.length, last.results.length]).toEqual([250, 250, 100]);
    const all = [...ids(first), ...ids(second), ...ids(last)];
    expect(new Set(all).size).toBe(600);
    expect(all[0]).toBe(sim.world.leadIdAt(599));
    const created = [...first.results, ...second.results, ...last.results].map((r) => String(r.created_at));
    expect(created).toEqual([...created].sort().reverse());
    expect(first.meta.orderBy).toEqual([{ created_at: 'desc' }]);

    const defaults = await list(sim, 'leads');
    expect([defaults.meta.limit, defaults.results.length]).toEqual([100, 100]);
    const beyond = await list(sim, 'leads', { offset: '600', limit: '250' });
    expect([beyond.results.length, beyond.meta.hasMore, beyond.meta.total]).toEqual([0, false, 600]);
    const ascending = await list(sim, 'leads', { limit: '3', 'order-by': 'created_at:asc' });
    expect(ids(ascending)).toEqual([0, 1, 2].map((i) => sim.world.leadIdAt(i)));
  });

  it('has no more after exactly 250, and one more page at 251', async () => {
    const exact = await start({ leads: 250 });
    const one = await list(exact, 'leads', { limit: '250' });
    expect([one.results.length, one.meta.hasMore, one.meta.total]).toEqual([250, false, 250]);
    const over = await start({ leads: 251 });
    const a = await list(over, 'leads', { limit: '250' });
    const b = await list(over, 'leads', { limit: '250', offset: '250' });
    expect([a.meta.hasMore, b.results.length, b.meta.hasMore]).toEqual([true, 1, false]);
    expect(ids(b)).toEqual([over.world.leadIdAt(0)]);
  });

  it('refuses a page over 250, a limit of 0, a negative or non-numeric offset, as Propexo does (400, zod issues)', async () => {
    const sim = await start();
    for (const [query, path, code] of [
      [{ limit: '251' }, 'limit', 'too_big'],
      [{ limit: '0' }, 'limit', 'too_small'],
      [{ offset: '-1' }, 'offset', 'invalid_type'],
      [{ offset: 'ten' }, 'offset', 'invalid_type'],
    ] as const) {
      const answer = await get(sim, '/v1/units/', query);
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(contract.errorResponse(answer.body)).toBe(true);
      expect(issuesOf(answer).map((i) => [i.path.join('.'), i.code])).toEqual([[path, code]]);
    }
  });

  it('filters leads by x_id, finding every lead that shares one', async () => {
    const sim = await start({ leads: 2_000, duplicateRate: 0.1 });
    const leads = allLeads(sim);
    const counts = new Map<string, number>();
    for (const lead of leads) counts.set(String(lead.x_id), (counts.get(String(lead.x_id)) ?? 0) + 1);
    const shared = [...counts].find(([, n]) => n > 1);
    expect(shared, 'some x_id is duplicated on purpose').toBeDefined();
    const [xId, n] = shared ?? ['', 0];
    const page = await list(sim, 'leads', { x_id: xId, integration_id: String(leads.find((l) => l.x_id === xId)?.integration_id) });
    expect(page.results.every((r) => r.x_id === xId)).toBe(true);
    const unscoped = await list(sim, 'leads', { x_id: xId });
    expect([unscoped.results.length, unscoped.meta.total]).toEqual([n, n]);
    expect((await list(sim, 'leads', { x_id: 'GC-nobody' })).meta.total).toBe(0);
  });

  it('filters e-mails as stored (exact by default; ignoring case when told), and answers them in their stored case', async () => {
    const sim = await start({ leads: 1_000 });
    const mixed = allLeads(sim).find((l) => typeof l.email_1 === 'string' && l.email_1 !== l.email_1.toLowerCase());
    const email = String(mixed?.email_1);
    const exact = await list(sim, 'leads', { email_1: email });
    expect(ids(exact)).toContain(mixed?.id);
    expect(exact.results.every((r) => r.email_1 === email)).toBe(true);
    expect(ids(await list(sim, 'leads', { email_1: email.toLowerCase() }))).not.toContain(mixed?.id);

    const lenient = await start({ leads: 1_000, emailFilterIgnoresCase: true });
    const found = await list(lenient, 'leads', { email_1: email.toLowerCase() });
    expect(ids(found)).toContain(mixed?.id);
    expect(found.results.find((r) => r.id === mixed?.id)?.email_1).toBe(email);
  });

  it('filters phones by their digits whatever the stored format, and refuses a filter that is not 10 digits', async () => {
    const sim = await start({ leads: 1_000 });
    const formatted = allLeads(sim).find((l) => typeof l.phone_1 === 'string' && /\D/.test(l.phone_1));
    const digits = phoneDigits(String(formatted?.phone_1));
    const page = await list(sim, 'leads', { phone_1: digits });
    expect(ids(page)).toContain(formatted?.id);
    expect(page.results.every((r) => phoneDigits(String(r.phone_1)) === digits)).toBe(true);
    const refused = await get(sim, '/v1/leads/', { phone_1: '(555) 234-5678' });
    expect(refused.status).toBe(400);
    expect(issuesOf(refused).map((i) => [i.path.join('.'), i.code])).toEqual([['phone_1', 'invalid_string']]);
  });

  it('scopes leads and references by integration and property: the scopes add up to the whole', async () => {
    const sim = await start({ leads: 900, integrations: 2, propertiesPerIntegration: 2 });
    const integrations = await list(sim, 'integrations');
    expect(integrations.results.map((r) => r.id)).toEqual(expect.arrayContaining([defaultOptions.integrationId]));
    let total = 0;
    for (const integration of integrations.results) {
      const page = await list(sim, 'leads', { integration_id: String(integration.id), limit: '250' });
      expect(page.results.every((r) => r.integration_id === integration.id)).toBe(true);
      total += page.meta.total;
      const properties = await list(sim, 'properties', { integration_id: String(integration.id) });
      expect(properties.results).toHaveLength(2);
      let inProperties = 0;
      for (const property of properties.results)
        inProperties += (await list(sim, 'leads', { property_id: String(property.id), limit: '1' })).meta.total;
      expect(inProperties).toBe(page.meta.total);
    }
    expect(total).toBe(900);
  });

  it('finds a unit by number only within a property, and names with their repeats (two Zillows, two Jane Does)', async () => {
    const sim = await start();
    const property = String(sim.world.properties[0].id);
    const unit = await list(sim, 'units', { property_id: property, unit_number: '204' });
    expect(unit.results.map((u) => [u.number, u.property_id])).toEqual([['204', property]]);
    const unscoped = await get(sim, '/v1/units/', { unit_number: '204' });
    expect(unscoped.status).toBe(400);
    expect(issuesOf(unscoped)[0]?.path).toEqual(['unit_number']);
    const sources = await list(sim, 'lead-sources', { property_id: property });
    expect(sources.results.filter((s) => String(s.name).trim().toLowerCase() === 'zillow')).toHaveLength(2);
    const staff = await list(sim, 'employees', { property_id: property });
    expect(staff.results.filter((e) => e.name === 'Jane Doe').map((e) => e.email)).toHaveLength(2);
  });

  it('refuses filters the document does not give an endpoint, and values outside its enums', async () => {
    const sim = await start();
    const unknown = await get(sim, '/v1/lead-sources/', { name: 'Zillow' });
    expect(unknown.status).toBe(400);
    expect(issuesOf(unknown)).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['name'] })]);
    const vendor = await get(sim, '/v1/properties/', { integration_vendor: 'NOPE' });
    expect(issuesOf(vendor).map((i) => i.code)).toEqual(['invalid_enum_value']);
  });

  it('draws the same world from the same data seed, and another from another', async () => {
    const a = await start({ seed: 7 });
    const b = await start({ seed: 7 });
    const c = await start({ seed: 8 });
    const pageA = await list(a, 'leads', { limit: '50' });
    expect(await list(b, 'leads', { limit: '50' })).toEqual(pageA);
    expect((await list(c, 'leads', { limit: '50' })).results.map((r) => r.email_1)).not.toEqual(pageA.results.map((r) => r.email_1));
  });

  it('counts reads against the same rate window as writes, and keeps no read answers in the record', async () => {
    const sim = await start({}, { rateLimit: 3, windowMs: 60_000 });
    expect((await get(sim, '/v1/leads/', { limit: '250' })).status).toBe(200);
    expect((await get(sim, '/v1/lead-sources/')).status).toBe(200);
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    expect((await get(sim, '/v1/units/')).status).toBe(429);
    expect((await putLead(sim, 'lead-1', { status: 'COLD' })).status).toBe(429);
    expect(sim.record.filter((r) => r.endpoint.startsWith('list-')).every((r) => r.response === undefined)).toBe(true);
  });

  it('answers reads with server errors at readServerErrorRate, leaving lead updates alone', async () => {
    const sim = await start({}, { readServerErrorRate: 1, serverErrorStatuses: [503] });
    expect((await fetch(`${sim.url}/v1/leads/`)).status).toBe(503);
    expect((await fetch(`${sim.url}/v1/leads/${sim.world.leadIdAt(0)}`)).status).toBe(503);
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    sim.configure({ readServerErrorRate: 0 });
    expect((await fetch(`${sim.url}/v1/leads/`)).status).toBe(200);
  });
});
