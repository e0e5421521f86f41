import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText, type JsonTextError } from '../../../app/mapping/json-text.ts';

const errorOf = (text: string): JsonTextError => {
  const result = parseJsonText(text);
  if (E.isRight(result)) throw new Error(`expected an error for ${JSON.stringify(text)}`);
  return result.left;
};

describe('parseJsonText', () => {
  it('reads what JSON.parse reads, the same way', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(parseJsonText(text)).toEqual(E.right(JSON.parse(text)));
      }),
    );
    const pretty = JSON.stringify({ a: [1, -2.5e3, true, null, 'é\n"\u0001'], b: {} }, null, 2);
    expect(parseJsonText(pretty)).toEqual(E.right(JSON.parse(pretty)));
  });

  it('rejects what JSON.parse rejects', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '1', 'a', ' ', '\\', 'n', '-', '.', 'e') }),
        (text) => {
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          // Repeated keys are the one thing we reject on purpose that JSON.parse accepts.
          const result = parseJsonText(text);
          if (valid) expect(E.isRight(result) || result.left.kind === 'repeated_key').toBe(true);
          else expect(E.isLeft(result) && result.left.kind === 'syntax').toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ['{"a":}', 1, 6, "expected a value, found '}'"],
    ['{"a":1,}', 1, 8, "expected a double-quoted property name, found '}' (a trailing comma?)"],
    ['{"a" 1}', 1, 6, "expected ':' after a property name, found '1'"],
    ['{"a":1', 1, 7, "expected ',' or '}' after a property value, found the end of the file"],
    ['[1,2,,]', 1, 6, "expected a value, found ','"],
    ['{\n  "version": 1,\n  "columns": {\n    "x": {}\n    "y": {}\n  }\n}', 5, 5, `expected ',' or '}' after a property value, found '"'`],
    ['{"a": "b\nc"}', 1, 9, 'a line break inside a string (write \\n, or close the string)'],
    ['{"a": "\\x"}', 1, 8, 'a bad escape sequence in a string'],
    ['{"a": "open', 1, 7, 'this string is not closed'],
    ['nul', 1, 1, "expected a value, found 'n'"],
    ['{} x', 1, 4, "unexpected 'x' after the end of the JSON value"],
    ['\r\n\r\n  x', 3, 3, "expected a value, found 'x'"],
  ])('%j: line %i, column %i', (text, line, column, message) => {
    expect(errorOf(text)).toEqual({ kind: 'syntax', line, column, message, path: [] });
  });

  it('reports a key written twice in one object, with its path and position', () => {
    expect(errorOf('{"columns": {\n  "Email": {"field": "email_1"},\n  "Email": {"field": null}\n}}')).toEqual({
      kind: 'repeated_key',
      message: '"Email" appears twice',
      line: 3,
      column: 3,
      path: ['columns', 'Email'],
    });
    // The same key in two different objects is fine.
    expect(parseJsonText('{"a": {"field": 1}, "b": {"field": 2}}')).toEqual(E.right({ a: { field: 1 }, b: { field: 2 } }));
  });

  it('accepts a byte-order mark and counts columns after it', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual(E.right({ a: 1 }));
    expect(errorOf('\uFEFF{"a" 1}')).toMatchObject({ line: 1, column: 6 });
  });

  it('keeps "__proto__" a plain key', () => {
    const result = parseJsonText('{"__proto__": {"polluted": true}}');
    expect(E.isRight(result) && Object.keys(result.right as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(errorOf('['.repeat(100_000))).toMatchObject({ kind: 'syntax', message: 'nested too deeply' });
  });
});
