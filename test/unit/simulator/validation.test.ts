import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { leadFieldNames, leadUpdateInputSchema, type JsonSchema } from '../../../app/propexo/schema.ts';
import { startSimulator, type Simulator } from '../../../app/simulator/server.ts';
import { checkLeadUpdateBody } from '../../../app/simulator/validation.ts';
import { contract, errorCodeOf, issuesOf, putLead, putRaw } from './helpers.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ jobPendingMs: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('PUT /v1/leads/{id} body validation (strict, like the live server)', () => {
  it('rejects an unknown key with one unrecognized_keys issue naming it, and applies nothing', async () => {
    const answer = await putLead(sim, 'lead-1', { status: 'ACTIVE', favourite_colour: 'blue' });
    expect(answer.status).toBe(400);
    expect(contract.errorResponse(answer.body)).toBe(true);
    expect(answer.body).toMatchObject({ error: { code: 'invalid_request', details: { name: 'ZodError' } } });
    expect(issuesOf(answer)).toEqual([
      { code: 'unrecognized_keys', keys: ['favourite_colour'], path: [], message: "Unrecognized key(s) in object: 'favourite_colour'" },
    ]);
    expect(sim.leads.size).toBe(0);
    expect(sim.record[0]).toMatchObject({ status: 400, applied: false });
  });

  it('gives a wrong type an invalid_type issue with the field path', async () => {
    const answer = await putLead(sim, 'lead-1', { has_cats: 'yes' });
    expect(answer.status).toBe(400);
    expect(issuesOf(answer)).toEqual([
      { code: 'invalid_type', expected: 'boolean', received: 'string', path: ['has_cats'], message: 'Expected boolean, received string' },
    ]);
  });

  it('reports one issue per problem, each with its own path and the matching zod code', async () => {
    const answer = await putLead(sim, 'lead-1', {
      status: 'Actve',
      number_of_additional_occupants: 1.5,
      monthly_income_in_cents: -1,
      middle_initial: 'AB',
      desired_unit_ids: Array.from({ length: 26 }, (_, i) => `unit-${i}`),
      target_move_in_date: '06/01/2025',
      phone_1: 5551234,
      foo: 1,
      bar: 2,
    });
    expect(answer.status).toBe(400);
    const byPath = new Map(issuesOf(answer).map((issue) => [issue.path.join('.'), issue]));
    expect(byPath.get('status')?.code).toBe('invalid_enum_value');
    expect(byPath.get('status')?.message).toContain("received 'Actve'");
    expect(byPath.get('number_of_additional_occupants')).toMatchObject({
      code: 'invalid_type',
      message: 'Expected integer, received float',
    });
    expect(byPath.get('monthly_income_in_cents')).toMatchObject({ code: 'too_small' });
    expect(byPath.get('middle_initial')).toMatchObject({ code: 'too_big' });
    expect(byPath.get('desired_unit_ids')).toMatchObject({ code: 'too_big' });
    expect(byPath.get('target_move_in_date')).toMatchObject({ code: 'invalid_union' });
    expect(byPath.get('phone_1')).toMatchObject({ code: 'invalid_type', expected: 'string', received: 'number' });
    expect(byPath.get('')).toMatchObject({ code: 'unrecognized_keys', keys: ['foo', 'bar'] });
    expect(issuesOf(answer)).toHaveLength(8);
    // The message summarises the issues so a client that shows only the message still helps.
    expect((answer.body as { error: { message: string } }).error.message).toContain('status: Invalid enum value');
  });

  it('reports a wrong type once, not also as a failed enum or length check', async () => {
    const answer = await putLead(sim, 'lead-1', { status: 3 });
    expect(issuesOf(answer)).toEqual([
      { code: 'invalid_type', expected: 'string', received: 'number', path: ['status'], message: 'Expected string, received number' },
    ]);
  });

  it('is strict inside nested objects too (deprecated events)', async () => {
    const answer = await putLead(sim, 'lead-1', { events: [{ x_type_id: 't1', colour: 'red' }, { notes: 'no type' }] });
    expect(answer.status).toBe(400);
    expect(issuesOf(answer)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'unrecognized_keys', keys: ['colour'], path: ['events', 0] }),
        expect.objectContaining({ code: 'invalid_type', path: ['events', 1, 'x_type_id'], message: 'Required' }),
      ]),
    );
  });

  it('accepts both date forms the schema allows and nulls where it allows them', async () => {
    for (const body of [
      { target_move_in_date: '2025-06-01' },
      { target_move_in_date: '2025-06-01T09:30:00Z' },
      { desired_min_rent_in_cents: null },
      { desired_unit_ids: [] },
    ]) {
      const answer = await putLead(sim, 'lead-1', body);
      expect(answer.status, JSON.stringify(body)).toBe(200);
    }
  });

  it('with ?ignore_unknown_fields=true strips unknown keys and applies the rest', async () => {
    const answer = await putLead(
      sim,
      'lead-1',
      { status: 'COLD', pms_flavour: 'x', events: [{ x_type_id: 't', extra: 1 }] },
      { query: '?ignore_unknown_fields=true' },
    );
    expect(answer.status).toBe(200);
    const applied = sim.leads.get('lead-1');
    expect(applied).toHaveLength(1);
    expect(applied?.[0].body).toEqual({ status: 'COLD', events: [{ x_type_id: 't' }] });
    expect(applied?.[0].ignoredFields).toEqual(['pms_flavour', 'events.0.extra']);
    // What arrived is recorded as sent, unknown keys included.
    expect(sim.record[0].body).toEqual({ status: 'COLD', pms_flavour: 'x', events: [{ x_type_id: 't', extra: 1 }] });
  });

  it('with ?ignore_unknown_fields=true still rejects known fields with bad values', async () => {
    const answer = await putLead(sim, 'lead-1', { status: 'NOPE', pms_flavour: 'x' }, { query: '?ignore_unknown_fields=true' });
    expect(answer.status).toBe(400);
    expect(issuesOf(answer).map((i) => i.code)).toEqual(['invalid_enum_value']);
    expect(sim.leads.size).toBe(0);
  });

  it('answers 400 to a body that is not JSON, empty, or not an object', async () => {
    const broken = await putRaw(sim, 'lead-1', '{"status": "ACTIVE",');
    expect(broken.status).toBe(400);
    expect(errorCodeOf(broken)).toBe('invalid_json');
    expect(contract.errorResponse(broken.body)).toBe(true);
    expect(sim.record[0].bodyText).toBe('{"status": "ACTIVE",');

    const empty = await putRaw(sim, 'lead-1', '');
    expect(empty.status).toBe(400);

    const array = await putLead(sim, 'lead-1', [{ status: 'ACTIVE' }]);
    expect(array.status).toBe(400);
    expect(issuesOf(array)).toEqual([expect.objectContaining({ code: 'invalid_type', expected: 'object', received: 'array', path: [] })]);
    expect(sim.leads.size).toBe(0);
  });
});

