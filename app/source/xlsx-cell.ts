import type ExcelJS from 'exceljs';
import type { Cell } from './types.ts';

/**
 * A sheet cell's value as a `Cell`: numbers, booleans and strings as they are; a date as UTC
 * midnight of the day shown (the time of day is not part of any lead field); rich text and
 * hyperlinks as their text; errors (#N/A) as their text; formulas by their cached result;
 * empty as ''.
 */
export function cellFromSheet(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return unescapeOoxml(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return calendarDay(value);
  if ('error' in value) return String(value.error);
  if ('richText' in value) return unescapeOoxml(value.richText.map((run) => run.text ?? '').join(''));
  if ('hyperlink' in value) return hyperlinkText(value.text);
  if ('result' in value) return value.result === undefined ? '' : cellFromSheet(value.result);
  return '';
}

/** A hyperlink's shown text, which exceljs may hand over as rich text. */
function hyperlinkText(text: unknown): Cell {
  if (typeof text === 'string') return unescapeOoxml(text);
  if (typeof text === 'object' && text !== null && 'richText' in text && Array.isArray(text.richText)) {
    return unescapeOoxml(text.richText.map((run: unknown) => (typeof run === 'object' && run !== null && 'text' in run ? String(run.text) : '')).join(''));
  }
  return '';
}

/** UTC midnight of the date's UTC calendar day (exceljs builds dates from the serial number in UTC). */
export function calendarDay(date: Date): Cell {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Excel stores characters XML cannot hold (a CR in a cell, say) as `_x000D_`. */
function unescapeOoxml(text: string): string {
  if (text.indexOf('_x') === -1) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
