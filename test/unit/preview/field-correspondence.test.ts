// The correspondence table against both OpenAPI documents (a field added to either side is
// noticed), against the simulator's model of what each update field writes, and end to end:
// what a PUT wrote reads back, in the update's terms, as the value that was sent.
import { afterEach, describe, expect, it } from 'vitest';
import { fieldSpecByName } from '../../../app/lead/fields.ts';
import { sendableFieldSpecs } from '../../../app/lead/lead-update.ts';
import { Lead, readSchemas } from '../../../app/propexo/read-codecs.ts';
import { leadFieldNames, leadUpdateInputSchema, type LeadFieldName } from '../../../app/propexo/schema.ts';
import { currentValueOf, fieldCorrespondence, referenceIdsFrom, type ReferencedRecord } from '../../../app/preview/field-correspondence.ts';
import { putFieldEffects } from '../../../app/simulator/lead-state.ts';
import { blankLead, startPractice, type Practice } from './practice.ts';

let practice: Practice | undefined;
afterEach(async () => {
  await practice?.close();
  practice = undefined;
});

const entries = Object.entries(fieldCorrespondence) as [LeadFieldName, (typeof fieldCorrespondence)[LeadFieldName]][];

describe('field correspondence: the table', () => {
  it('names every property of the update schema, and nothing else', () => {
    expect(Object.keys(fieldCorrespondence).sort()).toEqual(Object.keys(leadUpdateInputSchema.properties).sort());
    expect(Object.keys(fieldCorrespondence).sort()).toEqual([...leadFieldNames].sort());
  });

  it('reads only fields the document gives a lead, and that the read client decodes', () => {
    const documented = new Set(Object.keys(readSchemas.Lead.properties ?? {}));
    const decoded = new Set(Object.keys(Lead.props));
    for (const [field, spec] of entries) {
      if (!spec.comparable) continue;
      expect(documented.has(spec.read), `${field} → ${spec.read}`).toBe(true);
      expect(decoded.has(spec.read), `${field} → ${spec.read}`).toBe(true);
    }
  });

  it('agrees with the simulator: a comparable field reads a field its PUT writes; a field that writes nothing is not comparable', () => {
    for (const [field, spec] of entries) {
      if (spec.comparable) expect(putFieldEffects[field], field).toContain(spec.read);
      else if (field !== 'lead_id')
        expect(putFieldEffects[field].length === 0 || fieldSpecByName.get(field)?.replacedBy !== undefined, field).toBe(true);
    }
  });

  it('says why a field cannot be compared, and a deprecated field names its replacement', () => {
    for (const [field, spec] of entries) {
      if (spec.comparable) continue;
      expect(spec.reason.length, field).toBeGreaterThan(10);
      const replacement = fieldSpecByName.get(field)?.replacedBy;
      if (replacement !== undefined) expect(spec.reason, field).toContain(replacement);
    }
  });

  it('compares every sendable field the lead shows (only fields the lead cannot show are left out)', () => {
    const notComparable = sendableFieldSpecs.filter((spec) => !fieldCorrespondence[spec.name].comparable).map((spec) => spec.name);
    expect(notComparable.every((name) => putFieldEffects[name].length === 0)).toBe(true);
    expect(sendableFieldSpecs.filter((spec) => fieldCorrespondence[spec.name].comparable).length).toBeGreaterThanOrEqual(28);
  });
});

