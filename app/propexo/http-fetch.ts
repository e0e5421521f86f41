// The Propexo client's default transport: one request over node:http(s) with keep-alive
// sockets, answering what the client reads of a fetch answer (status, headers, text).
//
// Not globalThis.fetch (undici's WHATWG fetch): per request it builds a Request, clones it (and
// tees its body) for any redirect mode but 'error' (the client needs 'manual' to see a 3xx
// and its location), and reads the answer through web streams. Sampled at 1,000,000 rows
// (bench:desktop, BENCH_ALLOC=promoted), those objects were ~70% of the garbage that outlived the
// young generation during a run: the old generation then grew by ~250 MB between major GCs,
// most of the run's peak RSS. Node's own client allocates a fraction of that.
//
// Node's own conveniences cost garbage too, and every request of a run outlives the young
// generation while its job is followed: the `signal` option ties each request to its signal
// through stream end-of-stream watchers, and stream/consumers' text() reads through an async
// iterator. Sampled the same way, they were ~300 of ~1,600 MB promoted over 50,000 rows; here a
// plain abort listener and the body's own 'data'/'end' events do the same.
//
// Like the client's fetch call: redirects are never followed (node:http does not follow them),
// aborting `signal` destroys the request (before or during the answer), a connection that breaks
// while the answer arrives rejects `text()`.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface FetchInit {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
  /** Always 'manual': a redirect is an answer of its own, never followed. */
  readonly redirect: 'manual';
}

/** What the client reads of an answer: globalThis.fetch's Response is one too. */
export interface FetchAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A fetch as the client calls it: globalThis.fetch, a test's, or `httpFetch`. */
export type PropexoFetch = (url: string, init: FetchInit) => Promise<FetchAnswer>;

// Idle sockets are closed after 4 s (undici's default keep-alive timeout), before the usual
// server-side 5 s: a request is never written to a socket the server is closing.
const IDLE_SOCKET_MS = 4_000;
const agents = {
  http: new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  https: new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

function headerOf(response: IncomingMessage, name: string): string | null {
  const value = response.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** What Node's `signal` option destroys a request with: an AbortError whose cause is the signal's reason. */
function abortedBy(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted', { cause: signal.reason }), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** A body cut off before its end, as stream/consumers reported it. */
function cutOff(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

const utf8 = new TextDecoder();

/** The answer's body as text (UTF-8, a leading BOM dropped, as fetch's text() reads it). */
function readBody(response: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => {
      ended = true;
      resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    });
    response.once('error', reject);
    response.once('close', () => {
      if (!ended) reject(cutOff());
    });
  });
}

export const httpFetch: PropexoFetch = (url, init) =>
  new Promise<FetchAnswer>((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new TypeError(`Only http and https addresses can be fetched (got ${target.protocol})`);
    }
    const { signal } = init;
    if (signal.aborted) {
      reject(abortedBy(signal));
      return;
    }
    const secure = target.protocol === 'https:';
    const request = (secure ? httpsRequest : httpRequest)(target, {
      method: init.method,
      headers: init.headers,
      agent: secure ? agents.https : agents.http,
    });
    // Aborting destroys the request, before the answer or while its body arrives; the listener
    // goes once the request is over either way.
    const onAbort = (): void => {
      request.destroy(abortedBy(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const over = (): void => signal.removeEventListener('abort', onAbort);
    // Before the answer: the request failed. After it: text() sees the break.
    request.on('error', (error) => {
      over();
      reject(error);
    });
    request.once('response', (response) => {
      // Read at once, so a break has a listener from the start; handled here, it still rejects
      // for the caller awaiting text().
      const body = readBody(response);
      body.then(over, over);
      resolve({ status: response.statusCode ?? 0, headers: { get: (name) => headerOf(response, name) }, text: () => body });
    });
    request.end(init.body);
  });
