import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { defaultOptions, SimulatorOptionsError } from '../../../app/simulator/options.ts';
import type { RecordedRequest } from '../../../app/simulator/record.ts';
import { jobIdOf, manualClock, putLead, putRaw, retryWrite, writeLogs, writeStatus } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('the record', () => {
  it('keeps every request in arrival order with what arrived, when, and what came of it', async () => {
    const clock = manualClock();
    const s = await startSimulator({ jobPendingMs: 0, leadOutcomes: { 'lead-1': 'FAILURE' } }, { now: clock.now });
    sim = s;
    clock.advance(100);
    const job = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }, { query: '?ignore_unknown_fields=true' }));
    clock.advance(50);
    await writeStatus(s, job);
    clock.advance(50);
    const retried = (await retryWrite(s, job)).body as { job_id: string };
    await writeLogs(s, '?limit=5&status=FAILURE');
    await putRaw(s, 'lead-2', 'not json');

    expect(s.record.map((r) => [r.seq, r.at, r.method, r.path, r.search, r.endpoint, r.status, r.applied])).toEqual([
      [1, 100, 'PUT', '/v1/leads/lead-1', '?ignore_unknown_fields=true', 'update-lead', 200, true],
      [2, 150, 'GET', `/v1/admin/write-status/${job}`, '', 'write-status', 200, false],
      [3, 200, 'POST', `/v1/admin/retry-write/${job}`, '', 'retry-write', 200, true],
      [4, 200, 'GET', '/v1/admin/logs/writes/', '?limit=5&status=FAILURE', 'write-logs', 200, false],
      [5, 200, 'PUT', '/v1/leads/lead-2', '', 'update-lead', 400, false],
    ]);
    const [update, poll, retry, , broken] = s.record;
    expect(update).toMatchObject({
      leadId: 'lead-1',
      jobId: job,
      body: { status: 'ACTIVE' },
      response: { job_id: job, data: {} },
      finishedAt: 100,
    });
    expect(poll).toMatchObject({ jobId: job, response: { write_status: 'FAILURE' } });
    expect(retry).toMatchObject({ jobId: job, leadId: 'lead-1', response: { success: true, job_id: retried.job_id } });
    expect(broken).toMatchObject({ bodyText: 'not json', leadId: 'lead-2' });
    expect(broken.body).toBeUndefined();
  });

  it('answers the common questions: updates for a lead, applied updates, counts', async () => {
    const s = await startSimulator({ rateLimit: 3, slowdownMs: 0 });
    sim = s;
    s.queueFaults(500);
    await putLead(s, 'lead-1', { status: 'ACTIVE' });
    await putLead(s, 'lead-1', { status: 'COLD' });
    await putLead(s, 'lead-2', { status: 'ACTIVE' });
    await putLead(s, 'lead-2', { status: 'ACTIVE' });
    expect(s.updatesFor('lead-1').map((r) => [r.status, r.applied, r.body])).toEqual([
      [500, false, { status: 'ACTIVE' }],
      [200, true, { status: 'COLD' }],
    ]);
    expect(s.appliedUpdates().map((u) => [u.leadId, u.body])).toEqual([
      ['lead-1', { status: 'COLD' }],
      ['lead-2', { status: 'ACTIVE' }],
    ]);
    const counts = s.counts();
    expect(counts['update-lead']).toEqual({ '200': 2, '429': 1, '500': 1 });
    expect(counts.total).toBe(4);
  });

  it('shows in-flight requests as such, and completes them before the client sees the answer', async () => {
    const s = await startSimulator({ latencyMs: 400 });
    sim = s;
    const pending = putLead(s, 'lead-1', { status: 'ACTIVE' });
    while (s.record.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(s.record.map((r: RecordedRequest) => r.status)).toEqual(['in-flight']);
    expect((await pending).status).toBe(200);
    expect(s.record[0].status).toBe(200);
    expect(s.record[0].finishedAt).not.toBeNull();
  });

  it('reports each finished request to onFinished', async () => {
    const finished: RecordedRequest[] = [];
    const s = await startSimulator({}, { onFinished: (r) => finished.push(r) });
    sim = s;
    await putLead(s, 'lead-1', { status: 'ACTIVE' });
    await writeLogs(s, '?limit=0');
    expect(finished.map((r) => [r.endpoint, r.status])).toEqual([
      ['update-lead', 200],
      ['write-logs', 400],
    ]);
  });
});

