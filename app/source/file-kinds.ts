// Files people pick that are not tables, named for what they are, with what to do instead.
import { basename } from 'node:path';
import { encodingFromBom } from './encoding.ts';
import { fileError } from './file-errors.ts';
import type { FileSample } from './sniff.ts';
import type { FileError } from './types.ts';

/**
 * Excel's lock file (`~$Leads.xlsx`, kept next to a workbook while it is open), a web page saved
 * with an .xls name (what many "Export to Excel" buttons produce), or an Excel 2003 XML
 * spreadsheet: a FileError saying so, else undefined.
 */
export function notATableFile(path: string, sample: FileSample): FileError | undefined {
  const name = basename(path);
  if (name.startsWith('~$')) {
    return fileError(
      'not_a_table',
      path,
      `is the lock file Excel keeps while a workbook is open, not the workbook itself: open the workbook itself ("${name.slice(2)}").`,
    );
  }
  const start = leadingText(sample.bytes);
  if (/^(?:<!doctype\s+html|<html[\s>]|<table[\s>]|<head[\s>]|<body[\s>]|<meta[\s>])/i.test(start)) {
    return fileError(
      'not_a_table',
      path,
      'is a web page (HTML), not a spreadsheet, whatever its name says: open it in Excel and save it as .xlsx or .csv.',
    );
  }
  if (
    /^<\?xml[^>]*>\s*(?:<\?mso-application[^>]*>\s*)?<Workbook[\s>]/i.test(start) ||
    /<\?mso-application\s+progid="Excel\.Sheet"/i.test(start)
  ) {
    return fileError(
      'not_a_table',
      path,
      'is an Excel 2003 XML spreadsheet, which cannot be read: open it in Excel and save it as .xlsx or .csv.',
    );
  }
  return undefined;
}

/** The first characters of a text file, byte-order mark and leading whitespace left out (ASCII is enough to tell). */
function leadingText(bytes: Uint8Array): string {
  const encoding = encodingFromBom(bytes);
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 512));
  const units = head.subarray(2, 2 + ((head.length - 2) & ~1));
  const text =
    encoding === 'utf-16le'
      ? units.toString('utf16le')
      : encoding === 'utf-16be'
        ? Buffer.from(units).swap16().toString('utf16le')
        : head.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  return text.replace(/^\s+/, '');
}