/** A value the schema accepts, for any property of the update input. */
function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.constantFrom('2025-06-01', '2031-12-31', '2025-06-01T09:30:00Z', '2025-06-01T09:30:00.123+02:00');
  const types = schema.type === undefined ? [] : typeof schema.type === 'string' ? [schema.type] : [...schema.type];
  const options: fc.Arbitrary<unknown>[] = [];
  if (types.includes('null')) options.push(fc.constant(null));
  if (schema.enum) options.push(fc.constantFrom(...schema.enum));
  else if (types.includes('string')) options.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 20 }));
  if (types.includes('integer')) options.push(fc.integer({ min: schema.minimum ?? -1000, max: 1_000_000 }));
  else if (types.includes('number'))
    options.push(fc.double({ min: schema.minimum ?? -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }));
  if (types.includes('boolean')) options.push(fc.boolean());
  if (types.includes('array')) {
    const maxLength = schema.maxItems ?? 5;
    options.push(
      schema.items?.properties ? fc.array(fc.record({ x_type_id: fc.string() }), { maxLength }) : fc.array(fc.string(), { maxLength }),
    );
  }
  if (options.length === 0) throw new Error(`no generator for ${JSON.stringify(schema)}`);
  return fc.oneof(...options);
}

describe('checkLeadUpdateBody', () => {
  it('accepts every body made only of valid values for the schema’s 49 fields', () => {
    const fields = Object.fromEntries(leadFieldNames.map((name) => [name, validValue(leadUpdateInputSchema.properties[name])]));
    fc.assert(
      fc.property(fc.record(fields, { requiredKeys: [] }), (body) => {
        const checked = checkLeadUpdateBody(body, false);
        expect(checked.ok ? [] : checked.issues).toEqual([]);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('names every unknown key, however many, in one issue', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^x_[a-z]{1,8}$/), { minLength: 1, maxLength: 6 }), (keys) => {
        const checked = checkLeadUpdateBody(Object.fromEntries(keys.map((k) => [k, 1])), false);
        expect(checked.ok).toBe(false);
        if (!checked.ok) expect(checked.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys })]);
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});
