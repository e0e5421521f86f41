// What each lead holds now, as `GET /v1/leads/{id}` shows it: the seeded values, plus what
// succeeded jobs wrote and what a test changed "behind the importer's back". Only leads that
// changed are stored (their changed fields), so a big write-only run costs nothing here; and
// jobs are applied when a read needs them (lazily), in the order they settled.
import { readSchemas } from '../propexo/read-codecs.ts';
import type { LeadFieldName } from '../propexo/schema.ts';
import { blankLead, type Item, type JsonValue, type SeedWorld } from './seed-data.ts';

/**
 * Which lead fields (GET) each update field (PUT) writes, as the simulator models Propexo; []:
 * the lead does not show it. Every PUT field is listed (the type says so), and a test checks
 * that every GET field named is in the document's `Lead`.
 */
export const putFieldEffects: Readonly<Record<LeadFieldName, readonly string[]>> = {
  lead_id: [],
  employee_id: ['leasing_agent', 'x_leasing_agent_id'],
  desired_unit_ids: ['unit_id_preferred', 'x_unit_id_preferred'],
  unit_id: ['unit_id_preferred', 'x_unit_id_preferred', 'desired_unit_number'],
  first_name: ['first_name'],
  last_name: ['last_name'],
  number_of_additional_occupants: [],
  desired_num_bathrooms: ['desired_num_bathrooms'],
  desired_num_bedrooms: ['desired_num_bedrooms'],
  credit_score: [],
  target_move_in_date: ['target_move_in_date'],
  email_1: ['email_1'],
  has_cats: [],
  has_dogs: [],
  has_other_pets: [],
  desired_max_rent_in_cents: ['desired_max_rent_in_cents'],
  monthly_income_in_cents: [],
  middle_initial: [],
  phone_1: ['phone_1'],
  lead_source: ['lead_source'],
  status: ['status'],
  inactive_reason: [],
  desired_move_in_date: ['target_move_in_date'],
  desired_bathrooms: ['desired_num_bathrooms'],
  desired_bedrooms: ['desired_num_bedrooms'],
  lease_period_id: [],
  lead_source_id: ['lead_source_id', 'x_lead_source_id', 'lead_source'],
  middle_name: ['middle_name'],
  phone_1_type: ['phone_1_type'],
  phone_2: ['phone_2'],
  phone_2_type: ['phone_2_type'],
  address_1: ['address_1'],
  address_2: ['address_2'],
  city: ['city'],
  state: ['state'],
  zip: ['zip'],
  desired_min_rent_in_cents: ['desired_min_rent_in_cents'],
  number_of_occupants: ['number_of_occupants'],
  notes: ['notes'],
  events: [],
  address_type_id: [],
  desired_lease_term_in_months: ['desired_lease_term_in_months'],
  applicant_status: [],
  country: ['country'],
  status_raw: ['status'],
  desired_unit_type: ['desired_unit_type'],
  lead_relationship_id: [],
  date_of_birth: ['date_of_birth'],
  floor_plan_id: ['desired_floor_plan_id', 'desired_floor_plan_name'],
};

const isPutField = (name: string): name is LeadFieldName => Object.prototype.hasOwnProperty.call(putFieldEffects, name);

/** A date the update gave (`YYYY-MM-DD` or date-time) as the lead shows it: midnight UTC of that day. */
const asLeadDate = (value: unknown): JsonValue => (typeof value === 'string' ? `${value.slice(0, 10)}T00:00:00.000Z` : null);

/** The lead fields an update's field changes, with their new values. */
function effectOf(world: SeedWorld, name: LeadFieldName, value: unknown): Item {
  const ref = (id: unknown): Item | undefined => (typeof id === 'string' ? world.reference(id) : undefined);
  switch (name) {
    case 'employee_id': {
      const employee = ref(value);
      return { leasing_agent: employee?.name ?? null, x_leasing_agent_id: employee?.x_id ?? null };
    }
    case 'floor_plan_id': {
      const plan = ref(value);
      return { desired_floor_plan_id: plan?.x_id ?? null, desired_floor_plan_name: plan?.name ?? null };
    }
    case 'unit_id': {
      const unit = ref(value);
      return {
        unit_id_preferred: [String(value)],
        x_unit_id_preferred: unit ? [String(unit.x_id)] : [],
        desired_unit_number: unit?.number ?? null,
      };
    }
    case 'desired_unit_ids': {
      const ids = Array.isArray(value) ? value.map(String) : [];
      return { unit_id_preferred: ids, x_unit_id_preferred: ids.flatMap((id) => (ref(id) ? [String(ref(id)?.x_id)] : [])) };
    }
    case 'lead_source_id': {
      const source = ref(value);
      return { lead_source_id: String(value), x_lead_source_id: source?.x_id ?? null, ...(source ? { lead_source: source.name } : {}) };
    }
    case 'target_move_in_date':
    case 'desired_move_in_date':
    case 'date_of_birth':
      return { [putFieldEffects[name][0]]: asLeadDate(value) };
    case 'desired_num_bedrooms':
    case 'desired_bedrooms':
    case 'number_of_occupants': {
      // The update takes any number; the lead shows an integer (the document's `Lead`).
      const [field] = putFieldEffects[name];
      return { [field]: typeof value === 'number' ? Math.trunc(value) : null };
    }
    case 'desired_bathrooms': {
      const n = Number(value);
      return { desired_num_bathrooms: Number.isFinite(n) ? n : null };
    }
    default: {
      const [field] = putFieldEffects[name];
      return field === undefined ? {} : { [field]: value as JsonValue };
    }
  }
}

