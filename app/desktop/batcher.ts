// Row changes of a live run, gathered and handed on at most once per `wait` (Signal Desktop's
// `batcher`: `wait`, `maxSize`, `flushAndWait`). A run can change thousands of rows a second;
// the UI needs each changed row once per batch, with its latest state, and no more than ~10
// messages a second.
//
// Signal's `maxSize` flushes early when a batch is full; that would break the message-rate
// promise of the contract ('run:update'). Here a full batch goes out on time and what did not
// fit waits for the next one (the oldest changes first). What cannot go out within about a
// second (more than `maxPending`, e.g. a resume that touches every row of a big file) is not
// kept row by row: it is dropped and the next batch says so (`overflowed`), so the UI reads the
// rows it shows again. Each message stays bounded (`maxSize` by `weigh`), however many rows changed.

export interface Batcher<K, V> {
  /** Notes a change; a later change of the same key in the same batch replaces it. */
  add(key: K, value: V): void;
  /** Asks for a flush even without changes (the run paused, resumed or ended). */
  touch(): void;
  /**
   * Flushes everything pending (in batches of at most `maxSize`) and resolves when processed:
   * the first batch as soon as `wait` has passed since the last one, the others one per `wait`
   * (the end of a run keeps the message rate too).
   */
  flushAndWait(): Promise<void>;
  /** Drops what is pending and stops the timer; later adds are ignored. */
  close(): void;
}

export interface BatcherOptions<V> {
  /** The shortest time between two flushes started by the timer, in ms. */
  readonly wait: number;
  /**
   * Receives each batch, in the order of first change. `overflowed`: changes were dropped since
   * the last batch (more than `maxPending` waited), so the receiver must read them another way.
   * Must not throw.
   */
  readonly process: (items: readonly V[], overflowed: boolean) => void | Promise<void>;
  /** The most a batch holds, by `weigh` (a single heavier item still goes, alone). Default: no bound. */
  readonly maxSize?: number;
  /** What an item counts towards `maxSize` (e.g. its size in bytes as sent). Default 1. */
  readonly weigh?: (value: V) => number;
  /** The most items kept waiting; beyond, pending items are dropped and the next batch is `overflowed`. Default: no bound. */
  readonly maxPending?: number;
}

export function createBatcher<K, V>(options: BatcherOptions<V>): Batcher<K, V> {
  const maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
  const maxPending = options.maxPending ?? Number.POSITIVE_INFINITY;
  const weigh = options.weigh ?? ((): number => 1);
  let pending = new Map<K, V>();
  let touched = false;
  let overflowed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let processing: Promise<void> = Promise.resolve();
  let closed = false;
  /** When the last batch was handed on (Date.now()): no two batches closer than `wait`. */
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  /** flushAndWait is handing on what is pending: the timer stays off meanwhile. */
  let draining = false;

  /** The oldest pending items up to `maxSize`, taken out of `pending`. */
  const take = (): V[] => {
    if (maxSize === Number.POSITIVE_INFINITY) {
      const all = [...pending.values()];
      pending = new Map();
      return all;
    }
    const items: V[] = [];
    let size = 0;
    for (const [key, value] of pending) {
      const weight = weigh(value);
      if (items.length > 0 && size + weight > maxSize) break;
      items.push(value);
      size += weight;
      pending.delete(key);
    }
    return items;
  };

  /** Hands on one batch; the rest, if any, waits for the timer. */
  const flushOne = (): Promise<void> => {
    if (pending.size === 0 && !touched && !overflowed) return processing;
    const items = take();
    lastFlushAt = Date.now();
    const dropped = overflowed;
    touched = false;
    overflowed = false;
    // One batch at a time, in order, whatever `process` does.
    processing = processing.then(() => options.process(items, dropped)).catch(() => undefined);
    return processing;
  };

  const schedule = (): void => {
    if (timer !== undefined || closed || draining) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flushOne();
      if (pending.size > 0) schedule();
    }, options.wait);
  };

  const flushAll = async (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.size === 0 && !touched && !overflowed) return processing;
    draining = true;
    try {
      do {
        const early = lastFlushAt + options.wait - Date.now();
        if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
        if (closed) break;
        void flushOne();
      } while (pending.size > 0);
    } finally {
      draining = false;
    }
    return processing;
  };

  return {
    add(key, value) {
      if (closed) return;
      pending.set(key, value);
      if (pending.size > maxPending) {
        pending = new Map();
        overflowed = true;
      }
      schedule();
    },
    touch() {
      if (closed) return;
      touched = true;
      schedule();
    },
    flushAndWait: () => (closed ? processing : flushAll()),
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = new Map();
      touched = false;
      overflowed = false;
    },
  };
}
