// The target fields, derived from Propexo's schema: each property's JSON-schema shape
// decides how its cells are read. Only meanings the schema cannot express (money, e-mail)
// are added here, by name.
import { leadUpdateInputSchema, leadFieldNames, type JsonSchema, type LeadFieldName } from '../propexo/schema.ts';

export type { LeadFieldName };

export type FieldKind =
  | { readonly kind: 'string' }
  | { readonly kind: 'email' }
  | { readonly kind: 'char' }
  | { readonly kind: 'integer'; readonly minimum: number | undefined }
  | { readonly kind: 'number'; readonly minimum: number | undefined; readonly nullable: boolean }
  /** `*_in_cents`: the schema's number or integer, read from dollars or cents. */
  | { readonly kind: 'money'; readonly integer: boolean; readonly minimum: number | undefined; readonly nullable: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'date' }
  | { readonly kind: 'list'; readonly maxItems: number | undefined }
  /** Anything the schema holds that a spreadsheet cell cannot express (deprecated `events`). */
  | { readonly kind: 'unsupported' };

export interface FieldSpec {
  readonly name: LeadFieldName;
  readonly description: string;
  readonly deprecated: boolean;
  /** For deprecated fields: the field the schema says to use instead. */
  readonly replacedBy: LeadFieldName | undefined;
  readonly type: FieldKind;
}

const typesOf = (schema: JsonSchema): readonly string[] =>
  schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;

function kindOf(name: string, schema: JsonSchema): FieldKind {
  const types = typesOf(schema);
  const nullable = types.includes('null');
  if (schema.anyOf && schema.anyOf.some((s) => s.format === 'date-time' || s.pattern !== undefined)) {
    return { kind: 'date' };
  }
  if (types.includes('integer') || types.includes('number')) {
    const integer = types.includes('integer');
    if (name.endsWith('_in_cents')) return { kind: 'money', integer, minimum: schema.minimum, nullable };
    return integer ? { kind: 'integer', minimum: schema.minimum } : { kind: 'number', minimum: schema.minimum, nullable };
  }
  if (types.includes('boolean')) return { kind: 'boolean' };
  if (types.includes('array')) {
    return schema.items && typesOf(schema.items).includes('string') ? { kind: 'list', maxItems: schema.maxItems } : { kind: 'unsupported' };
  }
  if (types.includes('string')) {
    if (schema.enum) return { kind: 'enum', values: schema.enum };
    if (schema.minLength === 1 && schema.maxLength === 1) return { kind: 'char' };
    if (name.startsWith('email')) return { kind: 'email' };
    return { kind: 'string' };
  }
  return { kind: 'unsupported' };
}

function replacementOf(schema: JsonSchema): LeadFieldName | undefined {
  const match = /Use (\w+) instead/.exec(schema.description ?? '');
  const candidate = match?.[1];
  return candidate !== undefined && (leadFieldNames as readonly string[]).includes(candidate) ? (candidate as LeadFieldName) : undefined;
}

export const fieldSpecs: readonly FieldSpec[] = leadFieldNames.map((name) => {
  const schema = leadUpdateInputSchema.properties[name];
  return {
    name,
    description: schema.description ?? '',
    deprecated: schema.deprecated === true,
    replacedBy: replacementOf(schema),
    type: kindOf(name, schema),
  };
});

export const fieldSpecByName: ReadonlyMap<LeadFieldName, FieldSpec> = new Map(fieldSpecs.map((f) => [f.name, f]));

export const isLeadFieldName = (name: string): name is LeadFieldName => fieldSpecByName.has(name as LeadFieldName);

/** The field whose column gives the lead's id for the request path. */
export const LEAD_ID_FIELD: LeadFieldName = 'lead_id';
