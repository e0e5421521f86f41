// Which lead field (GET /v1/leads/{id}) shows what each update field (PUT /v1/leads/{id})
// writes: the one table the preview and the undo read. Their names and shapes differ (the
// update takes Propexo ids where the lead shows the PMS's ids, dates where it shows
// date-times), so a lead's value is turned into the update's terms here, once: "what this
// PUT field would have to say to leave the lead as it is". Fields the lead does not show are
// listed with the reason; a test holds the table against both OpenAPI documents and the
// simulator's model (test/unit/preview/field-correspondence.test.ts).
import type { Lead } from '../propexo/read-codecs.ts';
import type { LeadFieldName } from '../propexo/schema.ts';
import type { LeadFieldValue } from '../lead/lead-update.ts';
import { fieldSpecByName } from '../lead/fields.ts';

/** A field of the lead as the read client decodes it. */
export type LeadReadField = keyof Lead;

/** The lists whose ids the update takes where the lead shows the PMS's id (`x_id`). */
export type ReferencedList = 'employees' | 'floor-plans';

/** How a field's values are compared (changes.ts says what "equal" means for each). */
export type ValueKind =
  | 'text' // as written, exactly
  | 'email' // case aside
  | 'phone' // its digits
  | 'enum' // one of the schema's values, case aside
  | 'number' // numerically (money included: cents on both sides)
  | 'date' // the calendar date
  | 'unit-set' // a set of Propexo unit ids
  | 'id'; // a Propexo id (references and the single preferred unit)

export type FieldCorrespondence =
  | {
      readonly comparable: true;
      /** The lead field that holds the value. */
      readonly read: LeadReadField;
      readonly kind: ValueKind;
      /** How the lead's value becomes the update's (default: as it is). */
      readonly via?: { readonly reference: ReferencedList } | 'single-unit' | 'calendar-date';
    }
  | { readonly comparable: false; readonly reason: string };

const same = (read: LeadReadField, kind: ValueKind): FieldCorrespondence => ({ comparable: true, read, kind });
const notShown = (what: string): FieldCorrespondence => ({
  comparable: false,
  reason: `the lead (GET /v1/leads/{id}) does not show ${what}`,
});
const deprecated = (replacement: LeadFieldName): FieldCorrespondence => ({
  comparable: false,
  reason: `deprecated: the importer sends ${replacement} instead, never this field`,
});

/** Every field of the update, by the update's name (the type makes the table complete). */
export const fieldCorrespondence: Readonly<Record<LeadFieldName, FieldCorrespondence>> = {
  lead_id: { comparable: false, reason: 'the lead id is the request path, not a value the update writes' },
  // The lead shows the agent's name and the PMS's id of the employee: the update's Propexo id is
  // compared through the employee list (an employee's x_id), never through the name (names repeat).
  employee_id: { comparable: true, read: 'x_leasing_agent_id', kind: 'id', via: { reference: 'employees' } },
  // Which units a lead is interested in: no order is meaningful, so a set.
  desired_unit_ids: same('unit_id_preferred', 'unit-set'),
  unit_id: { comparable: true, read: 'unit_id_preferred', kind: 'id', via: 'single-unit' },
  first_name: same('first_name', 'text'),
  last_name: same('last_name', 'text'),
  number_of_additional_occupants: notShown('the number of additional occupants (number_of_occupants is another count)'),
  desired_num_bathrooms: same('desired_num_bathrooms', 'number'),
  desired_num_bedrooms: same('desired_num_bedrooms', 'number'),
  credit_score: notShown('a credit score'),
  target_move_in_date: { comparable: true, read: 'target_move_in_date', kind: 'date', via: 'calendar-date' },
  email_1: same('email_1', 'email'),
  has_cats: notShown('yes/no pet flags (only a list of pet records)'),
  has_dogs: notShown('yes/no pet flags (only a list of pet records)'),
  has_other_pets: notShown('yes/no pet flags (only a list of pet records)'),
  desired_max_rent_in_cents: same('desired_max_rent_in_cents', 'number'),
  monthly_income_in_cents: notShown('a monthly income'),
  middle_initial: notShown('a middle initial (its middle_name is a different value)'),
  phone_1: same('phone_1', 'phone'),
  lead_source: same('lead_source', 'text'),
  status: same('status', 'enum'),
  inactive_reason: notShown('an inactive reason'),
  desired_move_in_date: deprecated('target_move_in_date'),
  desired_bathrooms: deprecated('desired_num_bathrooms'),
  desired_bedrooms: deprecated('desired_num_bedrooms'),
  lease_period_id: notShown('a lease period'),
  lead_source_id: same('lead_source_id', 'id'),
  middle_name: same('middle_name', 'text'),
  phone_1_type: same('phone_1_type', 'enum'),
  phone_2: same('phone_2', 'phone'),
  phone_2_type: same('phone_2_type', 'enum'),
  address_1: same('address_1', 'text'),
  address_2: same('address_2', 'text'),
  city: same('city', 'text'),
  state: same('state', 'text'),
  zip: same('zip', 'text'),
  desired_min_rent_in_cents: same('desired_min_rent_in_cents', 'number'),
  number_of_occupants: same('number_of_occupants', 'number'),
  notes: same('notes', 'text'),
  events: { comparable: false, reason: 'events are records of their own (written through the events endpoints), not a value of the lead' },
  address_type_id: notShown('an address type'),
  desired_lease_term_in_months: same('desired_lease_term_in_months', 'text'),
  applicant_status: notShown('an applicant status'),
  country: same('country', 'text'),
  // The lead's `status` is documented as "the raw status": status_raw writes it as it is.
  status_raw: same('status', 'text'),
  desired_unit_type: same('desired_unit_type', 'text'),
  lead_relationship_id: notShown('a lead relationship'),
  date_of_birth: { comparable: true, read: 'date_of_birth', kind: 'date', via: 'calendar-date' },
  // The lead's desired_floor_plan_id is the PMS's id of the plan (its description says "external ID").
  floor_plan_id: { comparable: true, read: 'desired_floor_plan_id', kind: 'id', via: { reference: 'floor-plans' } },
};

