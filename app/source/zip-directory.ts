// The central directory of a zip archive: every part's name and its compressed and uncompressed
// sizes, read from the end of the file without inflating anything. A workbook's directory says
// how big it will be before a single byte of it is parsed (workbook-limits.ts decides whether
// that is acceptable). Supports ZIP64 (sizes and counts past 4 GB / 65,535 entries).
import { open, type FileHandle } from 'node:fs/promises';
import * as E from 'fp-ts/Either';

export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Where its local header starts in the file, and how it is stored (0 stored, 8 deflated): for reading one part alone (zip-parts.ts). */
  readonly localHeaderOffset: number;
  readonly method: number;
}

export interface ZipDirectory {
  readonly entries: readonly ZipEntry[];
}

const END_SIGNATURE = 0x06054b50;
const END_SIZE = 22;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_END_SIZE = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const ZIP64_EXTRA_ID = 0x0001;
const MAX_COMMENT = 0xffff;
const SATURATED_32 = 0xffffffff;

/**
 * A directory bigger than this is refused unread: a workbook's has a line per part (sheets,
 * styles, media), a few dozen bytes each; 16 MB is hundreds of thousands of parts.
 */
export const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

/**
 * Reads the central directory of the zip at `path`. Left: why it cannot be read (no end record,
 * offsets outside the file, a directory too big to be real), in words for a "looks damaged"
 * message. File-system failures reject, as for any read.
 */
export async function readZipDirectory(path: string): Promise<E.Either<string, ZipDirectory>> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const tailLength = Math.min(size, END_SIZE + MAX_COMMENT + ZIP64_LOCATOR_SIZE);
    const tail = await readAt(file, size - tailLength, tailLength);
    const endAt = findEndRecord(tail);
    if (endAt === -1) return E.left('its zip directory is missing: the file is cut short or is no zip');
    const end = await endOfDirectory(file, tail, endAt, size - tailLength);
    if (E.isLeft(end)) return end;
    const { count, directorySize, directoryOffset } = end.right;
    const endPosition = size - tailLength + endAt;
    if (directoryOffset + directorySize > endPosition) return E.left('its zip directory points outside the file');
    if (directorySize > MAX_DIRECTORY_BYTES) return E.left(`its zip directory is ${directorySize} bytes long, more than any workbook's`);
    return parseEntries(await readAt(file, directoryOffset, directorySize), count);
  } finally {
    await file.close();
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The last end-of-directory record whose comment length fits what follows it. */
function findEndRecord(tail: Buffer): number {
  for (let at = tail.length - END_SIZE; at >= 0; at--) {
    if (tail.readUInt32LE(at) === END_SIGNATURE && at + END_SIZE + tail.readUInt16LE(at + 20) <= tail.length) return at;
  }
  return -1;
}

interface EndOfDirectory {
  readonly count: number;
  readonly directorySize: number;
  readonly directoryOffset: number;
}

async function endOfDirectory(file: FileHandle, tail: Buffer, endAt: number, tailStart: number): Promise<E.Either<string, EndOfDirectory>> {
  const count = tail.readUInt16LE(endAt + 10);
  const directorySize = tail.readUInt32LE(endAt + 12);
  const directoryOffset = tail.readUInt32LE(endAt + 16);
  const locatorAt = endAt - ZIP64_LOCATOR_SIZE;
  const zip64 = locatorAt >= 0 && tail.readUInt32LE(locatorAt) === ZIP64_LOCATOR_SIGNATURE;
  if (!zip64) return E.right({ count, directorySize, directoryOffset });
  const recordOffset = Number(tail.readBigUInt64LE(locatorAt + 8));
  if (recordOffset + ZIP64_END_SIZE > tailStart + locatorAt) return E.left('its ZIP64 directory record points outside the file');
  const record = await readAt(file, recordOffset, ZIP64_END_SIZE);
  if (record.length < ZIP64_END_SIZE || record.readUInt32LE(0) !== ZIP64_END_SIGNATURE)
    return E.left('its ZIP64 directory record is damaged');
  return E.right({
    count: Number(record.readBigUInt64LE(32)),
    directorySize: Number(record.readBigUInt64LE(40)),
    directoryOffset: Number(record.readBigUInt64LE(48)),
  });
}

function parseEntries(directory: Buffer, count: number): E.Either<string, ZipDirectory> {
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE)
      return E.left('its zip directory is damaged');
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const next = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (next > directory.length) return E.left('its zip directory is damaged');
    const name = directory.toString('utf8', at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
    const extra = directory.subarray(at + CENTRAL_SIZE + nameLength, at + CENTRAL_SIZE + nameLength + extraLength);
    const sizes = zip64Sizes(directory.readUInt32LE(at + 24), directory.readUInt32LE(at + 20), directory.readUInt32LE(at + 42), extra);
    if (sizes === undefined) return E.left(`its zip directory is damaged (the sizes of ${name})`);
    entries.push({ name, ...sizes, method: directory.readUInt16LE(at + 10) });
    at = next;
  }
  return E.right({ entries });
}

interface EntrySizes {
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

/** Sizes and offset saturated at 0xFFFFFFFF are in the ZIP64 extra field, in that order (uncompressed first). */
function zip64Sizes(uncompressed: number, compressed: number, offset: number, extra: Buffer): EntrySizes | undefined {
  if (uncompressed !== SATURATED_32 && compressed !== SATURATED_32 && offset !== SATURATED_32) {
    return { uncompressedSize: uncompressed, compressedSize: compressed, localHeaderOffset: offset };
  }
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA_ID) {
      let field = at + 4;
      const end = field + length;
      const take = (value: number): number | undefined => {
        if (value !== SATURATED_32) return value;
        if (field + 8 > end || field + 8 > extra.length) return undefined;
        const wide = Number(extra.readBigUInt64LE(field));
        field += 8;
        return wide;
      };
      const uncompressedSize = take(uncompressed);
      const compressedSize = take(compressed);
      const localHeaderOffset = take(offset);
      if (uncompressedSize === undefined || compressedSize === undefined || localHeaderOffset === undefined) return undefined;
      return { uncompressedSize, compressedSize, localHeaderOffset };
    }
    at += 4 + length;
  }
  return undefined;
}
