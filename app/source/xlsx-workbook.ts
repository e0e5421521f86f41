import { createReadStream, ReadStream } from 'node:fs';
import { once } from 'node:events';
import { extname } from 'node:path';
import { rm } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { Duplex, Readable, Transform, type TransformCallback } from 'node:stream';
import ExcelJS from 'exceljs';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { fileError, unreadable } from './file-errors.ts';
import type { FileError } from './types.ts';
import { checkWorkbookZip, InflateBudget, SharedStringsBudget, WorkbookLimitError, type WorkbookLimits } from './workbook-limits.ts';
import { BarePrefixes, CellAddresses, correctedCells, correctedSharedStrings, correctedWorkbook } from './xlsx-xml.ts';
import { readPackage, sheetRowCount, type WorkbookPackage } from './xlsx-package.ts';
import type { ZipDirectory } from './zip-directory.ts';

// exceljs's streaming WorkbookReader keeps big workbooks out of memory, but (in 4.4.0, which
// package.json pins) it has six faults that matter for lead files. We correct them from the
// outside: a subclass overriding its internal `_parseSharedStrings` and `_parseWorksheet` and
// its `workbookRels` field, and a hook on the file stream it pipes into its unzipper. The
// tests in test/unit/source/xlsx-*.test.ts (faults 1–5) and the damaged-workbook property in
// test/reliability/files/xlsx-workbooks.test.ts (fault 6) fail if a correction stops working
// (e.g. after an exceljs upgrade).
// 1. It decodes each zip chunk on its own, so a multi-byte character split between two chunks
//    becomes "\uFFFD" (exceljs issues #2084, #2063, #2316): we decode the XML with a streaming
//    decoder (the fix proposed in #2084: `entry.setEncoding('utf-8')`).
// 2. It reads a formula's cached value with parseFloat whatever its type, so a date result
//    comes out as a serial number, TRUE as 1 and #N/A as NaN. We want only the cached value,
//    so we drop the <f> elements from the sheet XML: exceljs then reads each formula cell as
//    the plain value it holds (date, boolean, error, text or number).
// 3. A sheet that comes in the zip after the shared strings but before workbook.xml (exceljs's
//    own writer can order a zip so) makes it throw reading the sheet list it has not read yet.
//    It parks a sheet in a temp file until the shared strings and the workbook's relationships
//    are known: we hide the relationships until workbook.xml is read too, so such sheets wait.
// 4. It names sheets by matching relationship targets literally, which misses absolute
//    targets ("/xl/worksheets/sheet1.xml"): we resolve names ourselves.
// 5. Its unzipper (0.10) emits 'end' by hand as soon as the zip's last byte is parsed, even
//    while entries it parsed ahead are still queued for the reader; exceljs then stops, and
//    the entries after a parked sheet (shared strings, styles) are silently lost. Small zips
//    read while a sheet is parked hit it. We hold that early 'end' until the queue is read.
// 6. When an entry's compressed data is damaged, the unzipper emits the inflate error on the
//    zip stream, but the entry itself never ends; exceljs waits on the entry (a parked sheet's
//    temp file, the shared strings) forever. We race every wait on the zip's errors too, and
//    never wait for exceljs's generators to finish once the zip has failed.
// Besides, it trusts the zip: we check its directory first and count what it inflates and the
// shared strings it keeps (workbook-limits.ts), so a zip bomb is refused, not read.

const SheetEntriesCodec = t.array(
  t.intersection([t.type({ name: t.string, rId: t.string }), t.partial({ state: t.union([t.string, t.undefined, t.null]) })]),
);
const RelationshipsCodec = t.array(
  t.intersection([t.type({ Id: t.string, Target: t.string }), t.partial({ Type: t.union([t.string, t.undefined]) })]),
);

export interface SheetEntry {
  readonly name: string;
  readonly hidden: boolean;
  /** A chart sheet (or a dialog or macro sheet) holds no table. */
  readonly kind: 'worksheet' | 'chart' | 'other';
}

interface ReaderInternals {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<unknown>;
}

const baseReader = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

class CachedValueWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  /** Temp-file streams exceljs opened for sheets it had to park until the shared strings were read. */
  readonly parkedSheetFiles: ReadStream[] = [];
  private readonly sheetFileNumbers = new WeakMap<object, string>();
  private relationships: unknown;
  private strings: unknown;
  /** Set before exceljs reads the shared strings (the base constructor cannot take it). */
  sharedStringsBudget: SharedStringsBudget | undefined;
  /** The parts as the relationships name them (xlsx-package.ts), when they could be followed. */
  workbookPackage: WorkbookPackage | undefined;

  // exceljs assigns `this.sharedStrings = []` and pushes each string it reads: each is counted
  // before it is kept, so a workbook past the limits stops at the first string too many.
  get sharedStrings(): unknown {
    return this.strings;
  }

  set sharedStrings(value: unknown) {
    const budget = this.sharedStringsBudget;
    if (Array.isArray(value) && budget !== undefined) {
      const strings: unknown[] = value;
      Object.defineProperty(strings, 'push', {
        value: (...items: unknown[]): number => {
          for (const item of items) budget.add(item);
          return Array.prototype.push.apply(strings, items);
        },
      });
    }
    this.strings = value;
  }

  // exceljs assigns and reads `this.workbookRels`; see fault 3 above.
  get workbookRels(): unknown {
    return Reflect.get(this, 'model') === undefined ? undefined : this.relationships;
  }

  set workbookRels(value: unknown) {
    this.relationships = value;
  }

  async _parseWorkbook(entry: Readable): Promise<void> {
    await baseReader._parseWorkbook.call(this, Readable.from([correctedWorkbook(await wholeText(entry))]));
  }

  async _parseStyles(entry: Readable): Promise<void> {
    await baseReader._parseStyles.call(this, Readable.from([new BarePrefixes().apply(await wholeText(entry))]));
  }

  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown> {
    entry.setEncoding('utf8');
    return baseReader._parseSharedStrings.call(this, Readable.from(wholeSharedStrings(entry)));
  }

  *_parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Generator<unknown> {
    if (iterator instanceof ReadStream) {
      this.parkedSheetFiles.push(iterator);
      // exceljs deletes a parked sheet's temp file as soon as the next sheet is asked for, and
      // a sheet nobody reads (not the one chosen) may not have opened its file yet: the open
      // then fails with ENOENT on a stream no one listens to, which would crash the process.
      // Whoever reads the sheet still gets its errors (exceljs listens too).
      iterator.on('error', () => undefined);
    }
    for (const event of baseReader._parseWorksheet.call(this, cachedValuesOnly(iterator), sheetNo)) {
      if (isWorksheetEvent(event)) this.sheetFileNumbers.set(event.value, sheetNo);
      yield event;
    }
  }

  /** Every sheet in tab order, once workbook.xml has been read. */
  sheetEntries(): SheetEntry[] | undefined {
    const rels = RelationshipsCodec.decode(this.relationships);
    const typeOf = (rId: string): string => (E.isRight(rels) ? (rels.right.find((r) => r.Id === rId)?.Type ?? '') : '');
    return this.workbookSheets()?.map((s) => {
      const type = typeOf(s.rId);
      const kind = type === '' || type.endsWith('/worksheet') ? 'worksheet' : type.endsWith('/chartsheet') ? 'chart' : 'other';
      return { name: s.name, hidden: s.state === 'hidden' || s.state === 'veryHidden', kind };
    });
  }

  /** The tab name of a worksheet this reader yielded. */
  sheetName(worksheet: object): string | undefined {
    const sheetNo = this.sheetFileNumbers.get(worksheet);
    const rels = RelationshipsCodec.decode(this.relationships);
    const sheets = this.workbookSheets();
    if (sheetNo === undefined || E.isLeft(rels) || sheets === undefined) return undefined;
    const target = `xl/worksheets/sheet${sheetNo}.xml`;
    const parts = this.workbookPackage;
    if (parts !== undefined) {
      for (const [rId, part] of parts.sheetParts) {
        if (parts.canonicalNames.get(part) === target) return sheets.find((s) => s.rId === rId)?.name;
      }
    }
    // Targets are relative to the workbook (xl/) or absolute, and may name another folder (see partsUnderXl).
    const rel = rels.right.find((r) => canonicalPartPath(r.Target.replace(/^\//, '')).replace(/^(?!xl\/)/, 'xl/') === target);
    return rel === undefined ? undefined : sheets.find((s) => s.rId === rel.Id)?.name;
  }

  /** The sheet list exceljs read from workbook.xml, checked, since it is exceljs's internal model. */
  workbookSheets(): t.TypeOf<typeof SheetEntriesCodec> | undefined {
    const model: unknown = Reflect.get(this, 'model');
    const decoded = SheetEntriesCodec.decode(typeof model === 'object' && model !== null ? Reflect.get(model, 'sheets') : undefined);
    return E.isRight(decoded) ? decoded.right : undefined;
  }
}

function isWorksheetEvent(event: unknown): event is { eventType: 'worksheet'; value: object } {
  return (
    typeof event === 'object' &&
    event !== null &&
    Reflect.get(event, 'eventType') === 'worksheet' &&
    typeof Reflect.get(event, 'value') === 'object'
  );
}

/** A small part (workbook.xml, styles.xml) as text. */
async function wholeText(entry: AsyncIterable<unknown>): Promise<string> {
  let xml = '';
  const decoder = new StringDecoder('utf8');
  for await (const chunk of entry) xml += Buffer.isBuffer(chunk) ? decoder.write(chunk) : String(chunk);
  return xml + decoder.end();
}

/** Shared strings XML corrected (xlsx-xml.ts), passed on in pieces that end after a complete <si>. */
async function* wholeSharedStrings(entry: AsyncIterable<unknown>): AsyncGenerator<string> {
  let carry = '';
  const prefixes = new BarePrefixes();
  for await (const chunk of entry) {
    const text = prefixes.apply(carry + String(chunk));
    const end = text.lastIndexOf('</si>');
    const cut = end === -1 ? 0 : end + '</si>'.length;
    carry = text.slice(cut);
    if (cut > 0) yield correctedSharedStrings(text.slice(0, cut));
  }
  if (carry.length > 0) yield correctedSharedStrings(carry);
}

/**
 * The sheet XML as text decoded across chunk boundaries, without its <f> (formula) elements.
 * Formula text cannot contain '<' (XML escapes it), so an <f> element is `<f ...>text</f>` or
 * `<f .../>`; text is only passed on up to a point where no tag and no <f> element is cut.
 */
export async function* cachedValuesOnly(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const prefixes = new BarePrefixes();
  const addresses = new CellAddresses();
  let carry = '';
  for await (const chunk of chunks) {
    // Carried text is already bare; a prefix cut at the end waits in the carry for its tag's end.
    const text = prefixes.apply(
      carry + (typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? decoder.write(chunk) : String(chunk)),
    );
    const cut = safeCut(text);
    carry = text.slice(cut);
    if (cut > 0) yield correctedCells(withoutFormulas(addresses.apply(text.slice(0, cut))));
  }
  const rest = prefixes.apply(carry + decoder.end());
  if (rest.length > 0) yield correctedCells(withoutFormulas(addresses.apply(rest)));
}

const FORMULA_ELEMENT = /<f(?:\s[^>]*)?\/>|<f(?:\s[^>]*)?>[^<]*<\/f>/g;

export function withoutFormulas(xml: string): string {
  return xml.indexOf('<f') === -1 ? xml : xml.replace(FORMULA_ELEMENT, '');
}

/** The length of the prefix of `text` that ends neither inside a tag, nor inside a <c> (cell) or <f> element. */
function safeCut(text: string): number {
  let cut = text.length;
  const lastOpen = text.lastIndexOf('<');
  if (lastOpen !== -1 && text.indexOf('>', lastOpen) === -1) cut = lastOpen;
  const cell = lastElementStart(text, '<c', cut);
  if (cell !== -1) {
    const tagEnd = text.indexOf('>', cell);
    // An open cell waits for its end: its XML is corrected whole (xlsx-xml.ts).
    if (text.charCodeAt(tagEnd - 1) !== 47 && text.indexOf('</c>', tagEnd) === -1) cut = cell;
  }
  const formula = lastFormulaStart(text, cut);
  if (formula !== -1) {
    const tagEnd = text.indexOf('>', formula);
    const selfClosing = text.charCodeAt(tagEnd - 1) === 47; // '/'
    if (!selfClosing) {
      const close = text.indexOf('</f>', tagEnd);
      if (close === -1 || close + 4 > cut) cut = formula;
    }
  }
  return cut;
}

function lastFormulaStart(text: string, before: number): number {
  return lastElementStart(text, '<f', before);
}

/** Where the last element opened by `open` ("<f", "<c") starts before `before` (not "<fill", "<cols"). */
function lastElementStart(text: string, open: string, before: number): number {
  for (let at = text.lastIndexOf(open, before - 1); at !== -1; at = at === 0 ? -1 : text.lastIndexOf(open, at - 1)) {
    const next = text.charAt(at + open.length);
    if (next === '>' || next === '/' || next === ' ' || next === '\t' || next === '\n' || next === '\r') return at;
  }
  return -1;
}

/** One read of one sheet of a workbook, start to end; `close()` releases its files. */
export interface SheetPass {
  readonly sheets: readonly SheetEntry[];
  readonly sheet: string;
  /** Each sheet's row count, in the order of `sheets` (xlsx-package.ts: its <dimension>, else its rows counted); null for a chart or a part that cannot be found. */
  sheetRowCounts(): Promise<(number | null)[]>;
  nextRow(): Promise<ExcelJS.Row | undefined>;
  close(): Promise<void>;
}

/**
 * Opens the workbook and walks its zip until the requested sheet (or the first visible one)
 * starts. A zip that is no workbook, or one too damaged to read, is `not_a_table`.
 */
export async function openSheetPass(
  path: string,
  requested: string | undefined,
  limits: WorkbookLimits,
  passOver: ReadonlySet<string> = new Set(),
): Promise<E.Either<FileError, SheetPass>> {
  const checked = await checkWorkbookZip(path, limits);
  if (E.isLeft(checked)) return checked;
  const inflateBudget = new InflateBudget(path, checked.right);
  let workbookPackage: WorkbookPackage | undefined;
  try {
    workbookPackage = await readPackage(path, checked.right);
  } catch {
    // Relationships that cannot be read: the parts' usual names are all there is to go by,
    // and streaming the workbook says what is wrong with it.
    workbookPackage = undefined;
  }
  const input = createReadStream(path);
  // pipe() does not pass errors on, and a damaged entry fails the unzipper without ending the
  // entry exceljs waits on (fault 6), so `inputFailed` races every wait on exceljs: without
  // it, a file that fails mid-read, or a damaged zip, would leave the reader waiting forever.
  let broken = false;
  let failWith: (error: unknown) => void = () => undefined;
  const inputFailed = new Promise<never>((_resolve, reject) => {
    failWith = (error) => {
      broken = true;
      reject(error);
    };
  });
  inputFailed.catch(() => undefined);
  input.once('error', failWith);
  let zip: Duplex | undefined;
  // exceljs pipes this stream into its unzipper: that is where we get hold of the unzipper
  // (faults 5 and 6).
  const pipe = input.pipe.bind(input);
  Object.defineProperty(input, 'pipe', {
    value: (destination: NodeJS.WritableStream, options?: { end?: boolean }) => {
      if (destination instanceof Duplex) {
        zip = destination;
        partsUnderXl(destination, workbookPackage);
        holdEarlyEnd(destination);
        guardEntries(destination, inflateBudget, failWith);
        destination.on('error', failWith);
      }
      return pipe(destination, options);
    },
  });
  const reader = new CachedValueWorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  reader.sharedStringsBudget = new SharedStringsBudget(path, limits);
  reader.workbookPackage = workbookPackage;
  const worksheets = reader[Symbol.asyncIterator]();
  let rowIterator: AsyncIterator<ExcelJS.Row> | undefined;
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (broken) {
      // exceljs's generators are stuck on a stream that will never move: asking them to
      // return would wait forever. Drop them with the streams.
      input.destroy();
      zip?.destroy();
      await Promise.all(reader.parkedSheetFiles.map(closeStream));
      await Promise.all(reader.parkedSheetFiles.map((s) => settle(rm(String(s.path), { force: true }))));
      return;
    }
    await settle(rowIterator?.return?.());
    if (reader.parkedSheetFiles.length > 0) {
      // The zip is fully read and exceljs is replaying parked sheets from temp files: walk it to
      // the end (each step only opens a file) so that it deletes every temp file it made.
      for (;;) {
        await Promise.all(reader.parkedSheetFiles.map(closeStream));
        const next = await settle(Promise.race([worksheets.next(), inputFailed]));
        if (next === undefined || next.done === true) break;
      }
    } else {
      await settle(worksheets.return(undefined));
    }
    input.destroy();
    await Promise.all(reader.parkedSheetFiles.map(closeStream));
    await Promise.all(reader.parkedSheetFiles.map((s) => settle(rm(String(s.path), { force: true }))));
  };

  const fail = async (error: FileError): Promise<E.Either<FileError, SheetPass>> => {
    await close();
    return E.left(error);
  };

  try {
    for (;;) {
      const next = await Promise.race([worksheets.next(), inputFailed]);
      if (next.done === true) {
        const sheets = reader.sheetEntries();
        if (sheets === undefined) return await fail(notAWorkbook(path));
        const chosen = chooseSheet(path, sheets, requested, passOver);
        if (E.isLeft(chosen)) return await fail(chosen.left);
        return await fail(fileError('not_a_table', path, `is damaged: the data of sheet "${chosen.right}" is missing.`));
      }
      const sheets = reader.sheetEntries();
      if (sheets === undefined) return await fail(notAWorkbook(path));
      const chosen = chooseSheet(path, sheets, requested, passOver);
      if (E.isLeft(chosen)) return await fail(chosen.left);
      if (reader.sheetName(next.value) !== chosen.right) continue;
      const rows = next.value[Symbol.asyncIterator]();
      rowIterator = rows;
      const listed = reader.workbookSheets() ?? [];
      return E.right({
        sheets,
        sheet: chosen.right,
        sheetRowCounts: () => rowCounts(path, checked.right, workbookPackage, sheets, listed),
        nextRow: async () => {
          const step = await Promise.race([rows.next(), inputFailed]);
          return step.done === true ? undefined : step.value;
        },
        close,
      });
    }
  } catch (error) {
    return await fail(damaged(path, error));
  }
}

/** A failure of the file itself (gone, locked) rather than of its content. */
function isFileSystemError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'syscall' in error;
}

