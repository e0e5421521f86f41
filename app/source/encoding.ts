import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';
import { SupportedEncodingCodec } from '../shared/encodings.ts';
import type { CodePageDoubtReason, EncodingDoubt, EncodingFallback, SupportedEncoding } from './types.ts';

/**
 * What can be read. Only UTF-8, UTF-16 and Windows-1252 are ever detected; the other legacy
 * single-byte code pages (Latin-1, Greek, Cyrillic) are read when the person names them, which
 * the notice of `codePageDoubt` asks for when Windows-1252 text looks like one of them.
 */
export const SUPPORTED_ENCODINGS = Object.keys(SupportedEncodingCodec.keys) as readonly SupportedEncoding[];

export function isSupportedEncoding(value: unknown): value is SupportedEncoding {
  return SupportedEncodingCodec.is(value);
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
 * every other byte is NUL (plain-ASCII text saved as UTF-16); else the first character past
 * ASCII: UTF-8 if it is one (or there is none), else Windows-1252, which is what Excel's "CSV"
 * writes on Western Windows machines and which decodes any byte. The same rule decides past the
 * sample (Utf8Reading): a byte that is not UTF-8 after UTF-8 characters is an error, never
 * mojibake. `wholeFile` says whether `sample` is the entire file: if not, a multi-byte character
 * cut at its end is not held against UTF-8.
 */
export function detectEncoding(sample: Uint8Array, wholeFile: boolean): SupportedEncoding {
  const fromBom = encodingFromBom(sample);
  if (fromBom !== undefined) return fromBom;
  const utf16 = utf16WithoutBom(sample);
  if (utf16 !== undefined) return utf16;
  let first = 0;
  while (first < sample.length && sample[first] < ASCII_END) first++;
  return first === sample.length || utf8SequenceAt(sample, first, wholeFile) !== 'invalid' ? 'utf-8' : 'windows-1252';
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
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
  return SINGLE_BYTE.has(encoding) ? withUnassignedBytes(text, bytes) : text;
}

/** The code pages where one byte is one character (one UTF-16 unit). */
const SINGLE_BYTE: ReadonlySet<SupportedEncoding> = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-7', 'windows-1251']);

/**
 * iconv-lite turns the bytes a single-byte code page assigns no character to (Windows-1252's
 * 0x81, 0x8D, 0x8F, 0x90, 0x9D; ISO-8859-7's 0xAE, 0xD2, 0xFF; windows-1251's 0x98) into U+FFFD;
 * browsers and Excel read Windows-1252's as the C1 control of the same number, and so do we for
 * every such byte: the byte's value stays visible, never a U+FFFD. One byte is one UTF-16 unit
 * in these encodings, so the replaced positions are those bytes.
 */
function withUnassignedBytes(text: string, bytes: Uint8Array): string {
  if (text.indexOf('\uFFFD') === -1) return text;
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) {
    out += text.slice(from, i) + String.fromCharCode(bytes[i]);
    from = i + 1;
  }
  return out + text.slice(from);
}

/** A byte that is not part of any UTF-8 character, at `offset` from the start of the file. */
export class NotUtf8Error extends Error {
  readonly offset: number;
  readonly byte: number;
  /** UTF-8 characters came before it: the file mixes two encodings. */
  readonly afterUtf8: boolean;

  constructor(offset: number, byte: number, afterUtf8: boolean) {
    super(`byte 0x${hexByte(byte)} at offset ${offset} is not UTF-8`);
    this.name = 'NotUtf8Error';
    this.offset = offset;
    this.byte = byte;
    this.afterUtf8 = afterUtf8;
  }
}

export interface CodePageDoubt {
  /** Offset in the bytes looked at. */
  readonly offset: number;
  readonly why: CodePageDoubtReason;
}

/** Bytes from 0xC0 up in a row that make a word no Western language writes (see codePageDoubt). */
const LETTER_RUN = 3;
const MULTIPLY_SIGN = 0xd7;
const DIVIDE_SIGN = 0xf7;

