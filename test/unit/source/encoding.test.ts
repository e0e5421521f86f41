import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFile, decodeSample, detectEncoding, encodingFromBom, NotUtf8Error } from '../../../app/source/encoding.ts';
import type { SupportedEncoding } from '../../../app/source/types.ts';
import { scratchDir, type Scratch } from './helpers.ts';

const TEXT = 'Name,City,Budget\nZoë,São Paulo,€ 1200\nJosé,Zürich,€ 950\n';
const ENCODINGS: readonly SupportedEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

describe('detectEncoding', () => {
  it('follows a byte-order mark', () => {
    expect(detectEncoding(iconv.encode(TEXT, 'utf-8', { addBOM: true }), true)).toBe('utf-8');
    expect(detectEncoding(iconv.encode(TEXT, 'utf-16le', { addBOM: true }), true)).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(TEXT, 'utf-16be', { addBOM: true }), true)).toBe('utf-16be');
    expect(encodingFromBom(Buffer.from('abc'))).toBeUndefined();
  });

  it('takes valid UTF-8 without BOM as UTF-8 and anything else as Windows-1252', () => {
    expect(detectEncoding(iconv.encode(TEXT, 'utf-8'), true)).toBe('utf-8');
    expect(detectEncoding(iconv.encode(TEXT, 'windows-1252'), true)).toBe('windows-1252');
    expect(detectEncoding(Buffer.from('plain ascii,only\n'), true)).toBe('utf-8');
  });

  it('does not hold a character cut at the end of the sample against UTF-8', () => {
    const bytes = iconv.encode('Name\nZoë', 'utf-8');
    const cut = bytes.subarray(0, bytes.length - 1); // "ë" is two bytes: keep only the first
    expect(detectEncoding(cut, false)).toBe('utf-8');
    // The same bytes as a whole file end in a broken character: not UTF-8.
    expect(detectEncoding(cut, true)).toBe('windows-1252');
  });

  it('recognises UTF-16 without a byte-order mark from its NUL bytes', () => {
    expect(detectEncoding(iconv.encode(TEXT, 'utf-16le'), true)).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(TEXT, 'utf-16be'), true)).toBe('utf-16be');
  });
});

describe('decodeFile', () => {
  it.each(ENCODINGS)('decodes %s across chunk boundaries that split characters', async (encoding) => {
    const path = await scratch.file(`text-${encoding}.csv`, iconv.encode(TEXT, encoding, { addBOM: encoding.startsWith('utf-16') }));
    for (const chunkBytes of [1, 2, 3, 5, 64 * 1024]) {
      let text = '';
      for await (const chunk of decodeFile(path, encoding, chunkBytes)) text += chunk;
      expect(text).toBe(TEXT); // BOM dropped, "ë", "ã", "ü" and "€" intact
    }
  });

  it('decodes Windows-1252 as Windows-1252, not Latin-1 (byte 0x80 is the euro sign)', async () => {
    const path = await scratch.file('euro.csv', Buffer.from([0x80, 0x20, 0x31, 0x30]));
    let text = '';
    for await (const chunk of decodeFile(path, 'windows-1252', 1024)) text += chunk;
    expect(text).toBe('€ 10');
    expect(decodeSample(Buffer.from([0x80]), 'windows-1252')).toBe('€');
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const path = await scratch.file('bom.csv', iconv.encode('Name\n', 'utf-8', { addBOM: true }));
    let text = '';
    for await (const chunk of decodeFile(path, 'utf-8', 2)) text += chunk;
    expect(text).toBe('Name\n');
  });
});

describe('decodeFile with a UTF-8 guess', () => {
  const decodeAll = async (path: string, chunkBytes: number) => {
    let text = '';
    const left: [string, number, number][] = [];
    for await (const chunk of decodeFile(path, 'utf-8', chunkBytes, undefined, {
      reading: 'guess',
      watch: { leftAscii: (as, offset, byte) => left.push([as, offset, byte]) },
    }))
      text += chunk;
    return { text, left };
  };

  it('reads on as Windows-1252 from the first byte that is not UTF-8 after ASCII, whatever the chunks', async () => {
    const path = await scratch.file('guess-1252.csv', iconv.encode('Name\nJosé Muñoz\n€ 5\n', 'windows-1252'));
    for (const chunkBytes of [1, 2, 3, 5, 1024]) {
      expect(await decodeAll(path, chunkBytes)).toEqual({ text: 'Name\nJosé Muñoz\n€ 5\n', left: [['windows-1252', 8, 0xe9]] });
    }
  });

  it('stays UTF-8 after a UTF-8 character, and a later byte that is not UTF-8 is an error naming its offset', async () => {
    const path = await scratch.file(
      'guess-utf8.csv',
      Buffer.concat([iconv.encode('\uFEFFName\nZoë\n', 'utf-8'), Buffer.from([0x41, 0xe9, 0x0a])]),
    );
    for (const chunkBytes of [1, 2, 3, 5, 1024]) {
      const failure = await decodeAll(path, chunkBytes).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NotUtf8Error);
      expect(failure).toMatchObject({ offset: 14, byte: 0xe9, afterUtf8: true });
    }
  });
});
