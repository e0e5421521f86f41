// One part of a zip read alone, from the offset its directory entry gives (zip-directory.ts),
// without streaming the archive from its start: a workbook's small parts (relationships, the
// sheet list) and the first bytes of each sheet, before exceljs streams the workbook.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import type { ZipEntry } from './zip-directory.ts';

const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_SIZE = 30;
const STORED = 0;
const DEFLATED = 8;

/**
 * The part's text, in pieces as it inflates; the reader may stop early (ending the iteration
 * closes the file). Never more than the directory declared: a part that inflates past that
 * stops there (workbook-limits.ts refuses such a workbook when it is streamed). Throws when the
 * local header or the compressed data is damaged, or the method is neither stored nor deflated.
 */
export async function* partText(path: string, entry: ZipEntry): AsyncGenerator<string> {
  if (entry.method !== STORED && entry.method !== DEFLATED)
    throw new Error(`${entry.name} is compressed with method ${entry.method}, which zip readers rarely support`);
  const start = await dataStart(path, entry);
  if (entry.compressedSize === 0) return;
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1 });
  const bytes: Readable = entry.method === DEFLATED ? raw.pipe(createInflateRaw()) : raw;
  raw.once('error', (error) => bytes.destroy(error));
  const decoder = new StringDecoder('utf8');
  let left = entry.uncompressedSize;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      const kept = chunk.subarray(0, left);
      left -= kept.length;
      yield decoder.write(kept);
      if (left <= 0) break;
    }
    yield decoder.end();
  } finally {
    raw.destroy();
    bytes.destroy();
  }
}

/** The whole text of a small part (relationships, workbook.xml). */
export async function wholePartText(path: string, entry: ZipEntry): Promise<string> {
  let text = '';
  for await (const piece of partText(path, entry)) text += piece;
  return text;
}

/** Where the part's data starts: after its local header, whose name and extra field lengths may differ from the directory's. */
async function dataStart(path: string, entry: ZipEntry): Promise<number> {
  const file = await open(path, 'r');
  try {
    const header = Buffer.alloc(LOCAL_SIZE);
    const { bytesRead } = await file.read(header, 0, LOCAL_SIZE, entry.localHeaderOffset);
    if (bytesRead < LOCAL_SIZE || header.readUInt32LE(0) !== LOCAL_SIGNATURE)
      throw new Error(`the local header of ${entry.name} is damaged`);
    return entry.localHeaderOffset + LOCAL_SIZE + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await file.close();
  }
}
