// A report is written beside its target under a temporary name and renamed into place only
// once complete: a failed or abandoned report leaves nothing behind, so a reader never finds
// half a report. Each writer (CSV, workbook) says how to finish and how to stop its own file.
import { rename, rm } from 'node:fs/promises';
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

export function stagedFile(path: string): StagedFile {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
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
