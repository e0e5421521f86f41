// One shape for "this wait was cancelled", whoever cancels: callers test `name === 'AbortError'`
// the same way for fetch, timers/promises and our own waits.

export function abortError(message = 'The operation was aborted'): DOMException {
  return new DOMException(message, 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error || error instanceof DOMException
    ? error.name === 'AbortError'
    : false;
}
