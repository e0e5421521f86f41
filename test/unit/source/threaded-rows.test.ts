import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { openSource } from '../../../app/source/open-source.ts';
import { threadedRows, unpackBatch, withThreadedRows } from '../../../app/source/threaded-rows.ts';
import { packBatch } from '../../../app/source/row-reader-worker.ts';
import type { SourceRow } from '../../../app/source/types.ts';

async function collect(rows: AsyncIterable<readonly SourceRow[]>): Promise<SourceRow[]> {
  const all: SourceRow[] = [];
  for await (const batch of rows) all.push(...batch);
  return all;
}

describe('packBatch / unpackBatch', () => {
  it('round-trips plain rows, rows with problems, typed cells and cells holding the separator', () => {
    const rows: SourceRow[] = [
      { rowNumber: 2, cells: ['a', '', 'Zoë, "quoted"\nline'], rawCells: undefined, problem: undefined },
      { rowNumber: 5, cells: ['b', 'x', ''], rawCells: ['b', 'x', '', 'extra'], problem: { kind: 'cell_count', message: 'has 4 cells; the header has 3' } },
      { rowNumber: 6, cells: ['nul\u0000inside', 'y', 'z'], rawCells: undefined, problem: undefined },
      { rowNumber: 7, cells: [12.5, true, new Date(Date.UTC(2025, 2, 7))], rawCells: undefined, problem: undefined },
      { rowNumber: 9, cells: ['', '', ''], rawCells: undefined, problem: undefined },
    ];
    const packed = packBatch(rows);
    expect(packed.packedAt.length).toBe(2);
    expect(packed.loose.map((l) => l.at)).toEqual([1, 2, 3]);
    expect(unpackBatch(packed)).toEqual(rows);
  });

  it('round-trips any batch of string rows (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\u0000', 'é', ' ', '') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 30 }), (table) => {
        const rows: SourceRow[] = table.map((cells, i) => ({ rowNumber: i + 2, cells, rawCells: undefined, problem: undefined }));
        expect(unpackBatch(packBatch(rows))).toEqual(rows);
      }),
    );
  });
});

describe('threadedRows', () => {
  it('yields exactly the rows of the in-thread reader, problems included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'threaded-rows-'));
    const path = join(dir, 'leads.csv');
    const lines = ['Lead ID,Name,Notes'];
    for (let i = 0; i < 2500; i++) lines.push(i % 97 === 0 ? `ld_${i},"two\nlines",x,extra` : `ld_${i},Zoë ${i},"a, b"`);
    await writeFile(path, `${lines.join('\r\n')}\r\n`);
    const opened = await openSource(path);
    if (E.isLeft(opened)) throw new Error(opened.left.message);
    const inThread = await collect(opened.right.rows());
    const threaded = await collect(withThreadedRows(opened.right).rows());
    expect(threaded).toEqual(inThread);
    expect(threaded.some((r) => r.problem?.kind === 'cell_count')).toBe(true);
  });

  it('reports a file that disappears as a read error naming it', async () => {
    await expect(collect(threadedRows('/nonexistent/leads.csv', {}))).rejects.toThrow(/leads\.csv/);
  });
});
