// The read side of Propexo's API, from its own OpenAPI excerpt (openapi-reads.json): which list
// endpoints there are, which filters each takes, and io-ts codecs for the page envelope and for
// the items the importer reads. Item codecs name only the fields lookups and previews use; their
// keys are checked against the document at compile time (`FieldsOf`) and their types at test
// time (test/unit/propexo/read-codecs.test.ts compares each with the document's property schema).
import * as t from 'io-ts';
import readsDocument from './openapi-reads.json' with { type: 'json' };
import type { JsonSchema } from './schema.ts';

export { readsDocument };

type Schemas = (typeof readsDocument)['components']['schemas'];
type ItemsOf<S extends keyof Schemas> = Schemas[S] extends { properties: { results: { items: { properties: infer P } } } } ? P : never;

/** Codecs for some of a schema's properties: a key the document does not have does not compile. */
type FieldsOf<P> = { readonly [K in keyof P]?: t.Mixed };

const nullable = <C extends t.Mixed>(codec: C) => t.union([codec, t.null]);
const str = t.string;
const strOrNull = nullable(t.string);
const numOrNull = nullable(t.number);
/** A whole number, as a plain `number` (t.Int would brand it). */
const Integer = new t.Type<number, number, unknown>(
  'Integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u),
  (u, c) => (typeof u === 'number' && Number.isInteger(u) ? t.success(u) : t.failure(u, c, 'expected a whole number')),
  t.identity,
);
const intOrNull = nullable(Integer);
const boolOrNull = nullable(t.boolean);
const strings = t.array(t.string);

/** `ResponseMeta`: the document requires only `orderBy`; the others are read when present. */
export const ResponseMeta = t.intersection(
  [t.type({ orderBy: t.array(t.unknown) }), t.partial({ offset: t.number, limit: t.number, hasMore: boolOrNull, total: t.number })],
  'ResponseMeta',
);
export type ResponseMeta = t.TypeOf<typeof ResponseMeta>;

const leadFields = {
  id: str,
  created_at: str,
  updated_at: str,
  x_id: str,
  x_guestcard_id: strOrNull,
  integration_id: str,
  integration_vendor: str,
  property_id: str,
  first_name: strOrNull,
  middle_name: strOrNull,
  last_name: strOrNull,
  email_1: strOrNull,
  email_2: strOrNull,
  phone_1: strOrNull,
  phone_1_type: strOrNull,
  phone_2: strOrNull,
  phone_2_type: strOrNull,
  status: strOrNull,
  lead_source: strOrNull,
  lead_source_id: strOrNull,
  x_lead_source_id: strOrNull,
  leasing_agent: strOrNull,
  x_leasing_agent_id: strOrNull,
  desired_floor_plan_id: strOrNull,
  desired_floor_plan_name: strOrNull,
  unit_id_preferred: strings,
  x_unit_id_preferred: strings,
  desired_unit_number: strOrNull,
  desired_unit_type: strOrNull,
  target_move_in_date: strOrNull,
  date_of_birth: strOrNull,
  desired_num_bedrooms: intOrNull,
  desired_num_bathrooms: numOrNull,
  desired_max_rent_in_cents: numOrNull,
  desired_min_rent_in_cents: numOrNull,
  desired_lease_term_in_months: strOrNull,
  number_of_occupants: intOrNull,
  address_1: strOrNull,
  address_2: strOrNull,
  city: strOrNull,
  state: strOrNull,
  zip: strOrNull,
  country: strOrNull,
  notes: strOrNull,
} satisfies FieldsOf<Schemas['Lead']['properties']>;

/** `Lead` (the fields a lookup or a preview reads). */
export const Lead = t.type(leadFields, 'Lead');
export type Lead = t.TypeOf<typeof Lead>;

const scoped = { id: str, x_id: str, integration_id: str, property_id: str };

export const Integration = t.type(
  { id: str, name: str, vendor: str, active: t.boolean, is_archived: t.boolean } satisfies FieldsOf<
    ItemsOf<'_v1_admin_integrations__get_output'>
  >,
  'Integration',
);
export type Integration = t.TypeOf<typeof Integration>;

export const Property = t.type(
  {
    id: str,
    x_id: str,
    integration_id: str,
    integration_vendor: str,
    name: strOrNull,
    code: strOrNull,
    is_active: boolOrNull,
  } satisfies FieldsOf<Schemas['Property']['properties']>,
  'Property',
);
export type Property = t.TypeOf<typeof Property>;

export const LeadSource = t.type({ ...scoped, name: strOrNull } satisfies FieldsOf<Schemas['LeadSource']['properties']>, 'LeadSource');
export type LeadSource = t.TypeOf<typeof LeadSource>;

