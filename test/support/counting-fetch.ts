// A fetch that knows which of its requests are still on their way (sent, no answer headers yet),
// so a test can wait for "nothing in flight" instead of guessing how long a trip takes on a
// busy machine.
export interface CountingFetch {
  readonly fetch: typeof globalThis.fetch;
  /** Requests sent whose answer (or failure) has not arrived. */
  open(): number;
  /** Requests sent with this method (e.g. 'PUT': lead updates). */
  sent(method: string): number;
}

export function countingFetch(base: typeof globalThis.fetch = globalThis.fetch): CountingFetch {
  let open = 0;
  const sent = new Map<string, number>();
  return {
    fetch: (input, init) => {
      const method = (init?.method ?? 'GET').toUpperCase();
      sent.set(method, (sent.get(method) ?? 0) + 1);
      open++;
      const answered = base(input, init);
      const settled = (): void => void open--;
      answered.then(settled, settled);
      return answered;
    },
    open: () => open,
    sent: (method) => sent.get(method.toUpperCase()) ?? 0,
  };
}
