import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerOf, isWholeFile, looksBinary, readSample } from '../../../app/source/sniff.ts';
import { scratchDir, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

describe('readSample', () => {
  it('reads at most the requested bytes and knows the file size', async () => {
    const path = await scratch.file('ten.csv', '0123456789');
    const sample = await readSample(path, 4);
    if (E.isLeft(sample)) throw new Error(sample.left.message);
    expect(sample.right.bytes.toString()).toBe('0123');
    expect(sample.right.size).toBe(10);
    expect(isWholeFile(sample.right)).toBe(false);
    const whole = await readSample(path, 64);
    expect(E.isRight(whole) && isWholeFile(whole.right)).toBe(true);
  });

  it('reports a missing file as unreadable, naming it', async () => {
    const sample = await readSample(`${scratch.dir}/missing.csv`, 4);
    expect(sample).toEqual(E.left({ code: 'unreadable', message: `"${scratch.dir}/missing.csv" cannot be read: there is no such file.` }));
  });
});

describe('containerOf', () => {
  it('tells zips, OLE files and text apart', () => {
    expect(containerOf(Buffer.from('PK\u0003\u0004rest', 'latin1'))).toBe('zip');
    expect(containerOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]))).toBe('ole');
    expect(containerOf(Buffer.from('Name,Email\n'))).toBe('text');
    expect(containerOf(Buffer.from('PK'))).toBe('text');
  });
});

describe('looksBinary', () => {
  it('flags NULs and many control characters, not tabs and line breaks', () => {
    expect(looksBinary('Name\tEmail\r\nBob\tb@x.com\r\n')).toBe(false);
    expect(looksBinary('Name\u0000')).toBe(true);
    expect(looksBinary('\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000e\u000f')).toBe(true);
    expect(looksBinary(`${'x'.repeat(2000)}\u000c`)).toBe(false);
  });
});
