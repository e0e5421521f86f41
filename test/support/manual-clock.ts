// A clock that only moves when the test says so. Sleeps resolve in due-time order (ties in the
// order they were started), and pending promise chains settle between two timers, so code
// that reacts to one wake-up (and schedules the next) behaves as it would in real time.
import type { Clock } from '../../app/schedule/clock.ts';
import { abortError } from '../../app/schedule/abort.ts';

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly cleanup: () => void;
}

/** Lets every promise chain that is not waiting on a timer or I/O run to completion. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #sleepers: Sleeper[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        reject(abortError());
      };
      const sleeper: Sleeper = {
        due: this.#now + ms,
        seq: this.#seq++,
        resolve,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** Sleeps not yet resolved. */
  get pendingSleeps(): number {
    return this.#sleepers.length;
  }

  /** When the next sleep is due, if any. */
  nextDue(): number | undefined {
    return this.#next()?.due;
  }

  /** Moves time forward by `ms`, waking every sleep that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  async advanceTo(time: number): Promise<void> {
    await settle();
    for (let next = this.#next(); next !== undefined && next.due <= time; next = this.#next()) {
      this.#wake(next);
      await settle();
    }
    this.#now = Math.max(this.#now, time);
    await settle();
  }

  /** Wakes sleeps in order until none is left (including those started meanwhile). */
  async runAll(maxWakeUps = 100_000): Promise<void> {
    await settle();
    for (let count = 0; ; count++) {
      const next = this.#next();
      if (next === undefined) return;
      if (count >= maxWakeUps) throw new Error(`ManualClock.runAll: still sleeping after ${maxWakeUps} wake-ups`);
      this.#wake(next);
      await settle();
    }
  }

  /** Wakes the earliest sleep now, without letting anything else run first; false if none. */
  wakeNext(): boolean {
    const next = this.#next();
    if (next === undefined) return false;
    this.#wake(next);
    return true;
  }

  #next(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.#sleepers) {
      if (best === undefined || s.due < best.due || (s.due === best.due && s.seq < best.seq)) best = s;
    }
    return best;
  }

  #wake(sleeper: Sleeper): void {
    this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
    this.#now = Math.max(this.#now, sleeper.due);
    sleeper.cleanup();
    sleeper.resolve();
  }
}
