import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TUNING } from '../../../app/source/read-tuning.ts';
import type { SupportedEncoding } from '../../../app/source/types.ts';
import { cellsByRow, openError, openOrFail, readBatches, readRows, scratchDir, tinyTuning, type Scratch } from './helpers.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

describe('encodings', () => {
  const text = 'Name,City,Budget\r\nZoë,São Paulo,€ 1200\r\nJosé,Zürich,€ 950\r\n';
  const cases: [SupportedEncoding, Buffer][] = [
    ['utf-8', iconv.encode(text, 'utf-8')],
    ['utf-8', iconv.encode(text, 'utf-8', { addBOM: true })],
    ['utf-16le', iconv.encode(text, 'utf-16le', { addBOM: true })],
    ['utf-16be', iconv.encode(text, 'utf-16be', { addBOM: true })],
    ['windows-1252', iconv.encode(text, 'windows-1252')],
  ];

  it.each(cases.map(([encoding, bytes], i) => [`${encoding}${i === 1 ? ' with BOM' : ''}`, encoding, bytes] as const))(
    'reads %s with "Zoë", "José", "São Paulo" and "€" intact, even across tiny chunks',
    async (label, encoding, bytes) => {
      const path = await scratch.file(`enc-${label.replace(/ /g, '-')}.csv`, bytes);
      for (const tuning of [DEFAULT_TUNING, tinyTuning]) {
        const file = await openOrFail(path, {}, tuning);
        expect(file.format).toBe('csv');
        expect(file.encoding).toBe(encoding);
        expect(file.header).toEqual(['Name', 'City', 'Budget']); // no BOM left on "Name"
        expect(cellsByRow(await readRows(file))).toEqual([
          [2, ['Zoë', 'São Paulo', '€ 1200']],
          [3, ['José', 'Zürich', '€ 950']],
        ]);
      }
    },
  );

  it('keeps a character split across the default-size chunks intact in a file larger than one chunk', async () => {
    const lines = ['Name,City'];
    for (let i = 0, size = 0; size < 3 * DEFAULT_TUNING.chunkBytes; i++) {
      lines.push(`Zoë ${i},São Paulo €`);
      size += lines[lines.length - 1].length + 1;
    }
    const path = await scratch.file('large-utf8.csv', lines.join('\n') + '\n');
    const rows = await readRows(await openOrFail(path));
    expect(rows).toHaveLength(lines.length - 1);
    for (const [i, row] of rows.entries()) {
      expect(row.cells).toEqual([`Zoë ${i}`, 'São Paulo €']);
      expect(row.rowNumber).toBe(i + 2);
    }
  });

  it('uses options.encoding over detection', async () => {
    // Valid UTF-8 bytes that the user says are Windows-1252: read as such.
    const path = await scratch.file('override-enc.csv', iconv.encode('Name\nZoë\n', 'utf-8'));
    const file = await openOrFail(path, { encoding: 'windows-1252' });
    expect(file.encoding).toBe('windows-1252');
    expect((await readRows(file))[0].cells).toEqual(['ZoÃ«']);
  });
});

describe('delimiters', () => {
  it.each([
    [',', 'csv'],
    [';', 'csv'],
    ['\t', 'tsv'],
    ['|', 'txt'],
  ])('detects %j', async (delimiter, extension) => {
    const path = await scratch.file(
      `delim-${extension}-${delimiter.charCodeAt(0)}.${extension}`,
      ['Name', 'Email', 'Phone'].join(delimiter) + '\n' + ['Bob', 'bob@x.com', '555'].join(delimiter) + '\n',
    );
    const file = await openOrFail(path);
    expect(file.delimiter).toBe(delimiter);
    expect(file.header).toEqual(['Name', 'Email', 'Phone']);
    expect((await readRows(file))[0].cells).toEqual(['Bob', 'bob@x.com', '555']);
  });

  it('reads a semicolon file with decimal commas', async () => {
    const path = await scratch.file('decimal-comma.csv', 'Name;Rent\nBob;1250,50');
    const file = await openOrFail(path);
    expect(file.delimiter).toBe(';');
    expect(cellsByRow(await readRows(file))).toEqual([[2, ['Bob', '1250,50']]]);
  });

  it('uses options.delimiter over detection', async () => {
    const path = await scratch.file('override-delim.csv', 'Name;Rent\nBob;1250,50\n');
    const file = await openOrFail(path, { delimiter: ',' });
    expect(file.delimiter).toBe(',');
    expect(file.header).toEqual(['Name;Rent']);
    const [row] = await readRows(file);
    expect(row.problem?.kind).toBe('cell_count');
  });

  it('refuses an unsupported delimiter or encoding option, naming the file', async () => {
    const path = await scratch.file('options.csv', 'a,b\n1,2\n');
    const delimiter = await openError(path, { delimiter: '::' });
    expect(delimiter.code).toBe('bad_option');
    expect(delimiter.message).toContain(path);
    expect(delimiter.message).toContain('"::"');
    const encoding = await openError(path, { encoding: 'latin-9' as never });
    expect(encoding.code).toBe('bad_option');
    expect(encoding.message).toContain('latin-9');
  });
});

