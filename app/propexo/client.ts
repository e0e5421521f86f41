// The Propexo HTTP client: four calls, each answering a value (never throwing) that is either
// the decoded body or a classified error. It does no retrying and no pacing: the scheduler
// does, fed by `onResponse` with every answer's rate headers.
import type * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import type { Clock } from '../schedule/clock.ts';
import type { LeadFieldName } from './schema.ts';
import { resolveBaseUrl } from './base-url.ts';
import {
  LeadUpdateAnswer,
  RetryWriteAnswer,
  WriteLogsAnswer,
  WriteStatusAnswer,
  type LeadUpdateAccepted,
  type RetryWriteAnswer as RetryWriteAnswerType,
  type WriteLogs,
  type WriteLogStatus,
  type WriteStatus,
} from './codecs.ts';
import { classifyStatus, classifyTransportError, readAnswerBody, type PropexoError } from './failure.ts';
import { parseRateHeaders, type RateHeaders } from './rate-headers.ts';
import { httpFetch, type FetchAnswer, type PropexoFetch } from './http-fetch.ts';
import { makeValueRedactor } from '../shared/redact.ts';
import { whenAborted } from '../schedule/abort.ts';
import { formatDecodeErrors } from '../shared/decode-errors.ts';
import type { JsonValue } from '../shared/json-value.ts';

/** The body of `PUT /v1/leads/{id}`: only the fields that change (decoded and exact upstream). */
export type LeadUpdatePayload = { readonly [K in LeadFieldName]?: JsonValue };

export type PropexoResult<A> =
  { readonly ok: true; readonly value: A; readonly status: number } | { readonly ok: false; readonly error: PropexoError };

/** Handed to `onResponse` for every HTTP answer, whatever its status (structurally a `RateObservation`). */
export interface ResponseRateInfo extends RateHeaders {
  readonly status: number;
  /** Clock time just before the request was sent. */
  readonly sentAt: number;
  /** Clock time when the status line and headers arrived. */
  readonly at: number;
}

export interface PropexoClientOptions {
  /** 'sandbox', 'production' or an explicit URL (see `resolveBaseUrl`). */
  readonly baseUrl: string;
  /** The API key, sent as `Authorization: Bearer …` and nowhere else. */
  readonly token: string;
  /** Default `httpFetch` (http-fetch.ts says why not globalThis.fetch, which also fits). */
  readonly fetch?: PropexoFetch;
  /** For `sentAt`/`at` and Retry-After dates. Default: the system clock. */
  readonly clock?: Pick<Clock, 'now'>;
  /** Per request, headers and body included. Default 30 s. */
  readonly timeoutMs?: number;
  /** Must not throw. */
  readonly onResponse?: (info: ResponseRateInfo) => void;
}

export interface RequestOptions {
  /** Aborting gives a `cancelled` error (outcome unknown once the request has left). */
  readonly signal?: AbortSignal;
}

export interface UpdateLeadOptions extends RequestOptions {
  /** `?ignore_unknown_fields=true`: the server drops fields the lead's PMS does not support. */
  readonly ignoreUnknownFields?: boolean;
}

export type WriteLogsTimeRange = 'hour' | 'day' | 'week' | 'month';

export interface WriteLogsQuery {
  /** 1–100; default 100. */
  readonly limit?: number;
  /** Default 0. */
  readonly offset?: number;
  readonly timeRange?: WriteLogsTimeRange;
  readonly status?: WriteLogStatus;
  /** e.g. 'leads'. */
  readonly writeCategory?: string;
  readonly integrationId?: string;
}

export interface PropexoClient {
  /** The resolved base URL (never holds credentials). */
  readonly baseUrl: string;
  /** `PUT /v1/leads/{id}`. A 200 means accepted: follow `job_id` to learn the outcome. */
  updateLead(leadId: string, payload: LeadUpdatePayload, options?: UpdateLeadOptions): Promise<PropexoResult<LeadUpdateAccepted>>;
  /** `GET /v1/admin/write-status/{root_job_id}`. */
  writeStatus(rootJobId: string, options?: RequestOptions): Promise<PropexoResult<WriteStatus>>;
  /** `GET /v1/admin/logs/writes/`: the latest log of many jobs in one call. */
  writeLogs(query: WriteLogsQuery, options?: RequestOptions): Promise<PropexoResult<WriteLogs>>;
  /** `POST /v1/admin/retry-write/{root_job_id}`: only for failed writes; answers a new job to follow. */
  retryWrite(rootJobId: string, options?: RequestOptions): Promise<PropexoResult<RetryWriteAnswerType>>;
}

