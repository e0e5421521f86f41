// The synonym table is data: these checks keep it consistent as people add to it.
import { describe, expect, it } from 'vitest';
import { fieldSpecByName, fieldSpecs, type LeadFieldName } from '../../../app/lead/fields.ts';
import { bestFieldMatch } from '../../../app/mapping/auto-map.ts';
import { normalizeHeader } from '../../../app/mapping/header-text.ts';
import { fieldSynonyms } from '../../../app/mapping/synonyms.ts';

const entries = (Object.entries(fieldSynonyms) as [LeadFieldName, readonly string[]][]).flatMap(([field, synonyms]) =>
  synonyms.map((synonym) => ({ field, synonym })),
);

describe('fieldSynonyms', () => {
  it('names only current fields: deprecated ones are matched by their own name alone', () => {
    for (const { field } of entries) {
      expect(fieldSpecByName.get(field)?.deprecated, field).toBe(false);
    }
  });

  it('never gives one wording to two fields', () => {
    const fieldOf = new Map<string, LeadFieldName>();
    for (const { field, synonym } of entries) {
      const key = normalizeHeader(synonym);
      const earlier = fieldOf.get(key);
      expect(earlier === undefined || earlier === field, `"${synonym}" is a synonym of ${earlier} and ${field}`).toBe(true);
      fieldOf.set(key, field);
    }
  });

  it("never spells another field's name, which would shadow it", () => {
    for (const { field, synonym } of entries) {
      const named = fieldSpecs.find((spec) => normalizeHeader(spec.name) === normalizeHeader(synonym));
      expect(named === undefined || named.name === field, `"${synonym}" (${field}) spells ${named?.name}`).toBe(true);
    }
  });

  it('maps every synonym to its field', () => {
    for (const { field, synonym } of entries) {
      expect(bestFieldMatch(synonym)?.field, synonym).toBe(field);
    }
  });

  it('gives every current field at least one other wording', () => {
    const covered = new Set(entries.map((entry) => entry.field));
    const current = fieldSpecs.filter((spec) => !spec.deprecated).map((spec) => spec.name);
    expect(current.filter((field) => !covered.has(field))).toEqual([]);
  });
});