/**
 * Whether bytes read as Windows-1252 look like another single-byte code page, and where first.
 * Kept simple on purpose: (1) a byte Windows-1252 assigns nothing to (0x81, 0x8D, 0x8F, 0x90,
 * 0x9D; Cyrillic windows-1251 uses them all), or (2) three bytes from 0xC0 up in a row. Western
 * text puts its accented letters between plain ASCII ones ("José", "Müller"); Greek and Cyrillic
 * code pages put every letter of a word there, which Windows-1252 shows as "Ëåùíéäáò".
 */
export function codePageDoubt(bytes: Uint8Array): CodePageDoubt | undefined {
  let run = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte < ASCII_END) {
      run = 0;
      continue;
    }
    if (UNASSIGNED_WINDOWS_1252.has(byte)) return { offset: i, why: 'unassigned_byte' };
    run = byte >= 0xc0 && byte !== MULTIPLY_SIGN && byte !== DIVIDE_SIGN ? run + 1 : 0;
    if (run === LETTER_RUN) return { offset: i - LETTER_RUN + 1, why: 'letter_run' };
  }
  return undefined;
}

const UNASSIGNED_WINDOWS_1252: ReadonlySet<number> = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const CHOOSE_ENCODING =
  "choose the encoding it was saved in (--encoding on the command line, Encoding on the Map screen; Excel's CSV on Windows is windows-1252)";

/** Why a file cannot be read as UTF-8 (after its name). */
export function notUtf8Problem(line: number, error: NotUtf8Error): string {
  return (
    `cannot be read as UTF-8: line ${line.toLocaleString('en-US')} holds the byte 0x${hexByte(error.byte)}, which is not part of any UTF-8 character` +
    (error.afterUtf8 ? ', while the lines before it hold UTF-8 characters (the file mixes two encodings)' : '') +
    `. Save it again as UTF-8, or ${CHOOSE_ENCODING}.`
  );
}

/** What the summary says about a file read as Windows-1252 after all. */
export function encodingFallbackNotice(fallback: EncodingFallback): string {
  return (
    `read as Windows-1252, not UTF-8: line ${fallback.line.toLocaleString('en-US')} holds the byte 0x${hexByte(fallback.byte)}, which is not UTF-8, ` +
    `and the lines before it are plain ASCII (Excel saves CSV so on Windows). ` +
    (fallback.otherCodePage === true ? `${ANOTHER_CODE_PAGE} ` : '') +
    `If letters look wrong, ${CHOOSE_ENCODING}.`
  );
}

const ANOTHER_CODE_PAGE = 'Its text looks like another code page (Greek or Cyrillic letters read as Western ones).';
const CHOOSE_CODE_PAGE =
  'choose the encoding it was saved in: --encoding iso-8859-7 (Greek), windows-1251 (Cyrillic) or iso-8859-1 on the command line, Encoding on the Map screen';

/** What the summary says about a file detected as Windows-1252 whose text looks like another code page. */
export function encodingDoubtNotice(fileName: string, doubt: EncodingDoubt): string {
  const why =
    doubt.why === 'unassigned_byte'
      ? 'holds a byte Windows-1252 assigns no letter to'
      : 'holds words made only of accented letters (as Greek or Cyrillic text read as Windows-1252 shows)';
  return `"${fileName}" was read as Windows-1252, but line ${doubt.line.toLocaleString('en-US')} ${why}: it looks like another code page. If its letters look wrong, ${CHOOSE_CODE_PAGE}.`;
}

export function hexByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * How UTF-8 text is decoded. `guess`: UTF-8 was guessed from a sample of ASCII or UTF-8 text,
 * so if the first bytes past ASCII are not UTF-8, the file is Windows-1252 (Excel's "CSV" on
 * Windows) and is read so from there: the ASCII before reads the same either way, so that is
 * what reading the whole file as Windows-1252 gives. Once a UTF-8 character was read, or when
 * UTF-8 was given, a byte that is not UTF-8 is an error (`NotUtf8Error`): the file mixes
 * encodings and no single reading is right.
 */
