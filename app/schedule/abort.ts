// One shape for "this wait was cancelled", whoever cancels: callers test `name === 'AbortError'`
// the same way for fetch, timers/promises and our own waits.

export function abortError(message = 'The operation was aborted'): DOMException {
  return new DOMException(message, 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error || error instanceof DOMException ? error.name === 'AbortError' : false;
}

const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `onAbort` once when `signal` aborts; the returned function stops watching (safe to call
 * twice). One listener per signal, however many wait on it: Node's EventTarget walks its whole
 * listener list on every add and remove, so the run's ~2,000 waiting rows, each with a listener
 * of its own on the run's one signal, made each request cost thousands of steps on the event loop.
 */
export function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let waiting = watchers.get(signal);
  if (waiting === undefined) {
    const fresh = new Set<() => void>();
    waiting = fresh;
    watchers.set(signal, fresh);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const callback of [...fresh]) callback();
      },
      { once: true },
    );
  }
  const callback = (): void => onAbort();
  waiting.add(callback);
  const set = waiting;
  return () => {
    set.delete(callback);
  };
}
