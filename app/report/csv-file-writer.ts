// Writes a CSV report atomically (staged-file.ts): rows go to a temporary file beside the
// target, renamed into place only on `commit()`.
import { open } from 'node:fs/promises';
import { csvLine } from './csv-safety.ts';
import { ReportWriteError, createStagedFile } from './staged-file.ts';

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

export interface CsvFileOptions {
  /** A part of a file another writer will append (no byte-order mark, no header line). */
  readonly part?: boolean;
}

export async function openCsvFileWriter(path: string, header: readonly string[], options: CsvFileOptions = {}): Promise<CsvFileWriter> {
  const { staged, handle } = await createStagedFile(path);
  let block = options.part === true ? '' : UTF8_BOM + csvLine(header);
  const close = (): Promise<void> => handle.close();
  const fail = (error: unknown): Promise<never> => staged.fail(error, close);
  const flushBlock = async (): Promise<void> => {
    if (block.length === 0) return;
    const text = block;
    block = '';
    await handle.write(text, null, 'utf8');
  };

  return {
    async writeRow(fields) {
      if (staged.finished) throw new ReportWriteError(path, new Error('the report is already closed'));
      block += csvLine(fields);
      if (block.length >= BLOCK_CHARS) await flushBlock().catch(fail);
    },
    async appendPart(partPath) {
      if (staged.finished) throw new ReportWriteError(path, new Error('the report is already closed'));
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
    commit: () =>
      staged.commit(async () => {
        await flushBlock();
        await handle.sync();
        await handle.close();
      }, close),
    abort: () => staged.abort(close),
  };
}
