import { describe, expect, it } from 'vitest';
import { headerKeys, headerWords, normalizeHeader, stripDecorations } from '../../../app/mapping/header-text.ts';

describe('normalizeHeader', () => {
  it.each([
    ['email_1', 'email1'],
    ['Email 1', 'email1'],
    ['EMAIL-1', 'email1'],
    ['  E-mail Address ', 'emailaddress'],
    ['Target Move In Date', 'targetmoveindate'],
    ['target_move_in_date', 'targetmoveindate'],
    ['# Beds', 'beds'],
    ['Prénom', 'prenom'],
    ['---', ''],
  ])('%j → %j', (header, key) => expect(normalizeHeader(header)).toBe(key));
});

describe('stripDecorations', () => {
  it.each([
    ['Max Rent ($)', 'Max Rent'],
    ['Max Rent (cents)', 'Max Rent'],
    ['Max Rent [¢]', 'Max Rent'],
    ['Monthly Income (USD)', 'Monthly Income'],
    ['Monthly Income (in dollars)', 'Monthly Income'],
    ['Move-in Date (DD/MM/YYYY)', 'Move-in Date'],
    ['Move-in Date mm-dd-yy', 'Move-in Date'],
    ['Max Rent $', 'Max Rent'],
    ['Rent in cents', 'Rent'],
    ['MaxRentCents', 'Max Rent'],
    ['Income per month', 'Income'],
    ['Income / mo', 'Income'],
    ['Lease Term (months)', 'Lease Term'],
    ['Email (optional)', 'Email'],
    ['Max Rent - USD $', 'Max Rent -'],
  ])('%j → %j', (header, stripped) => expect(stripDecorations(header)).toBe(stripped));

  it.each(['Lead ID (old)', 'Notes (internal)', 'Promo', 'Status', 'Dates'])(
    'keeps %j: only units and formats are decorations',
    (header) => {
      expect(stripDecorations(header)).toBe(header);
    },
  );
});

describe('headerKeys', () => {
  it('gives the whole header first, then the undecorated one', () => {
    expect(headerKeys('Max Rent ($)')).toEqual(['maxrent']);
    expect(headerKeys('Max Rent (cents)')).toEqual(['maxrentcents', 'maxrent']);
    expect(headerKeys('monthly_income_in_cents')).toEqual(['monthlyincomeincents', 'monthlyincome']);
  });

  it('gives no key for a header with no letters or digits', () => {
    expect(headerKeys('')).toEqual([]);
    expect(headerKeys('(  )')).toEqual([]);
  });

  it('keeps the whole header when only a decoration is left', () => {
    expect(headerKeys('DD/MM/YYYY')).toEqual(['ddmmyyyy']);
  });
});

describe('headerWords', () => {
  it('splits on punctuation, underscores and camelCase, and keeps currency signs', () => {
    expect(headerWords('desired_max_rent_in_cents')).toEqual(['desired', 'max', 'rent', 'in', 'cents']);
    expect(headerWords('MaxRentCents')).toEqual(['max', 'rent', 'cents']);
    expect(headerWords('Max Rent (¢)')).toEqual(['max', 'rent', '¢']);
    expect(headerWords('Max Rent ($)')).toEqual(['max', 'rent', '$']);
  });
});
