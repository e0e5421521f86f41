// The practice world the read endpoints answer from, drawn from a seed: integrations, properties,
// and per property its lead sources, employees, units, floor plans, lead relationships and address
// types (small: built at once), and the leads (possibly hundreds of thousands: each is a pure
// function of the seed and its index, built when asked for; only the lazily built indexes of
// the filtered keys are kept). Names repeat on purpose where a real portfolio's do (a "Zillow"
// and a "zillow", two Jane Does), and some leads share an x_id, an e-mail or a phone.
import { readSchemas } from '../propexo/read-codecs.ts';
import type { JsonSchema } from '../propexo/schema.ts';
import type { SeedDataOptions } from './options.ts';
import { vendorDisplayName } from './outcomes.ts';
import { intBetween, pick, streamFor, type Random } from './random.ts';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** An item as an endpoint answers it (every property its schema requires). */
export type Item = Record<string, JsonValue>;

/** The lead keys with an index (the filters a lookup uses, and the scopes). */
export type IndexedLeadKey = 'x_id' | 'email_1' | 'phone_1' | 'property_id' | 'integration_id';

export interface WorldSettings {
  readonly data: SeedDataOptions;
  /** The first integration's id and vendor (the write logs name them too). */
  readonly integrationId: string;
  readonly vendor: string;
}

type SchemaNode = JsonSchema & { readonly required?: readonly string[]; readonly $ref?: string };

const typesOf = (schema: SchemaNode): readonly string[] =>
  schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : schema.type;

/** Every required property of the schema at its emptiest (null where allowed): the fields set later fill it in. */
function blankOf(schema: SchemaNode): Item {
  const item: Item = {};
  const properties = (schema.properties ?? {}) as Readonly<Record<string, SchemaNode>>;
  for (const name of schema.required ?? []) {
    const property = properties[name] ?? {};
    const types = typesOf(property);
    // An enum that leaves out null wins over a nullable type (the document has a few).
    const enumValues: readonly (string | null)[] | undefined = property.enum;
    item[name] =
      enumValues !== undefined && !enumValues.includes(null)
        ? enumValues[0]
        : types.includes('null')
          ? null
          : types.includes('array')
            ? []
            : types.includes('object')
              ? {}
              : types.includes('boolean')
                ? false
                : types.includes('integer') || types.includes('number')
                  ? 0
                  : '';
  }
  return item;
}

const itemSchemaOf = (output: string): SchemaNode => {
  const results = (readSchemas[output].properties as Readonly<Record<string, SchemaNode>>).results;
  const items = results.items as SchemaNode;
  return items.$ref === undefined ? items : readSchemas[items.$ref.replace('#/components/schemas/', '')];
};

const blanks = {
  integration: blankOf(itemSchemaOf('_v1_admin_integrations__get_output')),
  property: blankOf(readSchemas.Property),
  leadSource: blankOf(readSchemas.LeadSource),
  employee: blankOf(readSchemas.Employee),
  unit: blankOf(itemSchemaOf('_v1_units__get_output')),
  floorPlan: blankOf(readSchemas.FloorPlan),
  leadRelationship: blankOf(readSchemas.LeadRelationship),
  addressType: blankOf(readSchemas.AddressType),
  lead: blankOf(readSchemas.Lead),
};

/** A blank lead (every field empty) with these values. */
export const blankLead = (values: Item): Item => ({ ...blanks.lead, ...values });

const EPOCH = Date.UTC(2024, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString();
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const VENDORS = ['ENTRATA', 'REALPAGE', 'RESMAN', 'MRI', 'BUILDIUM', 'RENTVINE'];
const PROPERTY_NAMES = [
  'Maple Court',
  'Riverside Lofts',
  'Oak Park Apartments',
  'Harbor View',
  'Cedar Heights',
  'Sunset Terrace',
  'Willow Creek',
  'Granite Row',
];
const LEAD_SOURCES = ['Zillow', 'Apartments.com', 'Walk-In', 'Website', 'Referral', 'Craigslist', 'Facebook', 'Google'];
const EMPLOYEES = ['Jane Doe', 'Marcus Reed', 'Priya Nair', 'Tom Becker', 'Ana Lopez'];
const FLOOR_PLANS: readonly (readonly [name: string, code: string, bedrooms: number])[] = [
  ['Studio', 'S0', 0],
  ['1BR', 'A1', 1],
  ['2BR Deluxe', 'B2', 2],
  ['3BR Townhome', 'C3', 3],
];
const RELATIONSHIPS = ['Spouse', 'Roommate', 'Guarantor', 'Child', 'Parent', 'Other'];
const ADDRESS_TYPES = ['Home', 'Mailing', 'Work', 'Previous'];
const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sofia',
  'Mateo',
  'Mia',
  'Lucas',
  'Amara',
  'Kenji',
  'Zoe',
  'Omar',
  'Chloe',
  'Diego',
  'Hana',
  'Ethan',
  'Leila',
  'Samuel',
];
const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Johnson',
  'Nguyen',
  'Brown',
  'Patel',
  'Kim',
  'Martinez',
  'Okafor',
  'Miller',
  'Chen',
  'Rossi',
  'Davis',
  'Haddad',
  'Wilson',
  'Silva',
];
const DOMAINS = ['example.com', 'mail.example.org', 'inbox.example.net'];
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'COLD', 'INACTIVE', 'WAITLISTED'];
const UNITS_PER_PROPERTY = 40;

