import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import type { SimulatorOptions } from '../../../app/simulator/options.ts';
import { contract, jobIdOf, manualClock, putLead, writeLogs, writeStatus } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions>, now?: () => number): Promise<Simulator> {
  sim = await startSimulator({ rateLimit: 10_000, slowdownMs: 0, ...options }, now ? { now } : {});
  return sim;
}

/** fetch's rejection when the server cuts the connection. */
async function expectCutOff(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toThrow(/fetch failed/);
}

describe('server errors', () => {
  it('answers 5xx to lead updates without applying them: JSON from the API, text from gateways', async () => {
    const s = await start({ serverErrorRate: 1, seed: 2 });
    const seen = new Set<number>();
    for (let i = 0; i < 24; i++) {
      const answer = await putLead(s, `lead-${i}`, { status: 'ACTIVE' });
      seen.add(answer.status);
      expect(answer.headers.get('x-ratelimit-remaining')).not.toBeNull();
      if (answer.status === 500) expect(contract.errorResponse(answer.body)).toBe(true);
      else expect(answer.headers.get('content-type')).toMatch(/^text\//);
    }
    expect([...seen].sort()).toEqual([500, 502, 503, 504]);
    expect(s.leads.size).toBe(0);
    expect(s.record.every((r) => r.fault === 'server-error' && !r.applied)).toBe(true);
  });

  it('uses only the statuses in serverErrorStatuses', async () => {
    const s = await start({ serverErrorRate: 1, serverErrorStatuses: [503] });
    for (let i = 0; i < 5; i++) expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(503);
  });

  it('hits roughly serverErrorRate of 200 updates, the same ones for the same seed', async () => {
    const run = async (): Promise<number[]> => {
      const s = await startSimulator({ rateLimit: 10_000, serverErrorRate: 0.3, seed: 9 });
      try {
        const failedAt: number[] = [];
        for (let i = 0; i < 200; i++) if ((await putLead(s, `lead-${i}`, { status: 'ACTIVE' })).status >= 500) failedAt.push(i);
        expect(s.leads.size).toBe(200 - failedAt.length);
        return failedAt;
      } finally {
        await s.close();
      }
    };
    const first = await run();
    expect(first.length).toBeGreaterThan(35);
    expect(first.length).toBeLessThan(85);
    expect(await run()).toEqual(first);
  });

  it('hits write status and logs with adminServerErrorRate, and leaves lead updates alone', async () => {
    const s = await start({ adminServerErrorRate: 1, serverErrorStatuses: [502] });
    const update = await putLead(s, 'lead-1', { status: 'ACTIVE' });
    expect(update.status).toBe(200);
    expect((await writeStatus(s, jobIdOf(update))).status).toBe(502);
    expect((await writeLogs(s)).status).toBe(502);
    s.configure({ adminServerErrorRate: 0 });
    expect((await writeStatus(s, jobIdOf(update))).status).toBe(200);
  });
});

describe('dropped connections', () => {
  it('drop before apply: fetch rejects and nothing is applied', async () => {
    const s = await start({ dropBeforeApplyRate: 1 });
    await expectCutOff(putLead(s, 'lead-1', { status: 'ACTIVE' }));
    expect(s.leads.size).toBe(0);
    expect(s.jobs.size).toBe(0);
    expect(s.record[0]).toMatchObject({ status: 'dropped', applied: false, fault: 'drop-before-apply' });
  });

  it('drop after apply: fetch rejects, yet the update was applied and its job runs', async () => {
    const s = await start({ dropAfterApplyRate: 1, jobPendingMs: 0, successRate: 1 });
    await expectCutOff(putLead(s, 'lead-1', { status: 'COLD' }));
    const applied = s.leads.get('lead-1');
    expect(applied).toHaveLength(1);
    expect(applied?.[0].body).toEqual({ status: 'COLD' });
    expect(s.record[0]).toMatchObject({ status: 'dropped', applied: true, fault: 'drop-after-apply', jobId: applied?.[0].jobId });
    s.configure({ dropAfterApplyRate: 0 });
    // The client never learnt the job id; the job is there all the same (and shows in the logs).
    expect(s.jobStatus(applied?.[0].jobId ?? '')?.write_status).toBe('SUCCESS');
    const logs = (await writeLogs(s)).body as { results: { logs: { job_id: string }[] } };
    expect(logs.results.logs.map((l) => l.job_id)).toEqual([applied?.[0].jobId]);
  });

  it('queued faults hit the next updates in order, whatever the rates', async () => {
    const s = await start({});
    s.queueFaults('drop-after-apply', 504, 'drop-before-apply');
    await expectCutOff(putLead(s, 'lead-1', { status: 'ACTIVE' }));
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(504);
    await expectCutOff(putLead(s, 'lead-1', { status: 'ACTIVE' }));
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    expect(s.updatesFor('lead-1').map((r) => [r.status, r.applied])).toEqual([
      ['dropped', true],
      [504, false],
      ['dropped', false],
      [200, true],
    ]);
    expect(s.leads.get('lead-1')).toHaveLength(2);
  });
});

describe('latency', () => {
  it('adds latencyMs to every response', async () => {
    const s = await start({ latencyMs: 120 });
    const started = performance.now();
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect((await writeLogs(s)).status).toBe(200);
    expect(s.record.map((r) => r.delayedMs)).toEqual([120, 120]);
  });

  it('adds spikes at their rate', async () => {
    const s = await start({ latencySpikes: { rate: 1, ms: 100 } });
    const started = performance.now();
    await putLead(s, 'lead-1', { status: 'ACTIVE' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(s.record[0]).toMatchObject({ delayedMs: 100, fault: 'latency-spike', status: 200 });
    s.configure({ latencySpikes: { rate: 0, ms: 100 } });
    await putLead(s, 'lead-1', { status: 'ACTIVE' });
    expect(s.record[1].delayedMs).toBe(0);
  });
});

describe('429 storm', () => {
  it('refuses every request for the storm’s duration, with Retry-After, then recovers', async () => {
    const clock = manualClock();
    const s = await start({}, clock.now);
    const before = await putLead(s, 'lead-1', { status: 'ACTIVE' });
    expect(before.status).toBe(200);
    s.configure({ storm: { durationMs: 2_500 } });
    const during = await putLead(s, 'lead-2', { status: 'ACTIVE' });
    expect(during.status).toBe(429);
    expect(during.headers.get('retry-after')).toBe('3');
    expect((await writeStatus(s, jobIdOf(before))).status).toBe(429);
    clock.advance(2_000);
    expect((await writeLogs(s)).headers.get('retry-after')).toBe('1');
    clock.advance(500);
    expect((await putLead(s, 'lead-2', { status: 'ACTIVE' })).status).toBe(200);
    expect(s.record.filter((r) => r.fault === 'storm').map((r) => r.status)).toEqual([429, 429, 429]);
    expect([...s.leads.keys()]).toEqual(['lead-1', 'lead-2']);
    expect(s.leads.get('lead-2')).toHaveLength(1);
  });

  it('can be set at start', async () => {
    const clock = manualClock();
    const s = await start({ storm: { durationMs: 200 } }, clock.now);
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(429);
    clock.advance(200);
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
  });
});

describe('queued faults and refusals', () => {
  it('are not used up by updates refused with 401 or 429', async () => {
    const s = await start({ token: 'sk_1', rateLimit: 2, windowMs: 60_000 });
    s.queueFaults(503);
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' })).status).toBe(401);
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' }, { token: 'sk_1' })).status).toBe(503);
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' }, { token: 'sk_1' })).status).toBe(200);
    s.queueFaults('drop-before-apply');
    expect((await putLead(s, 'lead-1', { status: 'ACTIVE' }, { token: 'sk_1' })).status).toBe(429);
    s.configure({ rateLimit: 10 });
    await expectCutOff(putLead(s, 'lead-1', { status: 'ACTIVE' }, { token: 'sk_1' }));
  });
});

describe('repeated job ids', () => {
  it('applies the update under its own job but answers the job id answered last, as often as repeatedJobIdRate says', async () => {
    const s = await start({ repeatedJobIdRate: 1 });
    const first = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }));
    const second = jobIdOf(await putLead(s, 'lead-2', { status: 'COLD' }));
    const third = jobIdOf(await putLead(s, 'lead-2', { status: 'ACTIVE' }));
    // The very first update has no earlier id to repeat: it is answered its own.
    expect(first).toBe(s.leads.get('lead-1')?.[0].jobId);
    expect(second).toBe(first);
    // An id never given in an answer is never repeated: the client could not tell.
    expect(third).toBe(first);
    expect(s.leads.get('lead-2')).toHaveLength(2);
    expect(s.leads.get('lead-2')?.map((u) => u.jobId)).not.toContain(first);
    expect(s.record.map((r) => r.fault)).toEqual([undefined, 'repeated-job-id', 'repeated-job-id']);
    expect(s.record.map((r) => r.jobId)).toEqual([first, first, first]);
    expect((await writeStatus(s, second)).status).toBe(200);
  });

  it('repeats an id only for a queued fault when the rate is 0', async () => {
    const s = await start({});
    const first = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }));
    s.queueFaults('repeated-job-id');
    expect(jobIdOf(await putLead(s, 'lead-1', { status: 'COLD' }))).toBe(first);
    expect(jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }))).not.toBe(first);
  });

  it('counts the rate among the update faults that share the requests', async () => {
    await expect(start({ dropAfterApplyRate: 0.6, repeatedJobIdRate: 0.6 })).rejects.toThrow(/repeatedJobIdRate must be at most 1/);
  });
});
