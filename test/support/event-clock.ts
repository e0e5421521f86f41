// Virtual time for a real client and the simulator talking over 127.0.0.1, both on this clock.
// Time moves only by waking the next sleeper (like ManualClock), and only while nothing is on
// its way between them: a request granted at time T reaches the server's rate window at T, and
// an answer sent at T is seen by the client at T, however long the trip takes in real time.
// So rate windows scaled down to a second keep the meaning they have over a minute, and a busy
// machine can make a test slower but cannot change what it asserts.
import { setTimeout as delay } from 'node:timers/promises';
import { ManualClock, settle } from './manual-clock.ts';

export interface EventClockOptions {
  /** Virtual epoch ms to start from. Default: now. */
  readonly start?: number;
  /** True while something is on its way (time must stand still). */
  readonly inTransit: () => boolean;
  /**
   * Real time after which a transit that never ends is given up on: the clock moves on and
   * counts a stall (a test asserts there were none). Default 10 s.
   */
  readonly stallAfterMs?: number;
}

export class EventClock extends ManualClock {
  readonly #inTransit: () => boolean;
  readonly #stallAfterMs: number;
  #stopped = false;
  #driver: Promise<void> | undefined;
  #stalls = 0;

  constructor(options: EventClockOptions) {
    super(options.start ?? Date.now());
    this.#inTransit = options.inTransit;
    this.#stallAfterMs = options.stallAfterMs ?? 10_000;
  }

  /** Times the clock moved on although something was still on its way. */
  get stalls(): number {
    return this.#stalls;
  }

  /** Starts moving time: from now on, sleeps wake by themselves. */
  start(): void {
    this.#driver ??= this.#drive();
  }

  /** Stops moving time (pending sleeps stay asleep). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#driver;
  }

  async #drive(): Promise<void> {
    let blockedSince: number | undefined;
    while (!this.#stopped) {
      // Let the promise chains the last wake-up started run first (a grant registers its
      // request before inTransit is asked); I/O is waited for in real time.
      await settle();
      if (this.nextDue() === undefined) {
        blockedSince = undefined;
        await delay(1);
        continue;
      }
      if (this.#inTransit()) {
        blockedSince ??= Date.now();
        if (Date.now() - blockedSince < this.#stallAfterMs) {
          await delay(1);
          continue;
        }
        this.#stalls++;
      }
      blockedSince = undefined;
      // Right after the check, with nothing in between: time moves while nothing is on its way.
      this.wakeNext();
    }
  }
}