describe('lines and row numbers', () => {
  it('reads mixed CRLF and LF line endings', async () => {
    const path = await scratch.file('mixed.csv', 'Name,Email\r\nBob,b@x.com\nAl,a@x.com\r\nCy,c@x.com\n');
    const file = await openOrFail(path);
    expect(cellsByRow(await readRows(file))).toEqual([
      [2, ['Bob', 'b@x.com']],
      [3, ['Al', 'a@x.com']],
      [4, ['Cy', 'c@x.com']],
    ]);
  });

  it('keeps quoted newlines, delimiters and doubled quotes in cells, and numbers rows by the line they start on', async () => {
    const text = [
      'Name,Note,City',
      'Bob,"line one\r\nline two\nline three",Paris',
      'Al,"He said ""hi"", then left",Rome',
      '',
      'Cy,"a,b;c",Oslo',
      'Di,"two\n\nbreaks",Kyiv',
      'Ed,plain,Lima',
    ].join('\r\n');
    const path = await scratch.file('quoted.csv', text);
    for (const tuning of [DEFAULT_TUNING, tinyTuning]) {
      expect(cellsByRow(await readRows(await openOrFail(path, {}, tuning)))).toEqual([
        [2, ['Bob', 'line one\nline two\nline three', 'Paris']],
        [5, ['Al', 'He said "hi", then left', 'Rome']],
        [7, ['Cy', 'a,b;c', 'Oslo']],
        [8, ['Di', 'two\n\nbreaks', 'Kyiv']],
        [11, ['Ed', 'plain', 'Lima']],
      ]);
    }
  });

  it('counts blank lines before the header and between rows', async () => {
    const path = await scratch.file('leading-blanks.csv', '\n \n,,\nName,Email\n\nBob,b@x.com\n');
    const file = await openOrFail(path);
    expect(file.headerRowNumber).toBe(4);
    expect(cellsByRow(await readRows(file))).toEqual([[6, ['Bob', 'b@x.com']]]);
  });

  it('adds no phantom rows for trailing blank lines, whitespace lines or delimiter-only lines', async () => {
    const path = await scratch.file('trailing.csv', 'Name,Email,Phone\r\nBob,b@x.com,1\r\n,,\r\n  \t \r\n\r\n\r\n');
    expect(cellsByRow(await readRows(await openOrFail(path)))).toEqual([[2, ['Bob', 'b@x.com', '1']]]);
  });

  it('keeps cells of whitespace as text', async () => {
    const path = await scratch.file('spaces.csv', 'Name,Email,Phone\nBob,  ,\t\n');
    expect((await readRows(await openOrFail(path)))[0].cells).toEqual(['Bob', '  ', '\t']);
  });

  it('reads a file with a header and no data', async () => {
    const file = await openOrFail(await scratch.file('header-only.csv', 'Name,Email\n'));
    expect(file.header).toEqual(['Name', 'Email']);
    expect(await readRows(file)).toEqual([]);
  });
});

describe('header', () => {
  it('trims names and names blank header cells after their column', async () => {
    const path = await scratch.file('blank-header.csv', ' Name ,,Email,\nBob,x,b@x.com,y\n');
    const file = await openOrFail(path);
    expect(file.header).toEqual(['Name', 'Column B', 'Email', 'Column D']);
    expect((await readRows(file))[0].cells).toEqual(['Bob', 'x', 'b@x.com', 'y']);
  });

  it('keeps column names that repeat: only a mapping that uses one refuses them', async () => {
    const path = await scratch.file('dup.csv', 'Name,Email,Phone,EMAIL \nBob,b@x.com,1,c@x.com\n');
    const file = await openOrFail(path);
    expect(file.header).toEqual(['Name', 'Email', 'Phone', 'EMAIL']);
    expect((await readRows(file))[0].cells).toEqual(['Bob', 'b@x.com', '1', 'c@x.com']);
  });
});

