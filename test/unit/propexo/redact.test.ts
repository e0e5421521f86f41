import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../../app/propexo/redact.ts';

describe('redactSecret', () => {
  const key = 'sk_live_0123456789';

  it('scrubs the key from strings, arrays and object keys and values', () => {
    const echoed = { message: `bad header Bearer ${key}`, headers: [`authorization: Bearer ${key}`], [key]: 1 };
    expect(redactSecret(echoed, key)).toEqual({ message: 'bad header Bearer [redacted]', headers: ['authorization: Bearer [redacted]'], '[redacted]': 1 });
  });

  it('leaves results alone for a key too short to tell from ordinary text', () => {
    const result = { ok: true, status: 200, value: { job_id: 'job-k-1', success: true } };
    expect(redactSecret(result, 'k')).toEqual(result);
    expect(redactSecret(result, '')).toEqual(result);
  });
});
