import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import type { SimulatorOptions } from '../../../app/simulator/options.ts';
import type { WriteLog, WriteLogsOutput } from '../../../app/simulator/wire.ts';
import { contract, issuesOf, jobIdOf, manualClock, putLead, writeLogs, type ManualClock } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimulatorOptions>, clock: ManualClock): Promise<Simulator> {
  sim = await startSimulator({ rateLimit: 10_000, ...options }, { now: clock.now });
  return sim;
}

async function logs(s: Simulator, query = ''): Promise<WriteLog[]> {
  const answer = await writeLogs(s, query);
  expect(answer.status, answer.text).toBe(200);
  expect(contract.writeLogsOutput(answer.body)).toBe(true);
  return (answer.body as WriteLogsOutput).results.logs;
}

/** Updates leads one by one, a second apart, so each job finishes at its own time. */
async function updateSpaced(s: Simulator, clock: ManualClock, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(jobIdOf(await putLead(s, `lead-${i}`, { status: 'ACTIVE' })));
    clock.advance(1_000);
  }
  return ids;
}

describe('GET /v1/admin/logs/writes/', () => {
  it('lists finished jobs only, most recent first, with the fields of the contract', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 1_500, successRate: 1 }, clock);
    const ids = await updateSpaced(s, clock, 5);
    // Now 5 s after the first update: jobs 0–3 have finished (at 1.5, 2.5, 3.5, 4.5 s), job 4 is pending.
    const listed = await logs(s);
    expect(listed.map((l) => l.job_id)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    const newest = listed[0];
    expect(newest).toMatchObject({
      status: 'SUCCESS',
      error: null,
      integration_id: 'int_sim_0001',
      vendor: 'ENTRATA',
      job_type: 'UPDATE_LEAD',
    });
    expect(Date.parse(newest.created_at)).toBe(clock.now() - 500);
    expect(new Set(listed.map((l) => l.id)).size).toBe(4);
    expect(listed[0].job_log_id).not.toBe(listed[0].job_id);
  });

  it('pages with limit and offset and filters by status', async () => {
    const clock = manualClock();
    const outcomes: Record<string, 'FAILURE'> = { 'lead-1': 'FAILURE', 'lead-4': 'FAILURE', 'lead-7': 'FAILURE' };
    const s = await start({ jobPendingMs: 0, successRate: 1, leadOutcomes: outcomes }, clock);
    const ids = await updateSpaced(s, clock, 10);
    const newestFirst = [...ids].reverse();
    expect((await logs(s, '?limit=3')).map((l) => l.job_id)).toEqual(newestFirst.slice(0, 3));
    expect((await logs(s, '?limit=3&offset=3')).map((l) => l.job_id)).toEqual(newestFirst.slice(3, 6));
    expect(await logs(s, '?offset=10')).toEqual([]);
    const failures = await logs(s, '?status=FAILURE');
    expect(failures.map((l) => l.job_id)).toEqual([ids[7], ids[4], ids[1]]);
    expect((await logs(s, '?status=SUCCESS&limit=100')).length).toBe(7);
    expect((await logs(s, '?status=FAILURE&limit=1&offset=1')).map((l) => l.job_id)).toEqual([ids[4]]);
  });

  it('shows PARTIAL_SUCCESS as SUCCESS with the error text, and FAILURE with its errors or null', async () => {
    const clock = manualClock();
    const s = await start(
      { jobPendingMs: 0, failureWithoutErrorsRate: 0, leadOutcomes: { 'lead-0': 'PARTIAL_SUCCESS', 'lead-1': 'FAILURE' } },
      clock,
    );
    const [partial, failed] = await updateSpaced(s, clock, 2);
    const byJob = new Map((await logs(s)).map((l) => [l.job_id, l]));
    expect(byJob.get(partial)?.status).toBe('SUCCESS');
    expect(byJob.get(partial)?.error).toBe(s.jobStatus(partial)?.errors.join('; '));
    expect(byJob.get(partial)?.error).toMatch(/^Entrata: /);
    expect(byJob.get(failed)?.status).toBe('FAILURE');
    expect(byJob.get(failed)?.error).toMatch(/^Entrata: /);
  });

  it('hides root job ids when logsShowRootJobIds is false (clients must fall back to write status)', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 0, logsShowRootJobIds: false }, clock);
    const ids = await updateSpaced(s, clock, 5);
    const listed = await logs(s);
    expect(listed).toHaveLength(5);
    for (const log of listed) expect(ids).not.toContain(log.job_id);
    expect(new Set(listed.map((l) => l.job_id)).size).toBe(5);
  });

  it('shows only a share of finished jobs with logsCoverage, the same share on every call', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 0, logsCoverage: 0.5, seed: 5 }, clock);
    const ids = await updateSpaced(s, clock, 200);
    const firstPage = await logs(s, '?limit=100');
    const secondPage = await logs(s, '?limit=100&offset=100');
    const shown = [...firstPage, ...secondPage].map((l) => l.job_id);
    expect(shown.length).toBeGreaterThan(70);
    expect(shown.length).toBeLessThan(130);
    for (const id of shown) expect(ids).toContain(id);
    expect((await logs(s, '?limit=100')).map((l) => l.job_id)).toEqual(firstPage.map((l) => l.job_id));
    s.configure({ logsCoverage: 0 });
    expect(await logs(s)).toEqual([]);
  });

  it('filters by time_range, write_category and integration_id', async () => {
    const clock = manualClock();
    const s = await start({ jobPendingMs: 0, integrationId: 'int_42' }, clock);
    const old = jobIdOf(await putLead(s, 'lead-old', { status: 'ACTIVE' }));
    clock.advance(2 * 86_400_000);
    const recent = jobIdOf(await putLead(s, 'lead-new', { status: 'ACTIVE' }));
    clock.advance(2 * 3_600_000);
    expect((await logs(s, '?time_range=hour')).map((l) => l.job_id)).toEqual([]);
    expect((await logs(s, '?time_range=day')).map((l) => l.job_id)).toEqual([recent]);
    expect((await logs(s, '?time_range=week')).map((l) => l.job_id)).toEqual([recent, old]);
    expect((await logs(s, '?write_category=leads')).length).toBe(2);
    expect(await logs(s, '?write_category=units')).toEqual([]);
    expect((await logs(s, '?integration_id=int_42')).length).toBe(2);
    expect(await logs(s, '?integration_id=int_other')).toEqual([]);
  });

  it('answers 400 with zod issues to limits out of 1–100 and unknown enum values', async () => {
    const s = await start({}, manualClock());
    for (const [query, path, code] of [
      ['?limit=0', 'limit', 'too_small'],
      ['?limit=101', 'limit', 'too_big'],
      ['?limit=ten', 'limit', 'invalid_type'],
      ['?offset=-1', 'offset', 'too_small'],
      ['?status=PENDING', 'status', 'invalid_enum_value'],
      ['?time_range=year', 'time_range', 'invalid_enum_value'],
      ['?write_category=cats', 'write_category', 'invalid_enum_value'],
    ] as const) {
      const answer = await writeLogs(s, query);
      expect(answer.status, query).toBe(400);
      expect(contract.errorResponse(answer.body)).toBe(true);
      expect(issuesOf(answer), query).toEqual([expect.objectContaining({ code, path: [path] })]);
    }
    expect((await writeLogs(s, '?limit=1')).status).toBe(200);
    expect((await writeLogs(s, '?limit=100')).status).toBe(200);
  });
});
