// Phone cells as exports write them: the number as written, without the label some put
// before it ("Mobile: (720) 273-5593" → "(720) 273-5593"), and two numbers in one cell found
// rather than sent glued together. A cell of digits, spaces and ( ) + - . is a plain number
// and is returned as it is, allocating nothing.
import type { Cell } from '../source/types.ts';
import { CellCodec, CellFailure, EMPTY_CELL, NO_VALUE } from './cell-codec.ts';
import { TextFromCell } from './cell-codecs.ts';

const isString = (u: unknown): u is string => typeof u === 'string';

/** Fewer digits than this is not a complete phone number. */
export const MIN_PHONE_DIGITS = 7;

/** Digits, spaces and ( ) + - . only: the writing of one number, nothing to take apart. */
export function isPlainPhone(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 32 || c === 40 || c === 41 || c === 43 || c === 45 || c === 46)) return false;
  }
  return true;
}

const countDigits = (text: string): number => text.replace(/\D/g, '').length;

// Between two numbers: , ; | / or a line break, "or", "and", "&", or a label after a digit.
const BETWEEN_NUMBERS = /\s*[,;|/\n]\s*|\s+(?:or|and|&)\s+|(?<=\d)\s+(?=\p{L}[\p{L} .]*:)/iu;
// A label before a number: "Mobile:", "Cell -", "Tel.", "Home".
const LEADING_LABEL = /^\p{L}[\p{L}\s.]*?\s*[:-]?\s*(?=[\d+(])/u;
// A label after one: "(cell)", "mobile".
const TRAILING_LABEL = /(?<=[\d)])\s*\(?[\p{L}\s.]+\)?$/u;

const withoutLabels = (text: string): string => text.replace(LEADING_LABEL, '').replace(TRAILING_LABEL, '').trim();

/**
 * The phone numbers in a cell's text, labels taken off: one entry for a single number,
 * several when the cell holds several, none when it holds no number of 7 digits or more.
 */
export function phoneNumbersIn(text: string): string[] {
  if (isPlainPhone(text)) return countDigits(text) >= MIN_PHONE_DIGITS ? [text] : [];
  const pieces = text.split(BETWEEN_NUMBERS).map(withoutLabels);
  const numbers = pieces.filter((piece) => countDigits(piece) >= MIN_PHONE_DIGITS);
  if (numbers.length >= 2) return numbers;
  // One number, and digits elsewhere ("720/273-5593", "ext 12"): the text is one number.
  const whole = withoutLabels(text);
  return countDigits(whole) >= MIN_PHONE_DIGITS ? [whole] : [];
}

function cellTextOf(cell: Cell): string | CellFailure {
  if (typeof cell === 'string') {
    const text = cell.trim();
    return text.length === 0 ? EMPTY_CELL : text;
  }
  return TextFromCell.parse(cell);
}

function parsePhone(cell: Cell): string | CellFailure {
  const text = cellTextOf(cell);
  if (text instanceof CellFailure || isPlainPhone(text)) return text;
  const numbers = phoneNumbersIn(text);
  // No number found: the text as written; the field's warning says what is missing.
  return numbers.length === 0 ? text : numbers[0];
}

/** A phone number as written, its label taken off; with two numbers in the cell, the first. */
export const PhoneFromCell = new CellCodec<string>('PhoneFromCell', isString, parsePhone, (text) => text);

function parseSecondPhone(cell: Cell): string | CellFailure {
  const text = cellTextOf(cell);
  if (text instanceof CellFailure || isPlainPhone(text)) return NO_VALUE;
  const numbers = phoneNumbersIn(text);
  return numbers.length >= 2 ? numbers[1] : NO_VALUE;
}

/** The second number of a cell that holds two (the column's secondPhoneTo); nothing otherwise. */
export const SecondPhoneFromCell = new CellCodec<string>('SecondPhoneFromCell', isString, parseSecondPhone, (text) => text);
