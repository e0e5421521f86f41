// Names to ids: "Zillow" → the lead source of the lead's property named Zillow (case and spacing
// ignored), "Jane Doe" or jane.doe@… → the employee, "204" → the unit of that number in the
// property, "2BR Deluxe", "The 2BR Deluxe" or "B2" → the floor plan. A value that already is an
// id of that list is kept as is. None: not_found, with the nearest names as suggestions; several:
// ambiguous, naming them.
import type { LeadFieldName } from '../lead/fields.ts';
import { editDistance } from '../mapping/edit-distance.ts';
import type { ReferenceCandidate, ReferenceResolution } from './lookup-codecs.ts';
import type { LeadScope } from './lead-matcher.ts';
import type { ReferenceEndpoint, ReferenceItem, ReferenceLists } from './reference-lists.ts';

/** The update's fields that hold ids of a list, and that list. */
export const referenceFields = {
  lead_source_id: 'lead-sources',
  employee_id: 'employees',
  unit_id: 'units',
  desired_unit_ids: 'units',
  floor_plan_id: 'floor-plans',
  lead_relationship_id: 'lead-relationships',
  address_type_id: 'address-types',
} as const satisfies Partial<Record<LeadFieldName, ReferenceEndpoint>>;

export type ReferenceField = keyof typeof referenceFields;

export const isReferenceField = (field: string): field is ReferenceField => Object.prototype.hasOwnProperty.call(referenceFields, field);

/** Case and spacing do not count: "zillow " and "Zillow" are one name, "2BR  deluxe" and "2BR Deluxe" too. */
export const nameKey = (name: string): string => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** Suggestions offered at most. */
const maxSuggestions = 3;

const candidateOf = (item: ReferenceItem): ReferenceCandidate => ({
  id: item.id,
  label: item.names.join(' / ') || item.id,
  propertyId: item.propertyId,
});

/** The value resolved against one list's items. */
export function resolveIn(items: readonly ReferenceItem[], value: string): ReferenceResolution {
  const text = value.trim();
  const byId = items.find((item) => item.id === text);
  if (byId !== undefined) return { outcome: 'resolved', value, id: byId.id, by: 'id' };
  const key = nameKey(text);
  const named = items.filter((item) => item.names.some((name) => nameKey(name) === key));
  if (named.length === 1) return { outcome: 'resolved', value, id: named[0].id, by: 'name' };
  if (named.length > 1) return { outcome: 'ambiguous', value, candidates: named.map(candidateOf) };
  // Slips of one or two characters, more for long names ("Apartmnts.com").
  const limit = Math.max(2, Math.floor(key.length / 3));
  const near = items
    .map((item) => ({ item, distance: Math.min(...item.names.map((name) => editDistance(key, nameKey(name), limit))) }))
    .filter((entry) => entry.distance <= limit)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, maxSuggestions);
  return { outcome: 'not_found', value, suggestions: near.map((entry) => candidateOf(entry.item)) };
}

/**
 * Resolves a reference field's value in a scope. The scope is the lead's property when known
 * (the file's property, else the matched lead's own): a name is then looked for among that
 * property's items only. Without a property, the integration's items of every property count,
 * and a name two properties share is ambiguous (the candidates say which property is which).
 */
export async function resolveReference(
  lists: ReferenceLists,
  field: ReferenceField,
  value: string,
  scope: LeadScope,
): Promise<ReferenceResolution> {
  const items = await lists.get(referenceFields[field], scope);
  return resolveIn(items, value);
}
