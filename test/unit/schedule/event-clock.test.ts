import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { EventClock } from '../../support/event-clock.ts';

const clocks: EventClock[] = [];
afterEach(async () => {
  for (const clock of clocks.splice(0)) await clock.stop();
});

function started(inTransit: () => boolean, stallAfterMs?: number): EventClock {
  const clock = new EventClock({ start: 1_000, inTransit, ...(stallAfterMs === undefined ? {} : { stallAfterMs }) });
  clocks.push(clock);
  clock.start();
  return clock;
}

describe('EventClock', () => {
  it('wakes sleeps by itself, in due order, moving time to each (a minute passes without waiting one)', async () => {
    const clock = started(() => false);
    const woke: Array<[string, number]> = [];
    await Promise.all([
      clock.sleep(60_000).then(() => woke.push(['minute', clock.now()])),
      clock.sleep(5).then(() => woke.push(['5 ms', clock.now()])),
    ]);
    expect(woke).toEqual([
      ['5 ms', 1_005],
      ['minute', 61_000],
    ]);
  });

  it('stands still while something is on its way, and moves on once it has arrived', async () => {
    let onItsWay = true;
    const clock = started(() => onItsWay);
    let woke = false;
    const sleeping = clock.sleep(10).then(() => (woke = true));
    // However long the trip takes in real time, no time passes on the clock meanwhile.
    await delay(30);
    expect({ woke, now: clock.now() }).toEqual({ woke: false, now: 1_000 });
    onItsWay = false;
    await sleeping;
    expect(clock.now()).toBe(1_010);
    expect(clock.stalls).toBe(0);
  });

  it('gives up on a trip that never ends after stallAfterMs of real time, and counts it', async () => {
    const clock = started(() => true, 20);
    await clock.sleep(10);
    expect(clock.now()).toBe(1_010);
    expect(clock.stalls).toBe(1);
  });
});