/** A record of a referenced list as the lookups read it (read-codecs' Employee, FloorPlan). */
export interface ReferencedRecord {
  readonly id: string;
  readonly x_id: string;
  readonly integration_id: string;
  readonly property_id: string;
}

/** Where a lead is: a PMS id is looked up within its property first, then its integration. */
export interface LeadScope {
  readonly integration_id: string;
  readonly property_id: string;
}

/** Propexo ids of referenced records by the PMS's id. */
export interface ReferenceIds {
  /** undefined: the list was not read (the field cannot be compared); null: read, but no one record has that PMS id there. */
  propexoIdOf(list: ReferencedList, scope: LeadScope, xId: string): string | null | undefined;
}

const AMBIGUOUS = '';

/**
 * The index of the lists the lookup step read; a list left out makes its fields not comparable.
 * PMS ids are unique only within a scope (the practice data repeats them across properties):
 * a PMS id held by two records of the lead's integration, none in its property, is not guessed.
 */
export function referenceIdsFrom(lists: Partial<Readonly<Record<ReferencedList, readonly ReferencedRecord[]>>>): ReferenceIds {
  const index = new Map<ReferencedList, Map<string, string>>();
  const add = (byKey: Map<string, string>, key: string, id: string): void => {
    const seen = byKey.get(key);
    byKey.set(key, seen === undefined || seen === id ? id : AMBIGUOUS);
  };
  for (const [list, records] of Object.entries(lists) as [ReferencedList, readonly ReferencedRecord[]][]) {
    const byKey = new Map<string, string>();
    for (const r of records) {
      add(byKey, `p\u0000${r.integration_id}\u0000${r.property_id}\u0000${r.x_id}`, r.id);
      add(byKey, `i\u0000${r.integration_id}\u0000${r.x_id}`, r.id);
    }
    index.set(list, byKey);
  }
  return {
    propexoIdOf: (list, scope, xId) => {
      const byKey = index.get(list);
      if (byKey === undefined) return undefined;
      const id =
        byKey.get(`p\u0000${scope.integration_id}\u0000${scope.property_id}\u0000${xId}`) ??
        byKey.get(`i\u0000${scope.integration_id}\u0000${xId}`);
      return id === undefined || id === AMBIGUOUS ? null : id;
    },
  };
}

export const noReferenceIds: ReferenceIds = { propexoIdOf: () => undefined };

/** A lead's value in the update's terms, or why it cannot be known. */
export type CurrentValue = { readonly known: true; readonly value: LeadFieldValue } | { readonly known: false; readonly reason: string };

const known = (value: LeadFieldValue): CurrentValue => ({ known: true, value });
const unknown = (reason: string): CurrentValue => ({ known: false, reason });

/** A PMS's spelling of an enum value ("Active") as the schema's value ("ACTIVE"); other text as it is. */
function enumValueOf(field: LeadFieldName, raw: string): string {
  const kind = fieldSpecByName.get(field)?.type;
  const values = kind?.kind === 'enum' ? kind.values : [];
  return values.find((v) => v.toLowerCase() === raw.trim().toLowerCase()) ?? raw;
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * What `field` of an update would have to say to leave `lead` as it is: the lead's value turned
 * into the update's terms (a PMS id into the Propexo id, a date-time into its date…). null is
 * a blank value.
 */
export function currentValueOf(field: LeadFieldName, lead: Lead, references: ReferenceIds = noReferenceIds): CurrentValue {
  const spec = fieldCorrespondence[field];
  if (!spec.comparable) return unknown(spec.reason);
  const raw: unknown = lead[spec.read];
  const via = spec.via;
  if (spec.kind === 'enum' && typeof raw === 'string') return known(enumValueOf(field, raw));
  if (via === undefined) return known(raw as LeadFieldValue);
  if (via === 'calendar-date') {
    // Propexo keeps the date and drops the time: the date as written is the one the PMS has.
    if (typeof raw !== 'string') return known(null);
    return CALENDAR_DATE.test(raw) ? known(raw.slice(0, 10)) : unknown(`the lead's ${spec.read} '${raw}' is not a date`);
  }
  if (via === 'single-unit') {
    const units = raw as readonly string[];
    if (units.length === 0) return known(null);
    if (units.length === 1) return known(units[0]);
    return unknown(`the lead prefers ${units.length} units (${units.join(', ')}): one unit_id cannot say that`);
  }
  if (typeof raw !== 'string') return known(null);
  const id = references.propexoIdOf(via.reference, lead, raw);
  if (id === undefined) return unknown(`comparing ${field} needs the ${via.reference} of the lead's integration, and they were not read`);
  if (id === null)
    return unknown(`the lead's ${spec.read} '${raw}' matches no one record of the ${via.reference} of its property or integration`);
  return known(id);
}
