// Numeric cells: whole numbers, numbers and money, read as people write them ("1,250",
// "3,5", "$1,250.50", "1.250,50 €") through number-text.ts, whose plain and US-style path
// allocates nothing. Money becomes cents by integer arithmetic, never a float product.
import type { MoneyUnit } from '../mapping/types.ts';
import type { Cell } from '../source/types.ts';
import { CellCodec, CellFailure, EMPTY_CELL } from './cell-codec.ts';
import { plainNumberText, quoteCell } from './cell-text.ts';
import {
  NOT_A_NUMBER,
  READ_OK,
  SUB_CENT,
  TOO_LARGE,
  formattedDecimal,
  readDecimal,
  scannedCents,
  scannedIsNegative,
  scannedNumber,
} from './number-text.ts';

const isNumber = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u);

/** `null` in any case: the word that sends JSON null to a nullable field. */
const isNullWord = (text: string): boolean => text.length === 4 && text.toLowerCase() === 'null';

const notANumber = (cell: Cell): CellFailure => new CellFailure(`${quoteCell(cell)} is not a number`);
const tooLarge = (cell: Cell): CellFailure => new CellFailure(`${quoteCell(cell)} is too large`);
const tooPrecise = (cell: Cell): CellFailure => new CellFailure(`${quoteCell(cell)} has too many decimals`);
const subCent = (cell: Cell): CellFailure =>
  new CellFailure(`${quoteCell(cell)} has more than 2 decimals (an amount in dollars stops at cents)`);
const belowMinimum = (cell: Cell, minimum: number): CellFailure => new CellFailure(`${quoteCell(cell)} must be ${minimum} or more`);

/** A finite number from a non-blank cell, or a failure saying it is not one. */
function readNumber(cell: Cell): number | CellFailure {
  if (typeof cell === 'string') {
    const text = cell.trim();
    if (text.length === 0) return EMPTY_CELL;
    const outcome = readDecimal(text, false);
    if (outcome === READ_OK) return scannedNumber();
    if (outcome === NOT_A_NUMBER) return notANumber(cell);
    if (outcome === TOO_LARGE) return tooLarge(cell);
    // More decimals than a double keeps (a pasted 2.333333333333333333): round as Number() does.
    const n = Number(formattedDecimal(text, false) ?? Number.NaN);
    return n === 0 ? 0 : n;
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return notANumber(cell);
    // Fractions as Excel shows them (15 significant digits), so formula noise does not leak.
    const n = Number.isInteger(cell) ? cell : Number(plainNumberText(cell));
    return n === 0 ? 0 : n; // no -0
  }
  return notANumber(cell);
}

export interface IntegerOptions {
  readonly minimum?: number | undefined;
}

/** A whole number ("3", "3.0", "1,250"; not "3.5"), at least `minimum` when given. */
export function IntegerFromCell(options: IntegerOptions = {}): CellCodec<number> {
  const minimum = options.minimum;
  const parse = (cell: Cell): number | CellFailure => {
    const n = readNumber(cell);
    if (n instanceof CellFailure) return n;
    if (!Number.isInteger(n)) return new CellFailure(`${quoteCell(cell)} is not a whole number`);
    if (!Number.isSafeInteger(n)) return tooLarge(cell);
    if (minimum !== undefined && n < minimum) return belowMinimum(cell, minimum);
    return n;
  };
  const is = (u: unknown): u is number => Number.isSafeInteger(u) && (minimum === undefined || (u as number) >= minimum);
  return new CellCodec<number>(minimum === 0 ? 'NonNegativeIntegerFromCell' : 'IntegerFromCell', is, parse, String);
}

/** A whole number, 0 or more (counts such as number_of_additional_occupants). */
export const NonNegativeIntegerFromCell: CellCodec<number> = IntegerFromCell({ minimum: 0 });

export interface NumberOptions {
  readonly minimum?: number | undefined;
  /** The word `null` (any case) decodes to null. */
  readonly nullable?: boolean | undefined;
}

