// Reading current values against the practice simulator over 127.0.0.1, through a real send
// queue and rate budget: one GET per distinct lead, none for listed leads, 5xx retried, a
// missing lead and refused credentials reported; the cost said beforehand.
import { afterEach, describe, expect, it } from 'vitest';
import { createPropexoReadClient } from '../../../app/propexo/reads.ts';
import type { Lead } from '../../../app/propexo/read-codecs.ts';
import { describeReadCost, leadsOrReasons, readCost, readCurrentValues } from '../../../app/preview/current-values.ts';
import { createRateBudget, type RateBudget } from '../../../app/schedule/rate-budget.ts';
import { createSendQueue } from '../../../app/schedule/send-queue.ts';
import { systemClock } from '../../../app/schedule/clock.ts';
import { countingFetch } from '../../support/counting-fetch.ts';
import { startPractice, token, type Practice } from './practice.ts';

let practice: Practice | undefined;
let budget: RateBudget | undefined;
afterEach(async () => {
  budget?.close();
  budget = undefined;
  await practice?.close();
  practice = undefined;
});

function wiring(p: Practice, options: { token?: string } = {}) {
  const counting = countingFetch();
  budget = createRateBudget({ clock: systemClock, limit: 10_000 });
  const rate = budget;
  const reads = createPropexoReadClient({
    baseUrl: p.sim.url,
    token: options.token ?? token,
    fetch: counting.fetch,
    onResponse: (info) => rate.observe(info),
  });
  const queue = createSendQueue({ budget: rate, clock: systemClock, concurrency: 4 });
  return { counting, reads, queue };
}

describe('readCost', () => {
  it('counts one request per distinct lead not listed, and the least time at the budget', () => {
    const ids = Array.from({ length: 240 }, (_, i) => `lead_${i % 200}`); // 200 distinct leads
    const listed = new Map(Array.from({ length: 50 }, (_, i) => [`lead_${i}`, {} as Lead]));
    const cost = readCost(ids, listed, 150, 60_000);
    expect(cost).toEqual({ leads: 200, fromList: 50, requests: 150, leastMs: 0 });
    expect(readCost(ids, undefined, 150, 60_000)).toEqual({ leads: 200, fromList: 0, requests: 200, leastMs: 60_000 });
    expect(
      readCost(
        Array.from({ length: 1_000 }, (_, i) => `l${i}`),
        undefined,
        150,
        60_000,
      ).leastMs,
    ).toBe(6 * 60_000);
    expect(describeReadCost(readCost(ids, undefined, 150, 60_000), 150, 60_000)).toBe(
      'Reading current values of 200 leads: 200 requests, at least 1 min at 150 requests a minute',
    );
    expect(describeReadCost(cost, 150, 60_000)).toBe(
      'Reading current values of 200 leads: 150 requests (50 from the listed scope at no cost), within the budget of 150 requests a minute',
    );
    expect(describeReadCost(readCost(ids, undefined, 120, 1_000), 120, 1_000)).toBe(
      'Reading current values of 200 leads: 200 requests, at least 1 s at 120 requests a second',
    );
  });
});

describe('readCurrentValues against the simulator', () => {
  it('reads each distinct lead once by GET, and takes listed leads from the list at no cost', async () => {
    practice = await startPractice();
    const p = practice;
    const { counting, reads, queue } = wiring(p);
    const ids = Array.from({ length: 12 }, (_, i) => p.sim.world.leadIdAt(i));
    const listedLead = await p.read(ids[0]);
    const listed = new Map([[ids[0], listedLead]]);
    const progress: number[] = [];
    const readings = await readCurrentValues([...ids, ...ids.slice(0, 5)], {
      reads,
      queue,
      clock: systemClock,
      listed,
      onProgress: (done) => progress.push(done),
    });
    expect(counting.sent('GET')).toBe(11);
    expect(readings.size).toBe(12);
    expect(readings.get(ids[0])).toEqual({ ok: true, lead: listedLead, source: 'list' });
    for (const id of ids.slice(1)) {
      const reading = readings.get(id);
      expect(reading?.ok && reading.source === 'get' && reading.lead.id === id, id).toBe(true);
    }
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('retries reads the server failed (5xx), and reports a lead that does not exist', async () => {
    practice = await startPractice({ readServerErrorRate: 0.5, missingLeadIds: ['lead_missing_1'] });
    const p = practice;
    const { counting, reads, queue } = wiring(p);
    const ids = Array.from({ length: 8 }, (_, i) => p.sim.world.leadIdAt(i));
    const readings = await readCurrentValues([...ids, 'lead_missing_1'], {
      reads,
      queue,
      clock: systemClock,
      backoff: { baseMs: 1, capMs: 5, maxRetries: 30 },
    });
    for (const id of ids) expect(readings.get(id)?.ok, id).toBe(true);
    expect(counting.sent('GET')).toBeGreaterThan(9);
    const leads = leadsOrReasons(readings);
    expect(leads.get('lead_missing_1')).toEqual({ unreadable: expect.stringContaining('lead_missing_1') });
    expect(leads.get(ids[0])).toMatchObject({ id: ids[0] });
    const missing = readings.get('lead_missing_1');
    expect(missing?.ok).toBe(false);
    if (missing && !missing.ok) {
      expect(missing.error.kind).toBe('rejected');
      expect(missing.message).toContain('lead_missing_1');
    }
  });

  it('stops reading when the credentials are refused', async () => {
    practice = await startPractice();
    const p = practice;
    const { counting, reads, queue } = wiring(p, { token: 'pxo_wrong_key_abcdefghijklmnopq' });
    const ids = Array.from({ length: 20 }, (_, i) => p.sim.world.leadIdAt(i));
    const readings = await readCurrentValues(ids, { reads, queue, clock: systemClock });
    expect([...readings.values()].every((r) => !r.ok && r.error.kind === 'auth')).toBe(true);
    expect(counting.sent('GET')).toBeLessThan(20); // the reads still queued when the first 401 came back are not sent
  });
});