/** A client cannot be built from these options (bad address, unusable key). Never quotes the key. */
export class PropexoConfigError extends Error {
  override readonly name = 'PropexoConfigError';
}

export const defaultTimeoutMs = 30_000;

const refuse = (message: string): PropexoResult<never> => ({
  ok: false,
  error: { kind: 'rejected', status: undefined, message, code: 'invalid_argument', issues: [], body: undefined, bodyText: undefined },
});

/** A path segment, or why it cannot be one ('.' and '..' would change the path, even encoded). */
export function pathSegment(value: string, what: string): E.Either<string, string> {
  if (value.trim() === '') return E.left(`The ${what} is empty`);
  if (value === '.' || value === '..') return E.left(`"${value}" is not a valid ${what}`);
  return E.right(encodeURIComponent(value));
}

/** The API key as it can go in a header: pasted whitespace and a pasted "Bearer " are forgiven. */
function usableToken(raw: string): string {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new PropexoConfigError('The API key is empty');
  // fetch would reject it with an error message that quotes the header value, key included.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new PropexoConfigError('The API key contains spaces, line breaks or other characters that cannot be sent; paste it again');
  }
  return token;
}

/** One request, as the transport sends it. */
export interface RequestSpec<A> {
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly path: string;
  readonly query?: URLSearchParams;
  readonly body?: JsonValue;
  readonly decoder: t.Decoder<unknown, A>;
}

/**
 * What every call goes through (writes here, reads in reads.ts): the key, the timeout, the rate
 * headers to `onResponse`, the classification of failures, the redaction of the key.
 */
export interface PropexoTransport {
  readonly baseUrl: string;
  send<A>(spec: RequestSpec<A>, requestOptions: RequestOptions | undefined): Promise<PropexoResult<A>>;
  /** A call refused before sending (bad argument): a `rejected` error with code `invalid_argument`. */
  refused(message: string): Promise<PropexoResult<never>>;
}

/** One request's signal: its own timeout or the caller's cancel, whichever comes first. */
interface RequestDeadline {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  /** The request is over: its timer and its watch on the caller's signal end now. */
  release(): void;
}

/**
 * Not AbortSignal.timeout + AbortSignal.any: their timer keeps the signal (and what listens to
 * it) alive for the whole timeout, 30 s past a request that took 20 ms; at hundreds of requests
 * a second that was tens of thousands of live signals, promoted into the old generation, which
 * grew by hundreds of MB between major GCs. Released as soon as the request ends.
 */
function requestDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  timer.unref();
  const stopWatching =
    callerSignal === undefined ? () => undefined : whenAborted(callerSignal, () => controller.abort(callerSignal.reason));
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    release() {
      clearTimeout(timer);
      stopWatching();
    },
  };
}

