// The list endpoints: their query read and checked as Propexo's zod would (offset, limit 1–250,
// order-by, the filters the OpenAPI document gives each endpoint, with its patterns and enums),
// then the matching items, sorted and cut to one page with `meta`.
import { defaultPageSize, filtersOf, maxPageSize, pagingParameters, type ListEndpoint } from '../propexo/read-codecs.ts';
import type { LeadState } from './lead-state.ts';
import type { IndexedLeadKey, Item, JsonValue, SeedWorld } from './seed-data.ts';
import type { ZodIssue } from './wire.ts';

export interface ListQuery {
  readonly offset: number;
  readonly limit: number;
  readonly orderBy: { readonly field: string; readonly direction: 'asc' | 'desc' };
  readonly filters: readonly (readonly [name: string, value: string])[];
}

export type ParsedListQuery = { readonly ok: true; readonly query: ListQuery } | { readonly ok: false; readonly issues: ZodIssue[] };

const wholeNumber = /^\d+$/;

export function parseListQuery(endpoint: ListEndpoint, search: URLSearchParams): ParsedListQuery {
  const issues: ZodIssue[] = [];
  const known = filtersOf(endpoint);
  const unknown = [...new Set(search.keys())].filter((key) => !known.has(key) && !pagingParameters.includes(key));
  if (unknown.length > 0)
    issues.push({
      code: 'unrecognized_keys',
      keys: unknown,
      path: [],
      message: `Unrecognized key(s) in object: ${unknown.map((k) => `'${k}'`).join(', ')}`,
    });

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = search.get(name);
    if (raw === null || raw === '') return fallback;
    if (!wholeNumber.test(raw)) {
      issues.push({
        code: 'invalid_type',
        expected: 'integer',
        received: 'string',
        path: [name],
        message: `Expected a whole number, received '${raw}'`,
      });
      return fallback;
    }
    const n = Number(raw);
    if (n < min)
      issues.push({
        code: 'too_small',
        minimum: min,
        inclusive: true,
        type: 'number',
        path: [name],
        message: `Number must be greater than or equal to ${min}`,
      });
    if (n > max)
      issues.push({
        code: 'too_big',
        maximum: max,
        inclusive: true,
        type: 'number',
        path: [name],
        message: `Number must be less than or equal to ${max}`,
      });
    return n;
  };
  const offset = integer('offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = integer('limit', defaultPageSize, 1, maxPageSize);

  const orderRaw = search.get('order-by') ?? 'created_at:desc';
  const order = /^([a-z0-9_]+)(?::(asc|desc))?$/.exec(orderRaw);
  if (!order)
    issues.push({
      code: 'invalid_string',
      validation: 'regex',
      path: ['order-by'],
      message: `Expected 'field', 'field:asc' or 'field:desc', received '${orderRaw}'`,
    });
  const orderBy = { field: order?.[1] ?? 'created_at', direction: order?.[2] === 'desc' ? ('desc' as const) : ('asc' as const) };

  const filters: (readonly [string, string])[] = [];
  for (const [name, value] of search) {
    const schema = known.get(name);
    if (schema === undefined) continue;
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
      issues.push({
        code: 'invalid_string',
        validation: 'regex',
        path: [name],
        message: `Invalid ${name}: '${value}' does not match ${schema.pattern}`,
      });
    } else if (schema.enum !== undefined && !schema.enum.includes(value)) {
      issues.push({
        code: 'invalid_enum_value',
        options: [...schema.enum],
        received: value,
        path: [name],
        message: `Invalid enum value. Expected ${schema.enum.map((v) => `'${v}'`).join(' | ')}, received '${value}'`,
      });
    } else filters.push([name, value]);
  }
  // The document: "When using this, the Propexo `property_id` filter must be added as well."
  if (search.has('unit_number') && !search.has('property_id')) {
    issues.push({ code: 'custom', path: ['unit_number'], message: 'unit_number needs the property_id filter as well' });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, query: { offset, limit, orderBy, filters } };
}

/** The item field a filter compares with (by default, the field of the same name). */
function fieldOf(endpoint: ListEndpoint, filter: string): string {
  if (endpoint === 'units' && filter === 'unit_number') return 'number';
  if (endpoint === 'integrations' && filter === 'integration_vendor') return 'vendor';
  return filter;
}

function matches(endpoint: ListEndpoint, item: Item, name: string, value: string): boolean {
  // No archived integrations exist: "include archived" changes nothing.
  if (endpoint === 'integrations' && name === 'is_archived') return true;
  const actual: JsonValue | undefined = item[fieldOf(endpoint, name)];
  if (typeof actual === 'boolean') return String(actual) === value.toLowerCase();
  return actual === value;
}

