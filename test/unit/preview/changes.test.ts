// Comparing a row's payload with the lead's current values: equality per kind of value, the
// payload without the fields already so, `unchanged` rows, the confirmation counts; against
// leads the simulator holds (seeded, written by a PUT, changed behind the importer's back).
import { afterEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { LeadUpdate } from '../../../app/lead/lead-update.ts';
import { compareRow, countChanges, sameValue } from '../../../app/preview/changes.ts';
import { referenceIdsFrom, type ReferencedRecord } from '../../../app/preview/field-correspondence.ts';
import { blankLead, startPractice, type Practice } from './practice.ts';

let practice: Practice | undefined;
afterEach(async () => {
  await practice?.close();
  practice = undefined;
});

const payloadOf = (u: unknown): LeadUpdate => {
  const decoded = LeadUpdate.decode(u);
  if (E.isLeft(decoded)) throw new Error('test payload does not decode');
  return decoded.right;
};

describe('sameValue: equality with the meaning of each kind', () => {
  it('phones by their digits, a leading US country code aside', () => {
    expect(sameValue('phone', '(720) 273-5593', '7202735593')).toBe(true);
    expect(sameValue('phone', '+1 720-273-5593', '720.273.5593')).toBe(true);
    expect(sameValue('phone', '7202735593', '7202735594')).toBe(false);
  });
  it('e-mail and enums case aside; text and ids exactly', () => {
    expect(sameValue('email', 'Ada.Lovelace@Example.com', 'ada.lovelace@example.com')).toBe(true);
    expect(sameValue('enum', 'Active', 'ACTIVE')).toBe(true);
    expect(sameValue('text', 'Apt 3', 'apt 3')).toBe(false);
    expect(sameValue('id', 'emp_1', 'emp_1')).toBe(true);
  });
  it('money and numbers numerically, dates as calendar dates', () => {
    expect(sameValue('number', 150_000, 150_000.0)).toBe(true);
    expect(sameValue('number', 150_000, 150_001)).toBe(false);
    expect(sameValue('number', 0, null)).toBe(false);
    expect(sameValue('date', '2026-03-01', '2026-03-01')).toBe(true);
    expect(sameValue('date', '2026-03-01', '2026-03-02')).toBe(false);
  });
  it('unit lists as sets; blank equals blank only', () => {
    expect(sameValue('unit-set', ['u1', 'u2'], ['u2', 'u1'])).toBe(true);
    expect(sameValue('unit-set', ['u1', 'u2'], ['u1'])).toBe(false);
    expect(sameValue('unit-set', [], null)).toBe(true);
    expect(sameValue('text', null, '')).toBe(true);
    expect(sameValue('text', null, 'x')).toBe(false);
  });
});

describe('compareRow', () => {
  it('drops the fields already so, keeps those that change and those it cannot read', () => {
    const lead = { ...blankLead(), city: 'Denver', phone_1: '(720) 273-5593', status: 'Active', desired_max_rent_in_cents: 150_000 };
    const row = compareRow(
      7,
      lead.id,
      payloadOf({ city: 'Denver', phone_1: '720-273-5593', status: 'ACTIVE', desired_max_rent_in_cents: 175_000, credit_score: '700' }),
      lead,
    );
    expect(row.fields.map((f) => [f.field, f.verdict])).toEqual([
      ['city', 'same'],
      ['phone_1', 'same'],
      ['status', 'same'],
      ['desired_max_rent_in_cents', 'changes'],
      ['credit_score', 'unknown'],
    ]);
    expect(row.payload).toEqual({ desired_max_rent_in_cents: 175_000, credit_score: '700' });
    expect(row.unchanged).toBe(false);
    expect(row.fields[3]).toMatchObject({ current: { known: true, value: 150_000 }, next: 175_000 });
  });

  it('a row whose every field is already so is unchanged, and sends nothing', () => {
    const lead = { ...blankLead(), city: 'Denver', target_move_in_date: '2026-03-01T00:00:00.000Z' };
    const row = compareRow(3, lead.id, payloadOf({ city: 'Denver', target_move_in_date: '2026-03-01' }), lead);
    expect(row).toMatchObject({ unchanged: true, payload: {} });
  });

  it('counts what the confirmation says: leads, fields, rows already up to date', () => {
    const lead = { ...blankLead(), city: 'Denver' };
    const rows = [
      compareRow(2, 'L1', payloadOf({ city: 'Denver' }), lead),
      compareRow(3, 'L1', payloadOf({ city: 'Boulder', zip: '80302' }), lead),
      compareRow(4, 'L2', payloadOf({ city: 'Aspen', credit_score: '700' }), lead),
    ];
    expect(countChanges(rows)).toEqual({ rowsToSend: 2, leads: 2, fields: 4, unknownFields: 1, unchangedRows: 1 });
  });
});

describe('compareRow against the practice simulator', () => {
  it('a row that repeats a lead’s values, written differently, is unchanged; one new value is all that is left to send', async () => {
    practice = await startPractice();
    const { sim } = practice;
    const id = sim.world.leadIdAt(9);
    const propertyId = sim.world.seededLead(9).property_id;
    const employee = sim.world.employees.find((e) => e.property_id === propertyId);
    const units = sim.world.units.filter((u) => u.property_id === propertyId).slice(0, 2);
    const written = {
      employee_id: String(employee?.id),
      desired_unit_ids: units.map((u) => String(u.id)),
      email_1: 'Ada.Lovelace@Example.com',
      phone_1: '+1 (303) 555-0199',
      status: 'COLD',
      target_move_in_date: '2026-07-01',
      desired_min_rent_in_cents: 120_000,
    };
    await practice.put(id, written);
    const lead = await practice.read(id);
    const references = referenceIdsFrom({ employees: sim.world.employees as unknown as ReferencedRecord[] });
    const again = payloadOf({
      ...written,
      desired_unit_ids: [...written.desired_unit_ids].reverse(),
      email_1: 'ada.lovelace@example.com',
      phone_1: '303-555-0199',
    });
    expect(compareRow(2, id, again, lead, references)).toMatchObject({ unchanged: true, payload: {} });
    const oneNew = compareRow(2, id, payloadOf({ ...written, desired_min_rent_in_cents: 125_000 }), lead, references);
    expect(oneNew.payload).toEqual({ desired_min_rent_in_cents: 125_000 });
    // Without the employee list, the employee cannot be compared: it is sent.
    expect(compareRow(2, id, again, lead).payload).toEqual({ employee_id: written.employee_id });

    // Behind the importer's back, the PMS changes the status: the row's COLD is a change again.
    sim.changeLead(id, { status: 'ACTIVE' });
    expect(compareRow(2, id, again, await practice.read(id), references).payload).toEqual({ status: 'COLD' });
  });
});
