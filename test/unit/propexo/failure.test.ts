import { describe, expect, it } from 'vitest';
import {
  classifyStatus,
  classifyTransportError,
  parseFieldIssues,
  readAnswerBody,
  type TransportContext,
} from '../../../app/propexo/failure.ts';

const context: TransportContext = { host: 'api.propexo.com', timeoutMs: 30_000, timedOut: false, cancelled: false, answered: false };
/** What undici throws: TypeError('fetch failed') with the socket error as its cause. */
const fetchFailed = (code: string, syscall?: string) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`${syscall ?? ''} ${code}`), { code, syscall }) });

describe('field issues', () => {
  it('reads zod-style issues from details.issues and details.details.issues, one per unrecognized key', () => {
    expect(
      parseFieldIssues({
        issues: [{ code: 'too_small', path: ['monthly_income_in_cents'], message: 'Number must be greater than or equal to 0' }],
      }),
    ).toEqual([
      {
        field: 'monthly_income_in_cents',
        path: ['monthly_income_in_cents'],
        message: 'Number must be greater than or equal to 0',
        code: 'too_small',
      },
    ]);
    expect(
      parseFieldIssues({
        details: {
          issues: [{ code: 'unrecognized_keys', keys: ['foo', 'bar'], path: [], message: "Unrecognized key(s) in object: 'foo', 'bar'" }],
        },
        name: 'ZodError',
      }),
    ).toEqual([
      { field: 'foo', path: ['foo'], message: "Unrecognized key(s) in object: 'foo', 'bar'", code: 'unrecognized_keys' },
      { field: 'bar', path: ['bar'], message: "Unrecognized key(s) in object: 'foo', 'bar'", code: 'unrecognized_keys' },
    ]);
    expect(
      parseFieldIssues({ issues: [{ path: ['desired_unit_ids', 3], message: 'Expected string' }, { message: 'Body is invalid' }, 'junk'] }),
    ).toEqual([
      { field: 'desired_unit_ids', path: ['desired_unit_ids', 3], message: 'Expected string', code: undefined },
      { field: '', path: [], message: 'Body is invalid', code: undefined },
    ]);
    expect(parseFieldIssues(undefined)).toEqual([]);
  });
});

describe('status classification', () => {
  it('keeps non-JSON bodies as (shortened) text', () => {
    expect(readAnswerBody('<html>Bad gateway</html>')).toEqual({ body: undefined, bodyText: '<html>Bad gateway</html>' });
    expect(readAnswerBody('x'.repeat(5_000)).bodyText).toHaveLength(2_001);
    expect(readAnswerBody('{"a":1}')).toEqual({ body: { a: 1 }, bodyText: undefined });
    expect(readAnswerBody('')).toEqual({ body: undefined, bodyText: undefined });
  });

  it('maps statuses to what the caller must do', () => {
    const kinds = [400, 404, 409, 410, 413, 422, 401, 403, 408, 429, 500, 502, 503, 504, 599, 307].map((s) => [
      s,
      classifyStatus(s, readAnswerBody(''), undefined).kind,
    ]);
    expect(Object.fromEntries(kinds)).toEqual({
      400: 'rejected',
      404: 'rejected',
      409: 'rejected',
      410: 'rejected',
      413: 'rejected',
      422: 'rejected',
      401: 'auth',
      403: 'auth',
      408: 'retryable',
      429: 'throttled',
      500: 'retryable',
      502: 'retryable',
      503: 'retryable',
      504: 'retryable',
      599: 'retryable',
      307: 'unexpected',
    });
  });

  it('takes the server’s message from error.message, error (a string) or message', () => {
    const message = (text: string) => classifyStatus(409, readAnswerBody(text), undefined);
    expect(message('{"error":{"code":"conflict","message":"Lead is locked"}}')).toMatchObject({
      message: 'Lead is locked',
      code: 'conflict',
    });
    expect(message('{"error":"Lead not found"}')).toMatchObject({ message: 'Lead not found', code: undefined });
    expect(message('{"message":"Nope"}')).toMatchObject({ message: 'Nope' });
    expect(message('')).toMatchObject({ message: 'Propexo rejected the request (HTTP 409 Conflict)' });
  });
});

describe('transport classification', () => {
  it('says a request certainly did not leave when the connection was never made', () => {
    expect(classifyTransportError(fetchFailed('ECONNREFUSED', 'connect'), context)).toMatchObject({
      kind: 'retryable',
      reason: 'connection_refused',
      outcomeUnknown: false,
      errorCode: 'ECONNREFUSED',
    });
    expect(classifyTransportError(fetchFailed('ENOTFOUND', 'getaddrinfo'), context)).toMatchObject({
      reason: 'dns',
      outcomeUnknown: false,
    });
    expect(classifyTransportError(fetchFailed('EAI_AGAIN', 'getaddrinfo'), context)).toMatchObject({
      reason: 'dns',
      outcomeUnknown: false,
    });
    expect(classifyTransportError(fetchFailed('UND_ERR_CONNECT_TIMEOUT'), context)).toMatchObject({
      reason: 'network',
      outcomeUnknown: false,
    });
    expect(classifyTransportError(fetchFailed('EHOSTUNREACH', 'connect'), context)).toMatchObject({
      reason: 'network',
      outcomeUnknown: false,
    });
    expect(classifyTransportError(fetchFailed('CERT_HAS_EXPIRED'), context)).toMatchObject({ reason: 'tls', outcomeUnknown: false });
    expect(classifyTransportError(fetchFailed('ERR_TLS_CERT_ALTNAME_INVALID'), context)).toMatchObject({
      reason: 'tls',
      outcomeUnknown: false,
    });
    // Happy-eyeballs failures arrive as an AggregateError of attempts.
    const aggregate = Object.assign(new TypeError('fetch failed'), {
      cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    });
    expect(classifyTransportError(aggregate, context)).toMatchObject({ reason: 'connection_refused', outcomeUnknown: false });
  });

  it('says the outcome is unknown once the connection was up', () => {
    expect(classifyTransportError(fetchFailed('ECONNRESET', 'read'), context)).toMatchObject({
      reason: 'connection_lost',
      outcomeUnknown: true,
    });
    expect(classifyTransportError(fetchFailed('UND_ERR_SOCKET'), context)).toMatchObject({
      reason: 'connection_lost',
      outcomeUnknown: true,
    });
    expect(classifyTransportError(fetchFailed('EPIPE', 'write'), context)).toMatchObject({
      reason: 'connection_lost',
      outcomeUnknown: true,
    });
    expect(classifyTransportError(fetchFailed('UND_ERR_HEADERS_TIMEOUT'), context)).toMatchObject({
      reason: 'timeout',
      outcomeUnknown: true,
    });
    expect(classifyTransportError(new DOMException('timed out', 'TimeoutError'), context)).toMatchObject({
      reason: 'timeout',
      outcomeUnknown: true,
    });
    expect(classifyTransportError(new Error('weird'), context)).toMatchObject({ reason: 'network', outcomeUnknown: true });
    expect(classifyTransportError(fetchFailed('ECONNREFUSED'), { ...context, answered: true })).toMatchObject({
      reason: 'connection_lost',
      outcomeUnknown: true,
    });
  });

  it('reports a cancellation by the caller as such', () => {
    expect(classifyTransportError(new DOMException('aborted', 'AbortError'), { ...context, cancelled: true })).toEqual({
      kind: 'cancelled',
      message: 'The request was cancelled; Propexo may or may not have received it',
      outcomeUnknown: true,
    });
  });
});
