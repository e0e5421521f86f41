// Property tests over files of random bytes, whatever they are called: bare, behind a BOM, behind
// the signature of a zip or of an old Excel file, or behind a plausible header. Opening must end
// in a FileError naming the file or in rows; reading the rows may fail only with a
// SourceReadError naming the file; validating must end in a summary or a file-level error with
// nothing written. Never an exception of another kind, never a hang.
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceReadError } from '../../../app/source/file-errors.ts';
import { openSource } from '../../../app/source/open-source.ts';
import { DEFAULT_TUNING } from '../../../app/source/read-tuning.ts';
import type { SourceRow } from '../../../app/source/types.ts';
import { validateFile } from '../../../app/validate/validate-file.ts';
import { runCli } from '../../integration/cli/cli-harness.ts';
import {
  CASE_LIMIT_MS,
  expectFileLevelError,
  expectSummaryConsistent,
  expectWellFormedRows,
  readReport,
  runs,
  scratchDir,
  seedOption,
  timeFor,
  withinTime,
  type Scratch,
} from './support.ts';

let scratch: Scratch;
beforeAll(async () => {
  scratch = await scratchDir();
});
afterAll(() => scratch.remove());

const PREFIXES: Readonly<Record<string, readonly number[]>> = {
  none: [],
  utf8Bom: [0xef, 0xbb, 0xbf],
  utf16leBom: [0xff, 0xfe],
  utf16beBom: [0xfe, 0xff],
  zip: [0x50, 0x4b, 0x03, 0x04],
  ole: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
  header: [...Buffer.from('Lead ID,Status,Notes\r\n')],
  utf16Header: [0xff, 0xfe, ...Buffer.from('Lead ID\tStatus\r\n', 'utf16le')],
};

/** Bytes of every kind, and bytes that are mostly text (so the reader goes past its binary check). */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .array(fc.constantFrom(0x41, 0x61, 0x2c, 0x3b, 0x09, 0x22, 0x0a, 0x0d, 0x20, 0xc3, 0xa9, 0xe9, 0x80, 0x31, 0x00), { maxLength: 3000 })
    .map((a) => Uint8Array.from(a)),
);

const randomFile = fc.record({
  prefix: fc.constantFrom(...Object.keys(PREFIXES)),
  body,
  name: fc.constantFrom('leads.csv', 'leads.xlsx', 'leads.tsv', 'leads.txt', 'leads'),
});

const RUNS = runs(150);
const CLI_RUNS = runs(60);

/** Reads every row; a failure while reading must be a SourceReadError naming the file. */
async function readAll(path: string, tiny: boolean): Promise<E.Either<string, { rows: SourceRow[]; failed: boolean }>> {
  const opened = await openSource(path, {}, tiny ? { chunkBytes: 5, batchRows: 3, maxPendingChars: 512 } : DEFAULT_TUNING);
  if (E.isLeft(opened)) {
    expectFileLevelError(opened.left, path);
    return E.left(opened.left.code);
  }
  const rows: SourceRow[] = [];
  try {
    for await (const batch of opened.right.rows()) rows.push(...batch);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceReadError);
    expect((error as SourceReadError).fileError.message).toContain(path);
    return E.right({ rows, failed: true });
  }
  expectWellFormedRows(opened.right, rows);
  return E.right({ rows, failed: false });
}

describe('random bytes', () => {
  it(
    'open as a FileError naming the file or as rows, never throwing or hanging',
    async () => {
      await fc.assert(
        fc.asyncProperty(randomFile, fc.boolean(), async ({ prefix, body, name }, tiny) => {
          const path = await scratch.write(name, Buffer.concat([Buffer.from(PREFIXES[prefix]), body]));
          const outcome = await withinTime('read', CASE_LIMIT_MS, () => readAll(path, tiny));
          // An old-Excel signature is always refused as such.
          if (prefix === 'ole' && E.isLeft(outcome)) expect(outcome.left).toBe('not_a_table');
          if (prefix === 'ole') expect(E.isLeft(outcome)).toBe(true);
        }),
        { numRuns: RUNS, ...seedOption() },
      );
    },
    timeFor(RUNS, 300),
  );

  it(
    'validate to a summary or a file-level error, writing no report on an error',
    async () => {
      await fc.assert(
        fc.asyncProperty(randomFile, async ({ prefix, body, name }) => {
          const path = await scratch.write(name, Buffer.concat([Buffer.from(PREFIXES[prefix]), body]));
          const errorsPath = scratch.path('errors.csv');
          const result = await withinTime('validate', CASE_LIMIT_MS, () =>
            validateFile({ path, errorsPath, keepProblems: Number.POSITIVE_INFINITY }),
          );
          if (E.isLeft(result)) {
            expectFileLevelError(result.left, path);
            await expect(readReport(errorsPath)).rejects.toThrow(/ENOENT/);
            return;
          }
          const opened = await openSource(path);
          if (E.isLeft(opened)) throw new Error('validated, then refused to open');
          const rows = await readAll(path, false);
          if (E.isLeft(rows)) throw new Error('validated, then refused to open');
          expectSummaryConsistent(result.right, opened.right.header, new Set(rows.right.rows.map((r) => r.rowNumber)));
          const report = await readReport(errorsPath);
          expect(report.length - 1).toBe(result.right.invalid + result.right.skipped);
        }),
        { numRuns: RUNS, ...seedOption() },
      );
    },
    timeFor(RUNS, 300),
  );

  it(
    'through the CLI: exit 0, 1 or 2 and exactly one JSON object, an error naming the file on 2',
    async () => {
      await fc.assert(
        fc.asyncProperty(randomFile, async ({ prefix, body, name }) => {
          const path = await scratch.write(name, Buffer.concat([Buffer.from(PREFIXES[prefix]), body]));
          const result = await withinTime('lead-import validate', CASE_LIMIT_MS, () => runCli(['validate', path, '--json']));
          expect([0, 1, 2]).toContain(result.code);
          const lines = result.stdout.trim().split('\n');
          expect(lines).toHaveLength(1);
          const printed = JSON.parse(lines[0]) as {
            error?: { message: string };
            rows: number;
            valid: number;
            invalid: number;
            skipped: number;
          };
          if (result.code === 2) expect(printed.error?.message).toContain(path);
          else {
            expect(printed.valid + printed.invalid + printed.skipped).toBe(printed.rows);
            expect(result.code).toBe(printed.invalid > 0 ? 1 : 0);
          }
        }),
        { numRuns: CLI_RUNS, ...seedOption() },
      );
    },
    timeFor(CLI_RUNS, 300),
  );
});
