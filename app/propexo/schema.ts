// Propexo's own OpenAPI excerpt, vendored so the packaged app carries it; a test checks it
// is byte-identical to shared/propexo/openapi-lead-update.json (test/unit/propexo/vendored-documents.test.ts).
import openApiDocument from './openapi-lead-update.json' with { type: 'json' };

export { openApiDocument };

export type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly enum?: readonly string[];
  readonly minimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly format?: string;
  readonly pattern?: string;
  readonly anyOf?: readonly JsonSchema[];
  readonly items?: JsonSchema;
  readonly deprecated?: boolean;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
};

const schemas = openApiDocument.components.schemas;

/** The body of `PUT /v1/leads/{id}`: `_v1_leads_{id}_put_input`. */
export const leadUpdateInputSchema = schemas['_v1_leads_{id}_put_input'] as unknown as JsonSchema & {
  properties: Record<LeadFieldName, JsonSchema>;
};

/** The 49 property names, typed from the JSON itself so no list is written twice. */
export type LeadFieldName = keyof (typeof schemas)['_v1_leads_{id}_put_input']['properties'];

export const leadFieldNames = Object.keys(leadUpdateInputSchema.properties) as LeadFieldName[];
