import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodeErrorLines, formatDecodeErrors, type DecodeErrorStyle } from '../../../app/shared/decode-errors.ts';

function linesOf(codec: t.Decoder<unknown, unknown>, value: unknown, style: DecodeErrorStyle): string[] {
  const decoded = codec.decode(value);
  if (decoded._tag === 'Right') throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return decodeErrorLines(decoded.left, style);
}

const Entry = t.type({ id: t.string, sizes: t.array(t.number), mode: t.union([t.literal('a'), t.literal('b')]) });

describe('decodeErrorLines', () => {
  it('names the path with array indexes but without the index of a union member', () => {
    const lines = linesOf(Entry, { id: 'x', sizes: [1, 'two'], mode: 'c' }, { actual: 'json' });
    expect(lines).toEqual(['sizes.1: expected number, got "two"', 'mode: expected "a", got "c"', 'mode: expected "b", got "c"']);
  });

  it('shows only the kind of a value that may be a secret, and names the root', () => {
    expect(linesOf(Entry, 'sk_live_0123456789abcdef', { actual: 'kind', root: 'argument' })).toEqual([
      'argument: expected { id: string, sizes: Array<number>, mode: ("a" | "b") }, got a string',
    ]);
  });

  it('shows no value at all, keeps the first `limit` messages and says each once', () => {
    const decoded = t.array(t.string).decode([1, 2, 3, 4]);
    if (decoded._tag === 'Right') throw new Error('expected a refusal');
    expect(formatDecodeErrors(decoded.left, { actual: 'none', limit: 3 })).toBe(
      '0: expected string; 1: expected string; 2: expected string',
    );
    expect(linesOf(t.type({ n: t.number }), [{}, {}], { actual: 'none' })).toEqual(['expected { n: number }']);
  });

  it('cuts a long value short and uses a message the codec gives', () => {
    expect(linesOf(t.type({ s: t.number }), { s: 'x'.repeat(100) }, { actual: 'json' })).toEqual([
      `s: expected number, got "${'x'.repeat(56)}...`,
    ]);
    const Named = new t.Type<string, string, unknown>(
      'named',
      (u): u is string => u === 'ok',
      (u, c) => (u === 'ok' ? t.success(u) : t.failure(u, c, 'must be "ok"')),
      t.identity,
    );
    expect(linesOf(t.type({ v: Named }), { v: 1 }, { actual: 'kind', root: 'argument' })).toEqual(['v: must be "ok"']);
  });
});
