import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  createPropexoClient,
  PropexoConfigError,
  type PropexoClientOptions,
  type PropexoResult,
  type ResponseRateInfo,
} from '../../../app/propexo/client.ts';
import type { PropexoError } from '../../../app/propexo/failure.ts';
import type { RateObservation } from '../../../app/schedule/rate-budget.ts';
import { refusedUrl, sendJson, sendText, serversPerTest } from './http-test-server.ts';

const token = 'pxo_live_S3cr3tT0k3n_abcdefghijklmnop';
const now = Date.UTC(2026, 1, 12, 10, 0, 0);

const serve = serversPerTest();

function clientFor(baseUrl: string, options: Partial<PropexoClientOptions> = {}) {
  return createPropexoClient({ baseUrl, token, clock: { now: () => now }, ...options });
}

function errorOf<A>(result: PropexoResult<A>): PropexoError {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('Propexo client: requests', () => {
  it('updateLead sends PUT /v1/leads/{id} with the Bearer key and the JSON payload, id encoded', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { job_id: 'job_1', data: {} }));
    const client = clientFor(server.url);
    const result = await client.updateLead('lead/1 ü?', { status: 'ACTIVE', has_cats: true, desired_unit_ids: ['u1', 'u2'] });
    expect(result).toEqual({ ok: true, value: { job_id: 'job_1' }, status: 200 });
    const [request] = server.requests;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe('/v1/leads/lead%2F1%20%C3%BC%3F');
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.accept).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ status: 'ACTIVE', has_cats: true, desired_unit_ids: ['u1', 'u2'] });
  });

  it('updateLead asks the server to drop unsupported fields only when told to', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { meta: { job_id: 'job_2' }, result: {} }));
    const client = clientFor(server.url);
    expect(await client.updateLead('L1', { first_name: 'Ada' }, { ignoreUnknownFields: true })).toEqual({
      ok: true,
      value: { job_id: 'job_2' },
      status: 200,
    });
    await client.updateLead('L1', { first_name: 'Ada' }, { ignoreUnknownFields: false });
    expect(server.requests.map((r) => r.url)).toEqual(['/v1/leads/L1?ignore_unknown_fields=true', '/v1/leads/L1']);
  });

  it('treats a 200 without a job ID as an unexpected answer whose write may have happened', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { data: {} }));
    const error = errorOf(await clientFor(server.url).updateLead('L1', { first_name: 'Ada' }));
    expect(error).toMatchObject({ kind: 'unexpected', status: 200, outcomeUnknown: true, bodyText: '{"data":{}}' });
    expect(error.message).toMatch(/job_id.*may have taken effect/);
  });

  it('treats a 200 that is not JSON as unexpected', async () => {
    const server = await serve((_req, res) => sendText(res, 200, 'OK'));
    expect(errorOf(await clientFor(server.url).updateLead('L1', {}))).toMatchObject({ kind: 'unexpected', status: 200, bodyText: 'OK' });
  });

  it('refuses an empty or path-changing ID without sending anything', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { job_id: 'x', data: {} }));
    const client = clientFor(server.url);
    for (const id of ['', '  ', '.', '..']) {
      expect(errorOf(await client.updateLead(id, {}))).toMatchObject({ kind: 'rejected', status: undefined, code: 'invalid_argument' });
      expect(errorOf(await client.writeStatus(id))).toMatchObject({ kind: 'rejected', status: undefined });
      expect(errorOf(await client.retryWrite(id))).toMatchObject({ kind: 'rejected', status: undefined });
    }
    expect(server.requests).toHaveLength(0);
  });

  it('writeStatus sends GET /v1/admin/write-status/{root_job_id} and decodes the status', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, { write_status: 'PARTIAL_SUCCESS', errors: ['Email rejected by PMS'], created_record_id: 'rec_9' }),
    );
    const result = await clientFor(server.url).writeStatus('job 1');
    expect(result).toEqual({
      ok: true,
      status: 200,
      value: { write_status: 'PARTIAL_SUCCESS', errors: ['Email rejected by PMS'], created_record_id: 'rec_9' },
    });
    expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/v1/admin/write-status/job%201', body: '' });
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${token}`);
    expect(server.requests[0].headers['content-type']).toBeUndefined();
  });

  it('writeStatus reports an unknown status value as unexpected (a read: no effect)', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { write_status: 'QUEUED', errors: [] }));
    expect(errorOf(await clientFor(server.url).writeStatus('job_1'))).toMatchObject({ kind: 'unexpected', outcomeUnknown: false });
  });

  it('writeLogs sends the query and reads the logs leniently', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, {
        results: {
          logs: [
            {
              id: 'l1',
              job_id: 'job_1',
              status: 'FAILURE',
              error: 'PMS down',
              created_at: '2026-02-12T09:59:00Z',
              parameters: { phone_1: '555' },
              vendor: 'ENTRATA',
            },
            { id: 'l2', status: 'SUCCESS' },
          ],
        },
      }),
    );
    const result = await clientFor(server.url).writeLogs({
      limit: 50,
      offset: 100,
      timeRange: 'hour',
      status: 'FAILURE',
      writeCategory: 'leads',
    });
    expect(result).toEqual({
      ok: true,
      status: 200,
      value: { logs: [{ job_id: 'job_1', status: 'FAILURE', error: 'PMS down', created_at: '2026-02-12T09:59:00Z' }], unreadable: 1 },
    });
    const url = new URL(server.requests[0].url, server.url);
    expect(server.requests[0].method).toBe('GET');
    expect(url.pathname).toBe('/v1/admin/logs/writes/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      limit: '50',
      offset: '100',
      time_range: 'hour',
      status: 'FAILURE',
      write_category: 'leads',
    });
  });

  it('writeLogs refuses a page size outside 1–100 or a negative offset without sending', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { results: { logs: [] } }));
    const client = clientFor(server.url);
    expect(errorOf(await client.writeLogs({ limit: 0 }))).toMatchObject({ kind: 'rejected', status: undefined });
    expect(errorOf(await client.writeLogs({ limit: 101 }))).toMatchObject({ kind: 'rejected', status: undefined });
    expect(errorOf(await client.writeLogs({ offset: -1 }))).toMatchObject({ kind: 'rejected', status: undefined });
    expect(server.requests).toHaveLength(0);
    expect(await client.writeLogs({})).toEqual({ ok: true, status: 200, value: { logs: [], unreadable: 0 } });
    expect(server.requests[0].url).toBe('/v1/admin/logs/writes/?limit=100&offset=0');
  });

  it('retryWrite sends POST /v1/admin/retry-write/{root_job_id} with {} and reads the new job', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { success: true, job_id: 'job_new' }));
    expect(await clientFor(server.url).retryWrite('job_old')).toEqual({
      ok: true,
      status: 200,
      value: { success: true, job_id: 'job_new' },
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/v1/admin/retry-write/job_old', body: '{}' });
    expect(server.requests[0].headers['content-type']).toBe('application/json');
  });
});

describe('Propexo client: classified failures', () => {
  it('400 with zod issues: rejected, with the message, code and one issue per field', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 400, {
        error: {
          code: 'invalid_request',
          message: 'invalid request',
          details: {
            issues: [
              { code: 'too_small', path: ['monthly_income_in_cents'], message: 'Number must be greater than or equal to 0' },
              {
                code: 'unrecognized_keys',
                keys: ['favourite_colour'],
                path: [],
                message: "Unrecognized key(s) in object: 'favourite_colour'",
              },
            ],
          },
        },
      }),
    );
    expect(errorOf(await clientFor(server.url).updateLead('L1', { monthly_income_in_cents: -1 }))).toEqual({
      kind: 'rejected',
      status: 400,
      message: 'invalid request',
      code: 'invalid_request',
      issues: [
        {
          field: 'monthly_income_in_cents',
          path: ['monthly_income_in_cents'],
          message: 'Number must be greater than or equal to 0',
          code: 'too_small',
        },
        {
          field: 'favourite_colour',
          path: ['favourite_colour'],
          message: "Unrecognized key(s) in object: 'favourite_colour'",
          code: 'unrecognized_keys',
        },
      ],
      body: expect.any(Object),
      bodyText: undefined,
    });
  });

  it('400 with issues under details.details (the schema’s own example)', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 400, {
        error: {
          code: 'invalid_request',
          message: 'invalid request',
          details: {
            details: { issues: [{ code: 'unrecognized_keys', keys: ['foo'], path: [], message: "Unrecognized key(s) in object: 'foo'" }] },
            name: 'ZodError',
          },
        },
      }),
    );
    const error = errorOf(await clientFor(server.url).updateLead('L1', {}));
    expect(error).toMatchObject({ kind: 'rejected', issues: [{ field: 'foo', code: 'unrecognized_keys' }] });
  });

  it('404, 409 and 422 are rejections; a text body is kept as text', async () => {
    const answers: Record<string, [number, string]> = {
      '/v1/leads/missing': [404, 'Not Found'],
      '/v1/leads/locked': [409, '{"error":{"code":"conflict","message":"Lead is being merged"}}'],
      '/v1/leads/bad': [422, '{"error":{"code":"unprocessable","message":"Move-in date is in the past"}}'],
    };
    const server = await serve((req, res) => {
      const [status, text] = answers[req.url];
      if (text.startsWith('{')) sendJson(res, status, JSON.parse(text));
      else sendText(res, status, text);
    });
    const client = clientFor(server.url);
    expect(errorOf(await client.updateLead('missing', {}))).toMatchObject({
      kind: 'rejected',
      status: 404,
      message: 'Not Found',
      bodyText: 'Not Found',
      body: undefined,
      issues: [],
    });
    expect(errorOf(await client.updateLead('locked', {}))).toMatchObject({
      kind: 'rejected',
      status: 409,
      message: 'Lead is being merged',
      code: 'conflict',
    });
    expect(errorOf(await client.updateLead('bad', {}))).toMatchObject({
      kind: 'rejected',
      status: 422,
      message: 'Move-in date is in the past',
    });
  });

  it('401 and 403 are auth failures that stop the run', async () => {
    const server = await serve((req, res) =>
      req.url.includes('forbidden')
        ? sendJson(res, 403, { error: { code: 'forbidden', message: 'Admin scope required' } })
        : sendText(res, 401, 'Unauthorized'),
    );
    const client = clientFor(server.url);
    const unauthorized = errorOf(await client.updateLead('L1', {}));
    expect(unauthorized).toMatchObject({ kind: 'auth', status: 401, bodyText: 'Unauthorized' });
    expect(unauthorized.message).toMatch(/did not accept the API key.*sandbox or production/);
    expect(errorOf(await client.writeStatus('forbidden'))).toMatchObject({
      kind: 'auth',
      status: 403,
      code: 'forbidden',
      message: expect.stringContaining('Admin scope required'),
    });
  });

  it('429 is throttled, with Retry-After in seconds, as an HTTP date, or absent', async () => {
    const retryAfter: Record<string, string | undefined> = {
      '/v1/admin/write-status/seconds': '12',
      '/v1/admin/write-status/date': new Date(now + 30_000).toUTCString(),
      '/v1/admin/write-status/none': undefined,
    };
    const server = await serve((req, res) => {
      const value = retryAfter[req.url];
      sendJson(
        res,
        429,
        { error: { code: 'rate_limited', message: 'Too many requests' } },
        value === undefined ? {} : { 'retry-after': value },
      );
    });
    const client = clientFor(server.url);
    expect(errorOf(await client.writeStatus('seconds'))).toMatchObject({ kind: 'throttled', status: 429, retryAfterMs: 12_000 });
    expect(errorOf(await client.writeStatus('date'))).toMatchObject({ kind: 'throttled', retryAfterMs: 30_000 });
    const none = errorOf(await client.writeStatus('none'));
    expect(none).toMatchObject({ kind: 'throttled', retryAfterMs: undefined });
    expect(none.message).toMatch(/until the rate window resets/);
  });

  it('5xx is retryable and, since the server answered, not of unknown outcome', async () => {
    const server = await serve((req, res) => {
      if (req.url.endsWith('/500')) sendJson(res, 500, { error: { code: 'internal', message: 'Something broke' } });
      else if (req.url.endsWith('/502')) sendText(res, 502, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' });
      else sendText(res, 503, '', { 'retry-after': '20' });
    });
    const client = clientFor(server.url);
    expect(errorOf(await client.updateLead('500', {}))).toMatchObject({
      kind: 'retryable',
      status: 500,
      reason: 'server_error',
      outcomeUnknown: false,
      message: expect.stringContaining('Something broke'),
    });
    expect(errorOf(await client.updateLead('502', {}))).toMatchObject({
      kind: 'retryable',
      status: 502,
      outcomeUnknown: false,
      bodyText: '<html><body>Bad gateway</body></html>',
    });
    expect(errorOf(await client.updateLead('503', {}))).toMatchObject({
      kind: 'retryable',
      status: 503,
      outcomeUnknown: false,
      retryAfterMs: 20_000,
      body: undefined,
      bodyText: undefined,
    });
  });

  it('connection refused: retryable, and the request certainly did not reach the server', async () => {
    const error = errorOf(await clientFor(await refusedUrl()).updateLead('L1', {}));
    expect(error).toMatchObject({
      kind: 'retryable',
      status: undefined,
      reason: 'connection_refused',
      outcomeUnknown: false,
      errorCode: 'ECONNREFUSED',
    });
    expect(error.message).toMatch(/not sent/);
  });

  it('the server hangs up after reading the body: retryable with an unknown outcome', async () => {
    const server = await serve((_req, _res, raw) => raw.socket.destroy());
    const error = errorOf(await clientFor(server.url).updateLead('L1', { first_name: 'Ada' }));
    expect(server.requests).toHaveLength(1); // it did arrive
    expect(error).toMatchObject({ kind: 'retryable', status: undefined, reason: 'connection_lost', outcomeUnknown: true });
    expect(error.message).toMatch(/may or may not have received it/);
  });

  it('the answer is cut off after a 200 status line: retryable with an unknown outcome', async () => {
    const server = await serve((_req, res, raw) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"job_id":');
      setImmediate(() => raw.socket.destroy());
    });
    expect(errorOf(await clientFor(server.url).updateLead('L1', {}))).toMatchObject({
      kind: 'retryable',
      reason: 'connection_lost',
      outcomeUnknown: true,
    });
  });

  it('no answer within timeoutMs: retryable with an unknown outcome', async () => {
    const server = await serve(() => undefined); // never answers
    const error = errorOf(await clientFor(server.url, { timeoutMs: 100 }).updateLead('L1', {}));
    expect(error).toMatchObject({ kind: 'retryable', reason: 'timeout', outcomeUnknown: true });
    expect(error.message).toMatch(/within 0.1 s/);
  });

  it('a redirect is not followed', async () => {
    const target = await serve((_req, res) => sendJson(res, 200, { job_id: 'elsewhere', data: {} }));
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: `${target.url}/v1/leads/L1` });
      res.end();
    });
    expect(errorOf(await clientFor(server.url).updateLead('L1', {}))).toMatchObject({
      kind: 'unexpected',
      status: 307,
      outcomeUnknown: false,
    });
    expect(target.requests).toHaveLength(0);
  });

  it('a cancelled request reports cancellation, before or after it left', async () => {
    const server = await serve(() => undefined);
    const client = clientFor(server.url);
    const early = new AbortController();
    early.abort();
    expect(errorOf(await client.writeStatus('job_1', { signal: early.signal }))).toEqual({
      kind: 'cancelled',
      message: 'The request was cancelled before it was sent',
      outcomeUnknown: false,
    });
    const late = new AbortController();
    const pending = client.updateLead('L1', {}, { signal: late.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    late.abort();
    expect(errorOf(await pending)).toMatchObject({ kind: 'cancelled', outcomeUnknown: true });
  });
});

describe('Propexo client: rate headers', () => {
  it('hands every answer’s rate headers to onResponse, whatever its status', async () => {
    const server = await serve((req, res) => {
      if (req.url.includes('throttled'))
        sendJson(
          res,
          429,
          { error: { code: 'rate_limited', message: 'slow down' } },
          { 'x-ratelimit-limit': '150', 'x-ratelimit-remaining': '0', 'retry-after': '7' },
        );
      else if (req.url.includes('bare')) sendJson(res, 200, { job_id: 'j', data: {} });
      else sendJson(res, 200, { job_id: 'j', data: {} }, { 'x-ratelimit-limit': '150', 'x-ratelimit-remaining': '121' });
    });
    const seen: ResponseRateInfo[] = [];
    let tick = now;
    const client = createPropexoClient({
      baseUrl: server.url,
      token,
      clock: { now: () => (tick += 10) },
      onResponse: (info) => seen.push(info),
    });
    await client.updateLead('L1', {});
    await client.writeStatus('throttled');
    await client.updateLead('bare', {});
    await client.updateLead('L1', {}, { signal: AbortSignal.abort() }); // never sent: no answer, no call
    expect(seen).toEqual([
      { status: 200, limit: 150, remaining: 121, retryAfterMs: undefined, sentAt: now + 10, at: now + 20 },
      { status: 429, limit: 150, remaining: 0, retryAfterMs: 7_000, sentAt: now + 30, at: now + 40 },
      { status: 200, limit: undefined, remaining: undefined, retryAfterMs: undefined, sentAt: now + 50, at: now + 60 },
    ]);
    // What the client reports is exactly what the rate budget takes.
    const asObservation: RateObservation = seen[0];
    expect(asObservation.remaining).toBe(121);
  });
});

describe('Propexo client: configuration', () => {
  it('refuses plain http to anything but this machine', () => {
    expect(() => clientFor('http://api.propexo.com')).toThrow(PropexoConfigError);
    expect(() => clientFor('http://192.168.1.20:8080')).toThrow(/unencrypted/);
    expect(clientFor('http://localhost:9999').baseUrl).toBe('http://localhost:9999');
    expect(clientFor('sandbox').baseUrl).toBe('https://api.sandbox.propexo.com');
    expect(clientFor('production').baseUrl).toBe('https://api.propexo.com');
  });

  it('forgives pasted whitespace and a pasted "Bearer " prefix in the key', async () => {
    const server = await serve((_req, res) => sendJson(res, 200, { job_id: 'j', data: {} }));
    await createPropexoClient({ baseUrl: server.url, token: `  Bearer ${token}\n` }).updateLead('L1', {});
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${token}`);
  });

  it('refuses an empty key or one that cannot travel in a header, without quoting it', () => {
    expect(() => createPropexoClient({ baseUrl: 'sandbox', token: '   ' })).toThrow(/empty/);
    for (const bad of [`${token} ${token}`, `${token}\nX-Injected: 1`, `${token}é`]) {
      let thrown: unknown;
      try {
        createPropexoClient({ baseUrl: 'sandbox', token: bad });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(PropexoConfigError);
      expect(String(thrown)).not.toContain(token);
      expect(inspect(thrown)).not.toContain(token);
    }
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ job_id: 'from-fake', data: {} }), { status: 200, headers: { 'x-ratelimit-remaining': '3' } });
    };
    const result = await createPropexoClient({ baseUrl: 'production', token, fetch: fakeFetch }).updateLead('L1', {});
    expect(result).toEqual({ ok: true, value: { job_id: 'from-fake' }, status: 200 });
    expect(calls).toEqual(['https://api.propexo.com/v1/leads/L1']);
  });
});

