// Flags shared by every command that reads a lead file, and turning them into options.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as E from 'fp-ts/Either';
import type { SourceOptions, SupportedEncoding } from '../source/types.ts';
import { parseMappingFile, type MappingFile } from '../mapping/mapping-file.ts';

export const sourceFlagSpec = {
  mapping: { type: 'string' },
  sheet: { type: 'string' },
  encoding: { type: 'string' },
  delimiter: { type: 'string' },
  'max-workbook-mb': { type: 'string' },
  'header-row': { type: 'string' },
} as const;

const ENCODINGS: Readonly<Record<string, SupportedEncoding>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  latin1: 'windows-1252',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso-8859-7': 'iso-8859-7',
  'iso8859-7': 'iso-8859-7',
  greek: 'iso-8859-7',
  'windows-1251': 'windows-1251',
  cp1251: 'windows-1251',
};

const DELIMITERS: Readonly<Record<string, string>> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  '|': '|',
  pipe: '|',
};

export interface SourceFlags {
  readonly mapping?: string;
  readonly sheet?: string;
  readonly encoding?: string;
  readonly delimiter?: string;
  readonly 'max-workbook-mb'?: string;
  readonly 'header-row'?: string;
}

export function sourceOptionsFrom(flags: SourceFlags): E.Either<string, SourceOptions> {
  let encoding: SupportedEncoding | undefined;
  if (flags.encoding !== undefined) {
    encoding = ENCODINGS[flags.encoding.toLowerCase()];
    if (!encoding)
      return E.left(
        `--encoding '${flags.encoding}' is not supported; use utf-8, utf-16le, utf-16be, windows-1252, iso-8859-1, iso-8859-7 or windows-1251`,
      );
  }
  let delimiter: string | undefined;
  if (flags.delimiter !== undefined) {
    delimiter = DELIMITERS[flags.delimiter.toLowerCase()];
    if (!delimiter) return E.left(`--delimiter '${flags.delimiter}' is not supported; use , ; tab or |`);
  }
  let maxWorkbookMb: number | undefined;
  const limit = flags['max-workbook-mb'];
  if (limit !== undefined) {
    maxWorkbookMb = /^\d+(\.\d+)?$/.test(limit.trim()) ? Number(limit) : Number.NaN;
    if (!(maxWorkbookMb > 0)) return E.left(`--max-workbook-mb '${limit}' is not a number of megabytes above 0`);
  }
  let headerRow: number | undefined;
  const headerRowFlag = flags['header-row'];
  if (headerRowFlag !== undefined) {
    headerRow = /^\s*\d+\s*$/.test(headerRowFlag) ? Number(headerRowFlag) : Number.NaN;
    if (!Number.isSafeInteger(headerRow) || headerRow < 1) {
      return E.left(`--header-row '${headerRowFlag}' is not a row number; give the header's row as the file shows it, e.g. --header-row 6`);
    }
  }
  return E.right({
    encoding,
    delimiter,
    sheet: flags.sheet,
    ...(maxWorkbookMb === undefined ? {} : { maxWorkbookMb }),
    ...(headerRow === undefined ? {} : { headerRow }),
  });
}

export async function loadMappingFile(path: string, cwd: string): Promise<E.Either<string, MappingFile>> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'error';
    return E.left(`Cannot read the mapping file ${path} (${code})`);
  }
  const parsed = parseMappingFile(text, path);
  return E.isLeft(parsed) ? E.left(parsed.left.join('\n')) : E.right(parsed.right);
}
