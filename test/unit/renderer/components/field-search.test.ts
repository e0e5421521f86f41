import { describe, expect, it } from 'vitest';
import type { FieldView } from '../../../../app/shared/views.ts';
import { fieldViews } from '../../../../app/desktop/field-views.ts';
import { searchFields } from '../../../../renderer/components/field-search.ts';

const field = (name: string, label: string, description: string, synonyms: readonly string[] = [], deprecated = false): FieldView => ({
  name,
  label,
  explanation: description,
  description,
  synonyms,
  kind: 'string',
  deprecated,
});
const fields = [
  field('phone_1', 'Phone', 'Primary phone number associated with the lead', ['Cell #', 'Mobile']),
  field('phone_2', 'Second phone', 'Secondary phone number'),
  field('first_name', 'First name', 'The first name associated with the lead'),
  field('events', 'Events (old)', 'Old events', [], true),
  field('email_1', 'Email', 'The primary email address'),
];
const names = (query: string): string[] => searchFields(fields, query).map((f) => f.name);

describe('searchFields', () => {
  it('puts labels and API names starting with the query first, then those containing it, then descriptions', () => {
    expect(names('phone')).toEqual(['phone_1', 'phone_2']);
    expect(names('primary')).toEqual(['email_1', 'phone_1']);
    expect(names('first name')).toEqual(['first_name']);
    expect(names('first_name')).toEqual(['first_name']);
    expect(names('second')).toEqual(['phone_2']);
  });

  it('finds a field by a header its synonyms know, whatever the punctuation', () => {
    expect(names('cell #')).toEqual(['phone_1']);
    expect(names('mobile')).toEqual(['phone_1']);
  });

  it('lists by label, deprecated fields last', () => {
    expect(names('')).toEqual(['email_1', 'first_name', 'phone_1', 'phone_2', 'events']);
  });

  it('finds the real fields by what a leasing manager calls them', () => {
    const first = (query: string): string | undefined => searchFields(fieldViews, query)[0]?.name;
    expect(first('move-in')).toBe('target_move_in_date');
    expect(first('max rent')).toBe('desired_max_rent_in_cents');
    expect(first('budget')).toBe('desired_max_rent_in_cents');
    expect(first('phone type')).toBe('phone_1_type');
    expect(first('target_move')).toBe('target_move_in_date');
  });
});