/** Any finite number, with thousands separators and decimal commas as people write them. */
export function NumberFromCell(options: NumberOptions = {}): CellCodec<number | null> {
  const { minimum, nullable = false } = options;
  const parse = (cell: Cell): number | null | CellFailure => {
    if (nullable && typeof cell === 'string' && isNullWord(cell.trim())) return null;
    const n = readNumber(cell);
    if (n instanceof CellFailure) return n;
    if (minimum !== undefined && n < minimum) return belowMinimum(cell, minimum);
    return n;
  };
  const is = (u: unknown): u is number | null => (u === null ? nullable : isNumber(u) && (minimum === undefined || u >= minimum));
  return new CellCodec<number | null>('NumberFromCell', is, parse, (n) => (n === null ? 'null' : String(n)));
}

// --------------------------------------------------------------------------------- money

export interface MoneyOptions {
  /** What the column holds; the result is always cents. */
  readonly unit: MoneyUnit;
  /** The field takes whole cents only (matters for unit 'cents'; dollars always give whole cents). */
  readonly integer: boolean;
  readonly minimum?: number | undefined;
  readonly nullable?: boolean | undefined;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

/** Cents as dollars text: 125050 → "1250.50". */
export function dollarText(cents: number): string {
  if (!Number.isInteger(cents)) return String(cents / 100);
  const magnitude = Math.abs(cents);
  return (cents < 0 ? '-' : '') + Math.floor(magnitude / 100) + '.' + pad2(magnitude % 100);
}

/**
 * Cents from a money cell: "$1,250.50", "USD 1,250.50", "1.250,50 €" → 125050 in a dollars
 * column, by string arithmetic (never float multiplication); in a cents column the number
 * is taken as cents.
 */
export function CentsFromMoneyCell(options: MoneyOptions): CellCodec<number | null> {
  const { unit, integer, minimum, nullable = false } = options;
  const dollars = unit === 'dollars';
  const notAnAmount = (cell: Cell): CellFailure => new CellFailure(`${quoteCell(cell)} is not an amount`);

  const parse = (cell: Cell): number | null | CellFailure => {
    let text: string;
    if (typeof cell === 'string') {
      text = cell.trim();
      if (text.length === 0) return EMPTY_CELL;
      if (nullable && isNullWord(text)) return null;
    } else if (typeof cell === 'number' && Number.isFinite(cell)) {
      // XLSX numbers go through their shortest decimal text (15 significant digits, as Excel shows).
      text = plainNumberText(cell);
    } else return notAnAmount(cell);
    const outcome = readDecimal(text, true);
    if (outcome === NOT_A_NUMBER) return notAnAmount(cell);
    if (outcome === TOO_LARGE) return tooLarge(cell);
    if (outcome !== READ_OK) return dollars ? subCent(cell) : tooPrecise(cell);

    let cents: number;
    if (dollars) {
      const magnitude = scannedCents();
      if (magnitude === SUB_CENT) return subCent(cell);
      if (!Number.isSafeInteger(magnitude)) return tooLarge(cell);
      cents = scannedIsNegative() ? -magnitude : magnitude;
    } else {
      cents = scannedNumber();
      if (integer && !Number.isInteger(cents)) return new CellFailure(`${quoteCell(cell)} is not a whole number of cents`);
    }
    if (minimum !== undefined && cents < minimum) {
      const limit = dollars && minimum !== 0 ? dollarText(minimum) : String(minimum);
      return new CellFailure(`${quoteCell(cell)} must be ${limit} or more`);
    }
    return cents;
  };

  const is = (u: unknown): u is number | null =>
    u === null ? nullable : isNumber(u) && (!integer || Number.isInteger(u)) && (minimum === undefined || u >= minimum);
  const encode = (cents: number | null): string => (cents === null ? 'null' : dollars ? dollarText(cents) : String(cents));
  return new CellCodec<number | null>(dollars ? 'CentsFromDollarCell' : 'CentsFromCentCell', is, parse, encode);
}
