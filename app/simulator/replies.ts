// The answers the simulator can give, as data: handlers decide, the server writes them.
import type { ServerErrorStatus } from './options.ts';
import type { ErrorResponse, ZodIssue } from './wire.ts';

export type Reply =
  | { readonly kind: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'text'; readonly status: number; readonly contentType: string; readonly text: string }
  /** Cut the connection without answering. */
  | { readonly kind: 'drop' };

export const json = (status: number, body: unknown, headers?: Readonly<Record<string, string>>): Reply => ({
  kind: 'json',
  status,
  body,
  headers,
});

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorResponse => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

export const errorReply = (status: number, code: string, message: string, details?: Record<string, unknown>): Reply =>
  json(status, errorBody(code, message, details));

export const validationReply = (message: string, issues: readonly ZodIssue[]): Reply =>
  errorReply(400, 'invalid_request', message, { issues: [...issues], name: 'ZodError' });

/**
 * 5xx answers as they arrive in the wild: the API's own 500 is JSON, but gateways in front
 * of it answer 502/504 with HTML and 503 with plain text, so clients must cope with both.
 */
export function serverErrorReply(status: ServerErrorStatus): Reply {
  switch (status) {
    case 500:
      return errorReply(500, 'internal_error', 'Internal server error');
    case 502:
      return {
        kind: 'text',
        status,
        contentType: 'text/html; charset=utf-8',
        text: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>',
      };
    case 503:
      return { kind: 'text', status, contentType: 'text/plain; charset=utf-8', text: 'Service Unavailable' };
    case 504:
      return {
        kind: 'text',
        status,
        contentType: 'text/html; charset=utf-8',
        text: '<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>',
      };
  }
}
