import type ExcelJS from 'exceljs';
import type { Cell } from './types.ts';
import { unescapeOoxml } from './ooxml-text.ts';
import { CARRIED_DATE, CARRIED_TEXT } from './xlsx-xml.ts';

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
  if ('error' in value) return errorOrCarried(String(value.error));
  if ('richText' in value) return unescapeOoxml(value.richText.map((run) => run.text ?? '').join(''));
  if ('hyperlink' in value) return hyperlinkText(value.text);
  if ('result' in value) return value.result === undefined ? '' : cellFromSheet(value.result);
  return '';
}

/** An error's text (#N/A), or a cell xlsx-xml.ts handed over as an error to carry it exactly. */
function errorOrCarried(text: string): Cell {
  if (text.startsWith(CARRIED_TEXT)) return unescapeOoxml(text.slice(CARRIED_TEXT.length));
  if (text.startsWith(CARRIED_DATE)) return isoDay(text.slice(CARRIED_DATE.length));
  return text;
}

/**
 * The calendar day an ISO 8601 date cell (t="d") holds, as UTC midnight: "2025-03-07" or
 * "2025-03-07T18:30:00" is 7 March 2025 whatever the time or zone, as the cell shows it. Anything
 * else is kept as text, so a cell is never silently changed.
 */
function isoDay(text: string): Cell {
  const match = /^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text);
  if (match === null) return text.trim();
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : text.trim();
}

/** A hyperlink's shown text, which exceljs may hand over as rich text. */
function hyperlinkText(text: unknown): Cell {
  if (typeof text === 'string') return unescapeOoxml(text);
  if (typeof text === 'object' && text !== null && 'richText' in text && Array.isArray(text.richText)) {
    return unescapeOoxml(
      text.richText.map((run: unknown) => (typeof run === 'object' && run !== null && 'text' in run ? String(run.text) : '')).join(''),
    );
  }
  return '';
}

/** UTC midnight of the date's UTC calendar day (exceljs builds dates from the serial number in UTC). */
export function calendarDay(date: Date): Cell {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
