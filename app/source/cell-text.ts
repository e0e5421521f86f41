import type { Cell } from './types.ts';

/**
 * A cell's exact text, for the reader's own use: header names and the cells of the header
 * candidates. Dates are the calendar day (UTC parts, since readers give UTC-midnight dates),
 * numbers their shortest round-trip digits without an exponent (a phone number or amount must not
 * turn into "1.2e+21"), booleans as Excel spells them. Messages, error reports and the app show
 * `cellText` (`app/lead/cell-text.ts`) instead, which writes numbers as Excel shows them (15 digits).
 */
export function exactCellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return plainNumber(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return isoDay(cell);
}

/** `YYYY-MM-DD` from the UTC parts of a date; '' for an invalid date. */
export function isoDay(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return '';
  const year = date.getUTCFullYear();
  const yearText = year < 0 ? `-${pad(-year, 6)}` : year > 9999 ? `+${pad(year, 6)}` : pad(year, 4);
  return `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

/** The shortest round-trip digits of `n`, written out without an exponent. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0'; // also -0
  const text = String(n);
  const e = text.indexOf('e');
  if (e === -1) return text;
  const sign = text.startsWith('-') ? '-' : '';
  const mantissa = text.slice(sign.length, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  // Position of the decimal point within `digits` once the exponent is applied.
  const point = (dot === -1 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