/** Each worksheet's row count (see SheetPass), read from the zip directory's offsets, one sheet at a time. */
async function rowCounts(
  path: string,
  directory: ZipDirectory,
  parts: WorkbookPackage | undefined,
  sheets: readonly SheetEntry[],
  listed: readonly { name: string; rId: string }[],
): Promise<(number | null)[]> {
  const counts: (number | null)[] = [];
  for (const sheet of sheets) {
    const rId = listed.find((s) => s.name === sheet.name)?.rId;
    const part = rId === undefined ? undefined : parts?.sheetParts.get(rId);
    const entry = part === undefined ? undefined : directory.entries.find((e) => e.name === part);
    counts.push(sheet.kind !== 'worksheet' || entry === undefined ? null : ((await sheetRowCount(path, entry)) ?? null));
  }
  return counts;
}

/**
 * exceljs finds a workbook's parts by their usual names under `xl/`; a valid package may keep them
 * in another folder (or none) under other names (calamine's minimal_package.xlsx: `sheet1.xml` at
 * the root): their entries are renamed as they come out of the unzipper, as the relationships say
 * (xlsx-package.ts), else by their usual names in another folder.
 */
function partsUnderXl(zip: Duplex, parts: WorkbookPackage | undefined): void {
  const emit = zip.emit.bind(zip);
  zip.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    const entry = args[0];
    if (event === 'data' && typeof entry === 'object' && entry !== null && 'path' in entry && typeof entry.path === 'string') {
      Reflect.set(entry, 'path', parts?.canonicalNames.get(entry.path) ?? canonicalPartPath(entry.path));
    }
    return emit(event, ...args);
  };
}

