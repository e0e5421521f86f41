// The one place that knows what an API key looks like in text, for every scrubber: the client's
// results, the journal and run.json, the reports, and main's messages to the page (makeScrubber). A server or
// proxy that echoes a request header may send the key back as it is, or upper-cased, base64'd
// (a Basic header), URL-encoded, inside JSON, or cut short: every such form is replaced.
// Plain TypeScript without Node: the preload and the renderer load this module too.

/** What a secret is replaced with, wherever it is scrubbed (results, journal, logs). */
export const REDACTED = '[redacted]';

/**
 * The shortest API key accepted (the app and the CLI refuse shorter ones), and so the shortest
 * secret searched for. Propexo does not publish its key format; its web app issues long random
 * keys. 20 characters keep well clear of PREFIX_LENGTH, and of ordinary words and ids, so that
 * finding a key (or 12 characters of it) in text means the key was there.
 */
export const MIN_SECRET_LENGTH = 20;

/** A piece at least this long from the start of the key, echoed in any case, is redacted too. */
export const PREFIX_LENGTH = 12;

export type Redactor = (text: string) => string;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '');
}

/**
 * The base64 characters that depend on the key's bytes alone, for each of the three alignments
 * the key can have inside longer encoded text (`Basic base64(user:key)`), in base64 and base64url.
 */
function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = new Uint8Array(offset + bytes.length);
    padded.set(bytes, offset);
    const core = base64(padded).slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  return forms;
}

interface Matcher {
  /** Whether the text holds any form at all: the fast path for the common text that holds none. */
  readonly any: (text: string) => boolean;
  /** Forms matched exactly (base64 is case-sensitive). */
  readonly exact: RegExp;
  /** Forms matched in any case: the key's URL-encoded form, then its first PREFIX_LENGTH characters. */
  readonly anyCase: RegExp;
  readonly secret: string;
  readonly urlForm: string;
}

function matcherFor(secret: string): Matcher {
  const exact = new Set([...base64Forms(secret), JSON.stringify(secret).slice(1, -1)]);
  const urlForm = encodeURIComponent(secret);
  const anyCase = [...(urlForm !== secret ? [urlForm] : []), secret.slice(0, PREFIX_LENGTH)];
  const exactSource = [...exact].map(escapeRegExp).join('|');
  const anyCaseSource = anyCase.map(escapeRegExp).join('|');
  const exactTest = new RegExp(exactSource);
  const anyCaseTest = new RegExp(anyCaseSource, 'i');
  return {
    any: (text) => exactTest.test(text) || anyCaseTest.test(text),
    exact: new RegExp(exactSource, 'g'),
    anyCase: new RegExp(anyCaseSource, 'gi'),
    secret,
    urlForm,
  };
}

const sameLetter = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase();

/** [start, end) ranges of `text` holding a form of a matcher's secret. */
function rangesOf(text: string, matcher: Matcher, into: [number, number][]): void {
  if (!matcher.any(text)) return;
  for (const match of text.matchAll(matcher.exact)) into.push([match.index, match.index + match[0].length]);
  for (const match of text.matchAll(matcher.anyCase)) {
    const start = match.index;
    let end = start + match[0].length;
    if (match[0].length === PREFIX_LENGTH && !(matcher.urlForm.length === PREFIX_LENGTH && sameLetter(match[0], matcher.urlForm))) {
      // A prefix: take in as much more of the key as follows.
      let i = PREFIX_LENGTH;
      while (i < matcher.secret.length && end < text.length && sameLetter(text[end], matcher.secret[i])) {
        end++;
        i++;
      }
    }
    into.push([start, end]);
  }
}

function compile(secrets: Iterable<string>): Matcher[] {
  const unique = new Set<string>();
  for (const secret of secrets) if (secret.length >= MIN_SECRET_LENGTH) unique.add(secret);
  return [...unique].map(matcherFor);
}

function redactWith(matchers: readonly Matcher[], text: string): string {
  const ranges: [number, number][] = [];
  for (const matcher of matchers) rangesOf(text, matcher, ranges);
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of ranges) {
    if (end <= at) continue;
    if (start >= at) out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

/** Replaces every form of every secret (shorter than MIN_SECRET_LENGTH: ignored) in text. */
export function makeRedactor(secrets: Iterable<string> = []): Redactor {
  const matchers = compile(secrets);
  if (matchers.length === 0) return (text) => text;
  return (text) => redactWith(matchers, text);
}

/**
 * Whether `text` holds a form of a secret. Identifiers (paths, file names, lead ids) are never
 * rewritten: a key found in one is refused up front instead, since scrubbing it would break
 * whatever the identifier names.
 */
export function containsSecret(text: string, secrets: Iterable<string>): boolean {
  return makeSecretFinder(secrets)(text);
}

/** `containsSecret` compiled once, for checking many texts (every lead id of a file). */
export function makeSecretFinder(secrets: Iterable<string>): (text: string) => boolean {
  const matchers = compile(secrets);
  return (text) => {
    const ranges: [number, number][] = [];
    for (const matcher of matchers) rangesOf(text, matcher, ranges);
    return ranges.length > 0;
  };
}

/** Every string (and object key) in a JSON-like value, redacted. */
export function redactSecret<T>(value: T, secret: string): T {
  return makeValueRedactor(secret)(value);
}

/**
 * `redactSecret` compiled once, for redacting many values (every answer a client reads). A
 * value that holds no form of the secret is returned as it is, not copied: the client redacts
 * every answer, and copying each (a page of write logs, hundreds of objects) was most of a
 * run's garbage.
 */
export function makeValueRedactor(secret: string): <T>(value: T) => T {
  const matchers = compile([secret]);
  if (matchers.length === 0) return (value) => value;
  const redact: Redactor = (text) => redactWith(matchers, text);
  return (value) => redactValue(value, redact) as typeof value;
}

/** The value with its strings and keys redacted; the same object where nothing changed. */
function redactValue(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const redacted = redactValue(v, redact);
      if (redacted !== v) (out ??= value.slice())[i] = redacted;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    let changed = false;
    const redacted = entries.map(([key, v]): [string, unknown] => {
      const k = redact(key);
      const r = redactValue(v, redact);
      if (k !== key || r !== v) changed = true;
      return [k, r];
    });
    return changed ? Object.fromEntries(redacted) : value;
  }
  return value;
}

// Messages to the page (main/ipc.ts, the e2e harness). Handlers never get the API key back, but a
// library error could still echo a header or a request body: every message sent to the renderer
// is scrubbed of the keys the process holds and of anything shaped like a credential.

const MAX_MESSAGE_LENGTH = 1000;

/** `Bearer abc…`, `Basic abc…` (a token-like run, not the word after "Bearer" in prose). */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `apiKey=abc…`, `"token": "abc…"`, `Authorization: abc…`: a long token-like value after a credential label. */
const LABELLED_SECRET = /\b(authorization|api[-_ ]?key|x-api-key|token|secret|password)(["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{12,}/gi;

export type Scrub = (text: string) => string;

/** A message scrubber: the keys in every form, then credential shapes, cut at 1000 characters. `secrets()` is asked at each call: keys can be set while the app runs. */
export function makeScrubber(secrets: () => Iterable<string>): Scrub {
  return (text) => {
    let out = makeRedactor(secrets())(text);
    out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(LABELLED_SECRET, (_m, label: string, sep: string) => `${label}${sep}${REDACTED}`);
    return out.length > MAX_MESSAGE_LENGTH ? `${out.slice(0, MAX_MESSAGE_LENGTH)}…` : out;
  };
}
