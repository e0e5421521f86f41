import { afterEach, describe, expect, it } from 'vitest';
import { readSchemas } from '../../../app/propexo/read-codecs.ts';
import { leadFieldNames } from '../../../app/propexo/schema.ts';
import { putFieldEffects } from '../../../app/simulator/lead-state.ts';
import { defaultOptions, type SimulatorOptions } from '../../../app/simulator/options.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { jobIdOf, manualClock, putLead, retryWrite, writeLogs, type ManualClock } from './helpers.ts';
import { leadProblems } from './read-contract.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(clock: ManualClock, options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator(
    { rateLimit: 100_000, jobPendingMs: 1_000, successRate: 1, data: { ...defaultOptions.data, leads: 200 }, ...options },
    { now: clock.now },
  );
  return sim;
}

async function getLead(s: Simulator, id: string): Promise<{ status: number; body: { results: Record<string, unknown> } }> {
  const response = await fetch(`${s.url}/v1/leads/${encodeURIComponent(id)}`);
  return { status: response.status, body: (await response.json()) as { results: Record<string, unknown> } };
}

describe('simulator lead state', () => {
  it('applies an update when its job succeeds (not before), as GET shows the lead', async () => {
    const clock = manualClock();
    const s = await start(clock);
    const id = s.world.leadIdAt(3);
    const employee = s.world.employees.find((e) => e.property_id === s.world.seededLead(3).property_id && e.name === 'Priya Nair');
    const unit = s.world.units.find((u) => u.property_id === s.world.seededLead(3).property_id && u.number === '204');
    const before = (await getLead(s, id)).body.results;
    const body = {
      email_1: 'new@example.com',
      status: 'COLD',
      target_move_in_date: '2026-03-01',
      employee_id: employee?.id,
      unit_id: unit?.id,
      desired_bathrooms: '1.5',
      number_of_occupants: 2.5,
    };
    expect((await putLead(s, id, body)).status).toBe(200);
    expect((await getLead(s, id)).body.results).toEqual(before);

    clock.advance(1_000);
    const after = await getLead(s, id);
    expect(after.status).toBe(200);
    expect(leadProblems(after.body)).toEqual([]);
    expect(after.body.results).toMatchObject({
      email_1: 'new@example.com',
      status: 'COLD',
      target_move_in_date: '2026-03-01T00:00:00.000Z',
      leasing_agent: 'Priya Nair',
      x_leasing_agent_id: employee?.x_id,
      unit_id_preferred: [unit?.id],
      x_unit_id_preferred: [unit?.x_id],
      desired_unit_number: '204',
      desired_num_bathrooms: 1.5,
      number_of_occupants: 2,
      first_name: before.first_name,
      updated_at: new Date(clock.now()).toISOString(),
    });
    expect(s.lead(id)).toEqual(after.body.results);
  });

  it('applies nothing of a failed job, and what a retry that succeeds writes', async () => {
    const clock = manualClock();
    const s = await start(clock, { retrySuccessRate: 1 });
    const id = s.world.leadIdAt(5);
    s.configure({ leadOutcomes: { [id]: 'FAILURE' } });
    const before = s.lead(id);
    const job = jobIdOf(await putLead(s, id, { notes: 'called back' }));
    clock.advance(1_000);
    expect(s.lead(id)).toEqual(before);
    expect((await retryWrite(s, job)).status).toBe(200);
    clock.advance(1_000);
    expect(s.lead(id)?.notes).toBe('called back');
  });

  it('applies a PARTIAL_SUCCESS in part, and names the fields it applied in the write logs', async () => {
    const clock = manualClock();
    const s = await start(clock);
    const id = s.world.leadIdAt(7);
    s.configure({ leadOutcomes: { [id]: 'PARTIAL_SUCCESS' } });
    const before = s.lead(id) ?? {};
    const body = { first_name: 'Ada', last_name: 'Lovelace', city: 'London', zip: '10001' };
    const job = jobIdOf(await putLead(s, id, body));
    clock.advance(1_000);
    const logs = (await writeLogs(s)).body as {
      results: { logs: { job_id: string; parameters: { applied_fields: string[]; fields: string[] } }[] };
    };
    const log = logs.results.logs.find((l) => l.job_id === job);
    const applied = log?.parameters.applied_fields ?? [];
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.length).toBeLessThan(4);
    const now = s.lead(id) ?? {};
    for (const [field, value] of Object.entries(body)) expect(now[field], field).toBe(applied.includes(field) ? value : before[field]);
  });

  it('keeps leads unknown to the seed working as before: any id of the right shape is a blank lead, never listed', async () => {
    const clock = manualClock();
    const s = await start(clock, { missingLeadIds: ['gone-1'] });
    const blank = await getLead(s, 'lead-1');
    expect(blank.status).toBe(200);
    expect(leadProblems(blank.body)).toEqual([]);
    expect(blank.body.results).toMatchObject({ id: 'lead-1', email_1: null, status: null });
    expect((await putLead(s, 'lead-1', { email_1: 'a@example.com' })).status).toBe(200);
    clock.advance(1_000);
    expect(s.lead('lead-1')?.email_1).toBe('a@example.com');
    const listed = (await (await fetch(`${s.url}/v1/leads/?email_1=a@example.com`)).json()) as { results: unknown[] };
    expect(listed.results).toEqual([]);
    expect((await getLead(s, 'gone-1')).status).toBe(404);
    expect((await getLead(s, 'not a lead!')).status).toBe(404);
    s.configure({ knownLeadIds: ['lead-1'] });
    expect((await getLead(s, 'lead-2')).status).toBe(404);
    expect((await getLead(s, s.world.leadIdAt(0))).status).toBe(200);
  });

  it('lets a test change a lead behind the importer’s back: GET and the list filters see it', async () => {
    const clock = manualClock();
    const s = await start(clock);
    const id = s.world.leadIdAt(9);
    const old = String(s.lead(id)?.email_1 ?? 'none@example.com');
    s.changeLead(id, { email_1: 'moved@example.com', status: 'INACTIVE' });
    expect((await getLead(s, id)).body.results).toMatchObject({ email_1: 'moved@example.com', status: 'INACTIVE' });
    const byNew = (await (await fetch(`${s.url}/v1/leads/?email_1=moved@example.com`)).json()) as { results: { id: string }[] };
    expect(byNew.results.map((r) => r.id)).toEqual([id]);
    const byOld = (await (await fetch(`${s.url}/v1/leads/?email_1=${encodeURIComponent(old)}`)).json()) as { results: { id: string }[] };
    expect(byOld.results.map((r) => r.id)).not.toContain(id);
    expect(() => s.changeLead(id, { favourite_colour: 'red' })).toThrow(/no field 'favourite_colour'/);
    expect(() => s.changeLead('not a lead!', { status: 'COLD' })).toThrow(/No lead/);
    s.reset();
    expect(s.lead(id)?.email_1).toBe(old === 'none@example.com' ? null : old);
  });

  it('says for every PUT field which lead fields it writes, all of them fields of the document’s Lead', () => {
    expect(Object.keys(putFieldEffects).sort()).toEqual([...leadFieldNames].sort());
    const leadFields = new Set(Object.keys(readSchemas.Lead.properties ?? {}));
    const named = Object.values(putFieldEffects).flat();
    expect(named.filter((f) => !leadFields.has(f))).toEqual([]);
  });
});