const PART_OUTSIDE_XL =
  /^(?:[^/]+\/)?(workbook\.xml|_rels\/workbook\.xml\.rels|sharedStrings\.xml|styles\.xml|worksheets\/sheet\d+\.xml|worksheets\/_rels\/sheet\d+\.xml\.rels)$/;

/** A part's name as exceljs looks for it: `book/worksheets/sheet1.xml` is `xl/worksheets/sheet1.xml`. */
export function canonicalPartPath(path: string): string {
  if (path.startsWith('xl/')) return path;
  const match = PART_OUTSIDE_XL.exec(path);
  return match === null ? path : `xl/${match[1]}`;
}

/**
 * Drops an 'end' emitted while entries are still queued (see fault 5); the stream's own 'end'
 * follows once the queue is read. Should that never come, the last read re-emits it.
 */
function holdEarlyEnd(zip: Duplex): void {
  const emit = zip.emit.bind(zip);
  let holding = false;
  const releaseWhenRead = (): void => {
    if (zip.readableLength > 0) return;
    setImmediate(() => {
      if (!zip.readableEnded) emit('end');
    });
  };
  zip.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'end' && !zip.readableEnded && zip.readableLength > 0) {
      if (!holding) {
        holding = true;
        zip.on('data', releaseWhenRead);
      }
      return false;
    }
    return emit(event, ...args);
  };
}

