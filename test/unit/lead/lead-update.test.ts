import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import openApiDocument from '../../../app/propexo/openapi-lead-update.json' with { type: 'json' };
import { fieldSpecs, type FieldKind, type LeadFieldName } from '../../../app/lead/fields.ts';
import { LeadUpdate, isSendableField, jsonCodecFor, sendableFieldSpecs } from '../../../app/lead/lead-update.ts';
import { compileRowDecoder } from '../../../app/lead/row-decoder.ts';
import type { ColumnMapping, ColumnOptions } from '../../../app/mapping/types.ts';
import type { Cell } from '../../../app/source/types.ts';
import { invalidVariedRows, skippedVariedRows, validVariedRows, variedHeader, variedMapping } from '../../fixtures/lead/varied-rows.ts';

// ajv-formats is CommonJS: its default export arrives bare or wrapped depending on the loader.
type AddFormats = (ajv: Ajv2020) => Ajv2020;
const addFormats: AddFormats =
  typeof addFormatsModule === 'function'
    ? (addFormatsModule as unknown as AddFormats)
    : (addFormatsModule as unknown as { default: AddFormats }).default;

/** The body schema as the live server applies it: unknown keys are errors. */
function strictBodyValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = openApiDocument.components.schemas['_v1_leads_{id}_put_input'];
  return ajv.compile({ ...schema, additionalProperties: false });
}

const validateBody = strictBodyValidator();
const schemaErrors = (payload: unknown): string => JSON.stringify(validateBody.errors ?? [], null, 1) + ' in ' + JSON.stringify(payload);

describe('LeadUpdate', () => {
  it('holds every schema field except the lead id, deprecated fields with a replacement and events', () => {
    const names = sendableFieldSpecs.map((spec) => spec.name);
    expect(names).toHaveLength(fieldSpecs.length - 5);
    for (const excluded of ['lead_id', 'events', 'desired_move_in_date', 'desired_bedrooms', 'desired_bathrooms'] as LeadFieldName[]) {
      expect(names).not.toContain(excluded);
      expect(isSendableField(excluded)).toBe(false);
    }
    expect(isSendableField('target_move_in_date')).toBe(true);
  });

  it('is exact: unknown and unsendable keys are stripped', () => {
    const decoded = LeadUpdate.decode({ status: 'ACTIVE', lead_id: 'x', events: [], desired_bedrooms: 2, favourite_colour: 'blue' });
    expect(decoded).toEqual(E.right({ status: 'ACTIVE' }));
  });

  it('checks each value against its kind', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'active' }, 'must be one of ACTIVE, COLD, INACTIVE, WAITLISTED'],
      [{ number_of_additional_occupants: 1.5 }, 'must be a whole number'],
      [{ number_of_additional_occupants: -1 }, 'must be 0 or more'],
      [{ monthly_income_in_cents: 10.5 }, 'must be a whole number'],
      [{ desired_max_rent_in_cents: null }, 'must be a number'],
      [{ middle_initial: 'JR' }, 'must be exactly one character'],
      [{ target_move_in_date: '2025-02-30' }, 'must be a date written YYYY-MM-DD'],
      [{ desired_unit_ids: Array.from({ length: 26 }, (_, i) => `u${i}`) }, 'must have at most 25 values'],
      [{ has_cats: 'yes' }, 'must be true or false'],
      [{ email_1: 'nope' }, 'it has no @'],
      [{ first_name: 3 }, 'must be text'],
    ];
    for (const [payload, message] of cases) {
      const result = LeadUpdate.decode(payload);
      expect(E.isLeft(result)).toBe(true);
      if (E.isLeft(result)) expect(result.left.map((e) => e.message)).toContain(message);
    }
    expect(E.isRight(LeadUpdate.decode({ desired_min_rent_in_cents: null, desired_max_rent_in_cents: 1250.5 }))).toBe(true);
  });

  it('has no JSON codec for what a cell cannot express', () => {
    expect(jsonCodecFor({ kind: 'unsupported' } as FieldKind)).toBeNull();
  });
});

