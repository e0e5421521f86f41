// Validates a lead update the way the live server does: against Propexo's own schema, made
// strict (unknown keys are errors) because the server is; ajv's errors are reshaped into the
// zod issues that Propexo's 400 answers carry, one issue per problem.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { leadUpdateInputSchema } from '../propexo/schema.ts';
import type { ZodIssue } from './wire.ts';

// ajv-formats is CommonJS: under ESM its default export arrives either as the function itself
// or wrapped in `{ default }` depending on the loader.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats: AddFormats =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as AddFormats)
    : (addFormatsModule as unknown as { default: AddFormats }).default;

type SchemaNode = { [key: string]: unknown };

const isNode = (value: unknown): value is SchemaNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deep copy of the schema in which every object with declared properties rejects others. */
function strictCopy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictCopy);
  if (!isNode(node)) return node;
  const out: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) out[key] = strictCopy(value);
  if (isNode(node.properties) && node.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const strictSchema = strictCopy(leadUpdateInputSchema) as SchemaNode;

function compile(removeAdditional: boolean): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true, removeAdditional });
  addFormats(ajv);
  return ajv.compile(strictSchema);
}

const validateStrict = compile(false);
// With removeAdditional ajv deletes the keys that `additionalProperties: false` forbids.
const validateStripping = compile(true);

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** zod's name for the type of a value it received. */
function receivedType(value: unknown, expected: readonly string[]): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (expected.includes('integer') && !Number.isInteger(value)) return 'float';
    return 'number';
  }
  return typeof value;
}

const quoteList = (values: readonly unknown[]): string => values.map((v) => `'${String(v)}'`).join(' | ');

const isDateUnion = (schema: unknown): boolean =>
  isNode(schema) && Array.isArray(schema.anyOf) && schema.anyOf.some((branch) => isNode(branch) && branch.format === 'date-time');

function issueOf(error: ErrorObject): ZodIssue | null {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const expected = String(params.type).split(',');
      const received = receivedType(error.data, expected);
      const expectedText = expected.join(' | ');
      return { code: 'invalid_type', expected: expectedText, received, path, message: `Expected ${expectedText}, received ${received}` };
    }
    case 'required': {
      const property = String(params.missingProperty);
      return { code: 'invalid_type', expected: 'string', received: 'undefined', path: [...path, property], message: 'Required' };
    }
    case 'enum': {
      const options = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      return {
        code: 'invalid_enum_value',
        options,
        received: typeof error.data === 'string' ? error.data : JSON.stringify(error.data),
        path,
        message: `Invalid enum value. Expected ${quoteList(options)}, received '${String(error.data)}'`,
      };
    }
    case 'minimum':
      return {
        code: 'too_small',
        minimum: Number(params.limit),
        type: 'number',
        inclusive: true,
        exact: false,
        path,
        message: `Number must be greater than or equal to ${String(params.limit)}`,
      };
    case 'maximum':
      return {
        code: 'too_big',
        maximum: Number(params.limit),
        type: 'number',
        inclusive: true,
        exact: false,
        path,
        message: `Number must be less than or equal to ${String(params.limit)}`,
      };
    case 'minLength':
      return {
        code: 'too_small',
        minimum: Number(params.limit),
        type: 'string',
        inclusive: true,
        exact: false,
        path,
        message: `String must contain at least ${String(params.limit)} character(s)`,
      };
    case 'maxLength':
      return {
        code: 'too_big',
        maximum: Number(params.limit),
        type: 'string',
        inclusive: true,
        exact: false,
        path,
        message: `String must contain at most ${String(params.limit)} character(s)`,
      };
    case 'maxItems':
      return {
        code: 'too_big',
        maximum: Number(params.limit),
        type: 'array',
        inclusive: true,
        exact: false,
        path,
        message: `Array must contain at most ${String(params.limit)} element(s)`,
      };
    case 'minItems':
      return {
        code: 'too_small',
        minimum: Number(params.limit),
        type: 'array',
        inclusive: true,
        exact: false,
        path,
        message: `Array must contain at least ${String(params.limit)} element(s)`,
      };
    case 'format':
      return {
        code: 'invalid_string',
        validation: String(params.format) === 'date-time' ? 'datetime' : String(params.format),
        path,
        message: `Invalid ${String(params.format) === 'date-time' ? 'datetime' : String(params.format)}`,
      };
    case 'pattern':
      return { code: 'invalid_string', validation: 'regex', path, message: 'Invalid' };
    case 'anyOf':
      return isDateUnion(error.parentSchema)
        ? {
            code: 'invalid_union',
            path,
            message: 'Invalid date: expected YYYY-MM-DD or an RFC 3339 date-time such as 2025-06-01T00:00:00Z',
          }
        : { code: 'invalid_union', path, message: 'Invalid input' };
    case 'additionalProperties':
      return null; // grouped per object by the caller
    default:
      return { code: 'custom', path, message: error.message ?? 'Invalid input' };
  }
}

