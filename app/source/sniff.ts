import { open } from 'node:fs/promises';
import * as E from 'fp-ts/Either';
import { unreadable } from './file-errors.ts';
import type { FileError } from './types.ts';

export interface FileSample {
  /** The first bytes of the file (all of it when it is small). */
  readonly bytes: Buffer;
  /** The file's size in bytes. */
  readonly size: number;
}

/** `bytes` is the whole file. */
export function isWholeFile(sample: FileSample): boolean {
  return sample.bytes.length >= sample.size;
}

/** Reads the first `maxBytes` of a file; a missing or unreadable file is an `unreadable` FileError. */
export async function readSample(path: string, maxBytes: number): Promise<E.Either<FileError, FileSample>> {
  let handle;
  try {
    handle = await open(path, 'r');
    const stats = await handle.stat();
    if (stats.isDirectory()) return E.left(unreadable(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' })));
    const size = stats.size;
    const buffer = Buffer.alloc(Math.min(maxBytes, size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return E.right({ bytes: buffer.subarray(0, filled), size });
  } catch (error) {
    return E.left(unreadable(path, error));
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export type Container = 'zip' | 'ole' | 'text';

/**
 * What kind of file the bytes start: a zip (an .xlsx, or any other zip), an OLE compound file
 * (a legacy .xls or a password-protected workbook), or anything else, read as delimited text.
 */
export function containerOf(bytes: Uint8Array): Container {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'zip';
  const ole = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  if (bytes.length >= ole.length && ole.every((b, i) => bytes[i] === b)) return 'ole';
  return 'text';
}

/**
 * Decoded text that no spreadsheet would export: NUL characters, or more than 1% of other
 * control characters (tab, line feed and carriage return aside). Binary files have plenty of both.
 */
export function looksBinary(text: string): boolean {
  if (text.indexOf('\u0000') !== -1) return true;
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 && c !== 9 && c !== 10 && c !== 13) controls++;
  }
  return controls > 8 && controls > text.length / 100;
}
