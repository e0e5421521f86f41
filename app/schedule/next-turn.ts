// Long synchronous work (appending a file's rows to the review table) cut into slices: awaiting
// a promise does not let the event loop turn (its microtasks run first, however many), a
// setImmediate does, so answers, timers and I/O waiting behind the work get their turn.

/** Resolves on the event loop's next turn, after the I/O and timers waiting now. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
