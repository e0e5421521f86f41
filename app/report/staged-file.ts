// A report is written beside its target under a temporary name and renamed into place only
// once complete: a failed or abandoned report leaves nothing behind, so a reader never finds
// half a report. Each writer (CSV, workbook) says how to finish and how to stop its own file.
// The temporary name is random and created exclusively ('wx'): another user who can write in
// that folder cannot plant a symlink (or a file) there for the report to be written through.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class ReportWriteError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? ` (${String(cause.code)})` : '';
    super(`Cannot write the report ${path}${code}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ReportWriteError';
  }
}

export interface StagedFile {
  /** Where the writer writes until `commit`. */
  readonly temporary: string;
  /** Committed, aborted or failed: nothing more may be written. */
  readonly finished: boolean;
  /** Runs `complete` (flush, sync, close), then moves the file into place; fails as `fail` does. */
  commit(complete: () => Promise<void>, stop: () => Promise<unknown>): Promise<void>;
  /** Runs `stop` (its errors ignored) and removes the temporary file; the target is untouched. */
  abort(stop: () => Promise<unknown>): Promise<void>;
  /** Runs `stop`, removes the temporary file and throws the error as a ReportWriteError. */
  fail(error: unknown, stop: () => Promise<unknown>): Promise<never>;
}

export interface StagedFileOptions {
  /** The random part of the temporary name (tests choose it to play a guessed name). */
  readonly suffix?: () => string;
}

/** Names drawn before giving up: a clash of 64 random bits means someone is in the way. */
const ATTEMPTS = 5;

const randomSuffix = (): string => randomBytes(8).toString('hex');

const errorCode = (error: unknown): unknown => (typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined);

/** Creates the temporary file beside `path`, exclusively, under a name nobody could predict. */
export async function createStagedFile(
  path: string,
  options: StagedFileOptions = {},
): Promise<{ readonly staged: StagedFile; readonly handle: FileHandle }> {
  const suffix = options.suffix ?? randomSuffix;
  let lastError: unknown;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const temporary = join(dirname(path), `.${basename(path)}.${suffix()}.partial`);
    try {
      const handle = await open(temporary, 'wx');
      return { staged: stagedFile(path, temporary), handle };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw new ReportWriteError(path, error);
      lastError = error;
    }
  }
  throw new ReportWriteError(path, lastError);
}

function stagedFile(path: string, temporary: string): StagedFile {
  let finished = false;
  const staged: StagedFile = {
    temporary,
    get finished() {
      return finished;
    },
    async commit(complete, stop) {
      if (finished) return;
      try {
        await complete();
        finished = true;
        await rename(temporary, path);
      } catch (error) {
        await staged.fail(error, stop);
      }
    },
    async abort(stop) {
      if (finished) return;
      finished = true;
      await stop().catch(() => undefined);
      await rm(temporary, { force: true });
    },
    async fail(error, stop) {
      finished = true;
      await stop().catch(() => undefined);
      await rm(temporary, { force: true }).catch(() => undefined);
      throw error instanceof ReportWriteError ? error : new ReportWriteError(path, error);
    },
  };
  return staged;
}
