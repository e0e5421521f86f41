// Validating in two parts (this thread and a worker) gives exactly what one thread gives: the
// same summary and the same error report, byte for byte, including when the cut falls inside a
// quoted cell (a stray quote misled the count), and when a lead appears in both parts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MappingFile } from '../../../app/mapping/mapping-file.ts';
import { prepareImport } from '../../../app/validate/prepare-import.ts';
import { planSegments, type SegmentOutcome } from '../../../app/validate/segments.ts';
import { validateFile, type ValidationSummary } from '../../../app/validate/validate-file.ts';
import { writeLeadCsv } from '../../bench/lead-file-generator.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'segments-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validated(
  path: string,
  segments: boolean,
): Promise<{ summary: ValidationSummary; report: string; outcome?: SegmentOutcome }> {
  const errorsPath = join(dir, `errors-${segments ? 'two' : 'one'}.csv`);
  let outcome: SegmentOutcome | undefined;
  const result = await validateFile({
    path,
    errorsPath,
    keepProblems: 50,
    ...(segments ? { segments: { minBytes: 0 }, onSegments: (how) => (outcome = how) } : {}),
  });
  if (E.isLeft(result)) throw new Error(result.left.message);
  return { summary: { ...result.right, errorsFile: null }, report: await readFile(errorsPath, 'utf8'), outcome };
}

/** Validates `path` in one thread and in two; the results must be the same. Returns how the two-part run went. */
async function expectSameAsOneThread(path: string): Promise<{ summary: ValidationSummary; outcome?: SegmentOutcome }> {
  const one = await validated(path, false);
  const two = await validated(path, true);
  expect(two.summary).toEqual(one.summary);
  expect(two.report).toEqual(one.report);
  return { summary: one.summary, outcome: two.outcome };
}

async function cutOf(path: string) {
  const prepared = await prepareImport({ path });
  if (E.isLeft(prepared)) throw new Error(prepared.left.message);
  return planSegments(prepared.right, { minBytes: 0 });
}

const HEADER = 'Lead ID,First Name,Notes\n';

