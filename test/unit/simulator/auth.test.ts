import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { contract, errorCodeOf, jobIdOf, putLead, writeLogs, writeStatus } from './helpers.ts';

const TOKEN = 'sk_test_9f8e7d6c5b4a';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('authentication', () => {
  it('accepts any request when no token is required', async () => {
    sim = await startSimulator();
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' }, { token: 'anything' })).status).toBe(200);
  });

  it('answers 401 to a missing or wrong bearer token on every endpoint, without applying anything', async () => {
    sim = await startSimulator({ token: TOKEN });
    const missing = await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    expect(missing.status).toBe(401);
    expect(errorCodeOf(missing)).toBe('unauthorized');
    expect(contract.errorResponse(missing.body)).toBe(true);
    expect(missing.headers.get('x-ratelimit-remaining')).toBe('150');
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' }, { token: `${TOKEN}x` })).status).toBe(401);
    expect((await writeStatus(sim, 'job_1', { token: 'wrong' })).status).toBe(401);
    expect((await writeLogs(sim, '', { token: 'wrong' })).status).toBe(401);
    expect(sim.leads.size).toBe(0);

    const ok = await putLead(sim, 'lead-1', { status: 'ACTIVE' }, { token: TOKEN });
    expect(ok.status).toBe(200);
    expect((await writeStatus(sim, jobIdOf(ok), { token: TOKEN })).status).toBe(200);
    // Rejected requests are not charged to the customer's budget.
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('149');
  });

  it('starts refusing a token switched mid-run (the key was revoked)', async () => {
    sim = await startSimulator({ token: TOKEN });
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' }, { token: TOKEN })).status).toBe(200);
    sim.configure({ token: 'sk_rotated' });
    expect((await putLead(sim, 'lead-2', { status: 'ACTIVE' }, { token: TOKEN })).status).toBe(401);
    expect((await putLead(sim, 'lead-3', { status: 'ACTIVE' }, { token: TOKEN })).status).toBe(401);
    expect([...sim.leads.keys()]).toEqual(['lead-1']);
    expect(sim.record.map((r) => r.status)).toEqual([200, 401, 401]);
  });

  it('starts requiring a token mid-run, and stops again', async () => {
    sim = await startSimulator();
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    sim.configure({ token: TOKEN });
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(401);
    sim.configure({ token: null });
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
  });

  it('never keeps the token in the record', async () => {
    sim = await startSimulator({ token: TOKEN });
    await putLead(sim, 'lead-1', { status: 'ACTIVE' }, { token: TOKEN });
    await putLead(sim, 'lead-1', { status: 'ACTIVE' }, { token: 'sk_wrong_guess' });
    const everything = JSON.stringify([sim.record, [...sim.leads.values()], sim.counts()]);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('sk_wrong_guess');
  });
});
