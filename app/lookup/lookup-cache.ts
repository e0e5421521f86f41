// What lookups learned, kept in the run folder next to the journal (`lookups.json`): the
// reference lists read and the lead matches decided, so that resume, retry and a re-check of
// the same run read none of them again. Written whole and atomically after each check; a file
// that is missing, torn or of another version is read as empty (the lookups are then made again,
// which costs requests but never a wrong answer: the cache only ever holds what Propexo said).
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { writeFileAtomic } from '../run/atomic-write.ts';
import { errorCode, nodeRunFs, type RunFs } from '../run/run-fs.ts';
import { LookupCacheFile, type CachedList, type LeadMatch } from './lookup-codecs.ts';
import type { LeadKeyKind } from './lead-keys.ts';
import type { LeadScope } from './lead-matcher.ts';
import { scopeKey } from './reference-lists.ts';

export const LOOKUP_CACHE_FILE = 'lookups.json';

export const emptyLookupCache = (): LookupCacheFile => ({ version: 1, lists: [], leads: {} });

const leadPrefix = (kind: LeadKeyKind, scope: LeadScope): string => `${kind}|${scopeKey(scope)}|`;

/** The lead matches the cache holds for this key kind and scope, by key. */
export function cachedLeadMatches(cache: LookupCacheFile, kind: LeadKeyKind, scope: LeadScope): Map<string, LeadMatch> {
  const prefix = leadPrefix(kind, scope);
  const found = new Map<string, LeadMatch>();
  for (const [name, match] of Object.entries(cache.leads)) if (name.startsWith(prefix)) found.set(name.slice(prefix.length), match);
  return found;
}

/** The cache with these matches and lists added (lists replace those of the same endpoint and scope). */
export function withLookups(
  cache: LookupCacheFile,
  kind: LeadKeyKind,
  scope: LeadScope,
  matches: ReadonlyMap<string, LeadMatch>,
  lists: readonly CachedList[],
): LookupCacheFile {
  const prefix = leadPrefix(kind, scope);
  const leads = { ...cache.leads };
  for (const [key, match] of matches) leads[prefix + key] = match;
  const named = new Map(cache.lists.map((list) => [`${list.endpoint}|${list.scope}`, list]));
  for (const list of lists) named.set(`${list.endpoint}|${list.scope}`, list);
  return { version: 1, lists: [...named.values()], leads };
}

/** The run folder's cache; empty when there is none or it cannot be read (see the head of this file). */
export async function readLookupCache(runDir: string, fs: RunFs = nodeRunFs): Promise<LookupCacheFile> {
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(join(runDir, LOOKUP_CACHE_FILE)));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return emptyLookupCache();
    throw error;
  }
  try {
    const decoded = LookupCacheFile.decode(JSON.parse(text));
    return E.isRight(decoded) ? decoded.right : emptyLookupCache();
  } catch {
    return emptyLookupCache();
  }
}

export async function writeLookupCache(runDir: string, cache: LookupCacheFile, fs: RunFs = nodeRunFs): Promise<void> {
  await writeFileAtomic(fs, join(runDir, LOOKUP_CACHE_FILE), `${JSON.stringify(LookupCacheFile.encode(cache))}\n`);
}
