// Row changes of a live run, gathered and handed on at most once per `wait` (Signal Desktop's
// `batcher`: `wait`, `flushAndWait`). A run can change thousands of rows a second; the UI needs
// each changed row once per batch, with its latest state, and no more than ~10 messages a second.
//
// Unlike Signal's batcher there is no `maxSize` flush: flushing early on size would break the
// message-rate promise of the contract ('run:update'). A big batch is still one message.

export interface Batcher<K, V> {
  /** Notes a change; a later change of the same key in the same batch replaces it. */
  add(key: K, value: V): void;
  /** Asks for a flush even without changes (the run paused, resumed or ended). */
  touch(): void;
  /** Flushes what is pending now and resolves when it has been processed. */
  flushAndWait(): Promise<void>;
  /** Drops what is pending and stops the timer; later adds are ignored. */
  close(): void;
}

export interface BatcherOptions<V> {
  /** The shortest time between two flushes started by the timer, in ms. */
  readonly wait: number;
  /** Receives each batch, in the order of first change within the batch. Must not throw. */
  readonly process: (items: readonly V[]) => void | Promise<void>;
}

export function createBatcher<K, V>(options: BatcherOptions<V>): Batcher<K, V> {
  let pending = new Map<K, V>();
  let touched = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let processing: Promise<void> = Promise.resolve();
  let closed = false;

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.size === 0 && !touched) return processing;
    const items = [...pending.values()];
    pending = new Map();
    touched = false;
    // One batch at a time, in order, whatever `process` does.
    processing = processing.then(() => options.process(items)).catch(() => undefined);
    return processing;
  };

  const schedule = (): void => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, options.wait);
  };

  return {
    add(key, value) {
      if (closed) return;
      pending.set(key, value);
      schedule();
    },
    touch() {
      if (closed) return;
      touched = true;
      schedule();
    },
    flushAndWait: () => (closed ? processing : flush()),
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      pending = new Map();
      touched = false;
    },
  };
}
