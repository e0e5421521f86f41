// The desktop's check of a big delimited file on two threads (two-thread-check.ts, with a small
// threshold here) gives what one thread gives: the same review counts, the same rows on every
// page of every filter (kept in memory, read again, or past the memory limit inside the second
// part), after fixes too, with progress that ends at the file's row count; and when the cut falls
// inside a quoted cell, or the second part reads its text another way, it is still the same.
// The run's row index built beside the table is the same too: the worker's part is appended to
// both in bulk (typed arrays, lead ids in blocks), and must give what appending row by row gives.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImports } from '../../../app/desktop/imports.ts';
import type { RunRowIndex } from '../../../app/run/run-row-index.ts';
import type { ReviewFilter } from '../../../app/shared/views.ts';
import type { SegmentOutcome } from '../../../app/validate/segments.ts';
import { writeLeadCsv } from '../../bench/lead-file-generator.ts';
import { tempDir } from './desktop-harness.ts';

const FILTERS: readonly ReviewFilter[] = ['all', 'errors', 'warnings', 'duplicates'];

async function checkedImport(path: string, twoThreads: boolean, memoryRows: number) {
  const outcomes: SegmentOutcome[] = [];
  const progress: number[] = [];
  const imports = createImports({
    now: () => performance.now(),
    emit: (event, payload) => {
      if (event === 'import:progress') progress.push((payload as { rowsRead: number }).rowsRead);
    },
    memoryRows,
    segments: twoThreads ? { minBytes: 0 } : false,
    onSegments: (outcome) => outcomes.push(outcome),
  });
  const { importId } = await imports.open({ path, options: {} });
  const counts = await imports.validate({ importId });
  return { imports, importId, counts, outcomes, progress };
}

type Checked = Awaited<ReturnType<typeof checkedImport>>;

async function pages(c: Checked) {
  const out: unknown[] = [];
  for (const filter of FILTERS) {
    const total = (await c.imports.rows({ importId: c.importId, filter, offset: 0, limit: 0 })).total;
    for (let offset = 0; offset < total; offset += 700)
      out.push(await c.imports.rows({ importId: c.importId, filter, offset, limit: 700 }));
  }
  return out;
}

/** The run's row index the check built, as a run takes it, in plain values. */
function runIndexOf(c: Checked) {
  const index: RunRowIndex | undefined = c.imports.forRun(c.importId).input.checked?.rows;
  expect(index).toBeDefined();
  if (index === undefined) return undefined;
  const leadIds = Array.from({ length: index.leadIds.length }, (_, i) => index.leadIds.at(i));
  return {
    rowNumbers: [...index.rowNumbers],
    status: [...index.status],
    leadIds,
    problems: [...index.problems],
    refused: [...(index.refusedLeadCells ?? [])],
    counts: index.counts,
  };
}

/** Checks `path` on one thread and on two (with a memory limit of `memoryRows` rows); both must show the same. */
async function expectSameBothWays(path: string, memoryRows: number): Promise<{ two: Checked; one: Checked }> {
  const one = await checkedImport(path, false, memoryRows);
  const two = await checkedImport(path, true, memoryRows);
  expect(one.outcomes).toEqual([]);
  expect(two.counts).toEqual(one.counts);
  expect(await pages(two)).toEqual(await pages(one));
  expect(runIndexOf(two)).toEqual(runIndexOf(one));
  for (const c of [one, two]) {
    expect(c.progress[0]).toBe(0);
    expect(c.progress.at(-1)).toBe(one.counts.rows);
  }
  return { two, one };
}

