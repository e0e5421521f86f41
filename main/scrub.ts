// Error messages cross the bridge to the UI. Handlers never get the API key back, but a
// library error could still echo a header or a request body: every message sent to the
// renderer is scrubbed of the keys this process holds and of anything shaped like a credential.

import { REDACTED, makeRedactor } from '../app/propexo/redact.ts';

export { REDACTED };
const MAX_MESSAGE_LENGTH = 1000;

/** `Bearer abc…`, `Basic abc…` (a token-like run, not the word after "Bearer" in prose). */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `apiKey=abc…`, `"token": "abc…"`, `Authorization: abc…`: a long token-like value after a credential label. */
const LABELLED_SECRET = /\b(authorization|api[-_ ]?key|x-api-key|token|secret|password)(["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{12,}/gi;

export type Scrub = (text: string) => string;

/** `secrets()` is asked at each call: keys can be set while the app runs. */
export function makeScrubber(secrets: () => Iterable<string>): Scrub {
  return (text) => {
    // The keys in every form a library could echo (app/propexo/redact.ts, shared with the core).
    let out = makeRedactor(secrets())(text);
    out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(LABELLED_SECRET, (_m, label: string, sep: string) => `${label}${sep}${REDACTED}`);
    return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH)}…` : out;
  };
}
