import { describe, expect, it } from 'vitest';
import { makeScrubber, REDACTED } from '../../../main/scrub.ts';

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

  it('removes the key base64-encoded (the shared redaction of app/propexo/redact.ts)', () => {
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
