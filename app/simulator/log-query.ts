// Reads the write-logs query string the way the live API does: limits and enums come from the
// OpenAPI document's parameter list; anything out of range is a 400 with zod-style issues.
import { openApiDocument } from '../propexo/schema.ts';
import type { LogQuery, TimeRange } from './job-store.ts';
import type { ZodIssue } from './wire.ts';

interface ParameterSchema {
  readonly name: string;
  readonly schema: { readonly enum?: readonly string[]; readonly minimum?: number; readonly maximum?: number; readonly default?: number };
}

const parameters = openApiDocument.paths['/v1/admin/logs/writes/'].get.parameters as readonly ParameterSchema[];
const parameter = (name: string): ParameterSchema['schema'] => {
  const found = parameters.find((p) => p.name === name);
  if (!found) throw new Error(`The OpenAPI document has no write-logs parameter '${name}'`);
  return found.schema;
};

const limitSchema = parameter('limit');
const offsetSchema = parameter('offset');
const timeRanges = (parameter('time_range').enum ?? []) as readonly TimeRange[];
const statuses = (parameter('status').enum ?? []) as readonly ('SUCCESS' | 'FAILURE')[];
const writeCategories = parameter('write_category').enum ?? [];

const quoteList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(' | ');

function integerParam(
  params: URLSearchParams,
  name: string,
  bounds: { readonly min: number; readonly max: number; readonly fallback: number },
  issues: ZodIssue[],
): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return bounds.fallback;
  if (!/^-?\d+$/.test(raw.trim())) {
    issues.push({
      code: 'invalid_type',
      expected: 'integer',
      received: Number.isNaN(Number(raw)) ? 'nan' : 'float',
      path: [name],
      message: `Expected integer, received '${raw}'`,
    });
    return bounds.fallback;
  }
  const value = Number(raw);
  if (value < bounds.min) {
    issues.push({
      code: 'too_small',
      minimum: bounds.min,
      type: 'number',
      inclusive: true,
      exact: false,
      path: [name],
      message: `Number must be greater than or equal to ${bounds.min}`,
    });
  } else if (value > bounds.max) {
    issues.push({
      code: 'too_big',
      maximum: bounds.max,
      type: 'number',
      inclusive: true,
      exact: false,
      path: [name],
      message: `Number must be less than or equal to ${bounds.max}`,
    });
  }
  return value;
}

function enumParam<T extends string>(params: URLSearchParams, name: string, values: readonly T[], issues: ZodIssue[]): T | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  issues.push({
    code: 'invalid_enum_value',
    options: [...values],
    received: raw,
    path: [name],
    message: `Invalid enum value. Expected ${quoteList(values)}, received '${raw}'`,
  });
  return undefined;
}

export type LogQueryResult = { readonly ok: true; readonly query: LogQuery } | { readonly ok: false; readonly issues: readonly ZodIssue[] };

export function parseLogQuery(params: URLSearchParams): LogQueryResult {
  const issues: ZodIssue[] = [];
  const limit = integerParam(
    params,
    'limit',
    { min: limitSchema.minimum ?? 1, max: limitSchema.maximum ?? 100, fallback: limitSchema.default ?? 100 },
    issues,
  );
  const offset = integerParam(params, 'offset', { min: offsetSchema.minimum ?? 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }, issues);
  const timeRange = enumParam(params, 'time_range', timeRanges, issues);
  const status = enumParam(params, 'status', statuses, issues);
  const writeCategory = enumParam(params, 'write_category', writeCategories, issues);
  const integrationId = params.get('integration_id') ?? undefined;
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    query: {
      limit,
      offset,
      ...(timeRange === undefined ? {} : { timeRange }),
      ...(status === undefined ? {} : { status }),
      ...(writeCategory === undefined ? {} : { writeCategory }),
      ...(integrationId === undefined || integrationId === '' ? {} : { integrationId }),
    },
  };
}
