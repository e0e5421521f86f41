import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import type { SupportedEncoding } from './types.ts';

export const SUPPORTED_ENCODINGS: readonly SupportedEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

export function isSupportedEncoding(value: unknown): value is SupportedEncoding {
  return typeof value === 'string' && (SUPPORTED_ENCODINGS as readonly string[]).includes(value);
}

/** The encoding a byte-order mark announces, if the bytes start with one. */
export function encodingFromBom(bytes: Uint8Array): SupportedEncoding | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * The encoding of a text file from its first bytes: a BOM decides; else UTF-16 without BOM if
 * every other byte is NUL (plain-ASCII text saved as UTF-16); else UTF-8 if the bytes are valid
 * UTF-8; else Windows-1252, which is what Excel's "CSV" writes on Western Windows machines and
 * which decodes any byte. `wholeFile` says whether `sample` is the entire file: if not, a
 * multi-byte character cut at its end is not held against UTF-8.
 */
export function detectEncoding(sample: Uint8Array, wholeFile: boolean): SupportedEncoding {
  const fromBom = encodingFromBom(sample);
  if (fromBom !== undefined) return fromBom;
  const utf16 = utf16WithoutBom(sample);
  if (utf16 !== undefined) return utf16;
  return isValidUtf8(sample, wholeFile) ? 'utf-8' : 'windows-1252';
}

function isValidUtf8(bytes: Uint8Array, wholeFile: boolean): boolean {
  try {
    // `stream: true` keeps an incomplete trailing sequence pending instead of failing on it.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !wholeFile });
    return true;
  } catch {
    return false;
  }
}

function utf16WithoutBom(bytes: Uint8Array): SupportedEncoding | undefined {
  const pairs = Math.floor(bytes.length / 2);
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  // Mostly-ASCII text: the high byte of nearly every unit is NUL, the low byte never is.
  if (evenNul === 0 && oddNul >= pairs * 0.6) return 'utf-16le';
  if (oddNul === 0 && evenNul >= pairs * 0.6) return 'utf-16be';
  return undefined;
}

/** Decodes a whole small buffer (the detection sample); a byte-order mark is dropped. */
export function decodeSample(bytes: Uint8Array, encoding: SupportedEncoding): string {
  return iconv.decode(bytes, encoding);
}

/**
 * The file's text in chunks, decoded while streaming: iconv-lite's decoders keep the bytes of
 * a character split between two chunks until the rest arrives (raw `Buffer#toString` per chunk
 * would turn "é" into "�" at chunk boundaries). A leading byte-order mark is dropped.
 * Ending the iteration early closes the file.
 */
export async function* decodeFile(path: string, encoding: SupportedEncoding, chunkBytes: number, range?: { readonly start: number; readonly end: number }): AsyncGenerator<string> {
  // A range starts after a line break, never inside a character; a byte-order mark there is
  // text (what the whole file's reader would make of it), not a mark to drop.
  const decoder = iconv.getDecoder(encoding, range !== undefined && range.start > 0 ? { stripBOM: false } : undefined);
  const stream = createReadStream(path, { highWaterMark: chunkBytes, ...(range ? { start: range.start, end: range.end - 1 } : {}) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest !== undefined && rest.length > 0) yield rest;
}
