// Line offsets are counted on bytes however they are cut into chunks, a part counted in another
// thread appends to the first, and the exact start of any line is found from the nearest entry.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canIndex, LineOffsets } from '../../../app/source/record-offsets.ts';
import { lineStartOffset } from '../../../app/source/rows-from.ts';
import { scratchDir } from './helpers.ts';

/** Where each line of `bytes` starts (line 1 at 0), counted the plain way. */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  bytes.forEach((byte, i) => {
    if (byte === 0x0a) starts.push(i + 1);
  });
  return starts;
}

/** Feeds `bytes` from `start` in chunks cut at `cuts`. */
function feedCut(offsets: LineOffsets, bytes: Uint8Array, start: number, cuts: readonly number[]): void {
  const at = [...new Set(cuts.map((c) => start + (c % Math.max(1, bytes.length - start))))].sort((a, b) => a - b);
  let from = start;
  for (const cut of [...at, bytes.length]) {
    if (cut <= from) continue;
    offsets.feed(bytes.subarray(from, cut), from);
    from = cut;
  }
}

const bytesArb = fc
  .array(fc.constantFrom(0x0a, 0x0d, 0x22, 0x61, 0xc3, 0xa9), { minLength: 0, maxLength: 3_000 })
  .map((b) => Uint8Array.from(b));

describe('LineOffsets', () => {
  it('gives, for any line, an indexed line at most `every` lines before it and where it starts', () => {
    fc.assert(
      fc.property(bytesArb, fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 1, max: 9 }), (bytes, cuts, every) => {
        const starts = lineStarts(bytes);
        const offsets = new LineOffsets(every);
        feedCut(offsets, bytes, 0, cuts);
        for (let line = 1; line <= starts.length; line++) {
          const found = offsets.startBefore(line);
          expect(found.line).toBeLessThanOrEqual(line);
          expect(line - found.line).toBeLessThan(every);
          expect(found.offset).toBe(starts[found.line - 1]);
        }
      }),
    );
  });

  it('appends the entries of a second part (counted from its own first line) to the first', () => {
    fc.assert(
      fc.property(bytesArb, fc.nat(), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cutAt, cuts) => {
        const starts = lineStarts(bytes);
        const cutLine = 1 + (cutAt % starts.length);
        const first = new LineOffsets(4);
        first.feed(bytes.subarray(0, starts[cutLine - 1]), 0);
        const second = new LineOffsets(4, cutLine, starts[cutLine - 1]);
        feedCut(second, bytes, starts[cutLine - 1], cuts);
        first.append(second.part());
        for (let line = 1; line <= starts.length; line++) {
          const found = first.startBefore(line);
          expect(found.offset).toBe(starts[found.line - 1]);
          expect(line - found.line).toBeLessThan(4);
        }
      }),
    );
  });

  it('refuses bytes that do not follow the last ones (a gap would shift every line after it)', () => {
    const offsets = new LineOffsets(2);
    offsets.feed(Buffer.from('a\nb\n'), 0);
    expect(() => offsets.feed(Buffer.from('c\n'), 5)).toThrow('LineOffsets: bytes at 5, expected 4');
  });

  it('indexes only encodings whose line feed byte is always a line feed, without lone CRs', () => {
    const layout = { path: 'x.csv', delimiter: ',', loneCarriageReturns: false } as const;
    expect(canIndex({ ...layout, encoding: 'utf-8' })).toBe(true);
    expect(canIndex({ ...layout, encoding: 'windows-1252' })).toBe(true);
    expect(canIndex({ ...layout, encoding: 'utf-16le' })).toBe(false);
    expect(canIndex({ ...layout, encoding: 'utf-8', loneCarriageReturns: true })).toBe(false);
    expect(canIndex(undefined)).toBe(false);
  });

  it('finds the exact start of a line in the file from the nearest entry', async () => {
    const scratch = await scratchDir();
    const text = `\uFEFFa,b\r\n${Array.from({ length: 500 }, (_, i) => `${i},"x\ny é"\r\n`).join('')}`;
    const bytes = Buffer.from(text, 'utf8');
    const path = await scratch.file('lines.csv', bytes);
    const offsets = new LineOffsets(50);
    offsets.feed(bytes, 0);
    const starts = lineStarts(bytes);
    try {
      for (const line of [1, 2, 50, 51, 52, 333, starts.length - 1])
        expect(await lineStartOffset(path, offsets, line)).toBe(starts[line - 1]);
    } finally {
      await scratch.remove();
    }
  });
});
