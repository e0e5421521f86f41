import * as E from 'fp-ts/Either';
import { openDelimitedText } from './csv-reader.ts';
import { delimiterName, isSupportedDelimiter, SUPPORTED_DELIMITERS } from './delimiter.ts';
import { isSupportedEncoding, SUPPORTED_ENCODINGS } from './encoding.ts';
import { fileError, SourceReadError, unreadable } from './file-errors.ts';
import { notATableFile } from './file-kinds.ts';
import { DEFAULT_TUNING, SAMPLE_BYTES, type ReadTuning } from './read-tuning.ts';
import { containerOf, readSample } from './sniff.ts';
import { openWorkbookInThread } from './xlsx-thread.ts';
import type { FileError, SourceFile, SourceOptions } from './types.ts';

/**
 * Opens a lead file for reading: tells its format from its content (a zip is an .xlsx
 * workbook, anything else is read as delimited text, whatever the file is called), reads the
 * header, and returns a SourceFile whose `rows()` streams the data rows in batches.
 * Never rejects: every problem with the file is a FileError naming it. Problems while rows
 * are streamed later make `rows()` throw a `SourceReadError` carrying a FileError.
 * `tuning` is for tests (small chunks and batches).
 */
export async function openSource(
  path: string,
  options: SourceOptions = {},
  tuning: ReadTuning = DEFAULT_TUNING,
): Promise<E.Either<FileError, SourceFile>> {
  const badOption = checkOptions(path, options);
  if (badOption !== undefined) return E.left(badOption);
  try {
    const sampled = await readSample(path, SAMPLE_BYTES);
    if (E.isLeft(sampled)) return sampled;
    const sample = sampled.right;
    if (sample.size === 0) return E.left(fileError('empty', path, 'is empty: the file has no content.'));
    const misnamed = notATableFile(path, sample);
    if (misnamed !== undefined) return E.left(misnamed);
    switch (containerOf(sample.bytes)) {
      case 'zip':
        // In a worker thread with a heap limit: a workbook too big for memory ends only its thread.
        return await openWorkbookInThread(path, options, tuning);
      case 'ole':
        return E.left(
          fileError(
            'not_a_table',
            path,
            'is an old-style Excel (.xls) workbook or a password-protected one, which cannot be read. ' +
              'Open it in Excel and save it as .xlsx (without a password) or CSV.',
          ),
        );
      case 'text':
        return await openDelimitedText(path, sample, options, tuning);
    }
  } catch (error) {
    // Reading the header can meet what reading rows would (bytes that are not UTF-8).
    if (error instanceof SourceReadError) return E.left(error.fileError);
    return E.left(unreadable(path, error));
  }
}

/**
 * The options that read `source` the same way again: what was detected (encoding, delimiter,
 * sheet, header row) is pinned, so a later read (a run, a resume) cannot detect otherwise.
 */
export function pinnedOptions(source: SourceFile): SourceOptions {
  // A UTF-8 guess stays a guess: pinned, it would be strict UTF-8 and refuse a file that turns
  // out to be Windows-1252 past the first 64 KB (encoding.ts); unpinned, it is found again.
  const utf8Guess = source.textLayout?.utf8Guessed === true;
  return {
    ...(source.encoding !== undefined && !utf8Guess ? { encoding: source.encoding } : {}),
    ...(source.delimiter !== undefined ? { delimiter: source.delimiter } : {}),
    ...(source.sheet !== undefined ? { sheet: source.sheet } : {}),
    headerRow: source.headerRowNumber,
  };
}

/** Options come from the command line and the UI: check them before trusting their types. */
function checkOptions(path: string, options: SourceOptions): FileError | undefined {
  const { delimiter, encoding, sheet, maxWorkbookMb, headerRow } = options;
  if (delimiter !== undefined && !isSupportedDelimiter(delimiter)) {
    const supported = SUPPORTED_DELIMITERS.map(delimiterName).join(', ');
    return fileError('bad_option', path, `cannot be read with the delimiter ${JSON.stringify(delimiter)}: use one of ${supported}.`);
  }
  if (encoding !== undefined && !isSupportedEncoding(encoding)) {
    return fileError(
      'bad_option',
      path,
      `cannot be read with the encoding ${JSON.stringify(encoding)}: use one of ${SUPPORTED_ENCODINGS.join(', ')}.`,
    );
  }
  if (sheet !== undefined && (typeof sheet !== 'string' || sheet.trim() === '')) {
    return fileError('bad_option', path, 'cannot be read: the sheet name is empty.');
  }
  if (maxWorkbookMb !== undefined && !(typeof maxWorkbookMb === 'number' && Number.isFinite(maxWorkbookMb) && maxWorkbookMb > 0)) {
    return fileError(
      'bad_option',
      path,
      `cannot be read with a workbook limit of ${JSON.stringify(maxWorkbookMb)} MB: give a number of megabytes above 0.`,
    );
  }
  if (headerRow !== undefined && !(Number.isSafeInteger(headerRow) && headerRow >= 1)) {
    return fileError(
      'bad_option',
      path,
      `cannot be read with the header on row ${JSON.stringify(headerRow)}: give a row number, 1 or more.`,
    );
  }
  return undefined;
}