/** One zod issue per problem: unknown keys of one object make one `unrecognized_keys` issue. */
export function issuesFrom(errors: readonly ErrorObject[]): ZodIssue[] {
  const issues: ZodIssue[] = [];
  const unknownKeys = new Map<string, { issue: ZodIssue; keys: string[] }>();
  // A value of the wrong type fails its other checks too (enum, length…); zod reports the type only.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type' && !e.schemaPath.includes('/anyOf/')).map((e) => e.instancePath));
  for (const error of errors) {
    // The branches of a union report their own failures; the union's single issue says it all.
    if (error.schemaPath.includes('/anyOf/')) continue;
    if (
      error.keyword !== 'type' &&
      error.keyword !== 'additionalProperties' &&
      error.keyword !== 'required' &&
      wrongType.has(error.instancePath)
    )
      continue;
    if (error.keyword === 'additionalProperties') {
      const key = String((error.params as Record<string, unknown>).additionalProperty);
      const group = unknownKeys.get(error.instancePath);
      if (group) {
        group.keys.push(key);
      } else {
        const keys = [key];
        const issue: ZodIssue = { code: 'unrecognized_keys', keys, path: pathOf(error.instancePath), message: '' };
        unknownKeys.set(error.instancePath, { issue, keys });
        issues.push(issue);
      }
      continue;
    }
    const issue = issueOf(error);
    if (issue) issues.push(issue);
  }
  for (const { issue, keys } of unknownKeys.values()) {
    issue.message = `Unrecognized key(s) in object: ${keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return issues;
}

export type BodyCheck =
  | { readonly ok: true; readonly body: Record<string, unknown>; readonly ignoredFields: readonly string[] }
  | { readonly ok: false; readonly issues: readonly ZodIssue[] };

const describePath = (path: readonly (string | number)[], key: string): string => [...path, key].join('.');

/**
 * Checks a parsed JSON body. With `ignoreUnknownFields` unknown keys are stripped (and named
 * in `ignoredFields`) instead of rejected, as `?ignore_unknown_fields=true` asks the server.
 */
export function checkLeadUpdateBody(value: unknown, ignoreUnknownFields: boolean): BodyCheck {
  if (validateStrict(value)) return { ok: true, body: value as Record<string, unknown>, ignoredFields: [] };
  const strictIssues = issuesFrom(validateStrict.errors ?? []);
  if (!ignoreUnknownFields) return { ok: false, issues: strictIssues };
  const ignoredFields = strictIssues
    .filter((issue) => issue.code === 'unrecognized_keys')
    .flatMap((issue) => (issue.keys ?? []).map((key) => describePath(issue.path, key)));
  const copy: unknown = structuredClone(value);
  if (validateStripping(copy)) return { ok: true, body: copy as Record<string, unknown>, ignoredFields };
  return { ok: false, issues: issuesFrom(validateStripping.errors ?? []) };
}

/** A one-line summary for the error message, e.g. "status: Invalid enum value…; Unrecognized key(s)…". */
export function summarizeIssues(issues: readonly ZodIssue[]): string {
  return issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}
