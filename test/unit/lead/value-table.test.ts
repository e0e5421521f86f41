import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { cellCodecForField } from '../../../app/lead/field-codecs.ts';
import { fieldSpecByName, type LeadFieldName } from '../../../app/lead/fields.ts';
import { valueKey, valueTargetProblem } from '../../../app/lead/value-table.ts';
import type { ColumnOptions } from '../../../app/mapping/types.ts';

const codecOf = (name: LeadFieldName, options: ColumnOptions = {}) => {
  const spec = fieldSpecByName.get(name);
  if (spec === undefined) throw new Error(name);
  const codec = cellCodecForField(spec, options);
  if (codec === null) throw new Error(`no codec for ${name}`);
  return codec;
};

describe('value tables', () => {
  const status = codecOf('status', { values: { Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE', '1': 'COLD' } });

  it("translates the table's words ignoring case and surrounding spaces", () => {
    expect(status.decode('Contacted')).toEqual(E.right('ACTIVE'));
    expect(status.decode('  lost lead ')).toEqual(E.right('INACTIVE'));
    expect(status.decode('LOST LEAD')).toEqual(E.right('INACTIVE'));
    expect(status.decode(1)).toEqual(E.right('COLD'));
    expect(valueKey('  Lost Lead ')).toBe('lost lead');
  });

  it("reads any other cell with the field's own codec", () => {
    expect(status.decode('waitlisted')).toEqual(E.right('WAITLISTED'));
    const refused = status.decode('Working');
    expect(E.isLeft(refused) && refused.left[0].message).toBe("'Working' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED");
  });

  it('works for yes/no fields', () => {
    const dogs = codecOf('has_dogs', { values: { 'Small dog': true, 'No pets': false } });
    expect(dogs.decode('small dog')).toEqual(E.right(true));
    expect(dogs.decode('No Pets')).toEqual(E.right(false));
    expect(dogs.decode('yes')).toEqual(E.right(true));
  });

  it('checks that a target fits the field', () => {
    const kind = (name: LeadFieldName) => fieldSpecByName.get(name)?.type ?? { kind: 'unsupported' as const };
    expect(valueTargetProblem(kind('status'), 'ACTIVE')).toBeNull();
    expect(valueTargetProblem(kind('status'), 'ACTIV')).toBe(
      "'ACTIV' is not one of ACTIVE, COLD, INACTIVE, WAITLISTED; did you mean ACTIVE?",
    );
    expect(valueTargetProblem(kind('has_cats'), 'yes')).toBe("'yes' is not a yes/no value: write true or false");
    expect(valueTargetProblem(kind('has_cats'), false)).toBeNull();
    expect(valueTargetProblem(kind('city'), 'Denver')).toBe(
      'a value table applies only to fields with a fixed list of values and to yes/no fields',
    );
  });
});

describe('phone types', () => {
  it.each([
    ['Cell', 'MOBILE'],
    ['cell phone', 'MOBILE'],
    ['Mobile', 'MOBILE'],
    ['Main', 'HOME'],
    ['Home', 'HOME'],
    ['Landline', 'HOME'],
    ['Work', 'WORK'],
    ['Office', 'WORK'],
    ['Business', 'WORK'],
    ['Fax', 'FAX'],
    ['Work Fax', 'FAX'],
  ])('reads %j as %s', (cell, value) => {
    expect(codecOf('phone_1_type').decode(cell)).toEqual(E.right(value));
    expect(codecOf('phone_2_type').decode(cell)).toEqual(E.right(value));
  });

  it('keeps other enum fields to their own words', () => {
    expect(E.isLeft(codecOf('status').decode('Cell'))).toBe(true);
  });
});