/**
 * Counts every byte the unzipper inflates against the part's declared size (InflateBudget). The
 * unzipper pushes each entry, a PassThrough, before it pipes the inflated data into it: the
 * count sits in that PassThrough, and the first byte too many fails the entry and the zip.
 */
function guardEntries(zip: Duplex, budget: InflateBudget, failWith: (error: unknown) => void): void {
  const push = zip.push.bind(zip);
  zip.push = (entry: unknown, encoding?: BufferEncoding): boolean => {
    if (entry instanceof Transform && typeof Reflect.get(entry, 'path') === 'string') {
      const part = String(Reflect.get(entry, 'path'));
      // The failure reaches the reader through failWith; exceljs may not listen to this entry yet.
      entry.on('error', () => undefined);
      entry._transform = (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void => {
        const over = budget.take(part, chunk.length);
        if (over === undefined) return callback(null, chunk);
        failWith(over);
        callback(over);
      };
    }
    return push(entry, encoding);
  };
}

/**
 * The requested sheet (exact name, else ignoring case and spaces), or the first visible worksheet
 * not in `passOver` (sheets found empty), else the first worksheet. A chart sheet holds no table.
 */
export function chooseSheet(
  path: string,
  sheets: readonly SheetEntry[],
  requested: string | undefined,
  passOver: ReadonlySet<string> = new Set(),
): E.Either<FileError, string> {
  if (sheets.length === 0) return E.left(notAWorkbook(path));
  const worksheets = sheets.filter((s) => s.kind === 'worksheet');
  const listed = (list: readonly SheetEntry[]): string => list.map((s) => `"${s.name}"`).join(', ');
  if (requested === undefined) {
    // Hidden sheets are read only when no worksheet is visible: passing over an empty visible
    // sheet never lands on a hidden one (an old copy, a lookup table).
    const visible = worksheets.filter((s) => !s.hidden);
    const first = (visible.length > 0 ? visible : worksheets).find((s) => !passOver.has(s.name));
    if (first !== undefined) return E.right(first.name);
    if (worksheets.length === 0) return E.left(fileError('not_a_table', path, `has no worksheet, only charts: ${listed(sheets)}.`));
    const hidden = visible.length > 0 ? worksheets.filter((s) => s.hidden) : [];
    const askFor =
      hidden.length > 0
        ? ` Hidden sheets (${listed(hidden)}) are read only when asked for: --sheet NAME, or the sheet picker of the Map screen.`
        : '';
    const looked = visible.length > 0 ? visible : worksheets;
    return E.left(
      fileError(
        'empty',
        path,
        `is empty: no ${hidden.length > 0 ? 'visible ' : ''}sheet has a header row or data (${listed(looked)}).${askFor}`,
      ),
    );
  }
  const key = requested.trim().toLowerCase();
  const found = sheets.find((s) => s.name === requested) ?? sheets.find((s) => s.name.trim().toLowerCase() === key);
  if (found === undefined)
    return E.left(fileError('sheet_not_found', path, `has no sheet named "${requested}". Its sheets are: ${listed(sheets)}.`));
  if (found.kind !== 'worksheet') {
    const what = found.kind === 'chart' ? 'a chart' : 'not a worksheet';
    return E.left(
      fileError(
        'not_a_table',
        path,
        `cannot be read from sheet "${found.name}": "${found.name}" is ${what}, not a table of rows. Its worksheets are: ${listed(worksheets)}.`,
      ),
    );
  }
  return E.right(found.name);
}

function notAWorkbook(path: string): FileError {
  if (extname(path).toLowerCase() === '.xlsb') {
    return fileError(
      'not_a_table',
      path,
      'is a binary Excel workbook (.xlsb), which cannot be read: open it in Excel and save it as .xlsx or CSV.',
    );
  }
  return fileError(
    'not_a_table',
    path,
    'is a zip archive but not an Excel workbook (.xlsx). Open it in Excel and save it as .xlsx or CSV.',
  );
}

export function damaged(path: string, cause: unknown): FileError {
  if (cause instanceof WorkbookLimitError) return cause.fileError;
  if (isFileSystemError(cause)) return unreadable(path, cause);
  const detail = cause instanceof Error ? ` (${cause.message})` : '';
  return fileError('not_a_table', path, `could not be read as an Excel workbook: the file looks damaged${detail}.`);
}

async function settle<T>(promise: Promise<T> | undefined): Promise<T | undefined> {
  try {
    return await promise;
  } catch {
    return undefined;
  }
}

async function closeStream(stream: ReadStream): Promise<void> {
  if (stream.closed) return;
  const closing = once(stream, 'close');
  stream.destroy();
  await settle(closing);
}
