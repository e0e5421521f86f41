// A file whose first non-UTF-8 byte comes after the sample the encoding is guessed from
// (Excel's "CSV" on Windows: Windows-1252, all ASCII for the first few hundred rows): it is
// read as Windows-1252 and the source says so; a file that mixes UTF-8 characters with bytes
// that are not UTF-8 stops with a file error naming the line. No U+FFFD is ever made up.
import * as E from 'fp-ts/Either';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceReadError } from '../../../app/source/file-errors.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
import { DEFAULT_TUNING, SAMPLE_BYTES } from '../../../app/source/read-tuning.ts';
import type { SourceFile } from '../../../app/source/types.ts';
import { openError, openOrFail, readRows, scratchDir, tinyTuning, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

/** `plainRows` ASCII rows (more than the sample holds), then `tail` rows, as lines 2… */
function leadLines(plainRows: number, tail: readonly string[]): string[] {
  const lines = ['Lead ID,Name,City'];
  for (let i = 0; i < plainRows; i++) lines.push(`lead-${i},Plain Name ${i},Springfield`);
  return [...lines, ...tail];
}

async function readAll(file: SourceFile): Promise<string[][]> {
  return (await readRows(file)).map((row) => row.cells.map(String));
}

async function readFailure(file: SourceFile): Promise<SourceReadError> {
  try {
    await readRows(file);
  } catch (error) {
    if (error instanceof SourceReadError) return error;
    throw error;
  }
  throw new Error('expected the reading to fail');
}

const ROWS_PAST_SAMPLE = Math.ceil(SAMPLE_BYTES / 30) + 100;

describe('a late byte that is not UTF-8', () => {
  it('reads a Windows-1252 file whose first "é" is past the sample as Windows-1252, and says from which line', async () => {
    const lines = leadLines(ROWS_PAST_SAMPLE, ['lead-x,José Muñoz,Zürich', 'lead-y,Ana,São Paulo']);
    const path = await scratch.file('late-1252.csv', iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252'));
    for (const tuning of [DEFAULT_TUNING, { ...tinyTuning, chunkBytes: 4096 }]) {
      const file = await openOrFail(path, {}, tuning);
      expect(file.encoding).toBe('utf-8'); // the guess from the sample
      const rows = await readAll(file);
      expect(rows).toHaveLength(lines.length - 1);
      expect(rows.at(-2)).toEqual(['lead-x', 'José Muñoz', 'Zürich']);
      expect(rows.at(-1)).toEqual(['lead-y', 'Ana', 'São Paulo']);
      expect(rows.flat().join('')).not.toContain('\uFFFD');
      expect(file.encoding).toBe('windows-1252');
      expect(file.encodingFallback).toEqual({ line: lines.length - 1, byte: 0xe9 });
      // Read again: the same rows, read as Windows-1252 from the start.
      expect(await readAll(file)).toEqual(rows);
    }
  });

  it('stops with a file error naming the line and --encoding when UTF-8 characters came before', async () => {
    const lines = leadLines(ROWS_PAST_SAMPLE, ['lead-x,José Muñoz,Zürich']);
    lines.splice(3, 0, 'lead-u,Zoë,Köln');
    const bytes = Buffer.concat([
      Buffer.from(lines.slice(0, -1).join('\n') + '\n', 'utf8'),
      iconv.encode(lines.at(-1) + '\n', 'windows-1252'),
    ]);
    const path = await scratch.file('mixed.csv', bytes);
    const file = await openOrFail(path);
    const failure = await readFailure(file);
    expect(failure.fileError.code).toBe('encoding');
    expect(failure.fileError.message).toContain(`line ${lines.length.toLocaleString('en-US')} holds the byte 0xE9`);
    expect(failure.fileError.message).toContain('--encoding');
    expect(failure.fileError.message).toContain('0xE9');
  });

  it('stops with a file error when the file was said to be UTF-8', async () => {
    const lines = leadLines(3, ['lead-x,José,Zürich']);
    const path = await scratch.file('said-utf8.csv', iconv.encode(lines.join('\n') + '\n', 'windows-1252'));
    // Within the first chunk: opening reads the header from it and fails.
    const failure = await openError(path, { encoding: 'utf-8' });
    expect(failure.code).toBe('encoding');
    expect(failure.message).toContain('line 5 holds the byte 0xE9');
  });

  it('a UTF-8 character cut off by the end of the file is not UTF-8 either', async () => {
    const lines = leadLines(ROWS_PAST_SAMPLE, ['lead-x,Jos']);
    const path = await scratch.file('cut-char.csv', Buffer.concat([Buffer.from(lines.join('\n')), Buffer.from([0xc3])]));
    const file = await openOrFail(path);
    const rows = await readAll(file);
    expect(rows.at(-1)).toEqual(['lead-x', 'JosÃ', '']);
    expect(file.encodingFallback?.line).toBe(lines.length);
  });
});

describe('Windows-1252 bytes no character is assigned to', () => {
  it('read as the control characters they stand for, not U+FFFD', async () => {
    const path = await scratch.file(
      'undefined-1252.csv',
      Buffer.from([...Buffer.from('Name\nA'), 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x80, 0x0a]),
    );
    const file = await openOrFail(path, { encoding: 'windows-1252' });
    expect(await readAll(file)).toEqual([['A\u0081\u008d\u008f\u0090\u009d€']]);
  });
});

describe('one of our reports, read back', () => {
  it('says it was read as Windows-1252 too (its header is restored, the encoding found is kept)', async () => {
    const lines = ['Lead ID,Name,import_row,import_stage,import_errors'];
    for (let i = 0; i < ROWS_PAST_SAMPLE; i++) lines.push(`lead-${i},Plain Name ${i},${i + 2},validation,`);
    lines.push('lead-x,José Muñoz,9,validation,');
    const path = await scratch.file('late-1252-report.csv', iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252'));
    const summary = await validateFile({ path });
    if (E.isLeft(summary)) throw new Error(summary.left.message);
    expect(summary.right.encoding).toBe('windows-1252');
    expect(summary.right.notices).toEqual([expect.stringContaining(`line ${lines.length.toLocaleString('en-US')} holds the byte 0xE9`)]);
  });
});

describe('a file that mixes encodings within its first 64 KB', () => {
  it('is a file error naming the line, not UTF-8 characters turned into "Ã«"', async () => {
    const bytes = Buffer.concat([Buffer.from('Lead ID,Name\nld_1,Zoë\n', 'utf8'), Buffer.from('ld_2,José\n', 'latin1')]);
    const path = await scratch.file('mixed-small.csv', bytes);
    // The header is read from the first chunk, which holds the byte: opening fails.
    const opened = await openError(path);
    expect(opened.code).toBe('encoding');
    expect(opened.message).toContain('line 3 holds the byte 0xE9');
    expect(opened.message).toContain('mixes two encodings');
  });
});
