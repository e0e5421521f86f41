// Shared by the source tests: a scratch folder per test file and a way to drain rows().
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import * as E from 'fp-ts/Either';
import { openSource } from '../../../app/source/open-source.ts';
import type { ReadTuning } from '../../../app/source/read-tuning.ts';
import type { FileError, SourceFile, SourceOptions, SourceRow } from '../../../app/source/types.ts';

export interface Scratch {
  readonly dir: string;
  file(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function scratchDir(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'lead-importer-source-'));
  return {
    dir,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function openOrFail(path: string, options?: SourceOptions, tuning?: ReadTuning): Promise<SourceFile> {
  const result = await openSource(path, options, tuning);
  if (E.isLeft(result)) throw new Error(`expected ${path} to open, got ${result.left.code}: ${result.left.message}`);
  return result.right;
}

export async function openError(path: string, options?: SourceOptions, tuning?: ReadTuning): Promise<FileError> {
  const result = await openSource(path, options, tuning);
  if (E.isRight(result)) throw new Error(`expected ${path} to fail, it opened with header ${result.right.header.join(', ')}`);
  return result.left;
}

export async function readBatches(file: SourceFile): Promise<SourceRow[][]> {
  const batches: SourceRow[][] = [];
  for await (const batch of file.rows()) batches.push([...batch]);
  return batches;
}

export async function readRows(file: SourceFile): Promise<SourceRow[]> {
  return (await readBatches(file)).flat();
}

/** Row numbers and cells only, for compact expectations. */
export function cellsByRow(rows: readonly SourceRow[]): [number, readonly unknown[]][] {
  return rows.map((row) => [row.rowNumber, row.cells]);
}

export const tinyTuning: ReadTuning = { chunkBytes: 7, batchRows: 2, maxPendingChars: 4 * 1024 * 1024 };

/** A zip archive of the entries in the given order, deflated as Excel does or stored. */
export function storedZip(entries: readonly { name: string; content: string }[], deflate = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const raw = Buffer.from(entry.content);
    const crc = crc32(raw);
    const data = deflate ? deflateRawSync(raw) : raw;
    const method = deflate ? 8 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