describe('validating in two parts', () => {
  it('cuts a lead file with multi-line quoted cells at a record boundary and gives what one thread gives', async () => {
    const path = join(dir, 'leads.csv');
    await writeLeadCsv(path, 3_000, 7);
    const cut = await cutOf(path);
    expect(cut).toBeDefined();
    const text = await readFile(path);
    expect(text[(cut?.at ?? 0) - 1]).toBe(0x0a);
    // The line the cut says is the line the file has there.
    expect(text.subarray(0, cut?.at).toString('utf8').split('\n').length).toBe(cut?.line);
    const { summary, outcome } = await expectSameAsOneThread(path);
    expect(outcome).toBe('both');
    expect(summary.invalid).toBeGreaterThan(0);
  });

  it('a file with a title block, or a header row given: both parts start below the header, as one thread does', async () => {
    const plain = join(dir, 'plain-for-title.csv');
    await writeLeadCsv(plain, 2_000, 11);
    const body = await readFile(plain, 'utf8');
    const path = join(dir, 'titled.csv');
    await writeFile(path, `Guest Card Report\nProperty: Sunset Apartments\nDate Range: 11/01/2025 - 11/30/2025\n\n${body}`);
    const { summary, outcome } = await expectSameAsOneThread(path);
    expect(outcome).toBe('both');
    expect(summary.headerRow).toBe(5);
    expect(summary.rows).toBe(2_000);
    // A header row chosen by the person (here the title's line 2 is no header, the real one is 5).
    const given = async (segments: boolean) => {
      const result = await validateFile({
        path,
        source: { headerRow: 5 },
        keepProblems: 50,
        ...(segments ? { segments: { minBytes: 0 } } : {}),
      });
      if (E.isLeft(result)) throw new Error(result.left.message);
      return result.right;
    };
    expect(await given(true)).toEqual(await given(false));
  });

  it('a lead in both parts: the duplicate warnings name rows of the first part', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => `lead-${i % 1_200},Name${i},"note ${i}\nsecond line"`);
    const path = join(dir, 'repeats.csv');
    await writeFile(path, HEADER + rows.join('\n') + '\n');
    const { summary, outcome } = await expectSameAsOneThread(path);
    expect(outcome).toBe('second-here');
    expect(summary.duplicates).toBe(800);
    expect(summary.warnings).toBe(800);
  });

  it('a stray quote that misleads the count puts the cut inside a quoted cell: validated again in one thread', async () => {
    const rows: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      if (i === 10)
        rows.push(`lead-${i},Name${i},5" tall`); // a quote inside an unquoted cell: literal text
      else if (i >= 1_000) rows.push(`lead-${i},Name${i},"quoted\nover two lines"`);
      else rows.push(`lead-${i},Name${i},plain`);
    }
    const path = join(dir, 'stray-quote.csv');
    await writeFile(path, HEADER + rows.join('\n') + '\n');
    const cut = await cutOf(path);
    expect(cut).toBeDefined();
    // The count says the cut is outside quotes; the parser is inside the second row's cell there.
    const before = (await readFile(path)).subarray(0, cut?.at).toString('utf8');
    expect(before.endsWith('"quoted\n')).toBe(true);
    const { summary, outcome } = await expectSameAsOneThread(path);
    expect(outcome).toBe('restart');
    expect(summary).toMatchObject({ rows: 2_000, valid: 2_000, invalid: 0 });
  });

  it('the second half decodes with the same mapping and column options (a mapping file: cents, day-first dates)', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => `L${i},${i % 7 === 0 ? 'oops' : 120050 + i},${(i % 28) + 1}/03/2026`);
    const path = join(dir, 'options.csv');
    await writeFile(path, `Ref,Budget,Arrives\n${rows.join('\n')}\n`);
    const mappingFile: MappingFile = {
      version: 1,
      columns: {
        Ref: { field: 'lead_id' },
        Budget: { field: 'desired_max_rent_in_cents', money: 'cents' },
        Arrives: { field: 'target_move_in_date', dateOrder: 'DMY' },
      },
    };
    const run = async (segments: boolean) => {
      const errorsPath = join(dir, `options-${segments ? 'two' : 'one'}.csv`);
      let outcome: SegmentOutcome | undefined;
      const result = await validateFile({
        path,
        mappingFile,
        errorsPath,
        ...(segments ? { segments: { minBytes: 0 }, onSegments: (how) => (outcome = how) } : {}),
      });
      if (E.isLeft(result)) throw new Error(result.left.message);
      return { summary: { ...result.right, errorsFile: null }, report: await readFile(errorsPath, 'utf8'), outcome };
    };
    const one = await run(false);
    const two = await run(true);
    expect(two.outcome).toBe('both');
    expect(two.summary).toEqual(one.summary);
    expect(two.report).toEqual(one.report);
    // Day-first dates past the 12th only decode as DMY; cents only as cents: all valid but the 'oops' rows.
    expect(one.summary).toMatchObject({ rows: 2_000, invalid: 286, valid: 1_714 });
  });

  describe('a UTF-8 guess that meets a byte that is not UTF-8', () => {
    const plainRows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `lead-${from + i},Name${from + i},plain`);
    const latin = (text: string) => Buffer.from(text, 'latin1');

    it('in the second part after plain ASCII: both parts used, the file read as Windows-1252 as one thread reads it', async () => {
      const path = join(dir, 'late-1252.csv');
      await writeFile(
        path,
        Buffer.concat([
          latin(HEADER + plainRows(0, 4_900).join('\n') + '\n'),
          latin('lead-x,José Muñoz,Zürich\n'),
          latin(plainRows(4_901, 5_000).join('\n') + '\n'),
        ]),
      );
      const { summary, outcome } = await expectSameAsOneThread(path);
      expect(outcome).toBe('both');
      expect(summary.encoding).toBe('windows-1252');
      expect(summary.notices).toEqual([expect.stringContaining('line 4,902 holds the byte 0xE9')]);
    });

    it('in the first part, with UTF-8-looking bytes in the second: the second part is read here as Windows-1252', async () => {
      const path = join(dir, 'early-1252.csv');
      const utf8Looking = Buffer.from('lead-y,Ã©tÃ©,x\n', 'utf8'); // "Ã©" in Windows-1252 is the UTF-8 bytes of "é"
      // Past the 64 KB sample the encoding is guessed from, before the middle.
      await writeFile(
        path,
        Buffer.concat([
          latin(HEADER + plainRows(0, 3_500).join('\n') + '\n'),
          latin('lead-x,José,x\n'),
          latin(plainRows(3_501, 10_000).join('\n') + '\n'),
          utf8Looking,
        ]),
      );
      const { summary, outcome } = await expectSameAsOneThread(path);
      expect(outcome).toBe('second-here');
      expect(summary.encoding).toBe('windows-1252');
      expect(summary.notices).toEqual([expect.stringContaining('line 3,502 holds the byte 0xE9')]);
    });

    it('after UTF-8 characters in the first part: the same file error as one thread, naming the line', async () => {
      const path = join(dir, 'mixed.csv');
      await writeFile(
        path,
        Buffer.concat([Buffer.from(HEADER + 'lead-u,Zoë,x\n' + plainRows(1, 4_900).join('\n') + '\n', 'utf8'), latin('lead-x,José,x\n')]),
      );
      const one = await validateFile({ path });
      const two = await validateFile({ path, segments: { minBytes: 0 } });
      expect(E.isLeft(one) && one.left.message).toContain('line 4,902 holds the byte 0xE9');
      expect(two).toEqual(one);
    });
  });

  it('is not used for small files, UTF-16 files, or workbooks', async () => {
    const path = join(dir, 'utf16.csv');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}lead-1,Ana,hi\n`, 'utf16le')]));
    expect(await cutOf(path)).toBeUndefined();
    const small = join(dir, 'small.csv');
    await writeFile(small, `${HEADER}lead-1,Ana,hi\n`);
    const prepared = await prepareImport({ path: small });
    if (E.isLeft(prepared)) throw new Error(prepared.left.message);
    expect(await planSegments(prepared.right)).toBeUndefined();
  });
});
