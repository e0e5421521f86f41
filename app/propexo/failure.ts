// What went wrong with a Propexo request, classified by what the caller must do about it
// (API.md, "Status codes"): reject the row, stop the run, wait for the budget, or retry, and
// whether the request may have had an effect.
import { ErrorBody, findIssues, MessageBody, ZodIssue } from './codecs.ts';

export interface FieldIssue {
  /** The payload field the issue is about (the path's first key); '' for the body as a whole. */
  readonly field: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** The validator's issue code, e.g. 'unrecognized_keys', 'too_small'. */
  readonly code: string | undefined;
}

/** Why a retryable request failed. */
export type RetryReason =
  | 'server_error' // 5xx
  | 'request_timeout' // 408
  | 'timeout' // no answer within timeoutMs
  | 'connection_refused'
  | 'dns'
  | 'tls'
  | 'connection_lost' // reset / hang-up after connecting
  | 'network'; // anything else on the way

/** The body of an error answer: parsed when JSON, else its text (shortened). */
interface AnswerBody {
  readonly body: unknown;
  readonly bodyText: string | undefined;
}

export type PropexoError =
  /** 400, 404, 409, 422 and other 4xx: this request will not succeed as it is. Not applied. */
  | ({
      readonly kind: 'rejected';
      /** undefined: refused before sending (e.g. an empty lead ID). */
      readonly status: number | undefined;
      readonly message: string;
      readonly code: string | undefined;
      readonly issues: readonly FieldIssue[];
    } & AnswerBody)
  /** 401, 403: the key is wrong for every request: stop the run. */
  | ({ readonly kind: 'auth'; readonly status: number; readonly message: string; readonly code: string | undefined } & AnswerBody)
  /** 429: not counted, not applied; wait (the rate budget pauses everyone) and send again. */
  | ({ readonly kind: 'throttled'; readonly status: 429; readonly message: string; readonly retryAfterMs: number | undefined } & AnswerBody)
  /** 5xx, 408, network trouble, timeout: retry with backoff. */
  | ({
      readonly kind: 'retryable';
      readonly status: number | undefined;
      readonly reason: RetryReason;
      readonly message: string;
      /** true: the request may have reached Propexo and taken effect; false: it certainly did not. */
      readonly outcomeUnknown: boolean;
      /** The network error code (ECONNREFUSED, UND_ERR_SOCKET…), when there was one. */
      readonly errorCode: string | undefined;
      /** A server's Retry-After (503 often sends one): wait at least this long. */
      readonly retryAfterMs: number | undefined;
    } & AnswerBody)
  /** An answer this client cannot use: a redirect, or a success body without what it must hold. */
  | ({
      readonly kind: 'unexpected';
      readonly status: number;
      readonly message: string;
      /** true when Propexo accepted a write (2xx) whose job we cannot follow. */
      readonly outcomeUnknown: boolean;
    } & AnswerBody)
  /** The caller's signal aborted the request. */
  | { readonly kind: 'cancelled'; readonly message: string; readonly outcomeUnknown: boolean };

const maxBodyText = 2_000;

/** Parses an answer body: JSON when it is JSON, else the (shortened) text. */
export function readAnswerBody(text: string): AnswerBody {
  if (text.trim() === '') return { body: undefined, bodyText: undefined };
  try {
    return { body: JSON.parse(text) as unknown, bodyText: undefined };
  } catch {
    return { body: undefined, bodyText: text.length > maxBodyText ? `${text.slice(0, maxBodyText)}…` : text };
  }
}

function serverMessage(body: unknown): { message: string | undefined; code: string | undefined; details: unknown } {
  if (ErrorBody.is(body)) {
    const error = body.error;
    if (typeof error === 'string') return { message: error, code: undefined, details: undefined };
    return { message: error.message, code: error.code, details: error.details };
  }
  if (MessageBody.is(body)) return { message: body.message, code: undefined, details: undefined };
  return { message: undefined, code: undefined, details: undefined };
}

/** Zod-style issues → one issue per field; `unrecognized_keys` names its keys, one issue each. */
export function parseFieldIssues(details: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const raw of findIssues(details)) {
    if (!ZodIssue.is(raw)) continue;
    const path = raw.path ?? [];
    const code = raw.code;
    if (raw.keys !== undefined && raw.keys.length > 0) {
      for (const key of raw.keys) {
        const keyPath = [...path, key];
        issues.push({ field: String(keyPath[0]), path: keyPath, message: raw.message ?? `Unrecognized key '${key}'`, code });
      }
      continue;
    }
    issues.push({ field: path.length > 0 ? String(path[0]) : '', path, message: raw.message ?? 'Invalid value', code });
  }
  return issues;
}

const statusNames: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const describeStatus = (status: number): string => `HTTP ${status}${statusNames[status] ? ` ${statusNames[status]}` : ''}`;

const withServerWords = (ours: string, theirs: string | undefined): string => (theirs ? `${ours}: ${theirs}` : ours);

