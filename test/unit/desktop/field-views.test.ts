import { describe, expect, it } from 'vitest';
import { fieldViews } from '../../../app/desktop/field-views.ts';

describe('fieldViews', () => {
  it('carry each field’s label and explanation, and the mapping synonyms the picker searches', () => {
    const phoneType = fieldViews.find((f) => f.name === 'phone_1_type');
    expect(phoneType?.label).toBe('Phone type');
    expect(fieldViews.find((f) => f.name === 'phone_1')?.synonyms).toContain('Cell #');
  });
});
