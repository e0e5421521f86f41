import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuplicateLeads } from '../../../app/validate/duplicate-leads.ts';

describe('DuplicateLeads', () => {
  it('names the earlier rows of the same lead, and only those', () => {
    const d = new DuplicateLeads();
    expect(d.see('ld_1', 2)).toEqual([]);
    expect(d.see('ld_2', 3)).toEqual([]);
    expect(d.see('ld_1', 7)).toEqual([2]);
    expect(d.see('ld_1', 9)).toEqual([2, 7]);
    expect(d.see('LD_1', 10)).toEqual([]);
    expect(d.count).toBe(2);
  });

  it('agrees with a plain Map over many ids, across table growth (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 5000 }), (ids) => {
        const d = new DuplicateLeads();
        const reference = new Map<string, number[]>();
        ids.forEach((id, i) => {
          const key = `lead-${id}`;
          const earlier = reference.get(key) ?? [];
          expect(d.see(key, i + 2)).toEqual(earlier);
          reference.set(key, [...earlier, i + 2]);
        });
        const repeats = [...reference.values()].reduce((n, rows) => n + rows.length - 1, 0);
        expect(d.count).toBe(repeats);
      }),
      { numRuns: 20 },
    );
  });
});
