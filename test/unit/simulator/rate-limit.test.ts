import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { FixedRateWindow } from '../../../app/simulator/rate-window.ts';
import { contract, errorCodeOf, jobIdOf, manualClock, putLead, writeStatus } from './helpers.ts';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const remainingOf = (headers: Headers): number => Number(headers.get('x-ratelimit-remaining'));

describe('rate limit', () => {
  it('counts every endpoint, polls included, in x-ratelimit-remaining', async () => {
    sim = await startSimulator({ rateLimit: 50, slowdownMs: 0 });
    const first = await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    expect(first.headers.get('x-ratelimit-limit')).toBe('50');
    expect(remainingOf(first.headers)).toBe(49);
    const poll = await writeStatus(sim, jobIdOf(first));
    expect(remainingOf(poll.headers)).toBe(48);
    const invalid = await putLead(sim, 'lead-1', { nope: true });
    expect(invalid.status).toBe(400);
    expect(remainingOf(invalid.headers)).toBe(47);
  });

  it('slows responses from 80% of the budget on, by slowdownMs', async () => {
    sim = await startSimulator({ rateLimit: 10, windowMs: 60_000, slowdownMs: 150 });
    const elapsed: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      expect((await putLead(sim, `lead-${i}`, { status: 'ACTIVE' })).status).toBe(200);
      elapsed.push(performance.now() - started);
    }
    // Requests 1–8 arrive below 80% of the budget; 9 and 10 arrive with 8 and 9 already used.
    expect(sim.record.map((r) => r.delayedMs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 150, 150]);
    expect(elapsed[8]).toBeGreaterThanOrEqual(140);
    expect(elapsed[9]).toBeGreaterThanOrEqual(140);
  });

  it('answers 429 with Retry-After at 100% of the budget, applies nothing, and restores the budget when the window resets', async () => {
    const clock = manualClock();
    sim = await startSimulator({ rateLimit: 5, windowMs: 1_500, slowdownMs: 0 }, { now: clock.now });
    for (let i = 0; i < 5; i++) expect((await putLead(sim, `lead-${i}`, { status: 'ACTIVE' })).status).toBe(200);
    clock.advance(200);
    const limited = await putLead(sim, 'lead-late', { status: 'ACTIVE' });
    expect(limited.status).toBe(429);
    expect(errorCodeOf(limited)).toBe('rate_limited');
    expect(contract.errorResponse(limited.body)).toBe(true);
    expect(limited.headers.get('retry-after')).toBe('2'); // 1.3 s left, rounded up
    expect(remainingOf(limited.headers)).toBe(0);
    expect(sim.leads.has('lead-late')).toBe(false);
    expect((await writeStatus(sim, 'job_x')).status).toBe(429);

    clock.advance(1_300);
    const after = await putLead(sim, 'lead-late', { status: 'ACTIVE' });
    expect(after.status).toBe(200);
    expect(remainingOf(after.headers)).toBe(4);
    expect(sim.leads.get('lead-late')).toHaveLength(1);
    expect(sim.counts()['update-lead']).toEqual({ '200': 6, '429': 1 });
  });

  it('resets on the real clock too, once Retry-After has passed', async () => {
    // A window long enough that three requests in a row land in it however busy the machine.
    sim = await startSimulator({ rateLimit: 2, windowMs: 2_000, slowdownMs: 0 });
    await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    const limited = await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect([1, 2]).toContain(retryAfter);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1_000));
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(200);
  });

  it('leaves Retry-After out when sendRetryAfter is false', async () => {
    sim = await startSimulator({ rateLimit: 1, sendRetryAfter: false });
    await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    const limited = await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('applies a lower limit set mid-run to the current window', async () => {
    sim = await startSimulator({ rateLimit: 100, slowdownMs: 0 });
    for (let i = 0; i < 3; i++) await putLead(sim, 'lead-1', { status: 'ACTIVE' });
    sim.configure({ rateLimit: 3 });
    expect((await putLead(sim, 'lead-1', { status: 'ACTIVE' })).status).toBe(429);
  });
});

describe('FixedRateWindow', () => {
  it('opens a window at the first request, slows from the threshold, refuses at the limit, and reopens', () => {
    const clock = manualClock(0);
    const window = new FixedRateWindow(clock.now);
    const budget = { limit: 150, windowMs: 60_000, slowdownFrom: 0.8 };
    clock.advance(10_000);
    const verdicts = Array.from({ length: 151 }, () => window.take(budget));
    expect(verdicts.findIndex((v) => v.slow)).toBe(120); // the 121st request
    expect(verdicts[149]).toMatchObject({ allowed: true, remaining: 0 });
    expect(verdicts[150]).toMatchObject({ allowed: false, remaining: 0, resetInMs: 60_000 });
    clock.advance(59_999);
    expect(window.take(budget).allowed).toBe(false);
    expect(window.peek(budget)).toEqual({ remaining: 0, resetInMs: 1 });
    clock.advance(1);
    expect(window.take(budget)).toMatchObject({ allowed: true, remaining: 149, slow: false, resetInMs: 60_000 });
  });

  it('keeps a fixed period: after a quiet spell the window resets on the period, not at the next request', () => {
    const clock = manualClock(0);
    const window = new FixedRateWindow(clock.now);
    const budget = { limit: 10, windowMs: 1_000, slowdownFrom: 0.8 };
    window.take(budget); // opens the first window at 0
    clock.advance(2_500); // windows [1000, 2000) passed unused; now in [2000, 3000)
    expect(window.peek(budget)).toEqual({ remaining: 10, resetInMs: 500 });
    expect(window.take(budget)).toMatchObject({ allowed: true, remaining: 9, resetInMs: 500 });
  });
});
