// The client's default transport on its own (client.test.ts covers it through the client:
// refused connections, hang-ups, cut-off answers, timeouts, redirects, cancellation).
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { httpFetch, type FetchInit } from '../../../app/propexo/http-fetch.ts';
import { serversPerTest } from './http-test-server.ts';

const serve = serversPerTest();

const init = (overrides: Partial<FetchInit> = {}): FetchInit => ({
  method: 'GET',
  headers: {},
  body: undefined,
  signal: new AbortController().signal,
  redirect: 'manual',
  ...overrides,
});

describe('httpFetch', () => {
  it('sends the method, headers and body, and answers the status, headers (any case, repeated ones joined) and text', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('x-ratelimit-remaining', '7');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"job_id":"J1"}');
    });
    const answer = await httpFetch(
      `${server.url}/v1/leads/L1?x=1`,
      init({ method: 'PUT', headers: { 'content-type': 'application/json', authorization: 'Bearer k' }, body: '{"first_name":"Ada"}' }),
    );
    expect(answer.status).toBe(201);
    expect(answer.headers.get('X-RateLimit-Remaining')).toBe('7');
    expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(await answer.text()).toBe('{"job_id":"J1"}');
    expect(server.requests).toMatchObject([
      { method: 'PUT', url: '/v1/leads/L1?x=1', body: '{"first_name":"Ada"}', headers: { authorization: 'Bearer k' } },
    ]);
  });

  it('answers a redirect instead of following it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const answer = await httpFetch(`${server.url}/v1/leads/L1`, init({ method: 'PUT', body: '{}' }));
    expect(answer.status).toBe(307);
    expect(answer.headers.get('location')).toBe('/elsewhere');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects once aborted before the answer, and text() rejects when the answer is cut off', async () => {
    const silent = await serve(() => undefined);
    const controller = new AbortController();
    const pending = httpFetch(`${silent.url}/slow`, init({ signal: controller.signal }));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });

    const cut = await serve((_req, res, raw) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"job_id":');
      setImmediate(() => raw.socket.destroy());
    });
    const answer = await httpFetch(`${cut.url}/cut`, init());
    await expect(answer.text()).rejects.toThrow();
  });

  it('rejects at once for a signal already aborted, sending nothing', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    const controller = new AbortController();
    controller.abort(new DOMException('stop', 'TimeoutError'));
    await expect(httpFetch(`${server.url}/x`, init({ signal: controller.signal }))).rejects.toMatchObject({
      name: 'AbortError',
      cause: { name: 'TimeoutError' },
    });
    expect(server.requests).toHaveLength(0);
  });

  it('text() rejects when aborted while the body arrives', async () => {
    const slowBody = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"job_id":');
    });
    const controller = new AbortController();
    const answer = await httpFetch(`${slowBody.url}/slow-body`, init({ signal: controller.signal }));
    controller.abort();
    await expect(answer.text()).rejects.toThrow();
  });

  it('reads a body sent in pieces as UTF-8 (a split character, a leading BOM dropped), then stops watching the signal', async () => {
    const bytes = Buffer.from('\ufeff{"first_name":"Zoë"}', 'utf8');
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of "ë"
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, split));
      setTimeout(() => res.end(bytes.subarray(split)), 20);
    });
    const controller = new AbortController();
    const answer = await httpFetch(`${server.url}/pieces`, init({ signal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(await answer.text()).toBe('{"first_name":"Zoë"}');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('refuses an address that is not http or https', async () => {
    await expect(httpFetch('file:///etc/passwd', init())).rejects.toThrow(/Only http and https/);
  });
});
