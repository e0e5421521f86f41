import { describe, expect, it } from 'vitest';
import { fieldSpecs } from '../../../app/lead/fields.ts';
import { fitOptions, inferColumnOptions, optionFor } from '../../../app/mapping/column-options.ts';

const fieldsOfKind = (kind: string) => fieldSpecs.filter((spec) => spec.type.kind === kind).map((spec) => spec.name);

describe('optionFor', () => {
  it('gives money to money fields, dateOrder to dates, listSeparator to lists, nothing to the rest', () => {
    for (const spec of fieldSpecs) {
      const expected = { money: 'money', date: 'dateOrder', list: 'listSeparator' }[spec.type.kind as string];
      expect(optionFor(spec.name), spec.name).toBe(expected);
    }
    expect(fieldsOfKind('money').length).toBeGreaterThan(0);
    expect(fieldsOfKind('date').length).toBeGreaterThan(0);
  });
});

describe('inferColumnOptions', () => {
  it.each([
    ['Max Rent', 'dollars'],
    ['Max Rent ($)', 'dollars'],
    ['Monthly Income (USD)', 'dollars'],
    ['Max Rent (cents)', 'cents'],
    ['Max Rent (¢)', 'cents'],
    ['Rent in Cents', 'cents'],
    ['MaxRentCents', 'cents'],
    ['desired_max_rent_in_cents', 'cents'],
    ['Max Rent (percent)', 'dollars'], // "percent" is not "cent"
  ] as const)('money header %j → %s', (header, money) => {
    for (const field of fieldsOfKind('money')) expect(inferColumnOptions(header, field)).toEqual({ money });
  });

  it.each([
    ['Move-in Date (DD/MM/YYYY)', { dateOrder: 'DMY' }],
    ['Move-in (D/M/Y)', { dateOrder: 'DMY' }],
    ['Move-in dd-mm-yyyy', { dateOrder: 'DMY' }],
    ['Move-in DD.MM.YYYY', { dateOrder: 'DMY' }],
    ['Move-in (day/month/year)', { dateOrder: 'DMY' }],
    ['Move-in (MM/DD/YYYY)', {}],
    ['Move-in (YYYY-MM-DD)', {}],
    ['Move-in Date', {}],
    ['Middle Date', {}],
  ] as const)('date header %j → %j', (header, options) => {
    for (const field of fieldsOfKind('date')) expect(inferColumnOptions(header, field)).toEqual(options);
  });

  it('gives other fields nothing, whatever the header says', () => {
    expect(inferColumnOptions('Units (cents, DD/MM)', 'desired_unit_ids')).toEqual({});
    expect(inferColumnOptions('Notes in cents', 'notes')).toEqual({});
  });
});

describe('fitOptions', () => {
  it('keeps the option the field takes', () => {
    expect(fitOptions('desired_max_rent_in_cents', { money: 'cents' })).toEqual({ options: { money: 'cents' }, misfits: [] });
    expect(fitOptions('target_move_in_date', { dateOrder: 'DMY' })).toEqual({ options: { dateOrder: 'DMY' }, misfits: [] });
    expect(fitOptions('desired_unit_ids', { listSeparator: ',' })).toEqual({ options: { listSeparator: ',' }, misfits: [] });
  });

  it('drops and explains options that do not fit', () => {
    expect(fitOptions('target_move_in_date', { money: 'dollars', dateOrder: 'DMY' })).toEqual({
      options: { dateOrder: 'DMY' },
      misfits: ['money applies only to money fields (*_in_cents), and target_move_in_date is a date field: ignored'],
    });
    expect(fitOptions('status', { listSeparator: ';', dateOrder: 'MDY' })).toEqual({
      options: {},
      misfits: [
        'dateOrder applies only to date fields, and status is an enum field: ignored',
        'listSeparator applies only to list fields, and status is an enum field: ignored',
      ],
    });
  });
});