describe('the desktop check on two threads', () => {
  it('gives the same counts and pages as one thread, in memory, past the memory limit, and with the limit inside the second part', async () => {
    const dir = await tempDir('two-threads');
    const path = join(dir, 'leads.csv');
    await writeLeadCsv(path, 3_000, 7);
    for (const memoryRows of [1_000_000, 20, 2_000, 3_000]) {
      const { two } = await expectSameBothWays(path, memoryRows);
      expect(two.outcomes).toEqual(['both']);
      expect(two.counts.invalid).toBeGreaterThan(0);
    }
  });

  it('a second part of several blocks of lead ids (4,096 a block, cut where the first part leaves off): the same run index and pages', async () => {
    const dir = await tempDir('two-threads');
    const path = join(dir, 'leads.csv');
    await writeLeadCsv(path, 20_000, 11);
    for (const memoryRows of [12_000, 100]) {
      const { two, one } = await expectSameBothWays(path, memoryRows);
      expect(two.outcomes).toEqual(['both']);
      expect(runIndexOf(one)?.leadIds.length).toBe(20_000);
    }
  });

  it('a lead in both parts is a duplicate, and fixes are read by both threads when the file is checked again', async () => {
    const dir = await tempDir('two-threads');
    const rows = Array.from(
      { length: 2_000 },
      // Every 97th lead id is refused (a space): the run index keeps that cell to search it for the key.
      (_, i) =>
        `${i % 97 === 0 ? `lead ${i}` : `lead-${i % 1_200}`},Name${i},"note ${i}\nsecond line",${i % 37 === 0 ? 'Actve' : 'ACTIVE'}`,
    );
    const path = join(dir, 'repeats.csv');
    await writeFile(path, `Lead ID,First Name,Notes,Status\n${rows.join('\n')}\n`);
    const { one, two } = await expectSameBothWays(path, 50);
    expect(two.outcomes).toEqual(['both']);
    // Rows 1,200–1,999 repeat the leads of rows 0–799, but invalid rows (every 37th) take no part.
    expect(two.counts.duplicates).toBeGreaterThan(700);
    expect(runIndexOf(two)?.refused.length).toBeGreaterThan(15);
    // Fixes in both parts (row i starts on line 2 + 2i: row 1 on line 4, row 1,899 on line 3,800,
    // row 1,887 on 3,776, an invalid one), then a second check.
    for (const c of [one, two]) {
      await c.imports.editCell({ importId: c.importId, rowNumber: 4, columnIndex: 3, value: 'Wrong' });
      await c.imports.editCell({ importId: c.importId, rowNumber: 3_800, columnIndex: 0, value: 'lead-fixed' });
      await c.imports.editCell({ importId: c.importId, rowNumber: 2 * 1_887 + 2, columnIndex: 3, value: 'ACTIVE' });
      // A refused lead id in the second part (row 1,950), and one made valid (row 1,940 = 97 × 20).
      await c.imports.editCell({ importId: c.importId, rowNumber: 2 * 1_950 + 2, columnIndex: 0, value: 'lead 1950' });
      await c.imports.editCell({ importId: c.importId, rowNumber: 2 * 1_940 + 2, columnIndex: 0, value: 'lead-1940' });
      c.outcomes.length = 0;
      c.counts = await c.imports.validate({ importId: c.importId });
    }
    expect(two.outcomes).toEqual(['both']);
    expect(two.counts).toEqual(one.counts);
    expect(two.counts.edits).toBe(5);
    expect(await pages(two)).toEqual(await pages(one));
    expect(runIndexOf(two)).toEqual(runIndexOf(one));
  });

  it('a cut inside a quoted cell (a stray quote misled the count): checked again on one thread', async () => {
    const dir = await tempDir('two-threads');
    const rows: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      if (i === 10) rows.push(`lead-${i},Name${i},5" tall`);
      else if (i >= 1_000) rows.push(`lead-${i},Name${i},"quoted\nover two lines"`);
      else rows.push(`lead-${i},Name${i},plain`);
    }
    const path = join(dir, 'stray-quote.csv');
    await writeFile(path, `Lead ID,First Name,Notes\n${rows.join('\n')}\n`);
    const { two } = await expectSameBothWays(path, 30);
    expect(two.outcomes).toEqual(['restart']);
  });

  it('a UTF-8 guess: Windows-1252 met in the second part after ASCII (both parts used), or in the first (the second read here)', async () => {
    const dir = await tempDir('two-threads');
    const plainRows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `lead-${from + i},Name${from + i},plain`);
    const latin = (text: string) => Buffer.from(text, 'latin1');
    const late = join(dir, 'late-1252.csv');
    await writeFile(
      late,
      Buffer.concat([
        latin(`Lead ID,First Name,Notes\n${plainRows(0, 4_900).join('\n')}\n`),
        latin('lead-x,José Muñoz,Zürich\n'),
        latin(`${plainRows(4_901, 5_000).join('\n')}\n`),
      ]),
    );
    const lateChecked = await expectSameBothWays(late, 40);
    expect(lateChecked.two.outcomes).toEqual(['both']);
    expect(lateChecked.two.counts.notices).toEqual([expect.stringContaining('Windows-1252')]);
    const early = join(dir, 'early-1252.csv');
    const utf8Looking = Buffer.from('lead-y,Ã©tÃ©,x\n', 'utf8');
    await writeFile(
      early,
      Buffer.concat([
        latin(`Lead ID,First Name,Notes\n${plainRows(0, 3_500).join('\n')}\n`),
        latin('lead-x,José,x\n'),
        latin(`${plainRows(3_501, 10_000).join('\n')}\n`),
        utf8Looking,
      ]),
    );
    const earlyChecked = await expectSameBothWays(early, 40);
    expect(earlyChecked.two.outcomes).toEqual(['second-here']);
  });
});
