// The one reporter of io-ts decoding errors: the bridge (contract-kit.ts), the Propexo client's
// answers and the run's files (run.json, the journal) all name the path of a wrong value the
// same way and differ only in how much of the value they may repeat.
// Plain TypeScript without Node: the preload and the renderer load this module too.
import * as t from 'io-ts';

export interface DecodeErrorStyle {
  /**
   * How the wrong value is shown after "got": its kind alone ("a string") where it may be a
   * secret (an argument from the page), its JSON text cut short where it is our own file, or not
   * at all (a server's answer, kept whole in the error's body text).
   */
  readonly actual: 'kind' | 'json' | 'none';
  /** What an error at the root is about ("argument"); without it, no path is written. */
  readonly root?: string;
  /** At most this many messages (the first ones). */
  readonly limit?: number;
}

/** One message per distinct failure: "file.size: expected integer ≥ 0, got -1". */
export function decodeErrorLines(errors: t.Errors, style: DecodeErrorStyle): string[] {
  const lines = errors.map((error) => {
    const keys = error.context
      .map((entry) => entry.key)
      .filter((key, i) => key !== '' && !(i > 0 && /^\d+$/.test(key) && isMemberIndex(error.context, i)));
    const path = keys.length > 0 ? keys.join('.') : style.root;
    const where = path === undefined ? '' : `${path}: `;
    if (error.message !== undefined) return `${where}${error.message}`;
    const expected = `expected ${error.context[error.context.length - 1]?.type.name ?? 'a valid value'}`;
    return style.actual === 'none'
      ? `${where}${expected}`
      : `${where}${expected}, got ${style.actual === 'kind' ? kindOf(error.value) : shortJson(error.value)}`;
  });
  const distinct = [...new Set(lines)];
  return style.limit === undefined ? distinct : distinct.slice(0, style.limit);
}

/** The messages of `decodeErrorLines` as one sentence part, joined by "; ". */
export const formatDecodeErrors = (errors: t.Errors, style: DecodeErrorStyle): string => decodeErrorLines(errors, style).join('; ');

// Union and intersection members appear in the context with their index as key; they are
// not part of the data path (an array's index is, and stays).
function isMemberIndex(context: t.Context, i: number): boolean {
  let parent: t.Decoder<unknown, unknown> | undefined = context[i - 1]?.type;
  // exact(intersection([...])) puts the exact wrapper in the context, not the intersection.
  while (parent instanceof t.ExactType || parent instanceof t.ReadonlyType || parent instanceof t.RefinementType) parent = parent.type;
  return parent instanceof t.UnionType || parent instanceof t.IntersectionType;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const kind = typeof value;
  return kind === 'object' ? 'an object' : `a ${kind}`;
}

function shortJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}