describe('title rows above the header', () => {
  const exportFixture = (name: string): string => new URL(`../../fixtures/exports/${name}`, import.meta.url).pathname;

  it('finds the header of a guest-card report below its title block; rows keep their line numbers', async () => {
    const file = await openOrFail(exportFixture('guest-card-report.csv'));
    expect(file.delimiter).toBe(',');
    expect(file.headerRowNumber).toBe(5);
    expect(file.header[0]).toBe('Lead ID');
    expect(file.header).toHaveLength(9);
    const rows = await readRows(file);
    expect(rows.map((row) => row.rowNumber)).toEqual([6, 7, 8]);
    expect(rows.every((row) => row.problem === undefined)).toBe(true);
    expect(file.headerCandidates.map((c) => [c.rowNumber, c.isHeader])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [5, true],
      [6, false],
      [7, false],
      [8, false],
    ]);
    expect(file.headerCandidates[0].cells).toEqual(['Guest Card Report']);
  });

  it('never takes the delimiter from a title line: a comma title over a semicolon table', async () => {
    const file = await openOrFail(exportFixture('prospect-report-semicolon.csv'));
    expect(file.delimiter).toBe(';');
    expect(file.headerRowNumber).toBe(3);
    expect(file.header).toEqual(['Lead ID', 'First Name', 'Last Name', 'Email', 'Max Rent']);
    expect((await readRows(file)).map((row) => [row.rowNumber, row.cells[4]])).toEqual([
      [4, '1250,50'],
      [5, '980,00'],
      [6, '1100'],
    ]);
  });

  it('passes over title rows padded with delimiters, as Excel saves them', async () => {
    const path = await scratch.file(
      'padded.csv',
      'Guest Card Report;;;\nProperty:;Sunset;;\n;;;\nLead ID;Name;Email;Status\nld_1;Bo;b@x.com;ACTIVE\nld_2;Al;a@x.com;COLD\n',
    );
    const file = await openOrFail(path);
    expect([file.delimiter, file.headerRowNumber]).toEqual([';', 4]);
    expect((await readRows(file)).map((row) => row.rowNumber)).toEqual([5, 6]);
  });

  it('takes the header row given, by its line number, and the delimiter from there on', async () => {
    const text = 'Report, December\nLead ID;Name\nld_1;Bo\nld_2;Al\n';
    const file = await openOrFail(await scratch.file('given.csv', text), { headerRow: 2 });
    expect([file.delimiter, file.headerRowNumber, file.header]).toEqual([';', 2, ['Lead ID', 'Name']]);
    expect(file.headerCandidates.map((c) => c.rowNumber)).toEqual([1, 2, 3, 4]);
    // A header row chosen lower: the rows above it are not data.
    const lower = await openOrFail(await scratch.file('given-lower.csv', text), { headerRow: 3 });
    expect(lower.header).toEqual(['ld_1', 'Bo']);
    expect((await readRows(lower)).map((row) => row.rowNumber)).toEqual([4]);
  });

  it('refuses a header row that is blank or past the end, naming the line', async () => {
    const path = await scratch.file('blank-header-row.csv', 'Title\n\nLead ID,Name\nld_1,Bo\n');
    const blank = await openError(path, { headerRow: 2 });
    expect(blank.code).toBe('no_header');
    expect(blank.message).toContain('line 2');
    expect(blank.message).toContain('line 3');
    const past = await openError(path, { headerRow: 40 });
    expect(past.code).toBe('no_header');
    expect(past.message).toContain('40');
    expect((await openError(path, { headerRow: 0 })).code).toBe('bad_option');
  });
});

describe('file errors', () => {
  it('reports an empty file', async () => {
    const error = await openError(await scratch.file('empty.csv', ''));
    expect(error.code).toBe('empty');
    expect(error.message).toContain('empty.csv');
  });

  it('reports a file of blank lines as empty', async () => {
    const error = await openError(await scratch.file('blank-lines.csv', '\r\n  \n,,,\n\n'));
    expect(error.code).toBe('empty');
    expect(error.message).toContain('blank-lines.csv');
  });

  it('reports a missing file and a folder as unreadable', async () => {
    const missing = await openError(`${scratch.dir}/no-such-file.csv`);
    expect(missing.code).toBe('unreadable');
    expect(missing.message).toContain('no-such-file.csv');
    const folder = await openError(scratch.dir);
    expect(folder.code).toBe('unreadable');
    expect(folder.message).toContain(scratch.dir);
  });

  it('reports binary garbage as not a table', async () => {
    const garbage = Buffer.alloc(4096);
    let seed = 7;
    for (let i = 0; i < garbage.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      garbage[i] = seed % 256;
    }
    const error = await openError(await scratch.file('garbage.csv', garbage));
    expect(error.code).toBe('not_a_table');
    expect(error.message).toContain('garbage.csv');
  });

  it('reports text with NUL bytes as not a table', async () => {
    const error = await openError(await scratch.file('nul.csv', Buffer.from('Name,Email\nBob\u0000,b@x.com\n', 'latin1')));
    expect(error.code).toBe('not_a_table');
  });
});

