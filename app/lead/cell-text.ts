// Small, allocation-free helpers every cell codec shares: what counts as blank, how a typed
// XLSX cell reads as text, and how a value is quoted in a message.
import type { Cell } from '../source/types.ts';

/** Unicode white space as `String.prototype.trim` understands it, tested by code unit. */
export function isSpaceCode(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0xfeff ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/**
 * A blank cell means "leave this field unchanged". Only text can be blank; the first code
 * unit settles almost every cell without calling `trim`.
 */
export function isBlankCell(cell: Cell): boolean {
  if (typeof cell !== 'string') return false;
  const length = cell.length;
  if (length === 0) return true;
  if (!isSpaceCode(cell.charCodeAt(0))) return false;
  return cell.trim().length === 0;
}

/** Turns `1.5e-7` or `1e+21` into plain decimal text; leaves anything else as it is. */
export function expandExponent(text: string): string {
  const e = text.search(/e/i);
  if (e < 0) return text;
  const negative = text[0] === '-';
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  // Position of the decimal point within `digits` after shifting.
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  let plain: string;
  if (point <= 0) plain = '0.' + '0'.repeat(-point) + digits;
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length);
  else plain = digits.slice(0, point) + '.' + digits.slice(point);
  plain = trimDecimalZeros(plain.replace(/^0+(?=\d)/, ''));
  return negative ? '-' + plain : plain;
}

function trimDecimalZeros(text: string): string {
  if (text.indexOf('.') < 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/**
 * The plain decimal text of a number cell, never with an exponent. Fractions are rounded to
 * the 15 significant digits Excel itself keeps and shows, so formula noise such as
 * 137.50000000000003 reads as 137.5; integers are written exactly.
 */
export function plainNumberText(n: number): string {
  if (Number.isInteger(n)) return expandExponent(String(n));
  if (!Number.isFinite(n)) return String(n);
  const text = n.toPrecision(15);
  return text.indexOf('e') >= 0 ? expandExponent(text) : trimDecimalZeros(text);
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** `YYYY-MM-DD` from a Date's UTC parts: XLSX dates are UTC midnight of the day shown. */
export function utcDateText(date: Date): string {
  const y = date.getUTCFullYear();
  return (y < 1000 ? String(y).padStart(4, '0') : String(y)) + '-' + pad2(date.getUTCMonth() + 1) + '-' + pad2(date.getUTCDate());
}

/**
 * A cell as a person reads it in the sheet (fractions to Excel's 15 digits): what messages,
 * `RowIssue.value`, reports and the app show. Header names use the reader's `exactCellText`.
 */
export function cellText(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return plainNumberText(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (Number.isNaN(cell.getTime())) return 'Invalid Date';
  const midnight = cell.getUTCHours() === 0 && cell.getUTCMinutes() === 0 && cell.getUTCSeconds() === 0 && cell.getUTCMilliseconds() === 0;
  return midnight ? utcDateText(cell) : cell.toISOString();
}

const QUOTE_LIMIT = 40;

/** `'value'` for a message, shortened so a long note does not swamp the sentence. */
export function quote(text: string): string {
  const shown = text.length > QUOTE_LIMIT ? text.slice(0, QUOTE_LIMIT - 1) + '…' : text;
  return "'" + shown + "'";
}

/** `'value'` for a message, from any cell. */
export const quoteCell = (cell: Cell): string => quote(typeof cell === 'string' ? cell.trim() : cellText(cell));
