// Dates as people write them in spreadsheets, to the `YYYY-MM-DD` Propexo takes. The date
// is the one written: a time or time zone after it is dropped, never applied, so
// "2025-03-07T23:30:00-05:00" stays 2025-03-07. ISO dates pass through a char check without
// allocating; everything else is the slow path.
import type { Century, DateOrder } from '../mapping/types.ts';
import type { Cell } from '../source/types.ts';
import { CellCodec, CellFailure, EMPTY_CELL } from './cell-codec.ts';
import { quote, quoteCell, utcDateText } from './cell-text.ts';
import { didYouMean } from './suggest.ts';

export interface DateOptions {
  /** How `1/2/2025` reads: month first (MDY, the default) or day first (DMY). */
  readonly order?: DateOrder | undefined;
  /** The century of a two-digit year ("3/7/25"); without it such years are refused. */
  readonly twoDigitYears?: Century | undefined;
}

/** How a date is read: the order of day and month, the century of a 2-digit year (or none). */
interface Reading {
  readonly order: DateOrder;
  readonly century: number | null;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const MONTH_BY_WORD: ReadonlyMap<string, number> = new Map([
  ...MONTH_NAMES.map((name, i): [string, number] => [name.toLowerCase(), i + 1]),
  ...MONTH_NAMES.map((name, i): [string, number] => [name.slice(0, 3).toLowerCase(), i + 1]),
  ['sept', 9],
]);

const WEEKDAYS: ReadonlySet<string> = new Set(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']
    .flatMap((d) => [d, d.slice(0, 3)])
    .concat(['tues', 'thur', 'thurs']),
);

const ORDINAL_SUFFIXES: ReadonlySet<string> = new Set(['st', 'nd', 'rd', 'th']);

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const isoText = (y: number, m: number, d: number): string => String(y) + '-' + pad2(m) + '-' + pad2(d);

/** 0–9 at `i`, else -1. */
const digitAt = (text: string, i: number): number => {
  const c = text.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};

/**
 * A time (and zone) after a date: "T23:30:00-05:00", " 14:30", " 2:30 PM", "T10:00:00.000Z",
 * ", 00:03:00", " at 09:15 AM". Only its shape is checked; it is dropped.
 */
const TIME_SUFFIX =
  /^(?:[Tt]|,?\s+(?:at\s+)?)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

function isTimeSuffix(text: string): boolean {
  const match = TIME_SUFFIX.exec(text);
  return match !== null && Number(match[1]) <= 24 && Number(match[2]) <= 59 && (match[3] === undefined || Number(match[3]) <= 60);
}

const exampleFor = (order: DateOrder): string => (order === 'MDY' ? '3/7/2025' : '7/3/2025');

const notADate = (text: string, order: DateOrder): CellFailure =>
  new CellFailure(`${quote(text)} is not a date (write it like 2025-03-07, ${exampleFor(order)} or Mar 7, 2025)`);

const twoDigitYear = (text: string, yy: string): CellFailure =>
  new CellFailure(
    `${quote(text)} has a 2-digit year: write the year with 4 digits (20${yy} or 19${yy}?), or set the column's twoDigitYears to 2000s or 1900s`,
  );

/** The 4-digit year of a written year, or the refusal of a 2-digit one the column gives no century for. */
function fullYear(text: string, year: string, reading: Reading): number | CellFailure {
  if (year.length !== 2) return Number(year);
  return reading.century === null ? twoDigitYear(text, year) : reading.century + Number(year);
}

/**
 * The ISO text of a real calendar date, or why it is not one. `swappable` is set when the
 * day and month came from a numeric M/D or D/M reading, so a wrong order can be pointed out.
 */
function realDate(text: string, y: number, m: number, d: number, swappable: DateOrder | null): string | CellFailure {
  if (y < 1000) return new CellFailure(`${quote(text)} is not a real date (there is no year ${y}; write the year with 4 digits)`);
  if (m < 1 || m > 12) {
    let hint = '';
    if (swappable !== null && m > 12 && d >= 1 && d <= 12) {
      hint =
        swappable === 'MDY'
          ? "; if it is day/month/year, set the column's date order to DMY"
          : "; if it is month/day/year, set the column's date order to MDY";
    }
    return new CellFailure(`${quote(text)} is not a real date (there is no month ${m}${hint})`);
  }
  if (d < 1) return new CellFailure(`${quote(text)} is not a real date (there is no day 0)`);
  const days = daysInMonth(y, m);
  if (d > days) return new CellFailure(`${quote(text)} is not a real date (${MONTH_NAMES[m - 1]} ${y} has ${days} days)`);
  return isoText(y, m, d);
}

const NUMERIC_DATE = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(.*)$/;

function parseNumericDate(text: string, reading: Reading): string | CellFailure | null {
  const order = reading.order;
  const match = NUMERIC_DATE.exec(text);
  if (match === null) return null;
  const [, first, , second, third, rest] = match;
  if (rest !== '' && !isTimeSuffix(rest)) return notADate(text, order);
  if (first.length === 4) {
    if (third.length > 2) return notADate(text, order);
    return realDate(text, Number(first), Number(second), Number(third), null);
  }
  if (first.length > 2) return notADate(text, order);
  if (third.length !== 4 && third.length !== 2) return notADate(text, order);
  const year = fullYear(text, third, reading);
  if (year instanceof CellFailure) return year;
  const [m, d] = order === 'MDY' ? [Number(first), Number(second)] : [Number(second), Number(first)];
  return realDate(text, year, m, d, order);
}

const WORDY_DATE_CHARS = /^[\p{L}\d\s,./-]+$/u;
const DATE_TOKENS = /\p{L}+|\d+/gu;

// Where a time may start after a wordy date: "15 Apr, 2021 00:03:00", "Dec 1, 2025 at 9:15 AM".
const WORDY_TIME_START = /,?\s+(?:at\s+)?\d{1,2}:\d{2}/;

/**
 * "Mar 7, 2025", "March 7 2025", "7 Mar 2025", "7-Mar-2025", "Friday, March 7th, 2025",
 * "15 Apr, 2021 00:03:00" (a time after it is dropped).
 */
function parseWordyDate(input: string, reading: Reading): string | CellFailure {
  const order = reading.order;
  const time = WORDY_TIME_START.exec(input);
  const text = time !== null && isTimeSuffix(input.slice(time.index)) ? input.slice(0, time.index) : input;
  if (!WORDY_DATE_CHARS.test(text)) return notADate(input, order);
  const tokens: string[] = Array.from(text.match(DATE_TOKENS) ?? []);
  if (tokens.length > 0 && WEEKDAYS.has(tokens[0].toLowerCase())) tokens.shift();
  const parts = tokens.filter((token, i) => !(i > 0 && ORDINAL_SUFFIXES.has(token.toLowerCase()) && /\d$/.test(tokens[i - 1])));
  if (parts.length !== 3) return notADate(input, order);
  const isNumber = (token: string): boolean => /^\d+$/.test(token);
  let monthWord: string;
  let day: string;
  const year = parts[2];
  if (!isNumber(parts[0]) && isNumber(parts[1])) [monthWord, day] = [parts[0], parts[1]];
  else if (isNumber(parts[0]) && !isNumber(parts[1])) [day, monthWord] = [parts[0], parts[1]];
  else return notADate(input, order);
  if (!isNumber(year)) return notADate(input, order);
  const month = MONTH_BY_WORD.get(monthWord.toLowerCase());
  if (month === undefined) {
    const suggestion = didYouMean(monthWord, MONTH_NAMES);
    return new CellFailure(
      `${quote(input)} is not a date (${quote(monthWord)} is not a month${suggestion === '' ? '' : ';' + suggestion.slice(2)})`,
    );
  }
  if (day.length > 2) return notADate(input, order);
  if (year.length !== 4 && year.length !== 2) return notADate(input, order);
  const fullYearNumber = fullYear(input, year, reading);
  if (fullYearNumber instanceof CellFailure) return fullYearNumber;
  return realDate(input, fullYearNumber, month, Number(day), null);
}

function parseDateText(text: string, reading: Reading): string | CellFailure {
  const order = reading.order;
  // Fast path: YYYY-MM-DD (or / .), optionally followed by a time.
  if (text.length >= 10) {
    const y0 = digitAt(text, 0),
      y1 = digitAt(text, 1),
      y2 = digitAt(text, 2),
      y3 = digitAt(text, 3);
    const m0 = digitAt(text, 5),
      m1 = digitAt(text, 6),
      d0 = digitAt(text, 8),
      d1 = digitAt(text, 9);
    const separator = text.charCodeAt(4);
    if (
      y0 >= 0 &&
      y1 >= 0 &&
      y2 >= 0 &&
      y3 >= 0 &&
      m0 >= 0 &&
      m1 >= 0 &&
      d0 >= 0 &&
      d1 >= 0 &&
      (separator === 45 || separator === 47 || separator === 46) &&
      text.charCodeAt(7) === separator
    ) {
      if (text.length > 10 && !isTimeSuffix(text.slice(10))) return notADate(text, order);
      const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
      const m = m0 * 10 + m1;
      const d = d0 * 10 + d1;
      if (y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) {
        return text.length === 10 && separator === 45 ? text : isoText(y, m, d);
      }
      return realDate(text, y, m, d, null);
    }
  }
  return parseShortNumericDate(text, order) ?? parseNumericDate(text, reading) ?? parseWordyDate(text, reading);
}

/** Fast path for the commonest spreadsheet writing, M/D/YYYY (or D/M/YYYY): a char loop, no regex. */
function parseShortNumericDate(text: string, order: DateOrder): string | CellFailure | null {
  const length = text.length;
  if (length < 8 || length > 10) return null;
  let i = 0;
  let first = digitAt(text, i++);
  if (first < 0) return null;
  let d = digitAt(text, i);
  if (d >= 0) {
    first = first * 10 + d;
    i++;
  }
  const separator = text.charCodeAt(i++);
  if (separator !== 47 && separator !== 45 && separator !== 46) return null;
  let second = digitAt(text, i++);
  if (second < 0) return null;
  d = digitAt(text, i);
  if (d >= 0) {
    second = second * 10 + d;
    i++;
  }
  if (text.charCodeAt(i++) !== separator || length - i !== 4) return null;
  let year = 0;
  for (; i < length; i++) {
    d = digitAt(text, i);
    if (d < 0) return null;
    year = year * 10 + d;
  }
  return order === 'MDY' ? realDate(text, year, first, second, order) : realDate(text, year, second, first, order);
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function parseDate(cell: Cell, reading: Reading): string | CellFailure {
  if (typeof cell === 'string') {
    const text = cell.trim();
    return text.length === 0 ? EMPTY_CELL : parseDateText(text, reading);
  }
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? new CellFailure('the cell holds an invalid date') : utcDateText(cell);
  if (typeof cell === 'number' && Number.isInteger(cell) && cell >= 366 && cell <= 2_958_465) {
    // A date typed into a cell formatted as a number shows as its serial (45723 = 2025-03-07).
    const serialDate = utcDateText(new Date(EXCEL_EPOCH + cell * DAY_MS));
    return new CellFailure(
      `${quoteCell(cell)} is a number, not a date (as an Excel date it would be ${serialDate}: format the column as a date)`,
    );
  }
  return new CellFailure(`${quoteCell(cell)} is not a date`);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` of a real calendar date. */
export const isIsoDate = (u: unknown): u is string => {
  if (typeof u !== 'string' || !ISO_DATE.test(u)) return false;
  const y = Number(u.slice(0, 4));
  const m = Number(u.slice(5, 7));
  const d = Number(u.slice(8, 10));
  return y >= 1000 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
};

/**
 * A date cell to `YYYY-MM-DD`: ISO dates and date-times, M/D/YYYY (or D/M/YYYY with order
 * DMY; `/`, `-` or `.`), YYYY/MM/DD, "Mar 7, 2025", "7 March 2025", each with an optional
 * time ("10/01/2025 at 09:15 AM"), and XLSX Date cells. Impossible dates are refused, and
 * two-digit years unless `twoDigitYears` says their century.
 */
export function IsoDateFromCell(options: DateOptions = {}): CellCodec<string> {
  const order = options.order ?? 'MDY';
  const centuryYears = options.twoDigitYears;
  const reading: Reading = { order, century: centuryYears === undefined ? null : centuryYears === '2000s' ? 2000 : 1900 };
  const name = centuryYears === undefined ? `IsoDateFromCell(${order})` : `IsoDateFromCell(${order}, ${centuryYears})`;
  return new CellCodec<string>(
    name,
    isIsoDate,
    (cell) => parseDate(cell, reading),
    (iso) => iso,
  );
}