describe('decoded payloads against the Propexo schema (strict, as the live server)', () => {
  const decoder = compileRowDecoder(variedHeader, variedMapping);

  it('every valid fixture row gives a payload the schema accepts', () => {
    const decoded = validVariedRows.map((row) => decoder.decode(row));
    for (const row of decoded) {
      expect(row.errors, `row ${row.rowNumber}`).toEqual([]);
      expect(row.status).toBe('valid');
      expect(validateBody(row.payload), schemaErrors(row.payload)).toBe(true);
      expect(LeadUpdate.is(row.payload)).toBe(true);
    }
    // Together the valid rows send every sendable field at least once.
    const sent = new Set(decoded.flatMap((row) => Object.keys(row.payload)));
    expect([...sent].sort()).toEqual(sendableFieldSpecs.map((spec) => spec.name).sort());
  });

  it('invalid fixture rows are invalid, and what did decode is still schema-valid', () => {
    for (const row of invalidVariedRows.map((r) => decoder.decode(r))) {
      expect(row.status, `row ${row.rowNumber}`).toBe('invalid');
      expect(row.errors.length).toBeGreaterThan(0);
      expect(validateBody(row.payload), schemaErrors(row.payload)).toBe(true);
    }
  });

  it('skipped fixture rows have an empty payload', () => {
    for (const row of skippedVariedRows.map((r) => decoder.decode(r))) {
      expect(row.status).toBe('skipped');
      expect(row.payload).toEqual({});
    }
  });

  it('any row the decoder calls valid passes the schema, whatever its cells hold', () => {
    const day = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true });
    const decimals = (max: number): fc.Arbitrary<string> =>
      fc.tuple(fc.nat(max), fc.nat(99)).map(([whole, fraction]) => `${whole}.${String(fraction).padStart(2, '0')}`);
    // Cells a careful user would write for a field, as CSV text or XLSX-typed values.
    const sensible = (kind: FieldKind, options: ColumnOptions): fc.Arbitrary<Cell> => {
      switch (kind.kind) {
        case 'string':
          return fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.integer());
        case 'email':
          return fc.emailAddress();
        case 'char':
          return fc.constantFrom('J', 'J.', 'é', 'q');
        case 'integer':
          return fc.oneof(fc.nat(5000).map(String), fc.nat(5000), fc.constantFrom('3.0', '1,250', '1 250'));
        case 'number':
          return fc.oneof(
            fc.double({ min: 0, max: 1e6, noNaN: true }),
            decimals(1e6),
            decimals(999).map((d) => d.replace('.', ',')),
            fc.constantFrom('1.234,56'),
          );
        case 'money':
          return options.money === 'cents'
            ? fc.oneof(
                fc.nat(10_000_000),
                fc.nat(10_000_000).map((n) => n.toLocaleString('en-US')),
              )
            : fc.oneof(
                fc.tuple(fc.nat(1_000_000), fc.nat(99)).map(([d, c]) => `$${d.toLocaleString('en-US')}.${String(c).padStart(2, '0')}`),
                fc.nat(100_000),
                decimals(100_000).map(Number),
                fc.constantFrom('1.250,50 €', 'USD 10', '0.29'),
              );
        case 'boolean':
          return fc.oneof(fc.constantFrom('yes', 'no', 'Y', 'n', 'TRUE', 'f', '1', '0'), fc.boolean());
        case 'enum':
          return fc.constantFrom(
            ...kind.values.flatMap((v) => [v, v.toLowerCase().replaceAll('_', ' '), v.toLowerCase().replaceAll('_', '-')]),
          );
        case 'date':
          return fc.oneof(
            day,
            day.map((d) => d.toISOString()),
            day.map(
              (d) =>
                (options.dateOrder === 'DMY' ? [d.getUTCDate(), d.getUTCMonth() + 1] : [d.getUTCMonth() + 1, d.getUTCDate()]).join('/') +
                '/' +
                d.getUTCFullYear(),
            ),
            fc.constantFrom('Mar 7, 2025', '7 March 2025', '2024-02-29'),
          );
        case 'list':
          return fc.array(fc.stringMatching(/^[a-z0-9_]{1,6}$/), { minLength: 1, maxLength: 25 }).map((items) => items.join('; '));
        case 'unsupported':
          return fc.string({ maxLength: 6 });
      }
    };
    // Anything at all, sensible or not.
    const wild: fc.Arbitrary<Cell> = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('null', '-$5', '12.345', '3.5', 'Actve', 'maybe', '2025-02-30', '3/7/25', 'JR', 'a@b', ' ; '),
      fc.double(),
      fc.boolean(),
      day,
    );
    const cellFor = (column: ColumnMapping): fc.Arbitrary<Cell> => {
      if (column.field === 'lead_id') return fc.constantFrom('lead_1', ' lead_2 ', 'lead_3', 98765, '', 'lead 4');
      const spec = fieldSpecs.find((f) => f.name === column.field);
      const target = fieldSpecs.find((f) => f.name === (spec?.replacedBy ?? spec?.name));
      if (target === undefined) throw new Error(`no field ${column.field}`);
      return fc.oneof(
        { arbitrary: fc.constant(''), weight: 30 },
        { arbitrary: sensible(target.type, column.options), weight: 15 },
        { arbitrary: wild, weight: 1 },
      );
    };
    const cells = fc.tuple(...variedMapping.columns.map(cellFor));
    const seen = { valid: 0, invalid: 0, skipped: 0 };
    fc.assert(
      fc.property(cells, (rowCells) => {
        const row = decoder.decode({ rowNumber: 2, cells: rowCells });
        seen[row.status]++;
        expect(row.status === 'invalid').toBe(row.errors.length > 0);
        // Valid rows, and whatever did decode in the others, are schema-valid.
        expect(validateBody(row.payload), schemaErrors(row.payload)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(seen.valid).toBeGreaterThan(50);
    expect(seen.invalid).toBeGreaterThan(50);
  });
});
