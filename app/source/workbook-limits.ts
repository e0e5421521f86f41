// How much a workbook may hold before we refuse to read it, and the messages that say so.
// A few megabytes of zip can inflate to gigabytes of XML (a "zip bomb"); exceljs keeps the shared
// strings in memory, so such a file would take the whole process down. Three lines of defence:
// 1. the zip's directory (zip-directory.ts) is checked before anything is inflated;
// 2. while the zip streams, no part may inflate to more than the directory declared (a lying
//    directory), and the shared strings are counted as they are read;
// 3. the parse runs in a worker thread with a heap limit (xlsx-thread.ts), for whatever is left.
import * as E from 'fp-ts/Either';
import { fileError, unreadable } from './file-errors.ts';
import type { FileError } from './types.ts';
import { readZipDirectory, type ZipDirectory } from './zip-directory.ts';

export interface WorkbookLimits {
  /** Uncompressed bytes of every part together. */
  readonly maxUncompressedBytes: number;
  /** Uncompressed bytes of the shared strings (xl/sharedStrings.xml), which are held in memory. */
  readonly maxSharedStringsBytes: number;
  /** Shared strings (the distinct texts of the workbook) and their total length in characters. */
  readonly maxSharedStrings: number;
  readonly maxSharedStringsChars: number;
  /** Uncompressed size over compressed size, checked for parts of at least `ratioFromBytes`. */
  readonly maxRatio: number;
  readonly ratioFromBytes: number;
  /** Heap of the thread that parses the workbook. */
  readonly heapMb: number;
}

const MB = 1024 * 1024;

/** The shared-strings figures leave room for a million rows with a few distinct texts each. */
export const DEFAULT_WORKBOOK_LIMITS: WorkbookLimits = {
  maxUncompressedBytes: 1024 * MB,
  maxSharedStringsBytes: 256 * MB,
  maxSharedStrings: 4_000_000,
  maxSharedStringsChars: 200_000_000,
  // Excel's XML compresses 5 to 30 times; deflate cannot pass about 1,030.
  maxRatio: 100,
  ratioFromBytes: 8 * MB,
  heapMb: 1024,
};

/** The default of `SourceOptions.maxWorkbookMb`: the total size allowed, in MB. */
export const DEFAULT_WORKBOOK_MB = DEFAULT_WORKBOOK_LIMITS.maxUncompressedBytes / MB;

/**
 * The limits for a workbook allowed `maxWorkbookMb` MB uncompressed: every size and count scales
 * with it (the heap never drops below the base's). The ratio does not: a part that inflates a
 * hundredfold is not a spreadsheet, whatever its size.
 */
export function workbookLimits(maxWorkbookMb: number | undefined, base: WorkbookLimits = DEFAULT_WORKBOOK_LIMITS): WorkbookLimits {
  if (maxWorkbookMb === undefined) return base;
  const scale = (maxWorkbookMb * MB) / base.maxUncompressedBytes;
  return {
    ...base,
    maxUncompressedBytes: Math.round(base.maxUncompressedBytes * scale),
    maxSharedStringsBytes: Math.round(base.maxSharedStringsBytes * scale),
    maxSharedStrings: Math.round(base.maxSharedStrings * scale),
    maxSharedStringsChars: Math.round(base.maxSharedStringsChars * scale),
    heapMb: Math.max(base.heapMb, Math.round(base.heapMb * scale)),
  };
}

const SHARED_STRINGS = 'xl/sharedStrings.xml';

/** A limit hit while the workbook streams; `damaged()` (xlsx-workbook.ts) passes its FileError on. */
export class WorkbookLimitError extends Error {
  readonly fileError: FileError;

  constructor(fileError: FileError) {
    super(fileError.message);
    this.name = 'WorkbookLimitError';
    this.fileError = fileError;
  }
}

/** Reads the workbook's zip directory and checks it against `limits`, before anything is inflated. */
export async function checkWorkbookZip(path: string, limits: WorkbookLimits): Promise<E.Either<FileError, ZipDirectory>> {
  let read: E.Either<string, ZipDirectory>;
  try {
    read = await readZipDirectory(path);
  } catch (error) {
    return E.left(unreadable(path, error));
  }
  if (E.isLeft(read)) return E.left(damagedZip(path, read.left));
  const refused = checkDirectory(path, read.right, limits);
  return refused === undefined ? read : E.left(refused);
}