export type Utf8Reading = 'guess' | 'strict';

/** What decoding has met so far: only ASCII, UTF-8 characters, or bytes read as Windows-1252. */
export type DecodedSoFar = 'ascii' | 'utf-8' | 'windows-1252';

export interface Utf8Options {
  readonly reading: Utf8Reading;
  /** A part of a file: what the text before it held (a guess turns strict after UTF-8). */
  readonly before?: 'ascii' | 'utf-8';
  readonly watch?: DecodeWatch;
}

export interface DecodeWatch {
  /**
   * The text left ASCII: as UTF-8, or (`offset` of the first byte that is not UTF-8) as
   * Windows-1252; `otherCodePage`: the rest of that chunk looks like another code page.
   */
  leftAscii(as: 'utf-8' | 'windows-1252', offset: number, byte: number, otherCodePage?: boolean): void;
}

/** Sees the file's bytes as they are read: `bytes` starts at file offset `at`. */
export type BytesWatch = (bytes: Uint8Array, at: number) => void;

/**
 * The file's text in chunks, decoded while streaming: the bytes of a character split between
 * two chunks wait for the rest (raw `Buffer#toString` per chunk would turn "é" into "�" at chunk
 * boundaries). A leading byte-order mark is dropped. UTF-8 is decoded strictly (see
 * Utf8Reading): never a U+FFFD for bytes of the file. Ending the iteration early closes the file.
 */
export async function* decodeFile(
  path: string,
  encoding: SupportedEncoding,
  chunkBytes: number,
  range?: { readonly start: number; readonly end: number },
  utf8: Utf8Options = { reading: 'strict' },
  onBytes?: BytesWatch,
): AsyncGenerator<string> {
  const start = range?.start ?? 0;
  const stream = createReadStream(path, { highWaterMark: chunkBytes, ...(range ? { start: range.start, end: range.end - 1 } : {}) });
  let at = start;
  /** Each chunk as read, before decoding: for byte-level watchers (line offsets, a run's hash of the file). */
  const watched = (chunk: Buffer): Buffer => {
    onBytes?.(chunk, at);
    at += chunk.length;
    return chunk;
  };
  if (encoding === 'utf-8') {
    const decoder = new Utf8Decoder(utf8, start);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decoder.write(watched(chunk));
      if (text.length > 0) yield text;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
    return;
  }
  // A range starts after a line break, never inside a character; a byte-order mark there is
  // text (what the whole file's reader would make of it), not a mark to drop.
  const decoder = iconv.getDecoder(encoding, start > 0 ? { stripBOM: false } : undefined);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let text = decoder.write(watched(chunk));
    if (SINGLE_BYTE.has(encoding)) text = withUnassignedBytes(text, chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest !== undefined && rest.length > 0) yield rest;
}

const ASCII_END = 0x80;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Streaming UTF-8 with the Windows-1252 fallback of a guess (see Utf8Reading). */
class Utf8Decoder {
  private state: DecodedSoFar = 'ascii';
  /** Bytes of a character cut by the end of the last chunk. */
  private carry: Buffer | undefined;
  /** File offset of the next byte written (of `carry` when there is one). */
  private offset: number;
  private bomChecked: boolean;
  private readonly windows1252 = iconv.getDecoder('windows-1252', { stripBOM: false });

  private readonly reading: Utf8Reading;
  private readonly watch: DecodeWatch | undefined;

  constructor(options: Utf8Options, start: number) {
    this.reading = options.reading;
    this.watch = options.watch;
    this.offset = start;
    this.bomChecked = start > 0;
    if (options.reading === 'strict' || options.before === 'utf-8') this.state = 'utf-8';
  }

