import { describe, expect, it } from 'vitest';
import {
  MIN_SECRET_LENGTH,
  REDACTED,
  containsSecret,
  makeRedactor,
  makeScrubber,
  makeValueRedactor,
  redactSecret,
} from '../../../app/shared/redact.ts';

describe('redactSecret', () => {
  const key = 'sk_live_0123456789abcdefXYZ';

  it('scrubs the key from strings, arrays and object keys and values', () => {
    const echoed = { message: `bad header Bearer ${key}`, headers: [`authorization: Bearer ${key}`], [key]: 1 };
    expect(redactSecret(echoed, key)).toEqual({
      message: 'bad header Bearer [redacted]',
      headers: ['authorization: Bearer [redacted]'],
      '[redacted]': 1,
    });
  });

  it('copies only what held the key: an answer without it is returned as it is (a client redacts every answer)', () => {
    const redact = makeValueRedactor(key);
    const clean = { ok: true, value: { results: [{ id: 'job-1', status: 'SUCCESS' }], meta: { total: 1 } } };
    expect(redact(clean)).toBe(clean);
    const echoed = { ok: false, error: { message: `echo ${key}`, body: { kept: ['a'] } }, other: { n: 1 } };
    const redacted = redact(echoed);
    expect(redacted).toEqual({ ok: false, error: { message: 'echo [redacted]', body: { kept: ['a'] } }, other: { n: 1 } });
    expect(redacted).not.toBe(echoed);
    expect(redacted.other).toBe(echoed.other);
    expect(redacted.error.body).toBe(echoed.error.body);
    expect(echoed.error.message).toBe(`echo ${key}`); // the original is not changed
    expect(redact([`x ${key}`, 'y'])).toEqual(['x [redacted]', 'y']);
  });

  it('leaves results alone for a key too short to tell from ordinary text', () => {
    const result = { ok: true, status: 200, value: { job_id: 'job-k-1', success: true } };
    expect(redactSecret(result, 'k')).toEqual(result);
    expect(redactSecret(result, '')).toEqual(result);
    expect(redactSecret({ m: 'sk_live_0123' }, 'sk_live_0123')).toEqual({ m: 'sk_live_0123' });
  });
});

describe('the forms of a key a server can echo', () => {
  // '?', '>' and '~' make base64 '+' and '/' and URL escapes appear.
  const key = 'pk_live_Ab3?dEf>6hIj9~kLm2nOp5q';
  const redact = makeRedactor([key]);
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const b64url = (text: string): string => Buffer.from(text).toString('base64url');

  it('the minimum key length is what a real key has, well above a prefix worth hiding', () => {
    expect(MIN_SECRET_LENGTH).toBeGreaterThanOrEqual(20);
  });

  it.each([
    ['as is', key],
    ['inside JSON', JSON.stringify(key).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(key)],
    ['URL-encoded, lower-case escapes', encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['upper-cased', key.toUpperCase()],
    ['lower-cased', key.toLowerCase()],
    ['base64', b64(key)],
    ['base64 without padding', b64(key).replace(/=+$/, '')],
    ['base64url', b64url(key)],
    ['a 12-character prefix', key.slice(0, 12)],
    ['a long prefix, upper-cased', key.slice(0, 20).toUpperCase()],
  ])('%s', (_name, form) => {
    const text = `server said: token "${form}" is not valid (ref 42)`;
    const out = redact(text);
    expect(out).not.toContain(form);
    expect(out).toContain(REDACTED);
    expect(out.startsWith('server said: token "')).toBe(true);
    expect(out.endsWith('" is not valid (ref 42)')).toBe(true);
    expect(containsSecret(text, [key])).toBe(true);
  });

  it.each([0, 1, 2, 3, 4, 5])('base64 and base64url of the key inside longer text (offset %i)', (offset) => {
    const wrapped = `${'u:'.padEnd(offset, 'x')}${key}:tail`;
    for (const encoded of [b64(wrapped), b64url(wrapped)]) {
      const out = redact(`Basic ${encoded}`);
      expect(out).toContain(REDACTED);
      // What is left cannot be decoded back into a long piece of the key.
      const left = Buffer.from(out.replace('Basic ', '').replace(REDACTED, ''), 'base64').toString('latin1');
      expect(left).not.toContain(key.slice(0, 8));
      expect(left).not.toContain(key.slice(-8));
    }
  });

  it('leaves other text alone: short prefixes, other tokens, job ids', () => {
    for (const text of [key.slice(0, 11), 'pk_live_Other-token-1234567', 'job_0123456789', `lead ${key.slice(5, 16)}`]) {
      expect(redact(text)).toBe(text);
      expect(containsSecret(text, [key])).toBe(false);
    }
  });
});

describe('makeScrubber', () => {
  const key = 'pk_live_Zx9"q\\w8e7r6t5y';
  const scrub = makeScrubber(() => [key, 'short']);

  it.each([
    [`bad key ${key}!`, `bad key ${REDACTED}!`],
    [`{"apiKey":"${JSON.stringify(key).slice(1, -1)}"}`, `{"apiKey":"${REDACTED}"}`],
    [`https://x/?k=${encodeURIComponent(key)}`, `https://x/?k=${REDACTED}`],
    [`echo ${key.toUpperCase()} and ${key.toLowerCase()}`, `echo ${REDACTED} and ${REDACTED}`],
    [`cut short: ${key.slice(0, 13)}…`, `cut short: ${REDACTED}…`],
  ])('removes a known key (%#)', (text, expected) => {
    expect(scrub(text)).toBe(expected);
  });

  it('removes the key base64-encoded (the same forms as makeRedactor)', () => {
    const encoded = Buffer.from(key).toString('base64');
    expect(scrub(`got ${encoded}`)).not.toContain(encoded.slice(0, 20));
  });

  it.each([
    ['Authorization: Bearer abc.def-123', /^Authorization: Bearer \[redacted\]$/],
    ['request failed (bearer eyJhbGciOi)', /bearer \[redacted\]\)$/],
    ['x-api-key=zzz999zzz999zzz rejected', /^x-api-key=\[redacted\] rejected$/],
    ['{"token": "t0k3n-t0k3n-t0k3n"}', /^\{"token": "\[redacted\]"\}$/],
    ['Authorization: dXNlcjpwYXNzd29yZA==', /^Authorization: \[redacted\]$/],
  ])('removes what looks like a credential: %s', (text, expected) => {
    expect(scrub(text)).toMatch(expected);
  });

  it.each([
    'ENOENT: no such file, open /short/leads.csv',
    'credentials:set: apiKey: an API key has no spaces, line breaks or control characters',
    'the server wants a Bearer token',
    'Unexpected token } in JSON at position 12',
  ])('leaves the ordinary message %j alone (and ignores too-short secrets)', (message) => {
    expect(scrub(message)).toBe(message);
  });

  it('asks for the secrets at each call and caps the length', () => {
    const secrets: string[] = [];
    const live = makeScrubber(() => secrets);
    expect(live('sbx_later_set_key_0001')).toBe('sbx_later_set_key_0001');
    secrets.push('sbx_later_set_key_0001');
    expect(live('sbx_later_set_key_0001')).toBe(REDACTED);
    expect(live('x'.repeat(5000)).length).toBeLessThanOrEqual(1001);
  });
});