/** An answer with a status outside 2xx. */
export function classifyStatus(
  status: number,
  answer: AnswerBody,
  retryAfterMs: number | undefined,
  location?: string | null,
): PropexoError {
  const { message, code, details } = serverMessage(answer.body);
  const theirs = message ?? answer.bodyText?.trim().slice(0, 300);
  if (status === 401 || status === 403) {
    const ours =
      status === 401
        ? `Propexo did not accept the API key (${describeStatus(status)}); check the key and the environment (sandbox or production)`
        : `The API key is not allowed to do this (${describeStatus(status)})`;
    return { kind: 'auth', status, message: withServerWords(ours, theirs), code, ...answer };
  }
  if (status === 429) {
    const wait = retryAfterMs === undefined ? 'until the rate window resets' : `${Math.ceil(retryAfterMs / 1000)} s`;
    return {
      kind: 'throttled',
      status,
      message: `Propexo's rate limit was reached (${describeStatus(status)}); waiting ${wait}`,
      retryAfterMs,
      ...answer,
    };
  }
  if (status === 408) {
    return {
      kind: 'retryable',
      status,
      reason: 'request_timeout',
      message: withServerWords(`Propexo timed out reading the request (${describeStatus(status)})`, theirs),
      outcomeUnknown: false,
      errorCode: undefined,
      retryAfterMs,
      ...answer,
    };
  }
  if (status >= 500) {
    // The server answered, so by the project's rule the request did not take effect.
    return {
      kind: 'retryable',
      status,
      reason: 'server_error',
      message: withServerWords(`Propexo had a server error (${describeStatus(status)})`, theirs),
      outcomeUnknown: false,
      errorCode: undefined,
      retryAfterMs,
      ...answer,
    };
  }
  if (status >= 400) {
    return {
      kind: 'rejected',
      status,
      message: theirs ?? `Propexo rejected the request (${describeStatus(status)})`,
      code,
      issues: parseFieldIssues(details),
      ...answer,
    };
  }
  if (status >= 300) {
    const target = location ? ` to ${location}` : '';
    return {
      kind: 'unexpected',
      status,
      message: `Propexo redirected the request${target} (HTTP ${status}); check the server address`,
      outcomeUnknown: false,
      ...answer,
    };
  }
  return { kind: 'unexpected', status, message: `Propexo answered with an unexpected HTTP ${status}`, outcomeUnknown: false, ...answer };
}

interface ErrorTrace {
  readonly codes: readonly string[];
  readonly syscalls: readonly string[];
  readonly names: readonly string[];
}

/** Codes, syscalls and names along an error's cause chain (undici nests the socket error in `cause`). */
function traceError(error: unknown): ErrorTrace {
  const codes: string[] = [];
  const syscalls: string[] = [];
  const names: string[] = [];
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();
  while (pending.length > 0 && seen.size < 20) {
    const current = pending.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const record = current as { code?: unknown; syscall?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    if (typeof record.syscall === 'string') syscalls.push(record.syscall);
    if (typeof record.name === 'string') names.push(record.name);
    pending.push(record.cause);
    if (Array.isArray(record.errors)) pending.push(...record.errors);
  }
  return { codes, syscalls, names };
}

const dnsCodes = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
/** The connection was never made: the request certainly did not reach the server. */
const notConnectedCodes = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'UND_ERR_CONNECT_TIMEOUT']);
const isTlsCode = (code: string): boolean =>
  code.startsWith('ERR_TLS_') ||
  code.startsWith('ERR_SSL_') ||
  code.startsWith('CERT_') ||
  code.startsWith('UNABLE_TO_') ||
  code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
  code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
  code === 'HOSTNAME_MISMATCH';
const waitTimeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface TransportContext {
  readonly host: string;
  readonly timeoutMs: number;
  /** Our own timeout fired. */
  readonly timedOut: boolean;
  /** The caller's signal aborted. */
  readonly cancelled: boolean;
  /** The status line had already arrived (the body was being read). */
  readonly answered: boolean;
}

const unknownOutcome = 'Propexo may or may not have received it';

/** A request that ended without a (complete) answer. */
export function classifyTransportError(error: unknown, context: TransportContext): PropexoError {
  const { host } = context;
  if (context.cancelled) {
    return { kind: 'cancelled', message: `The request was cancelled; ${unknownOutcome}`, outcomeUnknown: true };
  }
  const trace = traceError(error);
  const errorCode = trace.codes.find((c) => c !== 'ABORT_ERR');
  const retryable = (reason: RetryReason, message: string, outcomeUnknown: boolean): PropexoError => ({
    kind: 'retryable',
    status: undefined,
    reason,
    message,
    outcomeUnknown,
    errorCode,
    retryAfterMs: undefined,
    body: undefined,
    bodyText: undefined,
  });
  if (context.timedOut || trace.names.includes('TimeoutError')) {
    return retryable('timeout', `No answer from ${host} within ${Math.round(context.timeoutMs / 100) / 10} s; ${unknownOutcome}`, true);
  }
  if (context.answered) {
    return retryable('connection_lost', `The connection to ${host} broke while the answer was arriving; ${unknownOutcome}`, true);
  }
  if (trace.codes.includes('ECONNREFUSED')) {
    return retryable('connection_refused', `Could not connect to ${host} (connection refused); the request was not sent`, false);
  }
  if (trace.codes.some((c) => dnsCodes.has(c))) {
    return retryable('dns', `Could not find ${host} (DNS lookup failed); the request was not sent`, false);
  }
  if (trace.codes.some(isTlsCode)) {
    return retryable('tls', `Could not set up a secure connection to ${host} (${errorCode}); the request was not sent`, false);
  }
  if (trace.codes.some((c) => notConnectedCodes.has(c)) || trace.syscalls.includes('connect') || trace.syscalls.includes('getaddrinfo')) {
    return retryable('network', `Could not reach ${host} (${errorCode ?? 'network error'}); the request was not sent`, false);
  }
  if (trace.codes.some((c) => waitTimeoutCodes.has(c))) {
    return retryable('timeout', `${host} stopped answering (${errorCode}); ${unknownOutcome}`, true);
  }
  if (errorCode !== undefined) {
    // ECONNRESET, EPIPE, UND_ERR_SOCKET (other side closed)…: the connection was up.
    return retryable('connection_lost', `The connection to ${host} was lost (${errorCode}); ${unknownOutcome}`, true);
  }
  return retryable('network', `The request to ${host} failed; ${unknownOutcome}`, true);
}
