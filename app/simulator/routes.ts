// Which endpoint a request is for. Paths are matched exactly as the OpenAPI document spells
// them (write logs keep their trailing slash), so a client that builds a wrong URL finds out here.
import type { Endpoint } from './record.ts';

export type Route =
  | { readonly endpoint: 'update-lead'; readonly leadId: string }
  | { readonly endpoint: 'write-status'; readonly jobId: string }
  | { readonly endpoint: 'retry-write'; readonly jobId: string }
  | { readonly endpoint: 'write-logs' }
  | { readonly endpoint: 'unknown' };

const decode = (segment: string): string | null => {
  try {
    const value = decodeURIComponent(segment);
    return value === '' ? null : value;
  } catch {
    return null;
  }
};

const patterns: readonly { readonly method: string; readonly pattern: RegExp; readonly endpoint: Exclude<Endpoint, 'unknown'> }[] = [
  { method: 'PUT', pattern: /^\/v1\/leads\/([^/]+)$/, endpoint: 'update-lead' },
  { method: 'GET', pattern: /^\/v1\/admin\/write-status\/([^/]+)$/, endpoint: 'write-status' },
  { method: 'POST', pattern: /^\/v1\/admin\/retry-write\/([^/]+)$/, endpoint: 'retry-write' },
  { method: 'GET', pattern: /^\/v1\/admin\/logs\/writes\/$/, endpoint: 'write-logs' },
];

export function matchRoute(method: string, pathname: string): Route {
  for (const p of patterns) {
    if (p.method !== method) continue;
    const match = p.pattern.exec(pathname);
    if (!match) continue;
    if (p.endpoint === 'write-logs') return { endpoint: 'write-logs' };
    const id = decode(match[1] ?? '');
    if (id === null) return { endpoint: 'unknown' };
    return p.endpoint === 'update-lead' ? { endpoint: 'update-lead', leadId: id } : { endpoint: p.endpoint, jobId: id };
  }
  return { endpoint: 'unknown' };
}
