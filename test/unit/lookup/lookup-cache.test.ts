// The run folder's lookup cache: written next to the journal and read back; a torn or foreign file reads as empty.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cachedLeadMatches,
  emptyLookupCache,
  LOOKUP_CACHE_FILE,
  readLookupCache,
  withLookups,
  writeLookupCache,
} from '../../../app/lookup/lookup-cache.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('lookup cache', () => {
  it('keeps lead matches per key kind and scope, and lists per endpoint and scope', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookups-'));
    const scope = { integrationId: 'int_1', propertyId: 'prop_1' };
    const matches = new Map([
      ['GC1', { outcome: 'matched' as const, kind: 'x_id' as const, key: 'GC1', leadId: 'lead_1', propertyId: 'prop_1' }],
    ]);
    const list = { endpoint: 'lead-sources', scope: 'int_1/prop_1', items: [{ id: 'ls_1', names: ['Zillow'], propertyId: 'prop_1' }] };
    const cache = withLookups(emptyLookupCache(), 'x_id', scope, matches, [list]);
    await writeLookupCache(dir, cache);
    const read = await readLookupCache(dir);
    expect(read).toEqual(cache);
    expect(cachedLeadMatches(read, 'x_id', scope)).toEqual(matches);
    expect(cachedLeadMatches(read, 'email_1', scope).size).toBe(0);
    expect(cachedLeadMatches(read, 'x_id', { integrationId: 'int_1' }).size).toBe(0);
  });

  it('reads a missing, torn or foreign file as empty', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookups-'));
    expect(await readLookupCache(dir)).toEqual(emptyLookupCache());
    await writeFile(join(dir, LOOKUP_CACHE_FILE), '{"version":1,"lists":[');
    expect(await readLookupCache(dir)).toEqual(emptyLookupCache());
    await writeFile(join(dir, LOOKUP_CACHE_FILE), '{"version":2,"lists":[],"leads":{}}');
    expect(await readLookupCache(dir)).toEqual(emptyLookupCache());
  });
});
