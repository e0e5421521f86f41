import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import type { SimulatorOptions } from '../../../app/simulator/options.ts';
import { WriteStatusOutput } from '../../../app/simulator/wire.ts';
import { contract, errorCodeOf, jobIdOf, manualClock, putLead, retryWrite, writeStatus, type ManualClock } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions>, clock: ManualClock): Promise<Simulator> {
  sim = await startSimulator({ rateLimit: 10_000, ...options }, { now: clock.now });
  return sim;
}

const statusOf = async (s: Simulator, jobId: string): Promise<WriteStatusOutput> => {
  const answer = await writeStatus(s, jobId);
  expect(answer.status).toBe(200);
  expect(contract.writeStatusOutput(answer.body)).toBe(true);
  return answer.body as WriteStatusOutput;
};

/** Sends one update to each of `count` leads and returns their job ids. */
async function updateMany(s: Simulator, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(jobIdOf(await putLead(s, `lead-${i}`, { status: 'ACTIVE' })));
  return ids;
}

describe('GET /v1/admin/write-status/{root_job_id}', () => {
  it('shows PENDING for jobPendingMs, then a final status that never changes', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 3_000, successRate: 1, partialRate: 0 }, clock);
    const jobId = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }));
    expect(await statusOf(s, jobId)).toEqual({ write_status: 'PENDING', errors: [], created_record_id: null });
    clock.advance(2_999);
    expect((await statusOf(s, jobId)).write_status).toBe('PENDING');
    clock.advance(1);
    const final = await statusOf(s, jobId);
    expect(final).toEqual({ write_status: 'SUCCESS', errors: [], created_record_id: 'lead-1' });
    clock.advance(60_000);
    expect(await statusOf(s, jobId)).toEqual(final);
  });

  it('draws pending times from a [min, max] range', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: [1_000, 3_000] }, clock);
    const ids = await updateMany(s, 40);
    const pending = ids.map((id) => {
      const job = s.jobs.get(id);
      if (!job) throw new Error(id);
      return job.settlesAt - job.createdAt;
    });
    expect(Math.min(...pending)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...pending)).toBeLessThanOrEqual(3_000);
    expect(new Set(pending).size).toBeGreaterThan(10);
    clock.advance(999);
    expect((await Promise.all(ids.map((id) => statusOf(s, id)))).every((st) => st.write_status === 'PENDING')).toBe(true);
    clock.advance(2_001);
    expect((await Promise.all(ids.map((id) => statusOf(s, id)))).some((st) => st.write_status === 'PENDING')).toBe(false);
  });

  it('respects the outcome rates over 200 jobs, with PMS messages on failures and partial successes', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 0, successRate: 0.6, partialRate: 0.2, failureWithoutErrorsRate: 0.3, seed: 42 }, clock);
    const ids = await updateMany(s, 200);
    const statuses = await Promise.all(ids.map((id) => statusOf(s, id)));
    const count = (w: string): number => statuses.filter((st) => st.write_status === w).length;
    expect(count('SUCCESS')).toBeGreaterThan(95);
    expect(count('SUCCESS')).toBeLessThan(145);
    expect(count('PARTIAL_SUCCESS')).toBeGreaterThan(20);
    expect(count('PARTIAL_SUCCESS')).toBeLessThan(60);
    expect(count('FAILURE')).toBeGreaterThan(20);
    expect(count('FAILURE')).toBeLessThan(60);
    for (const st of statuses) {
      if (st.write_status === 'SUCCESS') expect(st.errors).toEqual([]);
      if (st.write_status === 'PARTIAL_SUCCESS') expect(st.errors.length).toBeGreaterThan(0);
      if (st.write_status !== 'FAILURE') expect(st.created_record_id).not.toBeNull();
      else expect(st.created_record_id).toBeNull();
      for (const message of st.errors) expect(message).toMatch(/^Entrata: \S/);
    }
    const failures = statuses.filter((st) => st.write_status === 'FAILURE');
    // FAILURE sometimes comes with no message at all.
    expect(failures.some((st) => st.errors.length === 0)).toBe(true);
    expect(failures.some((st) => st.errors.length > 0)).toBe(true);
  });

  it('decides outcomes from the seed: the same run gives the same outcomes, another seed others', async () => {
    const outcomes = async (seed: number): Promise<string[]> => {
      const clock = manualClock();
      const s = await startSimulator({ jobPendingMs: 0, successRate: 0.5, partialRate: 0.2, seed }, { now: clock.now });
      try {
        const ids = await updateMany(s, 30);
        return ids.map((id) => `${s.jobStatus(id)?.write_status}:${s.jobStatus(id)?.errors.join('|')}`);
      } finally {
        await s.close();
      }
    };
    const first = await outcomes(7);
    expect(await outcomes(7)).toEqual(first);
    expect(await outcomes(8)).not.toEqual(first);
  });

  it('keeps a lead’s outcome independent of the order in which leads arrive', async () => {
    const run = async (order: readonly string[]): Promise<Map<string, string | undefined>> => {
      const s = await startSimulator({ jobPendingMs: 0, successRate: 0.5, partialRate: 0.2, seed: 3 });
      try {
        const result = new Map<string, string | undefined>();
        for (const lead of order) result.set(lead, s.jobStatus(jobIdOf(await putLead(s, lead, { status: 'ACTIVE' })))?.write_status);
        return result;
      } finally {
        await s.close();
      }
    };
    const leads = Array.from({ length: 12 }, (_, i) => `lead-${i}`);
    const forward = await run(leads);
    const backward = await run([...leads].reverse());
    for (const lead of leads) expect(backward.get(lead)).toBe(forward.get(lead));
  });

  it('forces outcomes for chosen leads with leadOutcomes', async () => {
    const clock = manualClock();
    const s = await start(
      { jobPendingMs: 0, successRate: 1, leadOutcomes: { 'lead-bad': 'FAILURE', 'lead-half': 'PARTIAL_SUCCESS' } },
      clock,
    );
    const bad = jobIdOf(await putLead(s, 'lead-bad', { status: 'ACTIVE' }));
    const half = jobIdOf(await putLead(s, 'lead-half', { status: 'ACTIVE' }));
    const good = jobIdOf(await putLead(s, 'lead-good', { status: 'ACTIVE' }));
    expect((await statusOf(s, bad)).write_status).toBe('FAILURE');
    expect((await statusOf(s, half)).write_status).toBe('PARTIAL_SUCCESS');
    expect((await statusOf(s, good)).write_status).toBe('SUCCESS');
  });

  it('settles every pending job at once with settleJobs()', async () => {
    const s = await startSimulator({ jobPendingMs: 60_000, successRate: 1 });
    const jobId = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }));
    sim = s;
    expect(s.jobStatus(jobId)?.write_status).toBe('PENDING');
    s.settleJobs();
    expect((await statusOf(s, jobId)).write_status).toBe('SUCCESS');
  });

  it('answers 404 for an unknown job', async () => {
    const s = await start({}, manualClock());
    const answer = await writeStatus(s, 'job_nope');
    expect(answer.status).toBe(404);
    expect(contract.errorResponse(answer.body)).toBe(true);
    expect(errorCodeOf(answer)).toBe('not_found');
  });
});