/** The lead fields a whole update body changes (fields in `skipped` left out), in body order. */
export function leadChangesOf(world: SeedWorld, body: Readonly<Record<string, unknown>>, skipped: readonly string[] = []): Item {
  const changes: Item = {};
  for (const [name, value] of Object.entries(body)) {
    if (skipped.includes(name) || !isPutField(name)) continue;
    Object.assign(changes, effectOf(world, name, value));
  }
  return changes;
}

const leadProperties = new Set(Object.keys(readSchemas.Lead.properties ?? {}));

export class LeadStateError extends Error {
  override readonly name = 'LeadStateError';
}

/** A job as far as lead state cares. */
export interface SettledJob {
  readonly leadId: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly status: 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILURE';
  readonly skippedFields: readonly string[];
}

export class LeadState {
  /** Lead id → the fields that differ from its seeded (or blank) values. */
  private readonly changed = new Map<string, Item>();

  /**
   * `limit`: keep the changes of only this many leads, the least recently changed forgotten first
   * (such a lead shows its seeded values again): a practice run of a 1,000,000-row file must not
   * keep every lead it wrote. Default: every lead.
   */
  constructor(
    private readonly world: SeedWorld,
    private readonly now: () => number,
    private readonly limit: number | null = null,
  ) {}

  /** Ids of leads with changes, seeded or not. */
  changedIds(): IterableIterator<string> {
    return this.changed.keys();
  }

  /** The lead as GET shows it; `existsOutsideSeed`: whether a lead unknown to the seed exists (the write side's rule). */
  current(leadId: string, existsOutsideSeed: boolean): Item | undefined {
    const index = this.world.indexOfLeadId(leadId);
    const changes = this.changed.get(leadId);
    if (index !== undefined) return changes ? { ...this.world.seededLead(index), ...changes } : this.world.seededLead(index);
    if (!existsOutsideSeed && !changes) return undefined;
    return { ...this.blankOutsideSeed(leadId), ...changes };
  }

  /** A lead the seed does not have (tests send arbitrary ids): every field empty, in the first property. */
  private blankOutsideSeed(leadId: string): Item {
    const property = this.world.properties[0];
    return blankLead({
      id: leadId,
      created_at: '2024-01-01T00:00:00.000Z',
      updated_at: '2024-01-01T00:00:00.000Z',
      x_property_id: property.x_id,
      integration_id: property.integration_id,
      integration_vendor: property.integration_vendor,
      property_id: property.id,
    });
  }

  private merge(leadId: string, changes: Item): void {
    const earlier = this.changed.get(leadId);
    // Deleted first so the map's order is the order of last change (the oldest is forgotten first).
    this.changed.delete(leadId);
    this.changed.set(leadId, { ...earlier, ...changes, updated_at: new Date(this.now()).toISOString() });
    if (this.limit !== null && this.changed.size > this.limit) {
      const oldest = this.changed.keys().next();
      if (oldest.done !== true) this.changed.delete(oldest.value);
    }
  }

  /** Applies what finished jobs wrote: all of a SUCCESS, a PARTIAL_SUCCESS but its skipped fields, nothing of a FAILURE. */
  settle(jobs: Iterable<SettledJob>): void {
    for (const job of jobs) {
      if (job.status === 'FAILURE') continue;
      const changes = leadChangesOf(this.world, job.body, job.status === 'PARTIAL_SUCCESS' ? job.skippedFields : []);
      if (Object.keys(changes).length > 0) this.merge(job.leadId, changes);
    }
  }

  /** A change made in the PMS, not through the importer (GET field names). Throws on an unknown field or a protected one. */
  change(leadId: string, patch: Readonly<Record<string, JsonValue>>): void {
    for (const field of Object.keys(patch)) {
      if (!leadProperties.has(field)) throw new LeadStateError(`A lead has no field '${field}'`);
      if (field === 'id') throw new LeadStateError("A lead's id cannot change");
    }
    this.merge(leadId, { ...patch });
  }

  clear(): void {
    this.changed.clear();
  }
}
