import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { LeadUpdateMetaOutput, LeadUpdateOpenApiOutput } from '../../../app/simulator/wire.ts';
import { contract, errorCodeOf, jobIdOf, manualClock, putLead, request } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('PUT /v1/leads/{id}', () => {
  it('answers 200 with a new job id in the OpenAPI shape by default, and records the update as applied', async () => {
    const clock = manualClock();
    sim = await startSimulator({}, { now: clock.now });
    clock.advance(1_500);
    const answer = await putLead(sim, 'lead-1', { status: 'ACTIVE', phone_1: '555-0100' });
    expect(answer.status).toBe(200);
    expect(contract.leadUpdateOutput(answer.body)).toBe(true);
    expect(LeadUpdateOpenApiOutput.is(answer.body)).toBe(true);
    const jobId = jobIdOf(answer);
    expect(answer.body).toEqual({ job_id: jobId, data: {} });
    expect(sim.leads.get('lead-1')).toEqual([
      { jobId, at: 1_500, body: { status: 'ACTIVE', phone_1: '555-0100' }, ignoredFields: [], seq: 1 },
    ]);
    expect(sim.jobs.get(jobId)?.leadId).toBe('lead-1');
    expect(sim.record[0]).toMatchObject({ endpoint: 'update-lead', leadId: 'lead-1', jobId, status: 200, applied: true });
  });

  it("answers in the prose docs' shape with responseShape 'meta', switchable at run time", async () => {
    sim = await startSimulator({ responseShape: 'meta' });
    const meta = await putLead(sim, 'lead-1', { status: 'COLD' });
    expect(meta.status).toBe(200);
    expect(LeadUpdateMetaOutput.is(meta.body)).toBe(true);
    expect(meta.body).toEqual({ meta: { job_id: jobIdOf(meta) }, result: {} });

    sim.configure({ responseShape: 'openapi' });
    const openapi = await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    expect(contract.leadUpdateOutput(openapi.body)).toBe(true);
    expect(jobIdOf(openapi)).not.toBe(jobIdOf(meta));
  });

  it('gives every accepted update a job of its own, and keeps every application per lead', async () => {
    sim = await startSimulator();
    const first = jobIdOf(await putLead(sim, 'lead-1', { status: 'ACTIVE' }));
    const second = jobIdOf(await putLead(sim, 'lead-1', { status: 'COLD' }));
    await putLead(sim, 'lead-2', { has_dogs: true });
    expect(first).not.toBe(second);
    expect(sim.leads.get('lead-1')?.map((u) => [u.jobId, u.body])).toEqual([
      [first, { status: 'ACTIVE' }],
      [second, { status: 'COLD' }],
    ]);
    expect(sim.appliedUpdates().map((u) => u.leadId)).toEqual(['lead-1', 'lead-1', 'lead-2']);
  });

  it('answers 404 for an id of no recognisable shape by default', async () => {
    sim = await startSimulator();
    const answer = await putLead(sim, 'not a lead!', { status: 'ACTIVE' });
    expect(answer.status).toBe(404);
    expect(errorCodeOf(answer)).toBe('not_found');
    expect(contract.errorResponse(answer.body)).toBe(true);
    expect(sim.leads.size).toBe(0);
  });

  it('answers 404 for ids outside knownLeadIds and for missingLeadIds', async () => {
    sim = await startSimulator({ knownLeadIds: ['lead-1', 'lead-2'], missingLeadIds: ['lead-2'] });
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    expect((await putLead(sim, 'lead-2', { status: 'ACTIVE' })).status).toBe(404);
    const unknown = await putLead(sim, 'lead-3', { status: 'ACTIVE' });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: { message: string } }).error.message).toContain('lead-3');
    expect([...sim.leads.keys()]).toEqual(['lead-1']);

    sim.configure({ knownLeadIds: null, missingLeadIds: [] });
    expect((await putLead(sim, 'lead-3', { status: 'ACTIVE' })).status).toBe(200);
  });

  it('checks the body before the lead id (a bad body is a 400 even for an unknown lead)', async () => {
    sim = await startSimulator({ knownLeadIds: [] });
    expect((await putLead(sim, 'lead-9', { nope: 1 })).status).toBe(400);
  });

  it('answers 404 with an errorResponse to unknown routes and methods, with rate headers', async () => {
    sim = await startSimulator({ rateLimit: 20 });
    for (const [method, path] of [
      // GET /v1/leads/{id} is a read now (reads.test.ts); a lead has no sub-paths.
      ['GET', '/v1/leads/lead-1/jobs'],
      ['POST', '/v1/leads/lead-1'],
      ['GET', '/v1/leads'],
      ['GET', '/v1/admin/logs/writes'],
      ['GET', '/'],
    ] as const) {
      const answer = await request(sim, method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(contract.errorResponse(answer.body)).toBe(true);
      expect(answer.headers.get('x-ratelimit-limit')).toBe('20');
      expect(answer.headers.get('x-ratelimit-remaining')).not.toBeNull();
    }
    expect(sim.counts().unknown).toEqual({ '404': 5 });
  });

  it('refuses bodies over 1 MB with 413', async () => {
    sim = await startSimulator();
    const answer = await putLead(sim, 'lead-1', { notes: 'x'.repeat(1_100_000) });
    expect(answer.status).toBe(413);
    expect(sim.leads.size).toBe(0);
  });
});
