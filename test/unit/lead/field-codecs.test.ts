import { describe, expect, it } from 'vitest';
import { CellFailure } from '../../../app/lead/cell-codec.ts';
import { cellCodecFor } from '../../../app/lead/field-codecs.ts';
import { fieldSpecByName, fieldSpecs, type LeadFieldName } from '../../../app/lead/fields.ts';

const codecOf = (field: LeadFieldName, options = {}) => {
  const spec = fieldSpecByName.get(field);
  if (spec === undefined) throw new Error(field);
  const codec = cellCodecFor(spec.type, options);
  if (codec === null) throw new Error(`no codec for ${field}`);
  return codec;
};

describe('cellCodecFor', () => {
  it('has a codec for every field kind except unsupported ones', () => {
    for (const spec of fieldSpecs) expect(cellCodecFor(spec.type) === null).toBe(spec.type.kind === 'unsupported');
    expect(cellCodecFor(fieldSpecByName.get('events')!.type)).toBeNull();
  });

  it('reads each kind as the schema constrains it', () => {
    expect(codecOf('first_name').parse(' Jane ')).toBe('Jane');
    expect(codecOf('email_1').parse('x@y.com')).toBe('x@y.com');
    expect(codecOf('middle_initial').parse('J.')).toBe('J');
    expect(codecOf('number_of_additional_occupants').parse('-1')).toEqual(new CellFailure("'-1' must be 0 or more"));
    expect(codecOf('desired_num_bedrooms').parse('-1')).toBe(-1); // no minimum in the schema
    expect(codecOf('desired_num_bathrooms').parse('2,5')).toBe(2.5);
    expect(codecOf('has_cats').parse('y')).toBe(true);
    expect(codecOf('status').parse('cold')).toBe('COLD');
    expect(codecOf('target_move_in_date').parse('3/7/2025')).toBe('2025-03-07');
    expect(codecOf('desired_unit_ids').parse('a;b')).toEqual(['a', 'b']);
    expect(codecOf('credit_score').parse(720)).toBe('720');
  });

  it('reads money in dollars unless the column says cents', () => {
    expect(codecOf('monthly_income_in_cents').parse('6,500')).toBe(650000);
    expect(codecOf('monthly_income_in_cents', { money: 'cents' }).parse('6,500')).toBe(6500);
    expect(codecOf('monthly_income_in_cents', { money: 'cents' }).parse('65.5')).toEqual(
      new CellFailure("'65.5' is not a whole number of cents"),
    );
    expect(codecOf('desired_min_rent_in_cents').parse('null')).toBeNull();
    expect(codecOf('desired_max_rent_in_cents').parse('null')).toEqual(new CellFailure("'null' is not an amount"));
  });

  it('reads dates in the column order and lists with the column separator', () => {
    expect(codecOf('date_of_birth', { dateOrder: 'DMY' }).parse('31/12/1990')).toBe('1990-12-31');
    expect(codecOf('desired_unit_ids', { listSeparator: ',' }).parse('a, b')).toEqual(['a', 'b']);
  });

  it('encodes through the specific codec', () => {
    expect(codecOf('desired_max_rent_in_cents').encode(125050)).toBe('1250.50');
    expect(codecOf('has_dogs').encode(false)).toBe('false');
    expect(codecOf('desired_unit_ids').encode(['a', 'b'])).toBe('a; b');
  });
});
