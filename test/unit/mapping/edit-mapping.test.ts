import * as E from 'fp-ts/Either';
import { describe, expect, it } from 'vitest';
import { autoMap } from '../../../app/mapping/auto-map.ts';
import { columnOptions, editMapping } from '../../../app/mapping/edit-mapping.ts';
import { applyMappingFile, parseMappingFile, type MappingFile } from '../../../app/mapping/mapping-file.ts';
import { DOUBLE_MAPPING_CASES } from './double-mapping-cases.ts';

describe('a field two columns would fill: one policy, refused naming both columns', () => {
  for (const c of DOUBLE_MAPPING_CASES) {
    it(`${c.name}: a mapping file that was not parsed (run.json, a built one) is refused, the later column left out`, () => {
      const file: MappingFile = {
        version: 1,
        columns: Object.fromEntries(c.header.map((name, i) => [name, { ...c.fields[i].options, field: c.fields[i].field }])),
      };
      const { mapping, ambiguous } = applyMappingFile(c.header, file);
      expect(ambiguous).toEqual([c.refusal]);
      expect(mapping.columns[c.later]).toMatchObject({ field: null, method: 'unmapped' });
      // A parsed file never gets that far: it is refused when read, at the later entry.
      const parsed = parseMappingFile(JSON.stringify(file), 'mapping.json');
      expect(E.isLeft(parsed) && parsed.left.some((m) => m.startsWith(`mapping.json: columns.${JSON.stringify(c.header[c.later])}.`))).toBe(
        true,
      );
    });

    it(`${c.name}: the Map screen's choices are refused`, () => {
      const choices = c.fields.map((f, index) => ({ index, field: f.field as string, options: f.options }));
      expect(editMapping(c.header, 'leads.csv', autoMap(c.header), new Set(), choices)).toEqual(E.left(`${c.refusal}. Choose one.`));
    });
  }
});

describe('editMapping', () => {
  it('keeps a column whose choice is unchanged as it was, and counts only real changes as chosen', () => {
    const header = ['Lead ID', 'Max Rent (cents)'];
    const mapping = autoMap(header);
    const same = editMapping(header, 'leads.csv', mapping, new Set(), [
      { index: 1, field: 'desired_max_rent_in_cents', options: { money: 'cents' } },
    ]);
    expect(same).toEqual(E.right({ mapping, manual: new Set(), misfits: [], changed: false }));
    const other = editMapping(header, 'leads.csv', mapping, new Set(), [
      { index: 1, field: 'desired_max_rent_in_cents', options: { money: 'dollars' } },
    ]);
    expect(E.isRight(other) && [other.right.changed, [...other.right.manual], other.right.mapping.columns[1].options]).toEqual([
      true,
      [1],
      { money: 'dollars' },
    ]);
  });
});

describe('columnOptions', () => {
  it('keeps the chosen options that fit, fills the rest from the header, and says what it dropped', () => {
    expect(columnOptions('Rent (cents)', 'desired_max_rent_in_cents', { dateOrder: 'DMY' })).toEqual({
      options: { money: 'cents' },
      misfits: ['dateOrder applies only to date fields, and desired_max_rent_in_cents is a money field: ignored'],
    });
    expect(columnOptions('Rent (cents)', 'desired_max_rent_in_cents', { money: 'dollars' }).options).toEqual({ money: 'dollars' });
  });
});
