import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/manual-clock.ts';
import { systemClock } from '../../../app/schedule/clock.ts';
import { isAbortError } from '../../../app/schedule/abort.ts';

describe('ManualClock', () => {
  it('wakes sleeps in due order (ties in start order) and moves time to each', async () => {
    const clock = new ManualClock(1_000);
    const woke: Array<[string, number]> = [];
    const track = (name: string, ms: number) => clock.sleep(ms).then(() => woke.push([name, clock.now()]));
    void track('c', 300);
    void track('a', 100);
    void track('b', 100);
    await clock.advance(250);
    expect(woke).toEqual([
      ['a', 1_100],
      ['b', 1_100],
    ]);
    expect(clock.now()).toBe(1_250);
    await clock.advance(50);
    expect(woke).toEqual([
      ['a', 1_100],
      ['b', 1_100],
      ['c', 1_300],
    ]);
  });

  it('lets code woken by one sleep start another that is due within the same advance', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    void (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        times.push(clock.now());
      }
    })();
    await clock.advance(100);
    expect(times).toEqual([10, 20, 30]);
  });

  it('rejects an aborted sleep with an AbortError and forgets it', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    expect(clock.pendingSleeps).toBe(1);
    controller.abort();
    await expect(sleeping).rejects.toSatisfy(isAbortError);
    expect(clock.pendingSleeps).toBe(0);
    await expect(clock.sleep(5, controller.signal)).rejects.toSatisfy(isAbortError);
  });

  it('runAll wakes everything, including sleeps started meanwhile', async () => {
    const clock = new ManualClock();
    let done = false;
    void clock
      .sleep(60_000)
      .then(() => clock.sleep(60_000))
      .then(() => {
        done = true;
      });
    await clock.runAll();
    expect(done).toBe(true);
    expect(clock.now()).toBe(120_000);
  });

  it('resolves sleeps of 0 ms at once', async () => {
    const clock = new ManualClock(5);
    await clock.sleep(0);
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe('systemClock', () => {
  it('reports epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('rejects a sleep with an AbortError when its signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toSatisfy(isAbortError);
    await expect(systemClock.sleep(10, controller.signal)).rejects.toSatisfy(isAbortError);
  });
});
