import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/manual-clock.ts';
import { createRateBudget } from '../../../app/schedule/rate-budget.ts';
import { createSendQueue } from '../../../app/schedule/send-queue.ts';
import type { RequestClass } from '../../../app/schedule/fair-share.ts';
import { isAbortError } from '../../../app/schedule/abort.ts';

function setup(options: { concurrency?: number; limit?: number; windowMs?: number } = {}) {
  const clock = new ManualClock(0);
  const budget = createRateBudget({ clock, limit: options.limit ?? 1_000, windowMs: options.windowMs ?? 60_000, safetyMarginMs: 0 });
  const queue = createSendQueue({ budget, clock, concurrency: options.concurrency });
  let running = 0;
  let peak = 0;
  const started: string[] = [];
  /** A task that takes `ms` on the manual clock and records its start. */
  const task =
    (name: string, ms = 100) =>
    async () => {
      started.push(name);
      running++;
      peak = Math.max(peak, running);
      await clock.sleep(ms);
      running--;
      return name;
    };
  return { clock, budget, queue, task, started, peak: () => peak };
}

describe('send queue', () => {
  it('puts one abort listener on a signal however many requests wait on it, and still cancels each', async () => {
    // Node's EventTarget walks its listener list on every add and remove: a run's 2,000 waiting
    // rows, a listener each on the run's one signal, cost thousands of steps per request.
    const { clock, queue, task } = setup({ concurrency: 2, limit: 1, windowMs: 1_000 });
    const controller = new AbortController();
    const results = Array.from({ length: 500 }, (_, i) => queue.run('update', task(`t${i}`, 10), controller.signal));
    await clock.advance(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const settling = Promise.allSettled(results);
    controller.abort();
    await clock.runAll();
    const settled = await settling;
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 't0' });
    const cancelled = settled.slice(1).filter((r) => r.status === 'rejected' && isAbortError(r.reason));
    expect(cancelled.length).toBeGreaterThanOrEqual(498);
  });

  it('runs every task, returns each result, and never has more than `concurrency` running', async () => {
    const { clock, queue, task, peak } = setup({ concurrency: 3 });
    const results = Array.from({ length: 10 }, (_, i) => queue.run('update', task(`t${i}`)));
    await clock.runAll();
    expect(await Promise.all(results)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
    expect(peak()).toBe(3);
    expect(clock.now()).toBe(400); // 10 tasks of 100 ms, 3 at a time
  });

  it('defaults to 4 slots and changes them live within 1–32', async () => {
    const { clock, queue, task, peak } = setup();
    expect(queue.concurrency).toBe(4);
    const first = Array.from({ length: 8 }, (_, i) => queue.run('update', task(`a${i}`)));
    await clock.advance(0);
    expect(queue.stats()).toEqual({ active: 4, queued: { update: 4, check: 0 } });
    queue.setConcurrency(8);
    await clock.runAll();
    await Promise.all(first);
    expect(peak()).toBe(8);
    for (const bad of [0, 33, 2.5, Number.NaN]) expect(() => queue.setConcurrency(bad)).toThrow(RangeError);
    expect(() => createSendQueue({ budget: createRateBudget({ clock }), clock, concurrency: 40 })).toThrow(/1 to 32/);
  });

  it('waits for the rate budget after taking a slot', async () => {
    const { clock, queue, task, started } = setup({ concurrency: 4, limit: 2, windowMs: 1_000 });
    const results = Array.from({ length: 5 }, (_, i) => queue.run('update', task(`t${i}`, 10)));
    await clock.advance(500);
    expect(started).toEqual(['t0', 't1']);
    await clock.advanceTo(1_000);
    expect(started).toEqual(['t0', 't1', 't2', 't3']);
    await clock.runAll();
    await Promise.all(results);
    expect(started).toHaveLength(5);
  });

  it('picks the task for a freed slot fairly: a check queued behind many updates waits at most 4 of them', async () => {
    const { clock, queue, task, started } = setup({ concurrency: 1 });
    const all: Array<Promise<string>> = [];
    for (let i = 0; i < 30; i++) all.push(queue.run('update', task(`u${i}`)));
    await clock.advance(50); // u0 is running
    all.push(queue.run('check', task('c0')));
    await clock.runAll();
    await Promise.all(all);
    const checkAt = started.indexOf('c0');
    expect(checkAt).toBeGreaterThan(0);
    expect(checkAt - 1).toBeLessThanOrEqual(4); // u0 was already running; then ≤ 4 updates
  });

  it('does not let checks starve updates either', async () => {
    const { clock, queue, task, started } = setup({ concurrency: 1 });
    const all: Array<Promise<string>> = [];
    for (let i = 0; i < 10; i++) all.push(queue.run('check', task(`c${i}`)));
    for (let i = 0; i < 10; i++) all.push(queue.run('update', task(`u${i}`)));
    await clock.runAll();
    await Promise.all(all);
    const firstUpdate = started.findIndex((name) => name.startsWith('u'));
    expect(firstUpdate).toBeLessThanOrEqual(1);
    const kinds = started.map((name) => name[0]).join('');
    expect(kinds).not.toMatch(/cc.*u/); // never two checks in a row while updates wait
  });

  it('rejects a task aborted while queued with an AbortError, never runs it and spends no budget', async () => {
    const { clock, budget, queue, task, started } = setup({ concurrency: 1 });
    const first = queue.run('update', task('first'));
    const controller = new AbortController();
    const second = queue.run('update', task('second'), controller.signal);
    const third = queue.run('check', task('third'));
    controller.abort();
    await expect(second).rejects.toSatisfy(isAbortError);
    await clock.runAll();
    expect(await Promise.all([first, third])).toEqual(['first', 'third']);
    expect(started).toEqual(['first', 'third']);
    expect(budget.stats().granted).toEqual({ update: 1, check: 1 });
    await expect(queue.run('update', task('late'), controller.signal)).rejects.toSatisfy(isAbortError);
  });

  it('rejects a task aborted while it waits for budget, and frees its slot', async () => {
    const { clock, budget, queue, task, started } = setup({ concurrency: 1, limit: 1, windowMs: 1_000 });
    await clock.advance(0);
    const first = queue.run('update', task('first', 10));
    await clock.advance(20);
    const controller = new AbortController();
    const second = queue.run('update', task('second'), controller.signal); // holds the slot, waits for budget
    await clock.advance(100);
    controller.abort();
    await expect(second).rejects.toSatisfy(isAbortError);
    const third = queue.run('check', task('third', 10));
    await clock.runAll();
    expect(await Promise.all([first, third])).toEqual(['first', 'third']);
    expect(started).toEqual(['first', 'third']);
    expect(budget.stats().granted).toEqual({ update: 1, check: 1 });
  });

  it('passes a task failure through and releases its permit', async () => {
    const { clock, budget, queue } = setup({ concurrency: 2 });
    const failing = queue.run('update', async () => {
      await clock.sleep(10);
      throw new Error('boom');
    });
    const check = expect(failing).rejects.toThrow('boom');
    await clock.runAll();
    await check;
    expect(budget.stats().inFlight).toBe(0);
    expect(queue.stats().active).toBe(0);
  });

  it('clear() rejects everything not started and leaves running tasks alone', async () => {
    const { clock, queue, task } = setup({ concurrency: 1 });
    const running = queue.run('update', task('running'));
    const kinds: RequestClass[] = ['update', 'check', 'update'];
    const queued = kinds.map((kind, i) => queue.run(kind, task(`q${i}`)));
    await clock.advance(0);
    queue.clear();
    for (const q of queued) await expect(q).rejects.toSatisfy(isAbortError);
    await clock.runAll();
    expect(await running).toBe('running');
    expect(queue.stats()).toEqual({ active: 0, queued: { update: 0, check: 0 } });
  });
});
