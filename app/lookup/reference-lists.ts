// The lists names are resolved against (lead sources, employees, units, floor plans, lead
// relationships, address types), each read whole once per run and kept: seeded from the run
// folder's cache, so resume, retry and a re-check read none of them again. A list is read in the
// run's scope (the file's property, else the whole integration) and narrowed here to the
// property a row's names belong to (its lead's): ten properties cost one read of each list, not
// ten. Listing is chosen over per-value filters (`unit_number`): a list of a scope is a page or
// two, where per-value asks cost one request per distinct (property, value) the rows name.
import { maxPageSize, type ListEndpoint } from '../propexo/read-codecs.ts';
import type { CachedList } from './lookup-codecs.ts';
import type { LookupReader } from './lookup-reader.ts';
import type { LeadScope } from './lead-matcher.ts';
import { scopeFilters } from './lead-matcher.ts';

export type ReferenceEndpoint = Extract<
  ListEndpoint,
  'lead-sources' | 'employees' | 'units' | 'floor-plans' | 'lead-relationships' | 'address-types'
>;

export type ReferenceItem = CachedList['items'][number];

/** The names each list's items answer to (a person writes any of them). */
const namesOf: { readonly [E in ReferenceEndpoint]: (item: Record<string, unknown>) => readonly unknown[] } = {
  'lead-sources': (item) => [item.name],
  employees: (item) => [item.name, item.email],
  units: (item) => [item.number],
  'floor-plans': (item) => [item.name, item.marketing_name, item.code],
  'lead-relationships': (item) => [item.name],
  'address-types': (item) => [item.name],
};

export const scopeKey = (scope: LeadScope): string => `${scope.integrationId}/${scope.propertyId ?? '*'}`;

export interface ReferenceLists {
  /** The items of this scope, from the list of the run's scope read on first use. */
  get(endpoint: ReferenceEndpoint, scope: LeadScope): Promise<readonly ReferenceItem[]>;
  /** Every list read or seeded so far (for the cache). */
  lists(): readonly CachedList[];
}

/**
 * `readScope` is the run's scope, each list is read in: a scope asked with another property is
 * that list narrowed to the property's items. Without it, each scope asked is read as it is.
 */
export function createReferenceLists(reader: LookupReader, seeded: readonly CachedList[] = [], readScope?: LeadScope): ReferenceLists {
  const cache = new Map<string, Promise<readonly ReferenceItem[]>>();
  const done = new Map<string, CachedList>();
  for (const list of seeded) {
    done.set(`${list.endpoint}|${list.scope}`, list);
    cache.set(`${list.endpoint}|${list.scope}`, Promise.resolve(list.items));
  }

  async function read(endpoint: ReferenceEndpoint, scope: LeadScope): Promise<readonly ReferenceItem[]> {
    const filters = scopeFilters(scope);
    const first = await reader.page(endpoint, filters, 0, maxPageSize, 'created_at:asc');
    const total = first.meta.total ?? first.results.length;
    const rest = await Promise.all(
      Array.from({ length: Math.max(0, Math.ceil(total / maxPageSize) - 1) }, (_, i) =>
        reader.page(endpoint, filters, (i + 1) * maxPageSize, maxPageSize, 'created_at:asc'),
      ),
    );
    const byId = new Map<string, ReferenceItem>();
    for (const page of [first, ...rest]) {
      for (const item of page.results as readonly Record<string, unknown>[]) {
        const names = namesOf[endpoint](item).filter((name): name is string => typeof name === 'string' && name.trim() !== '');
        byId.set(String(item.id), { id: String(item.id), names, propertyId: String(item.property_id) });
      }
    }
    const items = [...byId.values()];
    done.set(`${endpoint}|${scopeKey(scope)}`, { endpoint, scope: scopeKey(scope), items });
    return items;
  }

  function whole(endpoint: ReferenceEndpoint, scope: LeadScope): Promise<readonly ReferenceItem[]> {
    const key = `${endpoint}|${scopeKey(scope)}`;
    let list = cache.get(key);
    if (list === undefined) {
      list = read(endpoint, scope);
      // A failed read is not kept: the next row that needs the list tries again.
      list.catch(() => cache.delete(key));
      cache.set(key, list);
    }
    return list;
  }

  return {
    async get(endpoint, scope) {
      const within =
        readScope !== undefined &&
        readScope.integrationId === scope.integrationId &&
        (readScope.propertyId === undefined || readScope.propertyId === scope.propertyId);
      const readIn = within ? readScope : scope;
      const items = await whole(endpoint, readIn);
      const { propertyId } = scope;
      return propertyId === undefined || propertyId === readIn.propertyId ? items : items.filter((item) => item.propertyId === propertyId);
    },
    lists: () => [...done.values()],
  };
}
