// Which endpoint a request is for. Paths are matched exactly as the OpenAPI document spells
// them (write logs keep their trailing slash), so a client that builds a wrong URL finds out here.
import { listEndpointNames, listEndpoints, type ListEndpoint } from '../propexo/read-codecs.ts';

export type Route =
  | { readonly endpoint: 'update-lead'; readonly leadId: string }
  | { readonly endpoint: 'write-status'; readonly jobId: string }
  | { readonly endpoint: 'retry-write'; readonly jobId: string }
  | { readonly endpoint: 'write-logs' }
  | { readonly endpoint: 'get-lead'; readonly leadId: string }
  | { readonly endpoint: `list-${ListEndpoint}`; readonly list: ListEndpoint }
  | { readonly endpoint: 'unknown' };

const decode = (segment: string): string | null => {
  try {
    const value = decodeURIComponent(segment);
    return value === '' ? null : value;
  } catch {
    return null;
  }
};

const patterns: readonly {
  readonly method: string;
  readonly pattern: RegExp;
  readonly endpoint: 'update-lead' | 'write-status' | 'retry-write' | 'write-logs' | 'get-lead';
}[] = [
  { method: 'PUT', pattern: /^\/v1\/leads\/([^/]+)$/, endpoint: 'update-lead' },
  { method: 'GET', pattern: /^\/v1\/admin\/write-status\/([^/]+)$/, endpoint: 'write-status' },
  { method: 'POST', pattern: /^\/v1\/admin\/retry-write\/([^/]+)$/, endpoint: 'retry-write' },
  { method: 'GET', pattern: /^\/v1\/admin\/logs\/writes\/$/, endpoint: 'write-logs' },
  { method: 'GET', pattern: /^\/v1\/leads\/([^/]+)$/, endpoint: 'get-lead' },
];

const listPaths = new Map<string, ListEndpoint>(listEndpointNames.map((name) => [listEndpoints[name].path, name]));

export function matchRoute(method: string, pathname: string): Route {
  const list = method === 'GET' ? listPaths.get(pathname) : undefined;
  if (list !== undefined) return { endpoint: `list-${list}`, list };
  for (const p of patterns) {
    if (p.method !== method) continue;
    const match = p.pattern.exec(pathname);
    if (!match) continue;
    if (p.endpoint === 'write-logs') return { endpoint: 'write-logs' };
    const id = decode(match[1] ?? '');
    if (id === null) return { endpoint: 'unknown' };
    if (p.endpoint === 'update-lead' || p.endpoint === 'get-lead') return { endpoint: p.endpoint, leadId: id };
    return { endpoint: p.endpoint, jobId: id };
  }
  return { endpoint: 'unknown' };
}