export function createPropexoTransport(options: PropexoClientOptions): PropexoTransport {
  const resolved = resolveBaseUrl(options.baseUrl);
  if (E.isLeft(resolved)) throw new PropexoConfigError(resolved.left);
  const baseUrl = resolved.right;
  const host = new URL(baseUrl).host;
  const token = usableToken(options.token);
  const fetchFn = options.fetch ?? httpFetch;
  const clock = options.clock ?? { now: () => Date.now() };
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
    throw new PropexoConfigError(`timeoutMs must be a positive number (got ${timeoutMs})`);
  const { onResponse } = options;
  // Compiled once: every answer is redacted.
  const redact = makeValueRedactor(token);

  async function attempt<A>(spec: RequestSpec<A>, callerSignal: AbortSignal | undefined): Promise<PropexoResult<A>> {
    if (callerSignal?.aborted) {
      return { ok: false, error: { kind: 'cancelled', message: 'The request was cancelled before it was sent', outcomeUnknown: false } };
    }
    const deadline = requestDeadline(timeoutMs, callerSignal);
    try {
      return await exchange(spec, deadline, callerSignal);
    } finally {
      deadline.release();
    }
  }

  async function exchange<A>(
    spec: RequestSpec<A>,
    deadline: RequestDeadline,
    callerSignal: AbortSignal | undefined,
  ): Promise<PropexoResult<A>> {
    const { signal } = deadline;
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const query = spec.query?.toString();
    const url = `${baseUrl}${spec.path}${query ? `?${query}` : ''}`;
    const context = (answered: boolean) => ({
      host,
      timeoutMs,
      timedOut: deadline.timedOut,
      cancelled: callerSignal?.aborted ?? false,
      answered,
    });

    const sentAt = clock.now();
    let response: FetchAnswer;
    try {
      // Redirects are not followed: the API does not redirect, and a redirected PUT could land anywhere.
      response = await fetchFn(url, { method: spec.method, headers, body, signal, redirect: 'manual' });
    } catch (error) {
      return { ok: false, error: classifyTransportError(error, context(false)) };
    }
    const at = clock.now();
    const rate = parseRateHeaders(response.headers, at);
    onResponse?.({ status: response.status, ...rate, sentAt, at });

    const { status } = response;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // A refusal stays a refusal even if its body was cut off; anything else is now uncertain.
      if (status >= 400 && !context(true).cancelled && !context(true).timedOut) text = '';
      else return { ok: false, error: classifyTransportError(error, context(true)) };
    }

    if (status < 200 || status >= 300) {
      return { ok: false, error: classifyStatus(status, readAnswerBody(text), rate.retryAfterMs, response.headers.get('location')) };
    }
    const answer = readAnswerBody(text);
    const decoded = answer.body === undefined ? undefined : spec.decoder.decode(answer.body);
    if (decoded !== undefined && E.isRight(decoded)) return { ok: true, value: decoded.right, status };
    const why = decoded === undefined ? 'it is not JSON' : formatDecodeErrors(decoded.left, { actual: 'none', limit: 3 });
    const write = spec.method !== 'GET';
    return {
      ok: false,
      error: {
        kind: 'unexpected',
        status,
        message: `Propexo answered HTTP ${status} but the answer could not be read (${why})${write ? '; the request may have taken effect' : ''}`,
        outcomeUnknown: write,
        body: undefined,
        bodyText: text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text,
      },
    };
  }

  async function send<A>(spec: RequestSpec<A>, requestOptions: RequestOptions | undefined): Promise<PropexoResult<A>> {
    // The one exit: nothing this client returns can carry the key, even if a server echoes it.
    return redact(await attempt(spec, requestOptions?.signal));
  }

  const refused = (message: string): Promise<PropexoResult<never>> => Promise.resolve(redact(refuse(message)));

  return { baseUrl, send, refused };
}

export function createPropexoClient(options: PropexoClientOptions): PropexoClient {
  const { baseUrl, send, refused } = createPropexoTransport(options);
  return {
    baseUrl,

    updateLead(leadId, payload, updateOptions) {
      const id = pathSegment(leadId, 'lead ID');
      if (E.isLeft(id)) return refused(id.left);
      const query = updateOptions?.ignoreUnknownFields ? new URLSearchParams({ ignore_unknown_fields: 'true' }) : undefined;
      return send({ method: 'PUT', path: `/v1/leads/${id.right}`, query, body: payload, decoder: LeadUpdateAnswer }, updateOptions);
    },

    writeStatus(rootJobId, requestOptions) {
      const id = pathSegment(rootJobId, 'job ID');
      if (E.isLeft(id)) return refused(id.left);
      return send({ method: 'GET', path: `/v1/admin/write-status/${id.right}`, decoder: WriteStatusAnswer }, requestOptions);
    },

    writeLogs(logsQuery, requestOptions) {
      const limit = logsQuery.limit ?? 100;
      const offset = logsQuery.offset ?? 0;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return refused(`The log page size must be 1–100 (got ${limit})`);
      if (!Number.isInteger(offset) || offset < 0) return refused(`The log offset must be a whole number ≥ 0 (got ${offset})`);
      const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
      if (logsQuery.timeRange !== undefined) query.set('time_range', logsQuery.timeRange);
      if (logsQuery.status !== undefined) query.set('status', logsQuery.status);
      if (logsQuery.writeCategory !== undefined) query.set('write_category', logsQuery.writeCategory);
      if (logsQuery.integrationId !== undefined) query.set('integration_id', logsQuery.integrationId);
      return send({ method: 'GET', path: '/v1/admin/logs/writes/', query, decoder: WriteLogsAnswer }, requestOptions);
    },

    retryWrite(rootJobId, requestOptions) {
      const id = pathSegment(rootJobId, 'job ID');
      if (E.isLeft(id)) return refused(id.left);
      return send({ method: 'POST', path: `/v1/admin/retry-write/${id.right}`, body: {}, decoder: RetryWriteAnswer }, requestOptions);
    },
  };
}
