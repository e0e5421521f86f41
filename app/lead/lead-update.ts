// The body of `PUT /v1/leads/{id}` as we send it, built from the field catalogue (itself
// derived from Propexo's schema), never typed out by hand. The codec is exact: a key that is
// not a sendable field is stripped, so it cannot reach the API (Propexo answers 400).
import * as t from 'io-ts';
import { emailProblem } from './cell-codecs.ts';
import { isIsoDate } from './date-cell.ts';
import { LEAD_ID_FIELD, fieldSpecs, type FieldKind, type FieldSpec, type LeadFieldName } from './fields.ts';

/** Every JSON value a lead field can take. */
export type LeadFieldValue = string | number | boolean | null | readonly string[];

export type FieldValueCodec = t.Type<LeadFieldValue, LeadFieldValue, unknown>;

/** A JSON-value codec from a check answering why a value is refused (null when it is fine). */
function jsonValue(name: string, problem: (u: unknown) => string | null): FieldValueCodec {
  return new t.Type<LeadFieldValue, LeadFieldValue, unknown>(
    name,
    (u): u is LeadFieldValue => problem(u) === null,
    (u, context) => {
      const reason = problem(u);
      return reason === null ? t.success(u as LeadFieldValue) : t.failure(u, context, reason);
    },
    (a) => a,
  );
}

const atLeast = (minimum: number | undefined, n: number): string | null =>
  minimum !== undefined && n < minimum ? `must be ${minimum} or more` : null;

function numberProblem(u: unknown, integer: boolean, minimum: number | undefined, nullable: boolean): string | null {
  if (u === null) return nullable ? null : 'must be a number';
  if (typeof u !== 'number' || !Number.isFinite(u)) return 'must be a number';
  if (integer && !Number.isSafeInteger(u)) return 'must be a whole number';
  return atLeast(minimum, u);
}

/** The JSON codec for a kind of field; null for kinds a spreadsheet cannot express. */
export function jsonCodecFor(kind: FieldKind): FieldValueCodec | null {
  switch (kind.kind) {
    case 'string':
      return jsonValue('string', (u) => (typeof u === 'string' ? null : 'must be text'));
    case 'email':
      return jsonValue('Email', (u) => (typeof u === 'string' ? emailProblem(u) : 'must be an e-mail address'));
    case 'char':
      return jsonValue('Char', (u) => (typeof u === 'string' && [...u].length === 1 ? null : 'must be exactly one character'));
    case 'integer':
      return jsonValue('Integer', (u) => numberProblem(u, true, kind.minimum, false));
    case 'number':
      return jsonValue('number', (u) => numberProblem(u, false, kind.minimum, kind.nullable));
    case 'money':
      return jsonValue('Cents', (u) => numberProblem(u, kind.integer, kind.minimum, kind.nullable));
    case 'boolean':
      return jsonValue('boolean', (u) => (typeof u === 'boolean' ? null : 'must be true or false'));
    case 'enum': {
      const values = new Set(kind.values);
      return jsonValue(kind.values.join(' | '), (u) =>
        typeof u === 'string' && values.has(u) ? null : `must be one of ${kind.values.join(', ')}`,
      );
    }
    case 'date':
      return jsonValue('IsoDate', (u) => (isIsoDate(u) ? null : 'must be a date written YYYY-MM-DD'));
    case 'list':
      return jsonValue('StringList', (u) => {
        if (!Array.isArray(u) || !u.every((item) => typeof item === 'string')) return 'must be a list of text values';
        return kind.maxItems !== undefined && u.length > kind.maxItems ? `must have at most ${kind.maxItems} values` : null;
      });
    case 'unsupported':
      return null;
  }
}

/**
 * The fields a payload may hold: not the lead id (it is the request path), not deprecated
 * fields that have a replacement (we send the replacement), not what a cell cannot express.
 */
export const sendableFieldSpecs: readonly FieldSpec[] = fieldSpecs.filter(
  (spec) => spec.name !== LEAD_ID_FIELD && spec.replacedBy === undefined && jsonCodecFor(spec.type) !== null,
);

export const isSendableField = (name: LeadFieldName): boolean => sendableFieldSpecs.some((spec) => spec.name === name);

// The static type lists every schema property (TypeScript cannot see the JSON's kinds);
// at run time the props hold only the sendable fields, and `t.exact` strips the rest.
type LeadUpdateProps = { [K in LeadFieldName]: FieldValueCodec };

const leadUpdateProps = Object.fromEntries(
  sendableFieldSpecs.map((spec) => [spec.name, jsonCodecFor(spec.type) as FieldValueCodec]),
) as LeadUpdateProps;

/** What one row sends: only the fields that change. */
export const LeadUpdate = t.exact(t.partial(leadUpdateProps), 'LeadUpdate');
export type LeadUpdate = t.TypeOf<typeof LeadUpdate>;