/** What the per-property lists give a lead to refer to. */
interface PropertyRefs {
  readonly property: Item;
  readonly leadSources: readonly Item[];
  readonly employees: readonly Item[];
  readonly units: readonly Item[];
  readonly floorPlans: readonly Item[];
}

const capitalised = (email: string): string => email.replace(/(^|[.@])([a-z])/g, (_, sep: string, c: string) => sep + c.toUpperCase());

/** The digits of a phone as stored (a leading US country code dropped). */
export function phoneDigits(stored: string): string {
  const digits = stored.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

export class SeedWorld {
  readonly integrations: readonly Item[];
  readonly properties: readonly Item[];
  readonly leadSources: readonly Item[];
  readonly employees: readonly Item[];
  readonly units: readonly Item[];
  readonly floorPlans: readonly Item[];
  readonly leadRelationships: readonly Item[];
  readonly addressTypes: readonly Item[];
  readonly leadCount: number;
  private readonly refs: readonly PropertyRefs[];
  private readonly byId = new Map<string, Item>();
  private readonly indexes = new Map<IndexedLeadKey, Map<string, number[]>>();

  constructor(private readonly settings: WorldSettings) {
    const { data } = settings;
    this.leadCount = data.leads;
    const integrations: Item[] = [];
    const properties: Item[] = [];
    const leadSources: Item[] = [];
    const employees: Item[] = [];
    const units: Item[] = [];
    const floorPlans: Item[] = [];
    const relationships: Item[] = [];
    const addressTypes: Item[] = [];
    const refs: PropertyRefs[] = [];
    for (let k = 0; k < data.integrations; k++) {
      const id = k === 0 ? settings.integrationId : `int_sim_${pad(k + 1, 4)}`;
      const vendor = k === 0 ? settings.vendor : VENDORS[k % VENDORS.length];
      const at = iso(EPOCH - (data.integrations - k) * 86_400_000);
      integrations.push({
        ...blanks.integration,
        id,
        created_at: at,
        updated_at: at,
        name: `${vendorDisplayName(vendor)} portfolio ${k + 1}`,
        vendor,
        active: true,
        system: 'SANDBOX',
        max_job_concurrency: 5,
        max_request_frequency: 60,
        max_request_cadence: 'MINUTE',
        is_archived: false,
        new_properties_are_enabled: true,
        can_authenticate: true,
      });
      for (let j = 0; j < data.propertiesPerIntegration; j++) {
        const p = properties.length;
        const propertyId = `prop_${pad(k + 1, 2)}_${pad(j + 1, 3)}`;
        const scope = { integration_id: id, integration_vendor: vendor, property_id: propertyId, x_property_id: `P${100 + p}` };
        const stamp = { created_at: iso(EPOCH + p * 60_000), updated_at: iso(EPOCH + p * 60_000), last_seen: iso(EPOCH + p * 60_000) };
        const property: Item = {
          ...blanks.property,
          ...stamp,
          id: propertyId,
          property_id: propertyId,
          x_id: scope.x_property_id,
          x_property_id: scope.x_property_id,
          name: `${PROPERTY_NAMES[p % PROPERTY_NAMES.length]}${p >= PROPERTY_NAMES.length ? ` ${Math.floor(p / PROPERTY_NAMES.length) + 1}` : ''}`,
          code: `P${100 + p}`,
          is_active: true,
          number_of_units: UNITS_PER_PROPERTY,
          integration_id: id,
          integration_vendor: vendor,
        };
        properties.push(property);
        const own = (blank: Item, kind: string, n: number, values: Item): Item => ({
          ...blank,
          ...stamp,
          id: `${kind}_${pad(p + 1, 3)}_${pad(n + 1, 3)}`,
          x_id: `${kind.toUpperCase()}${n + 1}`,
          ...scope,
          ...values,
        });
        // The first property has a second "zillow" and a second Jane Doe: names that need the user's choice.
        const sourceNames = p === 0 ? [...LEAD_SOURCES, 'zillow '] : LEAD_SOURCES;
        const sources = sourceNames.map((name, n) => own(blanks.leadSource, 'ls', n, { name }));
        const staffNames = p === 0 ? [...EMPLOYEES, 'Jane Doe'] : EMPLOYEES;
        const staff = staffNames.map((name, n) => {
          const [first, last] = name.toLowerCase().split(' ');
          return own(blanks.employee, 'emp', n, {
            name,
            email: `${first}.${last}${n === EMPLOYEES.length ? '2' : ''}@${DOMAINS[0]}`,
            is_active: n !== EMPLOYEES.length - 1,
            roles: ['LEASING_AGENT'],
          });
        });
        const plans = FLOOR_PLANS.map(([name, code, bedrooms], n) =>
          own(blanks.floorPlan, 'fp', n, {
            name,
            marketing_name: `The ${name}`,
            code,
            bedrooms,
            unit_count: UNITS_PER_PROPERTY / FLOOR_PLANS.length,
          }),
        );
        const propertyUnits: Item[] = [];
        for (let n = 0; n < UNITS_PER_PROPERTY; n++) {
          const plan = plans[n % plans.length];
          const number = `${Math.floor(n / 10) + 1}${pad((n % 10) + 1, 2)}`;
          propertyUnits.push(
            own(blanks.unit, 'unit', n, {
              number,
              floor: String(Math.floor(n / 10) + 1),
              floor_plan_id: plan.id,
              floor_plan_name: plan.name,
              floor_plan_code: plan.code,
              x_floor_plan_id: plan.x_id,
              is_available: n % 3 !== 0,
            }),
          );
        }
        leadSources.push(...sources);
        employees.push(...staff);
        floorPlans.push(...plans);
        units.push(...propertyUnits);
        relationships.push(...RELATIONSHIPS.map((name, n) => own(blanks.leadRelationship, 'rel', n, { name })));
        addressTypes.push(...ADDRESS_TYPES.map((name, n) => own(blanks.addressType, 'addr', n, { name, description: `${name} address` })));
        refs.push({ property, leadSources: sources, employees: staff, units: propertyUnits, floorPlans: plans });
      }
    }
    this.integrations = integrations;
    this.properties = properties;
    this.leadSources = leadSources;
    this.employees = employees;
    this.units = units;
    this.floorPlans = floorPlans;
    this.leadRelationships = relationships;
    this.addressTypes = addressTypes;
    this.refs = refs;
    for (const item of [...leadSources, ...employees, ...units, ...floorPlans, ...relationships, ...addressTypes])
      this.byId.set(item.id as string, item);
  }

  /** A lead source, employee, unit, floor plan, relationship or address type by its Propexo id. */
  reference(id: string): Item | undefined {
    return this.byId.get(id);
  }

  leadIdAt(index: number): string {
    return `sim_lead_${pad(index + 1, 6)}`;
  }

  /** The index of a seeded lead's id, or undefined for any other id. */
  indexOfLeadId(id: string): number | undefined {
    const match = /^sim_lead_(\d{6,})$/.exec(id);
    if (!match) return undefined;
    const index = Number(match[1]) - 1;
    return index >= 0 && index < this.leadCount && this.leadIdAt(index) === id ? index : undefined;
  }

  private random(index: number, what: string): Random {
    return streamFor(this.settings.data.seed, 'lead', what, index);
  }

  private baseXId = (index: number): string => `GC${100_000 + index}`;

  private baseEmail(index: number): string {
    const r = this.random(index, 'email');
    const first = pick(r, FIRST_NAMES).toLowerCase();
    const last = pick(r, LAST_NAMES).toLowerCase();
    const email = `${first}.${last}${index}@${pick(r, DOMAINS)}`;
    return r() < 0.15 ? capitalised(email) : email;
  }

  private basePhone(index: number): string {
    const r = this.random(index, 'phone');
    return `${intBetween(r, 2, 9)}${pad(intBetween(r, 0, 99), 2)}${pad(intBetween(r, 2_000_000, 9_999_999), 7)}`;
  }

  /** The first draws of a lead's stream: its scope and the keys lookups filter on (what the indexes need, cheaply). */
  private drawKeys(index: number, r: Random) {
    const dup = this.settings.data.duplicateRate;
    const refs = this.refs[intBetween(r, 0, this.refs.length - 1)];
    const first = pick(r, FIRST_NAMES);
    const last = pick(r, LAST_NAMES);
    // Duplicates copy the lead just before (whatever its property): a PMS export's double entries.
    const xId = index > 0 && r() < dup / 2 ? this.baseXId(index - 1) : this.baseXId(index);
    const emailDraw = r();
    const email =
      emailDraw < 0.05
        ? null
        : index > 0 && emailDraw < 0.05 + dup
          ? r() < 0.5
            ? capitalised(this.baseEmail(index - 1))
            : this.baseEmail(index - 1)
          : this.baseEmail(index);
    const phoneDraw = r();
    const digits = index > 0 && phoneDraw < dup ? this.basePhone(index - 1) : this.basePhone(index);
    const formatDraw = r();
    const phone =
      phoneDraw > 0.92
        ? null
        : formatDraw < 0.6
          ? digits
          : formatDraw < 0.85
            ? `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`
            : `+1 ${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
    return { refs, first, last, xId, email, phone };
  }

  /** The seeded value of an indexed key, without building the lead. */
  private seededKey(index: number, key: IndexedLeadKey): JsonValue {
    const { refs, xId, email, phone } = this.drawKeys(index, this.random(index, 'lead'));
    switch (key) {
      case 'x_id':
        return xId;
      case 'email_1':
        return email;
      case 'phone_1':
        return phone;
      case 'property_id':
        return refs.property.id;
      case 'integration_id':
        return refs.property.integration_id;
    }
  }

  /** The lead at this index as seeded (a new object each time). */
  seededLead(index: number): Item {
    const r = this.random(index, 'lead');
    const { refs, first, last, xId, email, phone } = this.drawKeys(index, r);
    const property = refs.property;
    const source = pick(r, refs.leadSources);
    const agent = pick(r, refs.employees);
    const plan = pick(r, refs.floorPlans);
    const unit = r() < 0.5 ? pick(r, refs.units) : null;
    const createdAt = EPOCH + 86_400_000 + index * 600_000;
    const moveIn = createdAt + intBetween(r, 14, 120) * 86_400_000;
    const maxRent = intBetween(r, 12, 40) * 10_000;
    return blankLead({
      id: this.leadIdAt(index),
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
      last_seen: iso(createdAt),
      x_created_at: iso(createdAt),
      x_updated_at: iso(createdAt),
      x_id: xId,
      x_guestcard_id: xId,
      x_property_id: property.x_id,
      integration_id: property.integration_id,
      integration_vendor: property.integration_vendor,
      property_id: property.id,
      first_name: first,
      last_name: last,
      email_1: email,
      phone_1: phone,
      phone_1_type: phone === null ? null : 'MOBILE',
      status: pick(r, STATUSES),
      lead_source: source.name,
      lead_source_id: source.id,
      x_lead_source_id: source.x_id,
      leasing_agent: agent.name,
      x_leasing_agent_id: agent.x_id,
      desired_floor_plan_id: plan.x_id,
      desired_floor_plan_name: plan.name,
      desired_num_bedrooms: plan.bedrooms,
      unit_id_preferred: unit === null ? [] : [unit.id as string],
      x_unit_id_preferred: unit === null ? [] : [unit.x_id as string],
      desired_unit_number: unit === null ? null : unit.number,
      target_move_in_date: iso(moveIn - (moveIn % 86_400_000)),
      desired_max_rent_in_cents: maxRent,
      desired_min_rent_in_cents: r() < 0.5 ? null : maxRent - 50_000,
      number_of_occupants: intBetween(r, 1, 4),
      notes: r() < 0.3 ? 'Prefers a quiet unit' : null,
    });
  }

  /** The value a lead is indexed under for this key (e-mails as the filter compares them; phones as digits). */
  keyOf(key: IndexedLeadKey, value: JsonValue | undefined): string | undefined {
    if (typeof value !== 'string') return undefined;
    if (key === 'phone_1') return phoneDigits(value);
    if (key === 'email_1' && this.settings.data.emailFilterIgnoresCase) return value.toLowerCase();
    return value;
  }

  /** Indexes of the seeded leads whose seeded value for this key is `value` (compared as `keyOf` does), ascending. */
  seededWhere(key: IndexedLeadKey, value: string): readonly number[] {
    let index = this.indexes.get(key);
    if (index === undefined) {
      index = new Map();
      for (let i = 0; i < this.leadCount; i++) {
        const k = this.keyOf(key, this.seededKey(i, key));
        if (k === undefined) continue;
        const list = index.get(k);
        if (list) list.push(i);
        else index.set(k, [i]);
      }
      this.indexes.set(key, index);
    }
    return index.get(this.keyOf(key, value) ?? '') ?? [];
  }
}
