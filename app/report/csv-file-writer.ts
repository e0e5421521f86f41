// Writes a CSV report atomically: rows go to a temporary file beside the target, which is
// renamed into place only on `commit()`. A failed or abandoned report leaves nothing behind,
// so a reader never finds half a report.
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { csvLine } from './csv-safety.ts';

const UTF8_BOM = '\uFEFF';
/** Rows are joined into blocks of about this many characters before each write. */
const BLOCK_CHARS = 64 * 1024;

export interface CsvFileWriter {
  writeRow(fields: readonly string[]): Promise<void>;
  /** Appends the lines of a headerless part written by another writer (a worker thread's rows). */
  appendPart(partPath: string): Promise<void>;
  /** Flushes, fsyncs and moves the file into place. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is left untouched. */
  abort(): Promise<void>;
}

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

export interface CsvFileOptions {
  /** A part of a file another writer will append (no byte-order mark, no header line). */
  readonly part?: boolean;
}

export async function openCsvFileWriter(path: string, header: readonly string[], options: CsvFileOptions = {}): Promise<CsvFileWriter> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'w');
  } catch (error) {
    throw new ReportWriteError(path, error);
  }
  let block = options.part === true ? '' : UTF8_BOM + csvLine(header);
  let finished = false;

  const fail = async (error: unknown): Promise<never> => {
    finished = true;
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error instanceof ReportWriteError ? error : new ReportWriteError(path, error);
  };
  const flushBlock = async (): Promise<void> => {
    if (block.length === 0) return;
    const text = block;
    block = '';
    await handle.write(text, null, 'utf8');
  };

  return {
    async writeRow(fields) {
      if (finished) throw new ReportWriteError(path, new Error('the report is already closed'));
      block += csvLine(fields);
      if (block.length >= BLOCK_CHARS) await flushBlock().catch(fail);
    },
    async appendPart(partPath) {
      if (finished) throw new ReportWriteError(path, new Error('the report is already closed'));
      try {
        await flushBlock();
        const part = await open(partPath, 'r');
        try {
          const buffer = Buffer.allocUnsafe(1 << 20);
          for (;;) {
            const { bytesRead } = await part.read(buffer, 0, buffer.length, null);
            if (bytesRead === 0) break;
            await handle.write(buffer, 0, bytesRead, null);
          }
        } finally {
          await part.close();
        }
      } catch (error) {
        await fail(error);
      }
    },
    async commit() {
      if (finished) return;
      try {
        await flushBlock();
        await handle.sync();
        await handle.close();
        finished = true;
        await rename(temporary, path);
      } catch (error) {
        await fail(error);
      }
    },
    async abort() {
      if (finished) return;
      finished = true;
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
    },
  };
}
