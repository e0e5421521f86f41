// The client's default transport on its own (client.test.ts covers it through the client:
// refused connections, hang-ups, cut-off answers, timeouts, redirects, cancellation).
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch, type FetchInit } from '../../../app/propexo/http-fetch.ts';
import { startServer, type Handler, type TestServer } from './http-test-server.ts';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

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

  it('refuses an address that is not http or https', async () => {
    await expect(httpFetch('file:///etc/passwd', init())).rejects.toThrow(/Only http and https/);
  });
});