export const Employee = t.type(
  { ...scoped, name: strOrNull, email: strOrNull, is_active: boolOrNull } satisfies FieldsOf<Schemas['Employee']['properties']>,
  'Employee',
);
export type Employee = t.TypeOf<typeof Employee>;

export const Unit = t.type(
  { ...scoped, number: strOrNull, floor_plan_id: strOrNull, floor_plan_name: strOrNull } satisfies FieldsOf<
    ItemsOf<'_v1_units__get_output'>
  >,
  'Unit',
);
export type Unit = t.TypeOf<typeof Unit>;

export const FloorPlan = t.type(
  { ...scoped, name: str, marketing_name: strOrNull, code: strOrNull } satisfies FieldsOf<Schemas['FloorPlan']['properties']>,
  'FloorPlan',
);
export type FloorPlan = t.TypeOf<typeof FloorPlan>;

export const LeadRelationship = t.type(
  { ...scoped, name: str } satisfies FieldsOf<Schemas['LeadRelationship']['properties']>,
  'LeadRelationship',
);
export type LeadRelationship = t.TypeOf<typeof LeadRelationship>;

export const AddressType = t.type(
  { ...scoped, name: str, description: strOrNull } satisfies FieldsOf<Schemas['AddressType']['properties']>,
  'AddressType',
);
export type AddressType = t.TypeOf<typeof AddressType>;

/** A page of a list endpoint: `{ meta, results: [...] }`. */
export const ListPage = <C extends t.Mixed>(item: C) => t.type({ meta: ResponseMeta, results: t.array(item) }, `ListPage<${item.name}>`);
export interface ListPage<A> {
  readonly meta: ResponseMeta;
  readonly results: A[];
}

/** `GET /v1/leads/{id}`: `{ meta, results: Lead }`. */
export const LeadAnswer = t.type({ meta: ResponseMeta, results: Lead }, 'LeadAnswer');

/** The list endpoints, by the name this app gives them: path, item codec, the document's output schema. */
export const listEndpoints = {
  integrations: { path: '/v1/admin/integrations/', item: Integration, output: '_v1_admin_integrations__get_output' },
  properties: { path: '/v1/properties/', item: Property, output: '_v1_properties__get_output' },
  leads: { path: '/v1/leads/', item: Lead, output: '_v1_leads__get_output' },
  'lead-sources': { path: '/v1/lead-sources/', item: LeadSource, output: '_v1_lead-sources__get_output' },
  employees: { path: '/v1/employees/', item: Employee, output: '_v1_employees__get_output' },
  units: { path: '/v1/units/', item: Unit, output: '_v1_units__get_output' },
  'floor-plans': { path: '/v1/floor-plans/', item: FloorPlan, output: '_v1_floor-plans__get_output' },
  'lead-relationships': { path: '/v1/lead-relationships/', item: LeadRelationship, output: '_v1_lead-relationships__get_output' },
  'address-types': { path: '/v1/address-types/', item: AddressType, output: '_v1_address-types__get_output' },
} as const satisfies Readonly<
  Record<string, { readonly path: keyof (typeof readsDocument)['paths']; readonly item: t.Mixed; readonly output: keyof Schemas }>
>;

export type ListEndpoint = keyof typeof listEndpoints;
export type ListItem<E extends ListEndpoint> = t.TypeOf<(typeof listEndpoints)[E]['item']>;
export const listEndpointNames = Object.keys(listEndpoints) as ListEndpoint[];

/** Every list takes these; they are not filters. */
export const pagingParameters: readonly string[] = ['offset', 'limit', 'order-by'];
/** The document's `limit` maximum (and API.md: 1–250). */
export const maxPageSize = 250;
export const defaultPageSize = 100;

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: JsonSchema;
}

const operationOf = (path: string): { readonly parameters?: readonly Parameter[] } =>
  (readsDocument.paths as unknown as Record<string, { readonly get: { readonly parameters?: readonly Parameter[] } }>)[path].get;

/** The query filters the document gives an endpoint (paging parameters excluded), with their schemas. */
export function filtersOf(endpoint: ListEndpoint): ReadonlyMap<string, JsonSchema> {
  const parameters = operationOf(listEndpoints[endpoint].path).parameters ?? [];
  return new Map(parameters.filter((p) => p.in === 'query' && !pagingParameters.includes(p.name)).map((p) => [p.name, p.schema ?? {}]));
}

/** The document's schemas, for tests and the simulator (blank items, contract checks). */
export const readSchemas = readsDocument.components.schemas as unknown as Readonly<
  Record<string, JsonSchema & { readonly required?: readonly string[]; readonly $ref?: string }>
>;
