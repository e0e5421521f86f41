// Shared by the hostile-file suite: run counts, a per-case time limit, scratch folders, and the
// checks every file must pass whatever it holds (rows numbered from the file, every row ending
// valid, invalid or skipped with issues that name a row and a column of the header).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { expect } from 'vitest';
import type { DecodedRow, RowIssue } from '../../../app/lead/decoded-row.ts';
import { isLeadFieldName } from '../../../app/lead/fields.ts';
import type { FileErrorCode, SourceFile, SourceRow } from '../../../app/source/types.ts';
import { decodedRows } from '../../../app/validate/decoded-rows.ts';
import type { ImportError, PreparedImport } from '../../../app/validate/prepare-import.ts';
import type { ValidationSummary } from '../../../app/validate/validate-file.ts';

/**
 * Runs per property. The defaults keep the suite's default run within a minute on two busy
 * cores; set RELIABILITY_RUNS (e.g. RELIABILITY_RUNS=2000) for a long run, and
 * RELIABILITY_SEED to replay the seed a failure printed.
 */
export function runs(byDefault: number): number {
  const asked = Number(process.env.RELIABILITY_RUNS);
  return Number.isInteger(asked) && asked > 0 ? asked : byDefault;
}

/** A test's own time limit: room for every run at `msPerRun` (long runs raise RELIABILITY_RUNS), at least 60 s. */
export function timeFor(runCount: number, msPerRun: number): number {
  return Math.max(60_000, runCount * msPerRun);
}

export function seedOption(): { seed?: number } {
  const seed = Number(process.env.RELIABILITY_SEED);
  return Number.isInteger(seed) && process.env.RELIABILITY_SEED !== undefined ? { seed } : {};
}

/** One case of a property may take this long (a busy two-core machine is slow, a hang is forever). */
export const CASE_LIMIT_MS = 15_000;

export class HangError extends Error {}

/**
 * `work()` must settle within `ms`: a promise that never settles (a reader waiting on a stream
 * that will never move) fails the case instead of stalling the suite. Synchronous work cannot be
 * interrupted by a timer, so the time taken is also checked once it returns: runaway (e.g.
 * quadratic) parsing fails as well.
 */