function compare(a: JsonValue | undefined, b: JsonValue | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

export interface ListAnswer {
  readonly meta: {
    readonly offset: number;
    readonly limit: number;
    readonly orderBy: Record<string, string>[];
    readonly hasMore: boolean;
    readonly total: number;
  };
  readonly results: Item[];
}

const page = (query: ListQuery, total: number, results: Item[]): ListAnswer => ({
  meta: {
    offset: query.offset,
    limit: query.limit,
    orderBy: [{ [query.orderBy.field]: query.orderBy.direction }],
    hasMore: query.offset + results.length < total,
    total,
  },
  results,
});

function sortItems(items: Item[], query: ListQuery): Item[] {
  const { field, direction } = query.orderBy;
  const sign = direction === 'asc' ? 1 : -1;
  // Array sort is stable: ties keep the list's own order.
  return items.sort((a, b) => sign * compare(a[field], b[field]));
}

const staticItems = (world: SeedWorld, endpoint: Exclude<ListEndpoint, 'leads'>): readonly Item[] => {
  switch (endpoint) {
    case 'integrations':
      return world.integrations;
    case 'properties':
      return world.properties;
    case 'lead-sources':
      return world.leadSources;
    case 'employees':
      return world.employees;
    case 'units':
      return world.units;
    case 'floor-plans':
      return world.floorPlans;
    case 'lead-relationships':
      return world.leadRelationships;
    case 'address-types':
      return world.addressTypes;
  }
};

const indexedKeys: readonly IndexedLeadKey[] = ['x_id', 'email_1', 'phone_1', 'property_id', 'integration_id'];

const isIndexed = (name: string): name is IndexedLeadKey => (indexedKeys as readonly string[]).includes(name);

/** The seeded leads matching the query's filters, as indexes in created order (newest last). */
function matchingLeads(world: SeedWorld, state: LeadState, query: ListQuery): number[] | 'all' {
  if (query.filters.length === 0) return 'all';
  const changed = new Set<number>();
  for (const id of state.changedIds()) {
    const index = world.indexOfLeadId(id);
    if (index !== undefined) changed.add(index);
  }
  const matchesNow = (index: number): boolean => {
    const lead = state.current(world.leadIdAt(index), false) as Item;
    return query.filters.every(([name, value]) =>
      isIndexed(name) ? world.keyOf(name, lead[name]) === world.keyOf(name, value) : matches('leads', lead, name, value),
    );
  };
  const indexed = query.filters.filter((filter): filter is readonly [IndexedLeadKey, string] => isIndexed(filter[0]));
  if (indexed.length === 0) return Array.from({ length: world.leadCount }, (_, i) => i).filter(matchesNow);
  // Unchanged leads match as seeded: intersect the indexes, building no lead (a scope of 200,000
  // is listed page by page). Changed leads may match now, or no longer: check each of them.
  const lists = indexed.map(([name, value]) => world.seededWhere(name, value)).sort((a, b) => a.length - b.length);
  // A few candidates (an x_id in its integration): check them one by one. Many (a property of an
  // integration): intersect the indexes, building no lead unless another filter needs it.
  const few = lists[0].length <= 1_000;
  const others = few ? [] : lists.slice(1).map((list) => new Set(list));
  const onlyIndexed = indexed.length === query.filters.length;
  const keep = (index: number): boolean => {
    if (changed.has(index)) return false;
    if (few) return (lists.length === 1 && onlyIndexed) || matchesNow(index);
    return others.every((set) => set.has(index)) && (onlyIndexed || matchesNow(index));
  };
  const result = lists[0].filter(keep);
  for (const index of changed) if (matchesNow(index)) result.push(index);
  return result.sort((a, b) => a - b);
}

/** One page of an endpoint's items. Leads unknown to the seed are never listed (GET finds them). */
export function listPage(endpoint: ListEndpoint, query: ListQuery, world: SeedWorld, state: LeadState): ListAnswer {
  if (endpoint !== 'leads') {
    const found = staticItems(world, endpoint).filter((item) =>
      query.filters.every(([name, value]) => matches(endpoint, item, name, value)),
    );
    const sorted = sortItems(found, query);
    return page(query, sorted.length, sorted.slice(query.offset, query.offset + query.limit));
  }
  const leadAt = (index: number): Item => state.current(world.leadIdAt(index), false) as Item;
  const matched = matchingLeads(world, state, query);
  const { field, direction } = query.orderBy;
  if (field === 'created_at' || field === 'id') {
    // Seeded leads are created in index order (and their ids follow it): no need to build them all to sort.
    const total = matched === 'all' ? world.leadCount : matched.length;
    const at = (position: number): number => {
      const k = direction === 'asc' ? position : total - 1 - position;
      return matched === 'all' ? k : matched[k];
    };
    const results: Item[] = [];
    for (let p = query.offset; p < Math.min(total, query.offset + query.limit); p++) results.push(leadAt(at(p)));
    return page(query, total, results);
  }
  const all = (matched === 'all' ? Array.from({ length: world.leadCount }, (_, i) => i) : matched).map(leadAt);
  const sorted = sortItems(all, query);
  return page(query, sorted.length, sorted.slice(query.offset, query.offset + query.limit));
}
