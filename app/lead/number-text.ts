// Reading numbers the way people type them in spreadsheets, into canonical decimal text
// ("-1250.5"), so that money can be converted to cents by string arithmetic and never by
// float multiplication. The plain case ("3", "1250.50") is checked by a char loop and
// returned as it is, allocating nothing.

// The hot path: numbers written plainly or US style ("3", "-2", "1250.50", "1,250", "$1,250.50")
// are read by one char loop into an exact integer mantissa and a decimal scale, kept in
// module state so that reading a number allocates nothing. Anything else (decimal commas,
// European grouping, currency words, huge numbers) goes through `formattedDecimal`.
let scannedNegative = false;
let scannedMantissa = 0;
let scannedScale = 0;

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Reads `[sign][$][sign]digits[.digits]` where the integer digits may be grouped by commas
 * in threes ("1,250,000"; a first group starting with 0 is not grouping); true when the whole
 * text is such a number whose digits fit in 2^53. Read the result with `scannedNumber` or
 * `scannedCents` before scanning again.
 */
export function scanNumber(text: string, allowDollar: boolean): boolean {
  const length = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  let negative = false;
  let signed = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    signed = true;
    c = text.charCodeAt(++i);
  }
  if (allowDollar && c === 36) {
    c = text.charCodeAt(++i);
    if (!signed && (c === 45 || c === 43)) {
      negative = c === 45;
      c = text.charCodeAt(++i);
    }
  }
  const integerStart = i;
  let mantissa = 0;
  let digits = 0;
  let groupLength = 0;
  let grouped = false;
  for (; i < length; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      groupLength++;
    } else if (c === 44) {
      if (grouped ? groupLength !== 3 : groupLength < 1 || groupLength > 3 || text.charCodeAt(integerStart) === 48) return false;
      grouped = true;
      groupLength = 0;
    } else break;
  }
  if (grouped && groupLength !== 3) return false;
  let scale = 0;
  if (i < length && c === 46) {
    for (i++; i < length; i++) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) return false;
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      scale++;
    }
  }
  if (i !== length || digits === 0 || mantissa > Number.MAX_SAFE_INTEGER || scale >= POW10.length) return false;
  scannedNegative = negative;
  scannedMantissa = mantissa;
  scannedScale = scale;
  return true;
}

/**
 * The value of the last scan, exactly as `Number()` would read its text: one division of
 * two exactly representable numbers is correctly rounded. Never -0.
 */
export function scannedNumber(): number {
  const magnitude = scannedScale === 0 ? scannedMantissa : scannedMantissa / POW10[scannedScale];
  return scannedNegative && magnitude !== 0 ? -magnitude : magnitude;
}

/** What `scannedCents` and `centsFromDollarText` answer when the text has a non-zero third decimal. */
export const SUB_CENT = -1;

/**
 * The last scan read as dollars, in whole cents (magnitude; see `scannedIsNegative`), or
 * `SUB_CENT`. Exact: integers only, never a float product of a fraction. May exceed 2^53
 * (the caller checks).
 */
export function scannedCents(): number {
  if (scannedScale <= 2) return scannedMantissa * POW10[2 - scannedScale];
  const divisor = POW10[scannedScale - 2];
  return scannedMantissa % divisor === 0 ? scannedMantissa / divisor : SUB_CENT;
}

export const scannedIsNegative = (): boolean => scannedNegative && scannedMantissa !== 0;

/** Currency markers accepted around an amount ("$1,250.50", "USD 1,250.50", "1.250,50 €"). */
const CURRENCY_MARKERS: readonly string[] = ['US$', 'USD', 'CA$', 'C$', 'CAD', 'EUR', 'GBP', '$', '€', '£'];

function currencyPrefixLength(text: string): number {
  const upper = text.slice(0, 3).toUpperCase();
  for (const marker of CURRENCY_MARKERS) if (upper.startsWith(marker)) return marker.length;
  return 0;
}

function currencySuffixLength(text: string): number {
  const upper = text.slice(-3).toUpperCase();
  for (const marker of CURRENCY_MARKERS) if (upper.endsWith(marker)) return marker.length;
  return 0;
}

/** A per-month suffix after an amount: "/mo", "/mo.", "/month", " per month", " a month", "/mth". */
const PER_MONTH = /\s*(?:\/|\bper\s+|\ba\s+)\s*(?:mo|mos|mth|month)\.?$/i;

const isMinus = (c: string | undefined): boolean => c === '-' || c === '\u2212';
const isSign = (c: string | undefined): boolean => isMinus(c) || c === '+';
/** Spaces (plain, no-break, narrow, thin) and apostrophes group thousands, never mark decimals. */
const isSpaceGroup = (c: string): boolean => c === ' ' || c === '\u00a0' || c === '\u202f' || c === '\u2009' || c === "'" || c === '\u2019';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const allDigits = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (!isDigit(text[i])) return false;
  return true;
};

/** Thousands groups: 1–3 digits (not starting with 0) then groups of exactly 3. */
function groupedDigits(part: string, isGroup: (c: string) => boolean): string | null {
  const groups: string[] = [];
  let current = '';
  for (const c of part) {
    if (isGroup(c)) {
      groups.push(current);
      current = '';
    } else if (isDigit(c)) current += c;
    else return null;
  }
  groups.push(current);
  if (groups.length === 1) return groups[0];
  const first = groups[0];
  if (first.length < 1 || first.length > 3 || first[0] === '0') return null;
  for (let g = 1; g < groups.length; g++) if (groups[g].length !== 3) return null;
  return groups.join('');
}