describe('row problems', () => {
  it('reports rows with too few cells, or with values past the header, and drops extra blank cells', async () => {
    const text = 'A,B,C,D\n1,2,3,4\n1,2\n1,2,3,4,x\n1,2,3,4,,\n';
    const rows = await readRows(await openOrFail(await scratch.file('counts.csv', text)));
    expect(rows.map((r) => [r.rowNumber, r.problem?.kind])).toEqual([
      [2, undefined],
      [3, 'cell_count'],
      [4, 'cell_count'],
      [5, undefined],
    ]);
    expect(rows[1]).toMatchObject({
      cells: ['1', '2', '', ''],
      rawCells: ['1', '2'],
      problem: { message: 'has 2 cells; the header has 4' },
    });
    expect(rows[2]).toMatchObject({ cells: ['1', '2', '3', '4'], rawCells: ['1', '2', '3', '4', 'x'] });
    expect(rows[2].problem?.message).toContain('has 5 cells; the header has 4');
    expect(rows[3].cells).toEqual(['1', '2', '3', '4']);
    expect(rows[3].rawCells).toBeUndefined();
  });

  it('reports a quote that is never closed near the end, on the row where it opens, and the lines it swallowed', async () => {
    const text = 'Name,Note\nBob,ok\nAl,"unclosed\nCy,more\nDi,last\n';
    for (const tuning of [DEFAULT_TUNING, tinyTuning]) {
      const rows = await readRows(await openOrFail(await scratch.file('unclosed.csv', text), {}, tuning));
      expect(rows.map((r) => r.rowNumber)).toEqual([2, 3]);
      expect(rows[0].problem).toBeUndefined();
      expect(rows[1].problem?.kind).toBe('quoting');
      expect(rows[1].problem?.message).toContain('never closed');
      expect(rows[1].problem?.message).toContain('lines 3–6');
      expect(rows[1].cells[0]).toBe('Al');
    }
  });

  it('reports a malformed quote in the middle of the file and goes on with the rows after it', async () => {
    const text = 'Name,Note,City\nBob,"fine",Paris\nAl,"bad"x,Rome\nCy,"next",Oslo\nDi,plain,Lima\n';
    const rows = await readRows(await openOrFail(await scratch.file('invalid-quote.csv', text)));
    const bad = rows.find((r) => r.problem?.kind === 'quoting');
    expect(bad?.rowNumber).toBe(3);
    expect(bad?.problem?.message).toContain('wrong place');
    expect(bad?.problem?.message).toContain('lines 3–4');
    expect(rows[rows.length - 1]).toMatchObject({ rowNumber: 5, cells: ['Di', 'plain', 'Lima'] });
  });

  it('stops at a runaway quote instead of holding the rest of a big file, and says where', async () => {
    const lines = ['Name,Note', 'Bob,ok', 'Al,"never closed'];
    for (let i = 0; i < 2000; i++) lines.push(`Row ${i},text`);
    const tuning = { chunkBytes: 1024, batchRows: 100, maxPendingChars: 8 * 1024 };
    for (const ending of ['\n', '\r\n']) {
      const rows = await readRows(await openOrFail(await scratch.file('runaway.csv', lines.join(ending)), {}, tuning));
      expect(rows.map((r) => r.rowNumber)).toEqual([2, 3]);
      expect(rows[1].problem?.kind).toBe('quoting');
      expect(rows[1].problem?.message).toContain('from line 3 on');
      expect(rows[1].cells).toEqual(['Al', 'never closed']);
    }
  });

  it('refuses a header whose quote never closes', async () => {
    const error = await openError(await scratch.file('bad-header.csv', 'Name,"Email\nBob,b@x.com\n'));
    expect(error.code).toBe('no_header');
    expect(error.message).toContain('line 1');
  });
});

describe('rows()', () => {
  it('yields rows in batches and the same rows when read twice', async () => {
    const lines = ['Name,N'];
    for (let i = 0; i < 25; i++) lines.push(`P${i},${i}`);
    const file = await openOrFail(
      await scratch.file('batches.csv', lines.join('\n')),
      {},
      { ...DEFAULT_TUNING, chunkBytes: 16, batchRows: 10 },
    );
    const first = await readBatches(file);
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(first.every((b) => b.length > 0)).toBe(true);
    const second = await readBatches(file);
    expect(second.flat()).toEqual(first.flat());
    expect(first.flat().map((r) => r.rowNumber)).toEqual(Array.from({ length: 25 }, (_, i) => i + 2));
  });

  it('can stop early and read again', async () => {
    const lines = ['Name'];
    for (let i = 0; i < 100; i++) lines.push(`P${i}`);
    const file = await openOrFail(
      await scratch.file('early.csv', lines.join('\n')),
      {},
      { ...DEFAULT_TUNING, chunkBytes: 64, batchRows: 5 },
    );
    for await (const batch of file.rows()) {
      expect(batch[0].rowNumber).toBe(2);
      break;
    }
    expect(await readRows(file)).toHaveLength(100);
  });
});
