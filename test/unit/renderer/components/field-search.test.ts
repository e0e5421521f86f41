import { describe, expect, it } from 'vitest';
import type { FieldView } from '../../../../app/desktop/views.ts';
import { searchFields } from '../../../../renderer/components/field-search.ts';

const field = (name: string, description: string, deprecated = false): FieldView => ({ name, description, kind: 'string', deprecated });
const fields = [
  field('phone_1', 'Primary phone number associated with the lead'),
  field('phone_2', 'Secondary phone number'),
  field('first_name', 'The first name associated with the lead'),
  field('events', 'Old events', true),
  field('email_1', 'The primary email address'),
];

describe('searchFields', () => {
  it('puts names starting with the query first, then names containing it, then descriptions', () => {
    expect(searchFields(fields, 'phone').map((f) => f.name)).toEqual(['phone_1', 'phone_2']);
    expect(searchFields(fields, 'primary').map((f) => f.name)).toEqual(['email_1', 'phone_1']);
    expect(searchFields(fields, 'first name').map((f) => f.name)).toEqual(['first_name']);
  });

  it('lists deprecated fields last', () => {
    expect(searchFields(fields, '').map((f) => f.name)).toEqual(['email_1', 'first_name', 'phone_1', 'phone_2', 'events']);
  });
});