describe('POST /v1/admin/retry-write/{root_job_id}', () => {
  it('retries a FAILURE as a new job that goes through PENDING to its own outcome, applying the update again', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 1_000, leadOutcomes: { 'lead-1': 'FAILURE' }, retrySuccessRate: 1 }, clock);
    const failed = jobIdOf(await putLead(s, 'lead-1', { status: 'INACTIVE', inactive_reason: 'PRICE' }));
    clock.advance(1_000);
    expect((await statusOf(s, failed)).write_status).toBe('FAILURE');

    const answer = await retryWrite(s, failed);
    expect(answer.status).toBe(200);
    expect(contract.retryWriteOutput(answer.body)).toBe(true);
    const retried = (answer.body as { success: boolean; job_id: string }).job_id;
    expect(answer.body).toEqual({ success: true, job_id: retried });
    expect(retried).not.toBe(failed);

    expect((await statusOf(s, retried)).write_status).toBe('PENDING');
    clock.advance(1_000);
    expect((await statusOf(s, retried)).write_status).toBe('SUCCESS');
    // The original job keeps its FAILURE; the lead was applied twice, the second time by the retry.
    expect((await statusOf(s, failed)).write_status).toBe('FAILURE');
    expect(s.leads.get('lead-1')?.map((u) => [u.jobId, u.retryOf])).toEqual([
      [failed, undefined],
      [retried, failed],
    ]);
    expect(s.leads.get('lead-1')?.[1].body).toEqual({ status: 'INACTIVE', inactive_reason: 'PRICE' });
    expect(s.jobs.get(failed)?.retriedAs).toEqual([retried]);
  });

  it('lets retried jobs fail at their own rate', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 0, leadOutcomes: { 'lead-1': 'FAILURE' }, retrySuccessRate: 0 }, clock);
    const failed = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }));
    const first = (await retryWrite(s, failed)).body as { job_id: string };
    expect((await statusOf(s, first.job_id)).write_status).toBe('FAILURE');
    // A failed retry can itself be retried.
    expect((await retryWrite(s, first.job_id)).status).toBe(200);
  });

  it('refuses with 400 anything but a FAILURE, and 404 for an unknown job', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 1_000, successRate: 1, partialRate: 0, leadOutcomes: { 'lead-p': 'PARTIAL_SUCCESS' } }, clock);
    const ok = jobIdOf(await putLead(s, 'lead-1', { status: 'ACTIVE' }));
    const partial = jobIdOf(await putLead(s, 'lead-p', { status: 'ACTIVE' }));

    const whilePending = await retryWrite(s, ok);
    expect(whilePending.status).toBe(400);
    expect(contract.errorResponse(whilePending.body)).toBe(true);
    expect((whilePending.body as { error: { message: string } }).error.message).toMatch(/only failed writes can be retried.*PENDING/i);

    clock.advance(1_000);
    expect((await retryWrite(s, ok)).status).toBe(400);
    expect((await retryWrite(s, partial)).status).toBe(400);
    expect((await retryWrite(s, 'job_nope')).status).toBe(404);
    expect(s.appliedUpdates()).toHaveLength(2);
    expect(s.counts()['retry-write']).toEqual({ '400': 3, '404': 1 });
  });
});