/** The first limit the directory's declared sizes break, or undefined. */
export function checkDirectory(path: string, directory: ZipDirectory, limits: WorkbookLimits): FileError | undefined {
  let total = 0;
  for (const entry of directory.entries) total += entry.uncompressedSize;
  if (total > limits.maxUncompressedBytes) {
    return tooLarge(
      path,
      `its parts expand to ${mb(total)}, more than the ${mb(limits.maxUncompressedBytes)} allowed for a workbook`,
      limits,
      total / limits.maxUncompressedBytes,
    );
  }
  const shared = directory.entries.filter((e) => e.name === SHARED_STRINGS).reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (shared > limits.maxSharedStringsBytes) {
    return tooLarge(
      path,
      `its shared strings (${SHARED_STRINGS}) expand to ${mb(shared)}, more than the ${mb(limits.maxSharedStringsBytes)} allowed`,
      limits,
      shared / limits.maxSharedStringsBytes,
    );
  }
  for (const entry of directory.entries) {
    if (entry.uncompressedSize < limits.ratioFromBytes) continue;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (ratio > limits.maxRatio) {
      return fileError(
        'too_large',
        path,
        `is refused: its part ${entry.name} expands ${Math.round(ratio).toLocaleString('en-US')} times ` +
          `(${mb(entry.compressedSize)} to ${mb(entry.uncompressedSize)}), more than the ${limits.maxRatio} times a spreadsheet part may; ` +
          'this is how a "zip bomb" looks. If the workbook is genuine, open it in Excel, save the sheet as CSV and import that.',
      );
    }
  }
  return undefined;
}

/** `over`: how many times the limit the workbook needs, when known (else twice the limit is suggested). */
function tooLarge(path: string, what: string, limits: WorkbookLimits, over?: number): FileError {
  return fileError('too_large', path, `is too large to open safely: ${what}. ${wayPast(limits, over === undefined ? 2 : over * 1.1)}`);
}

/** How to read a genuine giant: as CSV, or with a higher limit (`factor` times the present one). */
function wayPast(limits: WorkbookLimits, factor: number): string {
  const csv = 'If the workbook is genuine, open it in Excel and save the sheet as CSV (CSV files are read without this limit)';
  const needed = Math.ceil((limits.maxUncompressedBytes * factor) / MB);
  return Number.isFinite(needed) ? `${csv}, or on the command line raise the limit with --max-workbook-mb ${needed}.` : `${csv}.`;
}

/** "3,584 MB", or "12 KB" below a megabyte. */
function mb(bytes: number): string {
  if (bytes < MB) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} KB`;
  return `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;
}

/**
 * Counts what the zip actually inflates, part by part, against what its directory declared:
 * a directory that understates a part (to slip past `checkDirectory`) is caught at the first
 * byte past the declared size. A part the directory does not list may not be inflated at all.
 */
export class InflateBudget {
  private readonly declared = new Map<string, number>();
  private readonly inflated = new Map<string, number>();

  constructor(
    private readonly path: string,
    directory: ZipDirectory,
  ) {
    for (const entry of directory.entries) this.declared.set(entry.name, (this.declared.get(entry.name) ?? 0) + entry.uncompressedSize);
  }

  /** Adds `bytes` inflated for `part`; a WorkbookLimitError once it passes what was declared. */
  take(part: string, bytes: number): WorkbookLimitError | undefined {
    const total = (this.inflated.get(part) ?? 0) + bytes;
    this.inflated.set(part, total);
    const declared = this.declared.get(part);
    if (declared === undefined) return new WorkbookLimitError(damagedZip(this.path, `its part ${part} is not in the zip's directory`));
    if (total > declared) {
      return new WorkbookLimitError(
        damagedZip(
          this.path,
          `its part ${part} inflates to more than the ${declared.toLocaleString('en-US')} bytes its zip directory declares`,
        ),
      );
    }
    return undefined;
  }
}

function damagedZip(path: string, why: string): FileError {
  return fileError('not_a_table', path, `could not be read as an Excel workbook: the file looks damaged (${why}).`);
}

/** Counts the shared strings as exceljs reads them; throws a WorkbookLimitError past a limit. */
export class SharedStringsBudget {
  private count = 0;
  private chars = 0;

  constructor(
    private readonly path: string,
    private readonly limits: WorkbookLimits,
  ) {}

  add(text: unknown): void {
    this.count += 1;
    this.chars += textLength(text);
    if (this.count > this.limits.maxSharedStrings) {
      throw new WorkbookLimitError(
        tooLarge(
          this.path,
          `it has more than ${this.limits.maxSharedStrings.toLocaleString('en-US')} shared strings (distinct texts)`,
          this.limits,
        ),
      );
    }
    if (this.chars > this.limits.maxSharedStringsChars) {
      throw new WorkbookLimitError(
        tooLarge(
          this.path,
          `its shared strings hold more than ${this.limits.maxSharedStringsChars.toLocaleString('en-US')} characters`,
          this.limits,
        ),
      );
    }
  }
}

/** A shared string is text, rich text (`{ richText: [{ text }] }`) or null (empty). */
function textLength(text: unknown): number {
  if (typeof text === 'string') return text.length;
  if (typeof text !== 'object' || text === null || !('richText' in text) || !Array.isArray(text.richText)) return 0;
  let length = 0;
  for (const run of text.richText as unknown[]) {
    if (typeof run === 'object' && run !== null && 'text' in run && typeof run.text === 'string') length += run.text.length;
  }
  return length;
}

/** The message when the parse ran out of its heap anyway. */
export function outOfMemory(path: string, limits: WorkbookLimits): FileError {
  return fileError(
    'too_large',
    path,
    `is too large to read in memory: reading it needed more than the ${limits.heapMb.toLocaleString('en-US')} MB allowed. ${wayPast(limits, 2)}`,
  );
}