describe('Propexo client: the API key never leaks', () => {
  it('is absent from every failure, even when the server echoes the Authorization header', async () => {
    const echo = (req: { headers: { authorization?: string } }) => `You sent ${req.headers.authorization ?? ''}`;
    const server = await serve((req, res, raw) => {
      const what = req.url.split('/').pop() ?? '';
      const auth = echo(req);
      switch (what) {
        case '400':
          return sendJson(res, 400, {
            error: {
              code: 'invalid_request',
              message: auth,
              details: { issues: [{ path: [auth], message: auth, code: auth, keys: [auth] }] },
            },
          });
        case '401':
          return sendText(res, 401, auth);
        case '403':
          return sendJson(res, 403, { error: auth });
        case '404':
          return sendText(res, 404, auth);
        case '409':
          return sendJson(res, 409, { message: auth, [auth]: auth });
        case '422':
          return sendJson(res, 422, { error: { code: auth, message: auth } });
        case '429':
          return sendJson(res, 429, { error: { code: 'rate_limited', message: auth } }, { 'retry-after': '1' });
        case '500':
          return sendText(res, 500, auth);
        case '503':
          return sendJson(res, 503, { error: { code: 'unavailable', message: auth } });
        case '200-no-job':
          return sendJson(res, 200, { data: { echo: auth } });
        case '200-text':
          return sendText(res, 200, auth);
        case '307':
          res.writeHead(307, { location: `https://example.com/${encodeURIComponent(auth)}` });
          return res.end();
        case 'hangup':
          return raw.socket.destroy();
        case 'silent':
          return undefined;
        default:
          return sendJson(res, 200, { job_id: auth, data: {} });
      }
    });
    const client = clientFor(server.url, { timeoutMs: 150 });
    const ids = ['400', '401', '403', '404', '409', '422', '429', '500', '503', '200-no-job', '200-text', '307', 'hangup', 'silent', '..'];
    const results: unknown[] = [];
    for (const id of ids) {
      results.push(await client.updateLead(id, { first_name: 'Ada' }));
      results.push(await client.writeStatus(id));
      results.push(await client.retryWrite(id));
    }
    results.push(await client.writeLogs({ limit: 500 }));
    results.push(await clientFor(await refusedUrl()).updateLead('L1', {}));
    results.push(await client.updateLead('echo-in-job-id', {})); // even a "successful" value is scrubbed
    const cancelled = new AbortController();
    const pending = client.writeStatus('silent', { signal: cancelled.signal });
    setTimeout(() => cancelled.abort(), 20);
    results.push(await pending);

    expect(results.filter((r) => (r as PropexoResult<unknown>).ok === false).length).toBeGreaterThanOrEqual(ids.length * 3);
    const serialized = JSON.stringify(results) + inspect(results, { depth: null });
    expect(serialized).not.toContain(token);
    expect(serialized).toContain('[redacted]'); // the echo did come back, scrubbed
    expect(JSON.stringify(client) + inspect(client, { depth: null })).not.toContain(token);
  });
});
