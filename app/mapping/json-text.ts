// JSON.parse with the two things a hand-edited file needs and V8 does not give: the line
// and column of a syntax error (Node 20 gives some errors no position at all), and keys
// written twice in one object (JSON.parse silently keeps the last one, so a copied and
// half-edited mapping entry would vanish without a word).
import * as E from 'fp-ts/Either';

export interface JsonTextError {
  readonly kind: 'syntax' | 'repeated_key';
  readonly message: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** For a repeated key: the path of the object holding it and the key itself. */
  readonly path: readonly string[];
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly kind: JsonTextError['kind'] = 'syntax',
    readonly path: readonly string[] = [],
  ) {
    super(message);
  }
}

// Deep enough for any real file, shallow enough never to overflow the stack.
const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON strings may not hold raw control characters (U+0000–U+001F).
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses `text` (a leading byte-order mark is allowed) or says where and why it is not JSON. */
export function parseJsonText(text: string): E.Either<JsonTextError, unknown> {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    const reader = new Reader(source);
    const value = reader.document();
    return E.right(value);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const { line, column } = position(source, error.offset);
    // Columns count from after a byte-order mark, as editors show them.
    return E.left({ kind: error.kind, message: error.message, line, column, path: error.path });
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

class Reader {
  private offset = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value([], 0);
    this.skipWhitespace();
    if (this.offset < this.text.length) this.fail(`unexpected ${this.describeHere()} after the end of the JSON value`);
    return value;
  }

  private value(path: readonly string[], depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    this.skipWhitespace();
    const char = this.text[this.offset];
    if (char === '{') return this.object(path, depth);
    if (char === '[') return this.array(path, depth);
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.offset)) {
        this.offset += word.length;
        return value;
      }
    }
    return this.fail(`expected a value, found ${this.describeHere()}`);
  }

  private object(path: readonly string[], depth: number): Record<string, unknown> {
    this.offset++; // {
    const entries: [string, unknown][] = [];
    const seen = new Set<string>();
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return {};
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] !== '"') {
        this.fail(
          `expected a double-quoted property name, found ${this.describeHere()}${this.text[this.offset] === '}' ? ' (a trailing comma?)' : ''}`,
        );
      }
      const keyOffset = this.offset;
      const key = this.string();
      if (seen.has(key)) throw new JsonSyntaxError(`"${key}" appears twice`, keyOffset, 'repeated_key', [...path, key]);
      seen.add(key);
      this.skipWhitespace();
      this.expect(':', "expected ':' after a property name");
      entries.push([key, this.value([...path, key], depth + 1)]);
      this.skipWhitespace();
      if (this.text[this.offset] === ',') {
        this.offset++;
        continue;
      }
      this.expect('}', "expected ',' or '}' after a property value");
      // fromEntries defines own properties, so a "__proto__" key stays a plain key.
      return Object.fromEntries(entries);
    }
  }

  private array(path: readonly string[], depth: number): unknown[] {
    this.offset++; // [
    const items: unknown[] = [];
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return items;
    }
    for (;;) {
      items.push(this.value([...path, String(items.length)], depth + 1));
      this.skipWhitespace();
      if (this.text[this.offset] === ',') {
        this.offset++;
        continue;
      }
      this.expect(']', "expected ',' or ']' after an array item");
      return items;
    }
  }

  private string(): string {
    const token = this.token(STRING);
    if (token !== undefined) return JSON.parse(token) as string;
    // Not a valid string: point at what is wrong in it.
    const opening = this.offset;
    for (let at = opening + 1; ; at++) {
      const char = this.text[at];
      if (char === undefined) {
        this.offset = opening;
        this.fail('this string is not closed');
      }
      if (char < ' ') {
        this.offset = at;
        this.fail(
          char === '\n' || char === '\r'
            ? 'a line break inside a string (write \\n, or close the string)'
            : 'a control character inside a string',
        );
      }
      if (char === '\\') {
        if (!/^\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(this.text.slice(at, at + 6))) {
          this.offset = at;
          this.fail('a bad escape sequence in a string');
        }
        at++;
      }
    }
  }

  private number(): number {
    const token = this.token(NUMBER);
    if (token === undefined) return this.fail(`expected a number, found ${this.describeHere()}`);
    return JSON.parse(token) as number;
  }

  private token(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.offset;
    const match = pattern.exec(this.text);
    if (match === null) return undefined;
    this.offset += match[0].length;
    return match[0];
  }

  private expect(char: string, expectation: string): void {
    if (this.text[this.offset] !== char) this.fail(`${expectation}, found ${this.describeHere()}`);
    this.offset++;
  }

  private skipWhitespace(): void {
    this.token(WHITESPACE);
  }

  private describeHere(): string {
    const char = this.text[this.offset];
    return char === undefined ? 'the end of the file' : `'${char}'`;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.offset);
  }
}
