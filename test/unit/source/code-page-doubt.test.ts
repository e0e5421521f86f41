// Text in another legacy single-byte code page (Greek ISO-8859-7, Cyrillic windows-1251) is read
// as Windows-1252 when nobody says otherwise: the letters change silently unless the summary
// says the text looks like another code page, naming the file and --encoding, which reads it.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceOptionsFrom } from '../../../app/cli/source-flags.ts';
import { codePageDoubt } from '../../../app/source/encoding.ts';
import { sourceNotices } from '../../../app/source/notices.ts';
import { DEFAULT_TUNING, SAMPLE_BYTES } from '../../../app/source/read-tuning.ts';
import { openOrFail, readRows, scratchDir, tinyTuning, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const bytesOf = (text: string, encoding: string): Uint8Array => new Uint8Array(iconv.encode(text, encoding));

describe('codePageDoubt', () => {
  it('passes over Western text: accented letters sit between plain ones', () => {
    for (const text of ['José Muñoz,Zürich', 'Ångström,Øster,Façade', 'Crème brûlée,Straße,Ærø', 'price × 2 ÷ 3']) {
      expect(codePageDoubt(bytesOf(text, 'windows-1252'))).toBeUndefined();
    }
  });

  it('finds Greek and Cyrillic words (three letters from 0xC0 up in a row), at their first byte', () => {
    expect(codePageDoubt(bytesOf('1,39,Λεωνίδας', 'iso-8859-7'))).toEqual({ offset: 5, why: 'letter_run' });
    expect(codePageDoubt(bytesOf('id,Иван', 'windows-1251'))).toEqual({ offset: 3, why: 'letter_run' });
  });

  it('finds a byte Windows-1252 assigns nothing to (windows-1251 uses them)', () => {
    expect(codePageDoubt(bytesOf('id,Ђорђе', 'windows-1251'))).toMatchObject({ why: 'unassigned_byte' });
  });
});

describe('a file detected as Windows-1252 that looks like another code page', () => {
  const greek = ['id,age,name', '1,39,Λεωνίδας', '2,23,Αλεξανδρος'];

  it('is read as Windows-1252 with a notice naming the file, the line and --encoding', async () => {
    const path = await scratch.file('greek-leads.csv', iconv.encode(greek.join('\n') + '\n', 'iso-8859-7'));
    const file = await openOrFail(path);
    expect(file.encoding).toBe('windows-1252');
    expect(file.encodingDoubt).toEqual({ line: 2, why: 'letter_run' });
    const [notice] = sourceNotices(file);
    expect(notice).toContain('"greek-leads.csv" was read as Windows-1252, but line 2');
    expect(notice).toContain('--encoding iso-8859-7 (Greek), windows-1251 (Cyrillic)');
  });

  it('is read right when its encoding is given, with no notice', async () => {
    const path = await scratch.file('greek-given.csv', iconv.encode(greek.join('\r\n') + '\r\n', 'iso-8859-7'));
    const file = await openOrFail(path, { encoding: 'iso-8859-7' });
    expect((await readRows(file)).map((row) => row.cells[2])).toEqual(['Λεωνίδας', 'Αλεξανδρος']);
    expect(sourceNotices(file)).toEqual([]);
  });

  it('reads a byte the named code page assigns nothing to as the byte, never as U+FFFD', async () => {
    // 0xD2 is unassigned in ISO-8859-7, 0x98 in windows-1251.
    for (const [encoding, byte] of [
      ['iso-8859-7', 0xd2],
      ['windows-1251', 0x98],
    ] as const) {
      const path = await scratch.file(
        `unassigned-${encoding}.csv`,
        Buffer.concat([Buffer.from('id,name\n1,a'), Buffer.from([byte]), Buffer.from('b\n')]),
      );
      const file = await openOrFail(path, { encoding }, { ...tinyTuning, chunkBytes: 5 });
      expect((await readRows(file)).map((row) => row.cells[1])).toEqual([`a${String.fromCharCode(byte)}b`]);
    }
  });

  it('passes a Western file without a notice', async () => {
    const path = await scratch.file('western.csv', iconv.encode('id,name\n1,José Muñoz\n', 'windows-1252'));
    const file = await openOrFail(path);
    expect(file.encoding).toBe('windows-1252');
    expect(sourceNotices(file)).toEqual([]);
  });

  it('says so too when the Greek text starts past the sample (a UTF-8 guess that fell back)', async () => {
    const lines = ['id,name'];
    for (let i = 0; i < Math.ceil(SAMPLE_BYTES / 12) + 50; i++) lines.push(`${i},Plain Name`);
    lines.push('x,Λεωνίδας');
    const path = await scratch.file('late-greek.csv', iconv.encode(lines.join('\n') + '\n', 'iso-8859-7'));
    for (const tuning of [DEFAULT_TUNING, { ...tinyTuning, chunkBytes: 4096 }]) {
      const file = await openOrFail(path, {}, tuning);
      await readRows(file);
      expect(file.encodingFallback).toMatchObject({ line: lines.length, otherCodePage: true });
      expect(sourceNotices(file)[0]).toContain('looks like another code page');
    }
  });
});

describe('--encoding', () => {
  it('takes the legacy code pages by their usual labels', () => {
    for (const [label, encoding] of [
      ['iso-8859-7', 'iso-8859-7'],
      ['ISO-8859-1', 'iso-8859-1'],
      ['windows-1251', 'windows-1251'],
      ['cp1251', 'windows-1251'],
    ] as const) {
      expect(sourceOptionsFrom({ encoding: label })).toMatchObject({ right: { encoding } });
    }
    expect(sourceOptionsFrom({ encoding: 'klingon' })).toMatchObject({ left: expect.stringContaining('iso-8859-7') });
  });
});
