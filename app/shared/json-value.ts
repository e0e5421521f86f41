// A JSON value, as a type and as a codec: the Propexo client's request bodies and the mapping a
// run stores in run.json. Plain TypeScript without Node.
import * as t from 'io-ts';

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
