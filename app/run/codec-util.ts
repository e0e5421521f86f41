// Small io-ts building blocks shared by the run header and journal codecs.
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
