import { describe, expect, it } from 'vitest';
import { decodeTarget, encodeTarget, entryFor, withTarget, without } from '../../../../renderer/components/value-table.ts';

describe('the Map screen’s value table', () => {
  it('finds an entry as the core matches it: case and surrounding spaces ignored', () => {
    const table = { Contacted: 'ACTIVE', ' Lost Lead ': 'INACTIVE' };
    expect(entryFor(table, 'contacted ')).toEqual(['Contacted', 'ACTIVE']);
    expect(entryFor(table, 'LOST LEAD')).toEqual([' Lost Lead ', 'INACTIVE']);
    expect(entryFor(table, 'Working')).toBeUndefined();
    expect(entryFor(undefined, 'Contacted')).toBeUndefined();
  });

  it('sets, replaces and removes a translation, keeping the other options; an empty table is none', () => {
    const options = { placeholders: ['-'], values: { contacted: 'COLD' } };
    // The same word written another way replaces the entry, under the file's spelling.
    const replaced = withTarget(options, 'Contacted', 'ACTIVE');
    expect(replaced).toEqual({ placeholders: ['-'], values: { Contacted: 'ACTIVE' } });
    const added = withTarget(replaced, 'Lost Lead', 'INACTIVE');
    expect(added.values).toEqual({ Contacted: 'ACTIVE', 'Lost Lead': 'INACTIVE' });
    expect(withTarget(withTarget(added, 'lost lead', undefined), 'CONTACTED', undefined)).toEqual({ placeholders: ['-'] });
    expect(options.values).toEqual({ contacted: 'COLD' });
  });

  it('encodes targets for a select so an enum value never reads as yes/no', () => {
    for (const target of ['ACTIVE', 'true', true, false, '']) expect(decodeTarget(encodeTarget(target))).toBe(target);
    expect(decodeTarget('')).toBeUndefined();
    expect(without({ rawTo: 'status_raw', split: 'first last' }, 'rawTo')).toEqual({ split: 'first last' });
  });
});