export async function withinTime<T>(label: string, ms: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HangError(`${label}: no answer after ${ms} ms (a hang)`)), ms);
  });
  try {
    const result = await Promise.race([work(), timeout]);
    const took = performance.now() - started;
    if (took > ms) throw new HangError(`${label}: took ${Math.round(took)} ms, more than ${ms} ms`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

export interface Scratch {
  readonly dir: string;
  /** A fresh file name in the folder (cases never share a file). */
  path(name: string): string;
  write(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function scratchDir(prefix = 'lead-importer-reliability-'): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  let n = 0;
  const path = (name: string): string => join(dir, `${++n}-${name}`);
  return {
    dir,
    path,
    async write(name, content) {
      const target = path(name);
      await writeFile(target, content);
      return target;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function drainRows(source: SourceFile): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const batch of source.rows()) rows.push(...batch);
  return rows;
}

export const FILE_ERROR_CODES: readonly FileErrorCode[] = [
  'unreadable',
  'empty',
  'no_header',
  'duplicate_header',
  'not_a_table',
  'sheet_not_found',
  'bad_option',
  'encoding',
];
export const IMPORT_ERROR_CODES: readonly string[] = [...FILE_ERROR_CODES, 'no_lead_id', 'mapping'];

/** Whether a header repeats a name (ignoring case and surrounding spaces): a mapping using it is refused. */
export const repeatsAName = (header: readonly string[]): boolean =>
  new Set(header.map((name) => name.trim().toLowerCase())).size !== header.length;

/** A file-level error: a known code and a message that names the file. */
export function expectFileLevelError(error: ImportError, path: string): void {
  expect(IMPORT_ERROR_CODES).toContain(error.code);
  expect(error.message).toContain(path);
}

/**
 * What every stream of rows must look like: row numbers after the header, strictly
 * increasing (the file's order), each row as wide as the header, problems of a known kind
 * with a message, and the raw cells kept when the row had to be padded or cut.
 */
export function expectWellFormedRows(source: SourceFile, rows: readonly SourceRow[]): void {
  let previous = source.headerRowNumber;
  for (const row of rows) {
    expect(Number.isInteger(row.rowNumber)).toBe(true);
    expect(row.rowNumber).toBeGreaterThan(previous);
    previous = row.rowNumber;
    expect(row.cells).toHaveLength(source.header.length);
    if (row.problem !== undefined) {
      expect(['cell_count', 'quoting', 'too_long']).toContain(row.problem.kind);
      expect(row.problem.message.length).toBeGreaterThan(0);
    }
    if (row.problem?.kind === 'cell_count') expect(row.rawCells).toBeDefined();
  }
}

/** One issue: about a column of the header (and then a lead field) or about the whole row; always a reason. */
export function expectIssueNamesHeaderColumn(issue: RowIssue, header: readonly string[]): void {
  expect(issue.message.trim().length).toBeGreaterThan(0);
  if (issue.column !== null) expect(header).toContain(issue.column);
  if (issue.field !== null) expect(isLeadFieldName(issue.field)).toBe(true);
}

/**
 * A decoded row ends in exactly one of the three outcomes, and says why when it is not valid:
 * an invalid row has errors (a reader problem among them, word for word), a skipped row a warning.
 */
export function expectRowOutcome(row: SourceRow, decoded: DecodedRow, header: readonly string[]): void {
  expect(decoded.rowNumber).toBe(row.rowNumber);
  expect(['valid', 'invalid', 'skipped']).toContain(decoded.status);
  expect(decoded.status === 'invalid').toBe(decoded.errors.length > 0);
  if (decoded.status === 'skipped') expect(decoded.warnings.length).toBeGreaterThan(0);
  if (decoded.status === 'valid') expect(decoded.leadId).not.toBeNull();
  for (const issue of [...decoded.errors, ...decoded.warnings]) expectIssueNamesHeaderColumn(issue, header);
  if (row.problem !== undefined) {
    expect(decoded.status).toBe('invalid');
    expect(decoded.errors.some((e) => e.column === null && e.message === row.problem?.message)).toBe(true);
  }
}

export interface DecodedOutcome {
  readonly rows: SourceRow[];
  readonly decoded: DecodedRow[];
}

/** Decodes every row of a prepared import, checking each row's outcome. */
export async function decodeAll(prepared: PreparedImport): Promise<DecodedOutcome> {
  const rows: SourceRow[] = [];
  const decoded: DecodedRow[] = [];
  for await (const batch of decodedRows(prepared)) {
    for (const { source, decoded: d } of batch) {
      expectRowOutcome(source, d, prepared.source.header);
      rows.push(source);
      decoded.push(d);
    }
  }
  return { rows, decoded };
}

/**
 * A validation summary agrees with itself and with the rows: counts add up, and every problem
 * it lists names a row the reader yielded and, for a cell, a column of the header.
 */
export function expectSummaryConsistent(summary: ValidationSummary, header: readonly string[], rowNumbers: ReadonlySet<number>): void {
  expect(summary.valid + summary.invalid + summary.skipped).toBe(summary.rows);
  expect(summary.rows).toBe(rowNumbers.size);
  for (const problem of summary.firstProblems) {
    expect(rowNumbers.has(problem.rowNumber)).toBe(true);
    expect(problem.message.trim().length).toBeGreaterThan(0);
    if (problem.column !== null) expect(header).toContain(problem.column);
  }
}

/** The cells of a CSV report as written (BOM dropped), header first. */
export async function readReport(path: string): Promise<string[][]> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { header: false, delimiter: ',', quoteChar: '"', skipEmptyLines: false, newline: '\r\n' });
  const rows = parsed.data;
  // The writer ends every line with CRLF: the last "row" is the empty text after it.
  if (rows.length > 0 && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0] === '') rows.pop();
  return rows;
}
