import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFairPicker, type RequestClass } from '../../../app/schedule/fair-share.ts';

describe('fair picker', () => {
  it('serves whichever class waits when only one does', () => {
    const picker = createFairPicker();
    expect(picker.pick(undefined, undefined, 0)).toBeUndefined();
    expect(picker.pick(0, undefined, 0)).toBe('update');
    expect(picker.pick(undefined, 0, 0)).toBe('check');
  });

  it('under constant contention: at most checkEvery−1 updates between checks, never two checks in a row (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 200 }),
        (checkEvery, maxCheckWaitMs, gaps) => {
          const picker = createFairPicker({ checkEvery, maxCheckWaitMs });
          let now = 0;
          let checkSince = 0;
          const order: RequestClass[] = [];
          for (const gap of gaps) {
            now += gap;
            const kind = picker.pick(0, checkSince, now);
            if (kind === undefined) throw new Error('both wait: someone must be picked');
            picker.granted(kind, true);
            order.push(kind);
            if (kind === 'check') checkSince = now; // the next check has waited since then
          }
          const text = order.map((k) => k[0]).join('');
          expect(text).not.toMatch(/cc/);
          expect(text).not.toMatch(new RegExp(`u{${checkEvery}}`));
        },
      ),
    );
  });

  it('does not count uncontested update grants against waiting checks', () => {
    const picker = createFairPicker({ checkEvery: 3, maxCheckWaitMs: 1e9 });
    for (let i = 0; i < 10; i++) picker.granted('update', false);
    expect(picker.pick(0, 0, 0)).toBe('update');
    picker.granted('update', true);
    expect(picker.pick(0, 0, 0)).toBe('update');
    picker.granted('update', true);
    expect(picker.pick(0, 0, 0)).toBe('check');
  });
});
