// Validators for the read endpoints' answers, straight from openapi-reads.json (ajv resolves its
// $refs), plus a check the document cannot make itself: no key it does not name.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readsDocument, readSchemas, listEndpoints, type ListEndpoint } from '../../../app/propexo/read-codecs.ts';

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'reads', components: readsDocument.components });

const validatorOf = (schema: string) => {
  const validate = ajv.getSchema(`reads#/components/schemas/${schema}`);
  if (!validate) throw new Error(`no schema ${schema}`);
  return validate;
};

type Node = { readonly properties?: Readonly<Record<string, Node>>; readonly items?: Node; readonly $ref?: string };
const resolve = (node: Node): Node => (node.$ref ? (readSchemas[node.$ref.replace('#/components/schemas/', '')] as Node) : node);

/** The item schema of a list endpoint's output. */
export const itemSchemaOf = (endpoint: ListEndpoint): Node =>
  resolve((readSchemas[listEndpoints[endpoint].output] as Node).properties?.results?.items ?? {});

/** Problems of a list answer: schema violations and keys the item schema does not name. */
export function listProblems(endpoint: ListEndpoint, body: unknown): string[] {
  const validate = validatorOf(listEndpoints[endpoint].output);
  const problems = validate(body) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  const known = new Set(Object.keys(itemSchemaOf(endpoint).properties ?? {}));
  const results = (body as { results?: Record<string, unknown>[] }).results ?? [];
  for (const item of results) for (const key of Object.keys(item)) if (!known.has(key)) problems.push(`${endpoint}: unknown key ${key}`);
  return [...new Set(problems)];
}

/** Problems of a `GET /v1/leads/{id}` answer. */
export function leadProblems(body: unknown): string[] {
  const validate = validatorOf('_v1_leads_{id}_get_output');
  const problems = validate(body) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  const known = new Set(Object.keys(readSchemas.Lead.properties ?? {}));
  for (const key of Object.keys((body as { results?: Record<string, unknown> }).results ?? {}))
    if (!known.has(key)) problems.push(`lead: unknown key ${key}`);
  return problems;
}
