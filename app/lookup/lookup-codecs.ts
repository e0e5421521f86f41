// The shapes lookups produce and the run folder's cache keeps: io-ts codecs, types from them.
import * as t from 'io-ts';
import { leadKeyKinds, type LeadKeyKind } from './lead-keys.ts';

const LeadKeyKindCodec = t.keyof(Object.fromEntries(leadKeyKinds.map((k) => [k, null])) as Record<LeadKeyKind, null>, 'LeadKeyKind');

/** A lead a row could mean, as the user is shown it. */
export const LeadCandidate = t.type(
  { id: t.string, name: t.string, email: t.union([t.string, t.null]), propertyId: t.string },
  'LeadCandidate',
);
export type LeadCandidate = t.TypeOf<typeof LeadCandidate>;

export const LeadMatch = t.union(
  [
    t.type({
      outcome: t.literal('matched'),
      kind: LeadKeyKindCodec,
      key: t.string,
      leadId: t.string,
      propertyId: t.union([t.string, t.null]),
    }),
    t.type({ outcome: t.literal('not_found'), kind: LeadKeyKindCodec, key: t.string }),
    t.type({ outcome: t.literal('ambiguous'), kind: LeadKeyKindCodec, key: t.string, candidates: t.array(LeadCandidate) }),
  ],
  'LeadMatch',
);
export type LeadMatch = t.TypeOf<typeof LeadMatch>;

/** An item of a reference list as a user is shown it: its id and the names it answers to. */
export const ReferenceCandidate = t.type({ id: t.string, label: t.string, propertyId: t.string }, 'ReferenceCandidate');
export type ReferenceCandidate = t.TypeOf<typeof ReferenceCandidate>;

export const ReferenceResolution = t.union(
  [
    t.type({ outcome: t.literal('resolved'), value: t.string, id: t.string, by: t.union([t.literal('id'), t.literal('name')]) }),
    t.type({ outcome: t.literal('not_found'), value: t.string, suggestions: t.array(ReferenceCandidate) }),
    t.type({ outcome: t.literal('ambiguous'), value: t.string, candidates: t.array(ReferenceCandidate) }),
  ],
  'ReferenceResolution',
);
export type ReferenceResolution = t.TypeOf<typeof ReferenceResolution>;

/** One list read in a scope: the items as the lookup needs them (id, names, property). */
export const CachedList = t.type(
  { endpoint: t.string, scope: t.string, items: t.array(t.type({ id: t.string, names: t.array(t.string), propertyId: t.string })) },
  'CachedList',
);
export type CachedList = t.TypeOf<typeof CachedList>;

/** `lookups.json` in a run folder. */
export const LookupCacheFile = t.type(
  {
    version: t.literal(1),
    lists: t.array(CachedList),
    /** Lead matches by `kind|scope|key`. */
    leads: t.record(t.string, LeadMatch),
  },
  'LookupCacheFile',
);
export type LookupCacheFile = t.TypeOf<typeof LookupCacheFile>;
