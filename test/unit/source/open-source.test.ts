import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openError, openOrFail, readRows, scratchDir, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

describe('openSource', () => {
  it('tells the format from the content, not the name', async () => {
    const file = await openOrFail(await scratch.file('really-text.xlsx', 'Name;Email\nBob;b@x.com\n'));
    expect(file.format).toBe('csv');
    expect(file.delimiter).toBe(';');
    expect(file.path).toContain('really-text.xlsx');
  });

  it('reads a .tsv file as tab-delimited', async () => {
    const file = await openOrFail(await scratch.file('leads.tsv', 'Name\tNote\nBob\tsaid "hi, there"\n'));
    expect(file.delimiter).toBe('\t');
    expect((await readRows(file))[0].cells).toEqual(['Bob', 'said "hi, there"']);
  });

  it('ignores a sheet option for a text file', async () => {
    const file = await openOrFail(await scratch.file('sheet-option.csv', 'Name\nBob\n'), { sheet: 'Leads' });
    expect(file.header).toEqual(['Name']);
  });

  it('checks options before opening the file', async () => {
    const error = await openError(`${scratch.dir}/missing.csv`, { delimiter: 'tab' });
    expect(error.code).toBe('bad_option');
    expect(error.message).toContain('missing.csv');
    expect(error.message).toContain('tab');
    expect((await openError(`${scratch.dir}/missing.xlsx`, { sheet: '  ' })).code).toBe('bad_option');
  });

  it('names the file in an empty-file error', async () => {
    const path = await scratch.file('nothing.csv', '');
    expect(await openError(path)).toEqual({ code: 'empty', message: `"${path}" is empty: the file has no content.` });
  });
});