  write(chunk: Buffer): string {
    let bytes = this.carry === undefined ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = undefined;
    if (!this.bomChecked) {
      // A byte-order mark may be cut by the end of the first chunk: wait for its third byte.
      if (bytes.length < UTF8_BOM.length && bytes.every((b, i) => b === UTF8_BOM[i])) {
        this.carry = bytes;
        return '';
      }
      this.bomChecked = true;
      if (UTF8_BOM.every((b, i) => bytes[i] === b)) {
        bytes = bytes.subarray(UTF8_BOM.length);
        this.offset += UTF8_BOM.length;
      }
    }
    return this.decode(bytes, false);
  }

  end(): string {
    const rest = this.carry;
    this.carry = undefined;
    this.bomChecked = true;
    return rest === undefined ? '' : this.decode(rest, true);
  }

  private decode(bytes: Buffer, final: boolean): string {
    const at = this.offset;
    if (this.state === 'windows-1252') {
      this.offset += bytes.length;
      return withUnassignedBytes(this.windows1252.write(bytes), bytes);
    }
    if (this.state === 'ascii') {
      // The usual case, checked by SIMD: no character can be cut or wrong.
      if (isAscii(bytes)) {
        this.offset += bytes.length;
        return bytes.toString('latin1');
      }
      let first = 0;
      while (bytes[first] < ASCII_END) first++;
      const sequence = utf8SequenceAt(bytes, first, final);
      if (sequence === 'cut') {
        this.carry = bytes.subarray(first);
        this.offset += first;
        return bytes.toString('latin1', 0, first);
      }
      if (sequence === 'invalid' && this.reading === 'guess') {
        this.state = 'windows-1252';
        this.watch?.leftAscii('windows-1252', at + first, bytes[first], codePageDoubt(bytes.subarray(first)) !== undefined);
        return this.decode(bytes, final);
      }
      this.state = 'utf-8';
      this.watch?.leftAscii('utf-8', at + first, bytes[first]);
    }
    // Strict UTF-8: whole characters only; a cut one waits for the next chunk.
    const whole = final ? bytes.length : bytes.length - cutCharacterBytes(bytes);
    if (!isUtf8(bytes.subarray(0, whole)) || (final && whole < bytes.length)) {
      const bad = firstInvalidUtf8(bytes, final);
      throw new NotUtf8Error(at + bad, bytes[bad], this.reading === 'guess');
    }
    if (whole < bytes.length) this.carry = bytes.subarray(whole);
    this.offset += whole;
    return bytes.toString('utf8', 0, whole);
  }
}

/** Whether the bytes at `i` start a valid UTF-8 character, or may once the next chunk comes. */
function utf8SequenceAt(bytes: Uint8Array, i: number, final: boolean): 'valid' | 'invalid' | 'cut' {
  const length = sequenceLength(bytes[i]);
  if (length === 0) return 'invalid';
  for (let k = 1; k < length; k++) {
    if (i + k >= bytes.length) return final ? 'invalid' : 'cut';
    if (!continuationAllowed(bytes[i], k, bytes[i + k])) return 'invalid';
  }
  return 'valid';
}

/** Bytes at the end that begin a character not complete yet (0–3). */
function cutCharacterBytes(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if (byte < ASCII_END) return 0;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? back : 0;
  }
  return 0;
}

/** The index of the first byte that is not part of a valid UTF-8 character (a cut one at the end when `final`). */
function firstInvalidUtf8(bytes: Uint8Array, final: boolean): number {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < ASCII_END) {
      i++;
      continue;
    }
    const sequence = utf8SequenceAt(bytes, i, final);
    if (sequence !== 'valid') return i;
    i += sequenceLength(bytes[i]);
  }
  return bytes.length - 1;
}

/** 2–4 for a lead byte, 0 for a byte that cannot start a character. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** RFC 3629's table: the second byte's range depends on the lead (no overlongs, surrogates or values past U+10FFFF). */
function continuationAllowed(lead: number, k: number, byte: number): boolean {
  if (k === 1) {
    if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf;
    if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f;
    if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf;
    if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f;
  }
  return byte >= 0x80 && byte <= 0xbf;
}
