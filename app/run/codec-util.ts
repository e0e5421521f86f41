// Small io-ts building blocks shared by the run header and journal codecs, and a reporter
// that names the path of every decoding error.
import * as t from 'io-ts';

/** An integer ≥ `min` (and ≤ `max`): rejects NaN, Infinity, fractions. The type stays `number`. */
export function integer(name: string, min: number, max: number = Number.MAX_SAFE_INTEGER): t.Type<number, number, unknown> {
  const is = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max;
  return new t.Type<number, number, unknown>(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity);
}

/** A finite number > 0. */
export const PositiveNumber = new t.Type<number, number, unknown>(
  'positive number',
  (u): u is number => typeof u === 'number' && Number.isFinite(u) && u > 0,
  (u, c) => (typeof u === 'number' && Number.isFinite(u) && u > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const NonNegativeInteger = integer('integer ≥ 0', 0);
export const PositiveInteger = integer('integer ≥ 1', 1);
/** Milliseconds since the epoch. */
export const EpochMs = integer('time in ms since 1970', 0);
/** A spreadsheet row number as the user sees it. */
export const RowNumber = integer('row number ≥ 1', 1);
export const HttpStatus = integer('HTTP status 100–599', 100, 599);

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

function isJsonValue(u: unknown, depth: number): u is JsonValue {
  if (depth > 64) return false;
  if (u === null || typeof u === 'boolean' || typeof u === 'string') return true;
  if (typeof u === 'number') return Number.isFinite(u);
  if (Array.isArray(u)) return u.every((v) => isJsonValue(v, depth + 1));
  if (typeof u === 'object') {
    const proto: unknown = Object.getPrototypeOf(u);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(u).every((v) => isJsonValue(v, depth + 1));
  }
  return false;
}

/** Any value that survives JSON.stringify → JSON.parse unchanged (no NaN, Date, undefined…). */
export const JsonValue = new t.Type<JsonValue, JsonValue, unknown>(
  'JSON value',
  (u): u is JsonValue => isJsonValue(u, 0),
  (u, c) => (isJsonValue(u, 0) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** An ISO 8601 UTC timestamp as written by `Date.prototype.toISOString`. */
export const IsoTimestamp = new t.Type<string, string, unknown>(
  'ISO timestamp',
  (u): u is string => typeof u === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(u) && !Number.isNaN(Date.parse(u)),
  (u, c) =>
    typeof u === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/.test(u) && !Number.isNaN(Date.parse(u))
      ? t.success(u)
      : t.failure(u, c),
  t.identity,
);

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}

/** One message per failure: "file.size: expected integer ≥ 0, got -1". */
export function formatErrors(errors: t.Errors): string[] {
  const messages = errors.map((error) => {
    const keys = error.context
      .map((entry) => entry.key)
      .filter((key, i) => key !== '' && !(i > 0 && /^\d+$/.test(key) && isUnionIndex(error.context, i)));
    const last = error.context[error.context.length - 1];
    const where = keys.length > 0 ? `${keys.join('.')}: ` : '';
    return `${where}expected ${last?.type.name ?? 'a value'}, got ${show(error.value)}`;
  });
  return [...new Set(messages)];
}

// Union and intersection members appear in the context with their index as key; they are
// not part of the data path.
function isUnionIndex(context: t.Context, i: number): boolean {
  let parent: t.Decoder<unknown, unknown> | undefined = context[i - 1]?.type;
  // exact(intersection([...])) puts the exact wrapper in the context, not the intersection.
  while (parent instanceof t.ExactType || parent instanceof t.ReadonlyType || parent instanceof t.RefinementType) parent = parent.type;
  return parent instanceof t.UnionType || parent instanceof t.IntersectionType;
}
