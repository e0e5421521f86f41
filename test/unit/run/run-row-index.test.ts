import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/Either';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyInLeadIds } from '../../../app/run/key-in-identifiers.ts';
import { CheckedRows, INVALID, PackedLeadIds, VALID, indexRunInput } from '../../../app/run/run-row-index.ts';
import { applyEdits } from '../../../app/validate/decoded-rows.ts';
import { prepareImport, type PreparedImport } from '../../../app/validate/prepare-import.ts';

const KEY = 'sk_test_row-index-key-0042';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-row-index-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function prepared(lines: readonly string[]): Promise<PreparedImport> {
  const path = join(dir, 'leads.csv');
  await writeFile(path, `Lead ID,First Name,Beds\n${lines.join('\n')}\n`);
  const result = await prepareImport({ path });
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
}

describe('PackedLeadIds', () => {
  it('gives back every id pushed, null for none, across buffer growth, with changes kept apart from copies', () => {
    const ids = new PackedLeadIds();
    const pushed = Array.from({ length: 12_000 }, (_, i) => (i % 7 === 3 ? null : `lead-${i}-é-${'x'.repeat(i % 13)}`));
    for (const id of pushed) ids.push(id);
    ids.seal();
    expect(ids.length).toBe(pushed.length);
    expect(Array.from({ length: pushed.length }, (_, i) => ids.at(i))).toEqual(pushed);
    expect(ids.at(pushed.length)).toBeUndefined();
    const copy = ids.copy();
    ids.set(5, 'changed');
    expect(ids.at(5)).toBe('changed');
    expect(copy.at(5)).toBe(pushed[5]);
  });

  it('finds the first id holding a text, across search windows and among changed ids', () => {
    const ids = new PackedLeadIds();
    // ~40 bytes an id: 60,000 ids span several 1 MB windows.
    for (let i = 0; i < 60_000; i++) ids.push(i === 45_000 || i === 50_000 ? `lead-${KEY}-${i}` : `lead-${String(i).padStart(30, '0')}`);
    ids.seal();
    const holds = (text: string): boolean => text.includes(KEY);
    expect(ids.firstHolding(holds)).toBe(45_000);
    ids.set(45_000, 'lead-clean');
    expect(ids.firstHolding(holds)).toBe(50_000);
    ids.set(20_000, `now-${KEY}`);
    expect(ids.firstHolding(holds)).toBe(20_000);
  });
});

describe('PackedLeadIds parts (another thread packs its ids to follow this list: partAfter, append)', () => {
  const idAt = (i: number): string | null => (i % 11 === 5 ? null : `lead-${i}-${'y'.repeat(i % 17)}`);

  it('appends a part packed after its own count as if each id had been pushed, wherever the cut falls', () => {
    for (const before of [0, 1, 4_095, 4_096, 4_097, 9_000]) {
      for (const size of [0, 1, 4_095, 4_096, 4_097, 12_345]) {
        const whole = new PackedLeadIds();
        for (let i = 0; i < before; i++) whole.push(idAt(i));
        const part = new PackedLeadIds();
        for (let i = before; i < before + size; i++) part.push(idAt(i));
        // As it crosses to the main thread: a copy, flat strings.
        expect(whole.append(structuredClone(part.partAfter(before)))).toBe(true);
        whole.push('after-the-part');
        whole.seal();
        const expected = [...Array.from({ length: before + size }, (_, i) => idAt(i)), 'after-the-part'];
        expect(whole.length, `${before} + ${size}`).toBe(expected.length);
        expect(
          Array.from({ length: whole.length }, (_, i) => whole.at(i)),
          `${before} + ${size}`,
        ).toEqual(expected);
        // The search for the key looks at whole blocks: ids of the part are found in them.
        if (size < 2) continue;
        const last = before + size - (idAt(before + size - 1) === null ? 2 : 1);
        expect(
          whole.firstHolding((text) => text.includes(`lead-${last}-`)),
          `${before} + ${size}`,
        ).toBe(last);
      }
    }
  });

  it('refuses a part packed after another count, appending nothing', () => {
    const list = new PackedLeadIds();
    for (let i = 0; i < 100; i++) list.push(idAt(i));
    const part = new PackedLeadIds();
    for (let i = 0; i < 5_000; i++) part.push(idAt(100 + i));
    expect(list.append(part.partAfter(99))).toBe(false);
    expect(list.length).toBe(100);
  });
});

describe('CheckedRows (the review keeps the run index through cell fixes)', () => {
  it('a fix changes its row: status, counts, lead id, problems; a snapshot taken before does not change', async () => {
    const input = await prepared(['L1,Ann,2', 'L2,Bob,two', 'L3,Cy,3']);
    const index = await indexRunInput({ prepared: input, edits: new Map() });
    expect(index.counts).toEqual({ rows: 3, valid: 2, invalid: 1, skipped: 0 });
    const rows = new CheckedRows(index, input.decoder.plan.leadIdIndex);
    const before = rows.snapshot();
    const fix = (rowNumber: number, cells: readonly string[], edits: Map<number, string>): void => {
      const edited = applyEdits({ rowNumber, cells }, edits);
      rows.update(rowNumber - 2, edited, input.decoder.check(edited));
    };
    fix(3, ['L2', 'Bob', 'two'], new Map([[2, '2']]));
    fix(4, ['L3', 'Cy', '3'], new Map([[0, 'L3-new']]));
    const after = rows.snapshot();
    expect(after.counts).toEqual({ rows: 3, valid: 3, invalid: 0, skipped: 0 });
    expect(after.status[1]).toBe(VALID);
    expect(after.problems.has(3)).toBe(false);
    expect(after.leadIds.at(2)).toBe('L3-new');
    expect(before.counts).toEqual({ rows: 3, valid: 2, invalid: 1, skipped: 0 });
    expect(before.status[1]).toBe(INVALID);
    expect(before.problems.get(3)?.join(' ')).toMatch(/two/);
    expect(before.leadIds.at(2)).toBe('L3');
  });
});

describe('keyInLeadIds', () => {
  it('names the first row whose lead-id cell holds the key: a lead id, or a cell refused as one', async () => {
    const input = await prepared(['L1,Ann,2', `lead ${KEY},Bob,2`, `lead-${KEY},Cy,3`]);
    const index = await indexRunInput({ prepared: input, edits: new Map() });
    const message = keyInLeadIds(KEY, 'leads.csv', input, index);
    expect(message).toContain('leads.csv, row 3, column "Lead ID": the lead id holds the API key');
    expect(message).not.toContain(KEY);
    expect(keyInLeadIds(undefined, 'leads.csv', input, index)).toBeUndefined();
  });

  it('sees a lead id a fix gave a row after the check', async () => {
    const input = await prepared(['L1,Ann,2', 'L2,Bob,2']);
    const rows = new CheckedRows(await indexRunInput({ prepared: input, edits: new Map() }), input.decoder.plan.leadIdIndex);
    expect(keyInLeadIds(KEY, 'leads.csv', input, rows.snapshot())).toBeUndefined();
    const edited = applyEdits({ rowNumber: 3, cells: ['L2', 'Bob', '2'] }, new Map([[0, `L2-${KEY}`]]));
    rows.update(1, edited, input.decoder.check(edited));
    expect(keyInLeadIds(KEY, 'leads.csv', input, rows.snapshot())).toContain('row 3, column "Lead ID"');
  });
});