/**
 * The canonical decimal text of a number written with separators, a sign, or (for money) a
 * currency marker; null when it is not a number. Rules: with both `.` and `,` the later one
 * is the decimal mark ("1.234,56", "1,234.56"); a lone `,` is a decimal comma unless it is
 * followed by exactly 3 digits that read as thousands ("3,5" and "1250,50" are decimals,
 * "1,250" is one thousand two hundred fifty); a lone `.` is a decimal point; repeated `,` or
 * `.` group thousands; spaces and apostrophes only ever group thousands.
 */
export function formattedDecimal(input: string, allowCurrency: boolean): string | null {
  let text = input.trim();
  let negative = false;
  let signSeen = false;
  let currencySeen = false;
  // The sign and the currency marker may come in either order: "-$5", "$-5", "USD -5".
  for (let pass = 0; pass < 2; pass++) {
    if (!signSeen && isSign(text[0])) {
      negative = isMinus(text[0]);
      signSeen = true;
      text = text.slice(1).trim();
    } else if (allowCurrency && !currencySeen) {
      const length = currencyPrefixLength(text);
      if (length === 0) break;
      currencySeen = true;
      text = text.slice(length).trim();
    }
  }
  if (allowCurrency) {
    // Rents and incomes are monthly amounts: "2,500/mo", "$2,500 per month" say so.
    const perMonth = PER_MONTH.exec(text);
    if (perMonth !== null) text = text.slice(0, perMonth.index).trimEnd();
  }
  if (allowCurrency && !currencySeen) {
    const length = currencySuffixLength(text);
    if (length > 0) text = text.slice(0, text.length - length).trim();
  }
  if (text.length === 0) return null;

  let dots = 0;
  let commas = 0;
  let spaceGroups = 0;
  for (const c of text) {
    if (c === '.') dots++;
    else if (c === ',') commas++;
    else if (isSpaceGroup(c)) spaceGroups++;
    else if (!isDigit(c)) return null;
  }

  let decimalAt = -1;
  let groupChar: string | null = null;
  if (dots > 0 && commas > 0) {
    const lastDot = text.lastIndexOf('.');
    const lastComma = text.lastIndexOf(',');
    const decimalChar = lastDot > lastComma ? '.' : ',';
    if ((decimalChar === '.' ? dots : commas) !== 1) return null;
    decimalAt = Math.max(lastDot, lastComma);
    groupChar = decimalChar === '.' ? ',' : '.';
  } else if (commas === 1 || dots === 1) {
    const mark = commas === 1 ? ',' : '.';
    const at = text.indexOf(mark);
    const after = text.slice(at + 1);
    const readsAsThousands =
      mark === ',' && spaceGroups === 0 && after.length === 3 && allDigits(after) && groupedDigits(text, (c) => c === ',') !== null;
    if (readsAsThousands) groupChar = ',';
    else decimalAt = at;
  } else if (commas > 1) groupChar = ',';
  else if (dots > 1) groupChar = '.';
  if (groupChar !== null && spaceGroups > 0) return null; // two kinds of grouping

  const integerPart = decimalAt < 0 ? text : text.slice(0, decimalAt);
  const fraction = decimalAt < 0 ? '' : text.slice(decimalAt + 1);
  if (!allDigits(fraction)) return null;
  const integerDigits = groupedDigits(integerPart, groupChar === null ? isSpaceGroup : (c) => c === groupChar);
  if (integerDigits === null || integerDigits.length + fraction.length === 0) return null;
  return (negative ? '-' : '') + (integerDigits.length === 0 ? '0' : integerDigits) + (fraction.length > 0 ? '.' + fraction : '');
}

export const READ_OK = 0;
export const NOT_A_NUMBER = 1;
/** More whole digits than 2^53 holds exactly: too large for any lead field. */
export const TOO_LARGE = 2;
/** So many decimals that the digits do not fit in 2^53. */
export const TOO_PRECISE = 3;
export type ReadOutcome = typeof READ_OK | typeof NOT_A_NUMBER | typeof TOO_LARGE | typeof TOO_PRECISE;

/**
 * Reads a cell's trimmed text as a number, in any accepted writing, into the scan state
 * (`scannedNumber`, `scannedCents`). Plain and US-style numbers take the allocation-free
 * scan; other writings are first rewritten to canonical text, then scanned the same way.
 */
export function readDecimal(text: string, allowCurrency: boolean): ReadOutcome {
  if (scanNumber(text, allowCurrency)) return READ_OK;
  const canonical = formattedDecimal(text, allowCurrency);
  if (canonical === null) return NOT_A_NUMBER;
  if (scanNumber(canonical, false)) return READ_OK;
  const dot = canonical.indexOf('.');
  const wholeDigits = (dot < 0 ? canonical.length : dot) - (canonical[0] === '-' ? 1 : 0);
  return wholeDigits > 15 ? TOO_LARGE : TOO_PRECISE;
}
