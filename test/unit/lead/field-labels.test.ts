import { describe, expect, it } from 'vitest';
import { fieldLabels, labelOf } from '../../../app/lead/field-labels.ts';
import { leadFieldNames } from '../../../app/propexo/schema.ts';

describe('fieldLabels', () => {
  it('has a label and a one-line explanation for every field of the vendored schema, and nothing else', () => {
    const table: Readonly<Record<string, { label: string; explanation: string } | undefined>> = fieldLabels;
    const missing = leadFieldNames.filter(
      (name) => (table[name]?.label.trim() ?? '') === '' || (table[name]?.explanation.trim() ?? '') === '',
    );
    expect(missing, 'schema fields without a label or explanation in app/lead/field-labels.ts').toEqual([]);
    expect(Object.keys(fieldLabels).sort()).toEqual([...leadFieldNames].sort());
  });

  it('gives each field its own short label, in words rather than the API name', () => {
    const labels = Object.values(fieldLabels).map((l) => l.label);
    expect(new Set(labels).size).toBe(labels.length);
    for (const [name, { label, explanation }] of Object.entries(fieldLabels)) {
      expect(label, name).not.toMatch(/_/);
      expect(label.length, name).toBeLessThanOrEqual(28);
      expect(explanation, name).not.toMatch(/\n/);
    }
  });

  it('names a field by its label and anything else by itself', () => {
    expect(labelOf('target_move_in_date')).toBe('Move-in date');
    expect(labelOf('desired_max_rent_in_cents')).toBe('Max rent');
    expect(labelOf('Notes from agent')).toBe('Notes from agent');
  });
});