describe('configure and reset', () => {
  it('reset forgets requests, leads, jobs, the rate window and queued faults, and restores the start options', async () => {
    const s = await startSimulator({ rateLimit: 2, slowdownMs: 0 });
    sim = s;
    await putLead(s, 'lead-1', { status: 'ACTIVE' });
    await putLead(s, 'lead-1', { status: 'ACTIVE' });
    s.configure({ token: 'sk_new' });
    s.queueFaults('drop-before-apply');
    s.reset();
    expect(s.record).toHaveLength(0);
    expect(s.leads.size).toBe(0);
    expect(s.jobs.size).toBe(0);
    expect(s.options.token).toBeNull();
    const answer = await putLead(s, 'lead-1', { status: 'ACTIVE' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(s.record[0].seq).toBe(1);
  });

  it('refuses invalid options with a message naming the option, at start and at run time', async () => {
    await expect(startSimulator({ successRate: 1.5 })).rejects.toThrow(/successRate' must be a rate between 0 and 1, got 1.5/);
    await expect(startSimulator({ rateLimit: 0 })).rejects.toThrow(/rateLimit' must be a whole number ≥ 1/);
    await expect(startSimulator({ jobPendingMs: [3_000, 1_000] })).rejects.toThrow(/min ≤ max/);
    await expect(startSimulator({ successRate: 0.9, partialRate: 0.2 })).rejects.toThrow(/at most 1/);
    await expect(startSimulator({ ratelimit: 5 } as never)).rejects.toThrow(/unknown option 'ratelimit'/);
    const s = await startSimulator();
    sim = s;
    expect(() => s.configure({ serverErrorRate: -1 })).toThrow(SimulatorOptionsError);
    expect(() => s.configure({ port: s.port + 1 })).toThrow(/port cannot change/);
    // A refused patch changes nothing.
    expect(s.options.serverErrorRate).toBe(0);
  });
});

describe('a client that gives up', () => {
  it('still gets its update applied, and the record says the answer never reached it', async () => {
    const s = await startSimulator({ latencyMs: 300 });
    sim = s;
    const controller = new AbortController();
    const sent = fetch(`${s.url}/v1/leads/lead-1`, { method: 'PUT', body: '{"status":"ACTIVE"}', signal: controller.signal });
    // Give up once the request has arrived, as a client's timeout would.
    while (s.record.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(sent).rejects.toThrow();
    while (s.record[0]?.status === 'in-flight') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.record[0]).toMatchObject({ status: 200, applied: true, clientGone: true });
    expect(s.leads.get('lead-1')).toHaveLength(1);
  });
});

describe('a bounded record (the app’s practice simulator)', () => {
  it('keeps the last requests and applied updates, no per-lead lists, and still counts every request', async () => {
    const s = await startSimulator({ jobPendingMs: 0 }, { recordLimit: 5 });
    sim = s;
    for (let i = 1; i <= 23; i++) await putLead(s, `lead-${i}`, { status: 'ACTIVE' });
    await putRaw(s, 'lead-x', 'not json');
    expect(s.record.length).toBeLessThan(10);
    expect(s.record.at(-1)).toMatchObject({ seq: 24, leadId: 'lead-x', status: 400 });
    expect(s.record.at(-2)).toMatchObject({ seq: 23, leadId: 'lead-23', status: 200 });
    expect(s.counts().total).toBe(24);
    expect(s.counts()['update-lead']).toEqual({ '200': 23, '400': 1 });
    expect(s.leads.size).toBe(0);
    const applied = s.appliedUpdates();
    expect(applied.length).toBeLessThan(10);
    expect(applied.at(-1)).toMatchObject({ leadId: 'lead-23', seq: 23 });
    expect(s.updatesFor('lead-23')).toHaveLength(1);
  });

  it('is complete by default', async () => {
    const s = await startSimulator({ jobPendingMs: 0 });
    sim = s;
    for (let i = 1; i <= 12; i++) await putLead(s, `lead-${i}`, { status: 'ACTIVE' });
    expect(s.record.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(s.leads.size).toBe(12);
  });

  it('with a state limit keeps about that many jobs and changed leads, and reads still show what forgotten jobs wrote', async () => {
    const clock = manualClock();
    const s = await startSimulator(
      { jobPendingMs: 10, successRate: 1, data: { ...defaultOptions.data, leads: 100 } },
      { now: clock.now, stateLimit: 8 },
    );
    sim = s;
    const jobIds: string[] = [];
    for (let i = 0; i < 40; i++) {
      jobIds.push(jobIdOf(await putLead(s, s.world.leadIdAt(i), { first_name: `Name${i}` })));
      clock.advance(20);
    }
    expect(s.jobs.size).toBeLessThanOrEqual(8 + 1 + 1);
    // The newest job is kept; the oldest is forgotten (404), its write gone from the logs.
    expect((await writeStatus(s, jobIds[39])).status).toBe(200);
    expect((await writeStatus(s, jobIds[0])).status).toBe(404);
    const logs = (await writeLogs(s, '?limit=100')).body as { results: { logs: { job_id: string }[] } };
    expect(logs.results.logs.length).toBeLessThanOrEqual(10);
    expect(logs.results.logs.map((log) => log.job_id)).not.toContain(jobIds[0]);
    // Lead state took the forgotten jobs in: the last 8 leads written show their new names; the
    // least recently written lead shows its seeded one again.
    expect(s.lead(s.world.leadIdAt(39))?.first_name).toBe('Name39');
    expect(s.lead(s.world.leadIdAt(32))?.first_name).toBe('Name32');
    expect(s.lead(s.world.leadIdAt(0))?.first_name).toBe(s.world.seededLead(0).first_name);
  });
});
