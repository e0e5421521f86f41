// The API key must never leave the client in anything it returns: a server (or proxy) that
// echoes request headers into an error body, or an error message quoting a header, would
// otherwise carry it into reports, journals and the UI. Applied once, to every result.

/** What a secret is replaced with, wherever it is scrubbed (results, journal, logs). */
export const REDACTED = '[redacted]';

/**
 * The shortest API key accepted (the app and the CLI refuse shorter ones), and so the shortest
 * secret searched for: a one-letter key would turn every job id and message into nonsense.
 */
export const MIN_SECRET_LENGTH = 8;

export function redactSecret<T>(value: T, secret: string): T {
  if (secret.length < MIN_SECRET_LENGTH) return value;
  return redactValue(value, secret) as T;
}

function redactValue(value: unknown, secret: string): unknown {
  if (typeof value === 'string') return value.includes(secret) ? value.split(secret).join(REDACTED) : value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secret));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[redactValue(key, secret) as string] = redactValue(v, secret);
    return out;
  }
  return value;
}