describe('field correspondence: a lead read back in the update’s terms', () => {
  it('reads back exactly what a PUT of every comparable field wrote', async () => {
    practice = await startPractice();
    const { sim } = practice;
    const index = 4;
    const id = sim.world.leadIdAt(index);
    const propertyId = sim.world.seededLead(index).property_id;
    const employee = sim.world.employees.find((e) => e.property_id === propertyId);
    const plan = sim.world.floorPlans.find((p) => p.property_id === propertyId);
    const units = sim.world.units.filter((u) => u.property_id === propertyId).slice(0, 3);
    const body = {
      employee_id: String(employee?.id),
      floor_plan_id: String(plan?.id),
      desired_unit_ids: [String(units[2].id), String(units[1].id)],
      first_name: 'Ada',
      last_name: 'Lovelace',
      middle_name: 'King',
      desired_num_bathrooms: 1.5,
      desired_num_bedrooms: 2,
      target_move_in_date: '2026-03-01',
      date_of_birth: '1990-12-10',
      email_1: 'ada@example.com',
      desired_max_rent_in_cents: 250_000,
      desired_min_rent_in_cents: 150_000,
      phone_1: '(720) 273-5593',
      phone_1_type: 'MOBILE',
      phone_2: '3035550199',
      phone_2_type: 'WORK',
      status: 'WAITLISTED',
      address_1: '12 Analytical Row',
      address_2: 'Apt 3',
      city: 'London',
      state: 'CO',
      zip: '80202',
      country: 'US',
      notes: 'prefers e-mail',
      number_of_occupants: 3,
      desired_lease_term_in_months: '12',
      desired_unit_type: 'townhouse',
      lead_source: 'Zillow',
    } satisfies Partial<Record<LeadFieldName, unknown>>;
    await practice.put(id, body);
    const lead = await practice.read(id);
    const references = referenceIdsFrom({
      employees: sim.world.employees as unknown as ReferencedRecord[],
      'floor-plans': sim.world.floorPlans as unknown as ReferencedRecord[],
    });
    for (const [field, value] of Object.entries(body) as [LeadFieldName, unknown][]) {
      expect(currentValueOf(field, lead, references), field).toEqual({ known: true, value });
    }
    // The single preferred unit, through unit_id.
    await practice.put(id, { unit_id: String(units[0].id) });
    expect(currentValueOf('unit_id', await practice.read(id), references)).toEqual({ known: true, value: String(units[0].id) });
  });

  it('says what is missing instead of guessing: no employee list, an unknown PMS id, several preferred units', async () => {
    practice = await startPractice();
    const { sim } = practice;
    const id = sim.world.leadIdAt(6);
    const propertyId = sim.world.seededLead(6).property_id;
    const employee = sim.world.employees.find((e) => e.property_id === propertyId);
    const units = sim.world.units.filter((u) => u.property_id === propertyId).slice(0, 2);
    await practice.put(id, { employee_id: String(employee?.id), desired_unit_ids: units.map((u) => String(u.id)) });
    const lead = await practice.read(id);
    const noEmployees = currentValueOf('employee_id', lead);
    expect(noEmployees.known).toBe(false);
    if (!noEmployees.known) expect(noEmployees.reason).toContain('employees');
    const otherIntegration = currentValueOf('employee_id', lead, referenceIdsFrom({ employees: [] }));
    expect(otherIntegration.known).toBe(false);
    if (!otherIntegration.known) expect(otherIntegration.reason).toContain(String(employee?.x_id));
    const several = currentValueOf('unit_id', lead);
    expect(several.known).toBe(false);
    if (!several.known) expect(several.reason).toContain('2 units');
    const credit = currentValueOf('credit_score', lead);
    expect(credit).toEqual({ known: false, reason: 'the lead (GET /v1/leads/{id}) does not show a credit score' });
  });

  it('reads a PMS spelling of an enum as the schema value, a blank as null, a date-time as its date', () => {
    const lead = { ...blankLead(), status: 'Waitlisted', phone_1_type: null, target_move_in_date: '2026-05-31T00:00:00.000Z' };
    expect(currentValueOf('status', lead)).toEqual({ known: true, value: 'WAITLISTED' });
    expect(currentValueOf('status_raw', lead)).toEqual({ known: true, value: 'Waitlisted' });
    expect(currentValueOf('phone_1_type', lead)).toEqual({ known: true, value: null });
    expect(currentValueOf('target_move_in_date', lead)).toEqual({ known: true, value: '2026-05-31' });
    expect(currentValueOf('unit_id', lead)).toEqual({ known: true, value: null });
    expect(currentValueOf('desired_unit_ids', lead)).toEqual({ known: true, value: [] });
  });
});
