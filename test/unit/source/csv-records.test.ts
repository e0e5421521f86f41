import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTextRecords } from '../../../app/source/csv-records.ts';
import { isBlankRow } from '../../../app/source/row-shape.ts';
import { scratchDir, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

interface Record {
  readonly fields: string[];
  readonly line: number;
  readonly quoting: string | undefined;
}

async function records(path: string, delimiter: string, chunkBytes: number, loneCarriageReturns = false): Promise<Record[]> {
  const out: Record[] = [];
  const visit = (fields: string[], line: number, quoting: { message: string } | undefined): Record => ({
    fields,
    line,
    quoting: quoting?.message,
  });
  const layout = { path, encoding: 'utf-8' as const, delimiter, loneCarriageReturns };
  for await (const batch of readTextRecords(layout, visit, { chunkBytes, batchRows: 3, maxPendingChars: 1 << 20 })) {
    out.push(...batch);
  }
  return out;
}

function quote(cell: string, delimiter: string): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

describe('readTextRecords', () => {
  it('gives every record its cells and the line it starts on, whatever the chunking and line endings', async () => {
    const cell = fc.stringMatching(/^[a-zé€ ,;"\n]{0,6}$/).map((s) => s.replace(/\n/g, '\r\n'));
    const table = fc.record({
      rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 8 }),
      endings: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 8, maxLength: 8 }),
      blankLinesBefore: fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }),
      chunkBytes: fc.integer({ min: 1, max: 40 }),
      delimiter: fc.constantFrom(',', ';'),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(table, async ({ rows, endings, blankLinesBefore, chunkBytes, delimiter }) => {
        let text = '';
        const expected: { fields: string[]; line: number }[] = [];
        // A record starts on the line after every line break before it (a CR then an LF is one break).
        const lineAt = (offset: number): number => 1 + (text.slice(0, offset).match(/\r\n|\r|\n/g)?.length ?? 0);
        rows.forEach((fields, i) => {
          text += endings[i].repeat(blankLinesBefore[i]);
          const normalized = fields.map((f) => f.replace(/\r\n?/g, '\n'));
          const start = text.length;
          text += fields.map((f) => quote(f, delimiter)).join(delimiter) + endings[i];
          if (!isBlankRow(normalized)) expected.push({ fields: normalized, line: lineAt(start) });
        });
        const path = await scratch.file(`property-${run++}.csv`, text);
        const got = await records(path, delimiter, chunkBytes, /\r(?!\n)/.test(text));
        expect(got.map(({ fields, line: l }) => ({ fields, line: l }))).toEqual(expected);
        expect(got.every((r) => r.quoting === undefined)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });

  it('reads CRLF and LF lines alike, and a CRLF inside a quoted cell as a line break', async () => {
    const path = await scratch.file('crlf.csv', 'a,b\r\n1,"x\r\ny"\r\n2,"q"\n3,\r\n,\r\n4,z');
    for (const chunkBytes of [1, 2, 5, 1024]) {
      for (const loneCarriageReturns of [false, true]) {
        const got = await records(path, ',', chunkBytes, loneCarriageReturns);
        expect(got.map((r) => [r.line, r.fields])).toEqual([
          [1, ['a', 'b']],
          [2, ['1', 'x\ny']],
          [4, ['2', 'q']],
          [5, ['3', '']],
          [7, ['4', 'z']],
        ]);
      }
    }
  });

  it('reads lone CRs as line breaks in a file that uses them', async () => {
    const path = await scratch.file('cr.csv', 'a,b\r1,"x\ry"\r2,z\r');
    const got = await records(path, ',', 3, true);
    expect(got.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x\ny']],
      [4, ['2', 'z']],
    ]);
  });

  it('attaches each quoting error to the record it belongs to, across chunk boundaries', async () => {
    const path = await scratch.file('errors.csv', 'a,b\n1,"x"y\n2,"ok"\n3,z\n4,"open\n5,w\n');
    for (const chunkBytes of [1, 3, 7, 1024]) {
      const got = await records(path, ',', chunkBytes);
      expect(
        got.map((r) => [r.line, r.quoting === undefined ? 'ok' : r.quoting.includes('never closed') ? 'never closed' : 'misplaced']),
      ).toEqual([
        [1, 'ok'],
        [2, 'misplaced'],
        [4, 'ok'],
        [5, 'never closed'],
      ]);
    }
  });

  it('throws a SourceReadError naming the file when it cannot be read', async () => {
    const path = `${scratch.dir}/gone.csv`;
    await expect(records(path, ',', 64)).rejects.toMatchObject({ name: 'SourceReadError', fileError: { code: 'unreadable' } });
    await expect(records(path, ',', 64)).rejects.toThrow('gone.csv');
  });
});
