// Reading Propexo: one page of a list endpoint, or one lead's current values. Reads go through
// the same transport as writes (client.ts: key, timeout, `onResponse` rate headers, failure
// classification, redaction), so a caller that feeds `onResponse` to the run's budget paces
// reads and writes as one. Like the write client it neither retries nor paces by itself.
import type * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import {
  createPropexoTransport,
  pathSegment,
  type PropexoClientOptions,
  type PropexoResult,
  type PropexoTransport,
  type RequestOptions,
} from './client.ts';
import {
  defaultPageSize,
  filtersOf,
  LeadAnswer,
  ListPage,
  listEndpoints,
  maxPageSize,
  type Lead,
  type ListEndpoint,
  type ListItem,
  type ListPage as ListPageOf,
} from './read-codecs.ts';

/** Filters by the document's query parameter names, e.g. `{ x_id: 'GC-1001', integration_id: 'int_1' }`. */
export type ListFilters = Readonly<Record<string, string>>;

export interface ListPageRequest extends RequestOptions {
  /** `order-by`, e.g. 'created_at:desc' (the API's default). */
  readonly orderBy?: string;
}

export interface PropexoReadClient {
  readonly baseUrl: string;
  /** `GET <list path>?<filters>&offset=…&limit=…`: one page, `limit` 1–250. */
  listPage<E extends ListEndpoint>(
    endpoint: E,
    filters: ListFilters,
    offset: number,
    limit: number,
    options?: ListPageRequest,
  ): Promise<PropexoResult<ListPageOf<ListItem<E>>>>;
  /** `GET /v1/leads/{id}`: the lead's current values. */
  getLead(leadId: string, options?: RequestOptions): Promise<PropexoResult<Lead>>;
}

/** Why these arguments cannot make a request, or null (checked before anything is sent). */
export function checkListRequest(endpoint: ListEndpoint, filters: ListFilters, offset: number, limit: number): string | null {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) return `The page size must be 1–${maxPageSize} (got ${limit})`;
  if (!Number.isInteger(offset) || offset < 0) return `The offset must be a whole number ≥ 0 (got ${offset})`;
  const known = filtersOf(endpoint);
  for (const [name, value] of Object.entries(filters)) {
    const schema = known.get(name);
    if (schema === undefined) return `${listEndpoints[endpoint].path} has no filter '${name}' (it has ${[...known.keys()].join(', ')})`;
    // The document's own rules for the value (e.g. phone_1: 10 digits): a request Propexo would refuse is not worth its budget.
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
      return `The ${name} filter '${value}' does not have the form Propexo expects (${schema.pattern})`;
    if (schema.enum !== undefined && !schema.enum.includes(value))
      return `The ${name} filter '${value}' is not one of ${schema.enum.join(', ')}`;
  }
  return null;
}

/** A read client over a transport of its own, built from the same options as the write client. */
export function createPropexoReadClient(options: PropexoClientOptions): PropexoReadClient {
  return readClientOver(createPropexoTransport(options));
}

/** A read client over an existing transport (shares its `onResponse`, hence the budget, with the writes). */
export function readClientOver(transport: PropexoTransport): PropexoReadClient {
  const { baseUrl, send, refused } = transport;
  return {
    baseUrl,

    listPage(endpoint, filters, offset, limit, options) {
      const problem = checkListRequest(endpoint, filters, offset, limit);
      if (problem !== null) return refused(problem);
      const query = new URLSearchParams(filters);
      query.set('offset', String(offset));
      query.set('limit', String(limit));
      if (options?.orderBy !== undefined) query.set('order-by', options.orderBy);
      const spec = listEndpoints[endpoint];
      // The page codec of this endpoint's item: its type is the item's, by construction of `listEndpoints`.
      const decoder = ListPage(spec.item) as unknown as t.Decoder<unknown, ListPageOf<ListItem<typeof endpoint>>>;
      return send({ method: 'GET', path: spec.path, query, decoder }, options);
    },

    async getLead(leadId, requestOptions) {
      const id = pathSegment(leadId, 'lead ID');
      if (E.isLeft(id)) return refused(id.left);
      const answer = await send({ method: 'GET', path: `/v1/leads/${id.right}`, decoder: LeadAnswer }, requestOptions);
      return answer.ok ? { ok: true, value: answer.value.results, status: answer.status } : answer;
    },
  };
}

export { defaultPageSize, maxPageSize };
